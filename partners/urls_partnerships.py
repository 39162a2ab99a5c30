"""The borough's pages of the partnerships under /procurements/<pk>/ (namespace ``partners``)."""

from django.urls import path

from . import views_partnerships

urlpatterns: list = [
    path("<int:pk>/partnerships/", views_partnerships.partnerships, name="partnerships"),
]
