"""Permission-matrix entries: the pages of the partnership contracts (the borough's under
/procurements/<pk>/partnerships/, the partner's under /tenders/partnerships/)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_partnership(personas):
    """A procurement of borough A whose award (organisation A, the best-ranked tender) has
    passed standstill, and its contract entered by the lead officer."""
    from django.utils import timezone

    from core.calendar import london_date
    from partners.services_partnerships import contracts_enter
    from tests.partners.award_samples import in_standstill, standstill_over

    decision = standstill_over(in_standstill(personas))
    [partnership] = contracts_enter(
        actor=personas.officer_a, decision=decision, signed_on=london_date(timezone.now())
    )
    return partnership


def _procurement(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_partnership(personas).procurement_id}


def _partnership(personas, info: PatternInfo) -> dict[str, Any]:
    return {"pk": sample_partnership(personas).pk}


ENTRIES: list = [
    Entry(
        "partners:partnerships",
        outcomes(
            404,
            officer_a=200,
            approver_a=200,
            borough_admin_a=200,
            evaluator_a=403,
            anonymous=LOGIN,
        ),
        kwargs=_procurement,
        why="The partnerships of a procurement, for the borough's officers, approvers and "
        "administrators; an evaluator gets 403, another borough and every supplier 404.",
    ),
    Entry(
        "tenders:partnerships",
        outcomes(404, suppliers=200, anonymous=LOGIN),
        why="Every supplier sees its own organisation's partnerships (none for most).",
    ),
    Entry(
        "tenders:partnership",
        outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN),
        kwargs=_partnership,
        why="Organisation A's partnership: its people only; another supplier, the borough's "
        "officers and everyone else 404.",
    ),
]
