"""The borough's pages of the reduction under /procurements/<pk>/ (namespace ``partners``)."""

from django.urls import path

from . import views_reduction

urlpatterns: list = [
    path("<int:pk>/reduction/", views_reduction.reduction_list, name="reduction"),
    path(
        "<int:pk>/reduction/<int:evaluation_pk>/",
        views_reduction.reduction_round,
        name="reduction-round",
    ),
]
