"""The borough's pages of the award under /procurements/<pk>/ (namespace ``partners``)."""

from django.urls import path

from . import views_award

urlpatterns: list = [
    path("<int:pk>/award/", views_award.award, name="award"),
    path("<int:pk>/award/decide/", views_award.award_decision, name="award-decide"),
]
