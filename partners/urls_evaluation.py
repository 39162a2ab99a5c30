"""The borough's pages of the evaluation under /procurements/<pk>/ (namespace ``partners``)."""

from django.urls import path

from . import views_evaluation as views

ROUND = "<int:pk>/evaluation/rounds/<int:round_pk>"

urlpatterns = [
    path("<int:pk>/evaluation/", views.overview, name="evaluation"),
    path(f"{ROUND}/start/", views.start, name="evaluation-start"),
    path(f"{ROUND}/", views.board, name="evaluation-round"),
    path(f"{ROUND}/mine/", views.mine, name="evaluation-mine"),
    path(f"{ROUND}/<str:part>/conflicts/", views.declare, name="evaluation-declare"),
    path(
        f"{ROUND}/<str:part>/tenders/<int:proposal_pk>/",
        views.tender,
        name="evaluation-tender",
    ),
    path(
        f"{ROUND}/quality/tenders/<int:proposal_pk>/files/<uuid:token>/",
        views.tender_file,
        name="evaluation-file",
    ),
    path(
        f"{ROUND}/tenders/<int:proposal_pk>/moderate/",
        views.moderate,
        name="evaluation-moderate",
    ),
]
