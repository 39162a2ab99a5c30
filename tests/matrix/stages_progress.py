"""Permission-matrix entries: the officer's Stages page of an active procurement
(/procurements/<pk>/stages/progress/)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_active_procurement(personas):
    """A procurement of borough A with two announced phases whose contract (organisation A)
    has been entered: organisation A is in the first phase."""
    from django.utils import timezone

    from core.calendar import london_date
    from partners.services_partnerships import contracts_enter
    from stages.models import Phase
    from tests.partners.award_samples import in_standstill, standstill_over

    decision = standstill_over(in_standstill(personas))
    for order, name in enumerate(("Research", "Pilot"), 1):
        Phase.objects.create(
            procurement=decision.procurement, kind="research", name=name, order=order
        )
    contracts_enter(
        actor=personas.officer_a, decision=decision, signed_on=london_date(timezone.now())
    )
    return decision.procurement


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_active_procurement(personas).pk}


ENTRIES: list = [
    Entry(
        "stages:progress",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_procurement,
        why="Every partner's progress, for the borough's officers, approvers and "
        "administrators; an evaluator on the panel gets 403, another borough and every "
        "supplier 404.",
    ),
]
