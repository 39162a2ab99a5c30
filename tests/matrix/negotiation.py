"""Permission-matrix entries: the borough's pages of the later rounds of tenders (the next
round, negotiation notes, change notices, a later deadline)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def _round_one_opened(personas, info: PatternInfo) -> dict[str, Any]:
    """Round 1 in which organisations A and B submitted, opened by two officers."""
    from tests.partners.tender_samples import initial_tenders_opened, tendering

    tender = tendering(personas)
    tender_round = initial_tenders_opened(personas, tender)
    values: dict[str, Any] = {"pk": tender.procurement.pk}
    if "<int:round_pk>" in info.route:
        values["round_pk"] = tender_round.pk
    return values


def _round_two_open(personas, info: PatternInfo) -> dict[str, Any]:
    """Round 2 (negotiated tenders) taking proposals, 40 days to its deadline."""
    from django.utils import timezone

    from partners.services_negotiation import round_next
    from tests.partners.tender_samples import initial_tenders_opened, tendering

    tender = tendering(personas)
    initial_tenders_opened(personas, tender)
    far = timezone.now() + timedelta(days=40)
    tender_round = round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind="negotiation",
        deadline=far,
        opens_at=far,
    )
    return {"pk": tender.procurement.pk, "round_pk": tender_round.pk}


# The box's officers (procurement officers and approvers of the borough) see the notes; the
# lead officer's pages refuse the borough's other people who know the procurement with 403;
# anyone else may not know the procurement exists.
BOX_PAGE = outcomes(
    404, officer_a=200, approver_a=200, evaluator_a=403, borough_admin_a=403, anonymous=LOGIN
)
LEAD_PAGE = outcomes(
    404, officer_a=200, approver_a=403, evaluator_a=403, borough_admin_a=403, anonymous=LOGIN
)

ENTRIES: list = [
    Entry(
        "partners:tenders-next-round",
        LEAD_PAGE,
        kwargs=_round_one_opened,
        why="The lead officer opens the next round once the latest one is opened; the box's "
        "other officers and the borough's other people get 403.",
    ),
    Entry(
        "partners:tenders-notes",
        BOX_PAGE,
        kwargs=_round_one_opened,
        why="The notes of an opened round for the box's officers; only procurement officers "
        "add one (an approver reads them).",
    ),
    Entry(
        "partners:tenders-change-notice",
        LEAD_PAGE,
        kwargs=_round_two_open,
        why="The lead officer issues change notices for the latest round while it takes proposals.",
    ),
    Entry(
        "partners:tenders-deadline",
        LEAD_PAGE,
        kwargs=_round_two_open,
        why="The lead officer moves the deadline of a round later, before it passes.",
    ),
]
