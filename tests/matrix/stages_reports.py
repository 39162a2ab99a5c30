"""Permission-matrix entries: the procurement's stage-gate reports page
(/procurements/<pk>/stages/reports/) and generating a failed report again."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_progress import sample_active_procurement
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_active_procurement(personas).pk}


def _decision(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A passed the first phase's gate (the decision row as the gate service
    leaves it)."""
    from stages.models import GateDecision, GateOutcome, StageParticipation

    procurement = sample_active_procurement(personas)
    participation = StageParticipation.objects.get(
        partnership__procurement=procurement, phase__order=1
    )
    decision = GateDecision.objects.create(
        participation=participation,
        outcome=GateOutcome.PASS,
        recommendation_meets=True,
        reason="Every target met.",
        decided_by=personas.approver_a,
    )
    return {"pk": procurement.pk, "decision_pk": decision.pk}


ENTRIES: list = [
    Entry(
        "stages:reports",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_procurement,
        why="Every stage-gate report, for the borough's officers, approvers and "
        "administrators; an evaluator gets 403, another borough and every supplier 404 (a "
        "partner reads its own letters from its own pages).",
    ),
    Entry(
        "stages:report-retry",
        outcomes(405, anonymous=LOGIN),
        kwargs=_decision,
        why="Generating a report again is a POST; tests/stages/test_gate_report_pages.py "
        "checks who may.",
    ),
]
