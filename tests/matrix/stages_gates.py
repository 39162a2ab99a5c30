"""Permission-matrix entries: a phase's gate pages (/procurements/<pk>/stages/gates/<phase>/...)
and the partner's own gate result (/procurements/my-phases/<participation>/gate/).

The sample: the running procurement of ``tests.stages.running_samples`` (organisations A and
B are partners), evaluator A named assessor of the first phase's gate, organisation A's first
phase under review (and, for the partner's page, passed)."""

from __future__ import annotations

from typing import Any

from tests.matrix.stages_samples import LEAD_OFFICER_ONLY, PARTNER_PEOPLE, running_sample
from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _under_review(personas):
    from tests.stages.gate_samples import assessors_named, under_review

    sample = running_sample(personas)
    assessors_named(personas, sample)
    return under_review(sample, personas.org_a)


def _phase(personas, info: PatternInfo) -> dict[str, Any]:
    participation = _under_review(personas)
    return {"pk": participation.phase.procurement_id, "phase_pk": participation.phase_id}


def _participation(personas, info: PatternInfo) -> dict[str, Any]:
    participation = _under_review(personas)
    return {
        "pk": participation.phase.procurement_id,
        "phase_pk": participation.phase_id,
        "participation_pk": participation.pk,
    }


def _decided(personas, info: PatternInfo) -> dict[str, Any]:
    from tests.stages.gate_samples import passed

    return {"pk": passed(personas, running_sample(personas), personas.org_a).participation_id}


ENTRIES: list = [
    Entry(
        "stages:gate",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            evaluator_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_phase,
        why="The gate of a phase, for the borough's officers, approvers and administrators and "
        "the gate's assessors (evaluator A); another borough and every supplier 404.",
    ),
    Entry(
        "stages:gate-assessors",
        LEAD_OFFICER_ONLY,
        kwargs=_phase,
        why="Only the lead officer names a gate's assessors; the borough's other people 403.",
    ),
    Entry(
        "stages:gate-score",
        outcomes(
            404,
            officer_a=403,
            approver_a=403,
            borough_admin_a=403,
            evaluator_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_participation,
        why="Only the gate's assessors score (evaluator A); the borough's other people 403.",
    ),
    Entry(
        "stages:gate-moderate",
        LEAD_OFFICER_ONLY,
        kwargs=_participation,
        why="Only the lead officer moderates (the page waits for the assessors); others 403.",
    ),
    Entry(
        "stages:gate-decide",
        outcomes(
            404,
            officer_a=403,
            approver_a=200,
            borough_admin_a=403,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_participation,
        why="Only an approver who is neither the lead officer nor an assessor of the gate "
        "decides it; the lead officer and the assessor 403.",
    ),
    Entry(
        "stages:partner-gate",
        PARTNER_PEOPLE,
        kwargs=_decided,
        why="Organisation A's decided gate: its people read the result; another supplier, "
        "every officer and the consortium member of no request here 404.",
    ),
]
