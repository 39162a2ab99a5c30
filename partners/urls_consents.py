"""The borough's pages of the consents under /procurements/<pk>/ (namespace ``partners``)."""

from django.urls import path

from . import views_consents

urlpatterns: list = [
    path("<int:pk>/consents/", views_consents.consents, name="consents"),
    path("<int:pk>/consents/ask/", views_consents.consent_ask_view, name="consents-ask"),
]
