"""Permission-matrix entries: the procurement's stage-gate reports page
(/procurements/<pk>/stages/reports/) and generating a failed report again."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_samples import BOROUGH_READS, running_sample
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": running_sample(personas).procurement.pk}


def _decision(personas, info: PatternInfo) -> dict[str, Any]:
    """Organisation A passed the first phase's gate, through the gate services."""
    from tests.stages.gate_samples import passed

    sample = running_sample(personas)
    decision = passed(personas, sample, personas.org_a)
    return {"pk": sample.procurement.pk, "decision_pk": decision.pk}


ENTRIES: list = [
    Entry(
        "stages:reports",
        BOROUGH_READS,
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
