"""Permission-matrix entries: the partner's phase and its deliverables
(/procurements/my-phases/<pk>/...), the borough's view of a participation and its requests
for more evidence (/procurements/<pk>/stages/participations/<participation_pk>/...), and the
evidence files (/procurements/stages/files/<pk>/)."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_progress import sample_active_procurement
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _participation(personas):
    """Organisation A's participation in the first phase, in progress."""
    from stages.models import ParticipationStatus, StageParticipation

    procurement = sample_active_procurement(personas)
    return StageParticipation.objects.select_related("phase").get(
        partnership__procurement=procurement,
        partnership__request__organisation=personas.org_a,
        status=ParticipationStatus.IN_PROGRESS,
    )


def _partner_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _participation(personas).pk}


def _borough_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    participation = _participation(personas)
    return {"pk": participation.phase.procurement_id, "participation_pk": participation.pk}


def _file_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    """An evidence file of a progress report organisation A's administrator submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stages.services_deliverables import deliverable_submit

    deliverable = deliverable_submit(
        actor=personas.supplier_a_admin,
        participation=_participation(personas),
        kind="progress",
        title="Interim report",
        summary="Progress so far.",
        measurements={},
        files=[SimpleUploadedFile("interim.pdf", b"%PDF-1.7\n%\n")],
    )
    return {"pk": deliverable.files.get().pk}


BOROUGH = {"officer_a": 200, "approver_a": 200, "borough_admin_a": 200}

ENTRIES: list = [
    Entry(
        "stages:partner-phase",
        outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN),
        kwargs=_partner_kwargs,
        why="Organisation A's phase in progress, for its people; another supplier, the "
        "consortium member of no request here and every officer 404.",
    ),
    Entry(
        "stages:partner-deliverable-add",
        outcomes(404, supplier_a_admin=200, supplier_a_member=403, anonymous=LOGIN),
        kwargs=_partner_kwargs,
        why="Organisation A's administrator submits its deliverables; its other members 403; "
        "another supplier and every officer 404.",
    ),
    Entry(
        "stages:participation",
        outcomes(404, **BOROUGH, evaluator_a=403, anonymous=LOGIN),
        kwargs=_borough_kwargs,
        why="A partner's phase as the borough sees it, for its officers, approvers and "
        "administrators; an evaluator on the panel who assesses no gate 403; another borough "
        "and every supplier 404.",
    ),
    Entry(
        "stages:evidence-request",
        outcomes(
            404,
            officer_a=200,
            approver_a=403,
            borough_admin_a=403,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_borough_kwargs,
        why="Only the lead officer asks a partner for more evidence; the borough's other "
        "people 403; another borough and every supplier 404.",
    ),
    Entry(
        "stages:deliverable-file",
        outcomes(404, **BOROUGH, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN),
        kwargs=_file_kwargs,
        why="An evidence file, for the borough and the partner's people; 404 for anyone else.",
    ),
]
