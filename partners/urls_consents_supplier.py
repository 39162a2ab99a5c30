"""The supplier's pages of the consents under /tenders/ (namespace ``tenders``)."""

from django.urls import path

from . import views_consents

urlpatterns: list = [
    path("consents/", views_consents.supplier_consents, name="consents"),
    path("consents/<int:pk>/", views_consents.supplier_consent, name="consent"),
]
