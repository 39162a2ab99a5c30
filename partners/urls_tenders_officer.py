"""The borough's pages of the tender box, under /procurements/<pk>/tenders/ (namespace
``partners``)."""

from django.urls import path

from . import views_negotiation
from . import views_tenders_officer as views

urlpatterns = [
    path("<int:pk>/tenders/", views.tender_rounds, name="tenders"),
    path(
        "<int:pk>/tenders/rounds/<int:round_pk>/opening-date/",
        views.opening_date,
        name="tenders-opening-date",
    ),
    path("<int:pk>/tenders/rounds/<int:round_pk>/open/", views.open_round, name="tenders-open"),
    path(
        "<int:pk>/tenders/proposals/<int:proposal_pk>/",
        views.proposal_read_view,
        name="tenders-proposal",
    ),
    path(
        "<int:pk>/tenders/proposals/<int:proposal_pk>/files/<uuid:token>/",
        views.proposal_file_view,
        name="tenders-file",
    ),
]

urlpatterns += [
    path(
        "<int:pk>/tenders/next-round/",
        views_negotiation.next_round,
        name="tenders-next-round",
    ),
    path(
        "<int:pk>/tenders/rounds/<int:round_pk>/notes/",
        views_negotiation.notes,
        name="tenders-notes",
    ),
    path(
        "<int:pk>/tenders/rounds/<int:round_pk>/change-notice/",
        views_negotiation.change_notice,
        name="tenders-change-notice",
    ),
    path(
        "<int:pk>/tenders/rounds/<int:round_pk>/deadline/",
        views_negotiation.deadline,
        name="tenders-deadline",
    ),
]
