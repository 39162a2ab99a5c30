"""Permission-matrix entries: amendments and cancellation."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_amended_procurement(personas):
    """A procurement of borough A published a month ago, led by officer A, with amendment 1."""
    from datetime import timedelta

    from django.utils import timezone

    from procurements.models import Amendment, ProcurementStatus, PublicationVersion
    from tests.factories import ProcurementFactory

    now = timezone.now()
    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        approver=personas.approver_a,
        status=ProcurementStatus.PUBLISHED,
        published_at=now - timedelta(days=30),
        problem="Older residents fall at home and lie undiscovered.",
        question_deadline=now + timedelta(days=10),
        participation_deadline=now + timedelta(days=30),
    )
    PublicationVersion.objects.create(
        procurement=procurement, number=1, created_by=personas.officer_a
    )
    version = PublicationVersion.objects.create(
        procurement=procurement, number=2, reason="Clearer wording", created_by=personas.officer_a
    )
    Amendment.objects.create(
        procurement=procurement,
        number=1,
        reason="Clearer wording",
        changes=[
            {
                "field": "problem",
                "label": "The problem",
                "before": "Residents fall at home.",
                "after": "Older residents fall at home and lie undiscovered.",
            }
        ],
        version=version,
        created_by=personas.officer_a,
    )
    return procurement


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_amended_procurement(personas).pk}


# Officers of the borough amend; the lead officer cancels; approvers and administrators see
# the procurement but may do neither; nobody else may know it exists.
OFFICERS_ACT = outcomes(
    404,
    officer_a=200,
    approver_a=403,
    evaluator_a=404,  # not named on it: evaluators are invited per procurement
    borough_admin_a=403,
    anonymous=LOGIN,
)

ENTRIES: list = [
    Entry(
        "procurements:amend",
        OFFICERS_ACT,
        kwargs=_kwargs,
        why="Procurement officers of the borough amend a published procurement.",
    ),
    Entry(
        "procurements:amendments",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            evaluator_a=404,  # not named on it: evaluators are invited per procurement
            borough_admin_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_kwargs,
        why="Everyone who may see the procurement in the builder sees its amendments.",
    ),
    Entry(
        "procurements:amendment-start",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Opening an amendment is a POST; the service decides who may (tested there).",
    ),
    Entry(
        "procurements:amendment-stop",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Stopping an amendment is a POST; the service decides who may (tested there).",
    ),
    Entry(
        "procurements:cancel",
        OFFICERS_ACT,
        kwargs=_kwargs,
        why="Only the lead officer cancels (officer A leads the sample).",
    ),
]
