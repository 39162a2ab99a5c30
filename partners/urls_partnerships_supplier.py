"""The supplier's pages of the partnerships under /tenders/ (namespace ``tenders``)."""

from django.urls import path

from . import views_partnerships

urlpatterns: list = [
    path("partnerships/", views_partnerships.supplier_partnerships, name="partnerships"),
    path("partnerships/<int:pk>/", views_partnerships.supplier_partnership, name="partnership"),
]
