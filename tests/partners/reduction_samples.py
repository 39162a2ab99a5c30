"""Procurements whose round of initial tenders is evaluated to reduce the tenderers, for the
tests of the reduction between rounds (RULES.md point 7).

``reduction_evaluated``: a call whose ITT announced the reduction, ``tenderers`` invited
suppliers (organisations A and B, then "Supplier 3 Ltd" and on) who all submit in round 1,
opened by two officers; the lead officer starts the evaluation of round 1 (purpose reduction)
and, unless told not to, moderates every tender: the first organisation (by name) scores 5 on
quality, the next 4, and so on, all at the same price, so they rank in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import SupplierMembership, SupplierRole, User
from partners.models import Evaluation, Proposal, TenderRound
from partners.services_evaluation import evaluation_start
from partners.services_reduction import reduction_decide
from procurements.models import Procurement
from tests.partners.evaluation_samples import moderated
from tests.partners.tender_samples import (
    Tendering,
    opened_by_two,
    proposal_submitted,
    round_opened,
    tendering,
)


@dataclass
class Reducing:
    tender: Tendering
    round: TenderRound
    evaluation: Evaluation
    proposals: list[Proposal]
    admins: list[User]

    @property
    def procurement(self) -> Procurement:
        return Procurement.objects.get(pk=self.tender.procurement.pk)

    def ids(self, *numbers: int) -> list[int]:
        """The proposal ids of the tenders at these positions (0 is the best-ranked)."""
        return [self.proposals[number].pk for number in numbers]


def _admin(request) -> User:
    return (
        SupplierMembership.objects.filter(
            organisation=request.organisation, role=SupplierRole.ADMIN
        )
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def reduction_evaluated(
    personas,
    *,
    tenderers: int = 3,
    announced: bool = True,
    moderate: bool = True,
    scores: dict[int, int | None] | None = None,
) -> Reducing:
    """``scores`` maps a position to a quality score, or None for a price schedule not
    accepted; the others score 5, 4, 3... by position."""
    tender = tendering(personas, requests=tenderers)
    Procurement.objects.filter(pk=tender.procurement.pk).update(reduce_between_rounds=True)
    tender.procurement.refresh_from_db()
    round_1 = round_opened(personas, tender)
    admins = [_admin(request) for request in tender.invited]
    proposals = [proposal_submitted(personas, round_1, admin) for admin in admins]
    opened_by_two(personas, round_1)
    evaluation = evaluation_start(
        actor=personas.officer_a,
        tender_round=round_1,
        quality_evaluators=[personas.evaluator_a],
        price_evaluators=[personas.officer_a],
    )
    if moderate:
        given = scores or {}
        moderated(
            personas,
            evaluation,
            scores={
                proposal.pk: given.get(number, max(5 - number, 0))
                for number, proposal in enumerate(proposals)
            },
        )
    if not announced:
        Procurement.objects.filter(pk=tender.procurement.pk).update(reduce_between_rounds=False)
    round_1.refresh_from_db()
    return Reducing(tender, round_1, evaluation, proposals, admins)


def reasons_for(reducing: Reducing, *numbers: int) -> dict[int, str]:
    return {
        reducing.proposals[number].pk: f"Reasons for tender {number + 1}: less evidence."
        for number in numbers
    }


def reduced(personas, reducing: Reducing, *, continuing: int = 2):
    """The lead officer continues with the ``continuing`` best-ranked tenders."""
    out = range(continuing, len(reducing.proposals))
    return reduction_decide(
        actor=personas.officer_a,
        evaluation=reducing.evaluation,
        continuing=reducing.ids(*range(continuing)),
        reason="The best-ranked tenders continue, as the ITT announced.",
        reasons=reasons_for(reducing, *out),
    )
