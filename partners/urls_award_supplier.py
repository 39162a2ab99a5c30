"""The supplier's pages of the award under /tenders/ (namespace ``tenders``)."""

from django.urls import path

from . import views_award

urlpatterns: list = [
    path("<int:pk>/award/", views_award.tender_outcome, name="award"),
]
