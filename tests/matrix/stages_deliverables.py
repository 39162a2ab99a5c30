"""Permission-matrix entries: the partner's phase and its deliverables
(/procurements/my-phases/<pk>/...), the borough's view of a participation and its requests
for more evidence (/procurements/<pk>/stages/participations/<participation_pk>/...), and the
evidence files (/procurements/stages/files/<pk>/)."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_samples import (
    BOROUGH_READS,
    LEAD_OFFICER_ONLY,
    PARTNER_ADMIN_ONLY,
    PARTNER_PEOPLE,
    running_sample,
)
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _participation(personas):
    """Organisation A's participation in the first phase, in progress."""
    return running_sample(personas).participation(personas.org_a, 1)


def _partner_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": _participation(personas).pk}


def _borough_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    participation = _participation(personas)
    return {"pk": participation.phase.procurement_id, "participation_pk": participation.pk}


def _file_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    """An evidence file of a progress report organisation A's administrator submitted."""
    from stages.services_deliverables import deliverable_submit
    from tests.stages.deliverable_samples import pdf

    deliverable = deliverable_submit(
        actor=personas.supplier_a_admin,
        participation=_participation(personas),
        kind="progress",
        title="Interim report",
        summary="Progress so far.",
        measurements={},
        files=[pdf("interim.pdf")],
    )
    return {"pk": deliverable.files.get().pk}


ENTRIES: list = [
    Entry(
        "stages:partner-phase",
        PARTNER_PEOPLE,
        kwargs=_partner_kwargs,
        why="Organisation A's phase in progress, for its people; another supplier, the "
        "consortium member of no request here and every officer 404.",
    ),
    Entry(
        "stages:partner-deliverable-add",
        PARTNER_ADMIN_ONLY,
        kwargs=_partner_kwargs,
        why="Organisation A's administrator submits its deliverables; its other members 403; "
        "another supplier and every officer 404.",
    ),
    Entry(
        "stages:participation",
        BOROUGH_READS,
        kwargs=_borough_kwargs,
        why="A partner's phase as the borough sees it, for its officers, approvers and "
        "administrators; an evaluator on the panel who assesses no gate 403; another borough "
        "and every supplier 404.",
    ),
    Entry(
        "stages:evidence-request",
        LEAD_OFFICER_ONLY,
        kwargs=_borough_kwargs,
        why="Only the lead officer asks a partner for more evidence; the borough's other "
        "people 403; another borough and every supplier 404.",
    ),
    Entry(
        "stages:deliverable-file",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            supplier_a_admin=200,
            supplier_a_member=200,
            anonymous=LOGIN,
        ),
        kwargs=_file_kwargs,
        why="An evidence file, for the borough and the partner's people; 404 for anyone else.",
    ),
]
