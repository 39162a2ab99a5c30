"""URLs of the running phases: the partner's phase and its deliverables, the borough's view of
a participation and its requests for more evidence, and the evidence files."""

from django.urls import path

from . import views_deliverables as views

PARTICIPATION = "<int:pk>/stages/participations/<int:participation_pk>/"

urlpatterns: list = [
    path("my-phases/<int:pk>/", views.partner_phase, name="partner-phase"),
    path(
        "my-phases/<int:pk>/deliverables/add/",
        views.partner_deliverable_add,
        name="partner-deliverable-add",
    ),
    path(PARTICIPATION, views.participation, name="participation"),
    path(
        f"{PARTICIPATION}evidence-requests/add/",
        views.evidence_request_add,
        name="evidence-request",
    ),
    path("stages/files/<int:pk>/", views.deliverable_file, name="deliverable-file"),
]
