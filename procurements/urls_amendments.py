"""Amending a published procurement, its amendments, and cancelling a procurement."""

from django.urls import path

from .views import amendments

urlpatterns: list = [
    path("<int:pk>/amend/", amendments.amend, name="amend"),
    path("<int:pk>/amendments/", amendments.amendments, name="amendments"),
    path("<int:pk>/cancel/", amendments.cancel, name="cancel"),
]
