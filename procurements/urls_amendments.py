"""Amending a published procurement, its amendments, and cancelling a procurement."""

from django.urls import path

from .views import amendments

urlpatterns: list = [
    path("<int:pk>/amend/", amendments.amend, name="amend"),
    path("<int:pk>/amend/start/", amendments.amendment_start, name="amendment-start"),
    path("<int:pk>/amend/stop/", amendments.amendment_stop, name="amendment-stop"),
    path("<int:pk>/amendments/", amendments.amendments, name="amendments"),
    path("<int:pk>/cancel/", amendments.cancel, name="cancel"),
]
