"""Procurements whose final tenders are opened, for the tests of evaluation and award.

``final_tenders_opened``: round 1 of initial tenders (organisations A and B submit, the third
invited supplier does not), then a round of final tenders in which A and B submit again, opened
by two officers. Both use the prices of ``tender_samples.PRICES_WITHIN`` unless told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.models import Proposal, RoundKind, TenderRound
from partners.services_negotiation import round_next
from partners.services_tenders import proposal_save, proposal_start, proposal_submit
from partners.tender_content import answerable_criteria, money
from tests.partners.tender_samples import (
    PRICES_WITHIN,
    Tendering,
    initial_tenders_opened,
    opened_by_two,
    tendering,
)


@dataclass
class FinalTenders:
    tender: Tendering
    final_round: TenderRound
    proposal_a: Proposal
    proposal_b: Proposal

    @property
    def procurement(self):
        return self.tender.procurement


def tender_in_round(admin, tender_round: TenderRound, *, prices: dict | None = None) -> Proposal:
    """A complete proposal of ``admin``'s organisation, submitted in ``tender_round``."""
    proposal = proposal_start(actor=admin, tender_round=tender_round)
    proposal_save(
        actor=admin,
        proposal=proposal,
        answers={
            str(c.pk): "Our final answer." for c in answerable_criteria(tender_round.procurement)
        },
        prices=dict(prices or PRICES_WITHIN),
        background_ip="Background IP: our sensor firmware.",
    )
    proposal_submit(actor=admin, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def final_tenders_opened(
    personas, *, prices_a: dict | None = None, prices_b: dict | None = None
) -> FinalTenders:
    tender = tendering(personas)
    initial_tenders_opened(personas, tender)
    later = timezone.now() + timedelta(days=30)
    final_round = round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind=RoundKind.FINAL,
        deadline=later,
        opens_at=later,
    )
    proposal_a = tender_in_round(personas.supplier_a_admin, final_round, prices=prices_a)
    proposal_b = tender_in_round(personas.supplier_b_admin, final_round, prices=prices_b)
    opened_by_two(personas, final_round)
    final_round.refresh_from_db()
    return FinalTenders(tender, final_round, proposal_a, proposal_b)


def schedule_total(prices: dict | None = None) -> Decimal:
    """The total of a price schedule as the samples write it."""
    return sum((money(value) for value in (prices or PRICES_WITHIN).values()), Decimal(0))
