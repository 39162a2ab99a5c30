"""The public documents of a published procurement: its latest ITT and its notices."""

from django.urls import path

from .views import publication

urlpatterns: list = [
    path("<int:pk>/itt/", publication.itt_download, name="itt-download"),
    path("<int:pk>/notices/<int:notice_pk>/", publication.notice, name="notice"),
]
