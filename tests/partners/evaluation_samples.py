"""Procurements whose final tenders are opened, for the tests of evaluation and award.

``final_tenders_opened``: round 1 of initial tenders (organisations A and B submit, the third
invited supplier does not), then a round of final tenders in which A and B submit again, opened
by two officers. Both use the prices of ``tender_samples.PRICES_WITHIN`` unless told.
``final_tenders_with_file``: the same, A's final tender carrying a text file.

The evaluation of those final tenders (evaluator A on quality, officer A on price):
``evaluation_started``, ``all_declared`` (no conflicts unless told), ``all_marked`` (every
member completes every tender: quality 4 unless told, price accepted) and ``moderated`` (the
lead officer's consensus on every tender, so the ranking is complete; ``scores`` maps a
proposal id to its quality score, or None for a price schedule not accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.evaluation_ranking import evaluated_proposals
from partners.models import Evaluation, PanelMember, Proposal, RoundKind, TenderReview, TenderRound
from partners.scoring import Mark
from partners.services_evaluation import (
    conflicts_declare,
    consensus_save,
    evaluation_start,
    marks_save,
)
from partners.services_negotiation import round_next
from partners.services_tenders import (
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
)
from partners.tender_content import answerable_criteria, money
from procurements.models import CriterionKind
from tests.partners.tender_samples import (
    PRICES_WITHIN,
    Tendering,
    initial_tenders_opened,
    opened_by_two,
    tendering,
    text_file,
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


def tender_in_round(
    admin, tender_round: TenderRound, *, prices: dict | None = None, files=()
) -> Proposal:
    """A complete proposal of ``admin``'s organisation, submitted in ``tender_round`` (with
    ``files``, uploads, added before it is submitted)."""
    proposal = proposal_start(actor=admin, tender_round=tender_round)
    for upload in files:
        proposal_file_add(actor=admin, proposal=proposal, upload=upload)
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
    return _final_tenders(personas, a={"prices": prices_a}, b={"prices": prices_b})


def final_tenders_with_file(personas, *, content: bytes = b"Our test results.") -> FinalTenders:
    """As ``final_tenders_opened``, organisation A's final tender carrying one text file,
    ``results.txt``."""
    return _final_tenders(personas, a={"files": [text_file("results.txt", content)]}, b={})


def _final_tenders(personas, *, a: dict, b: dict) -> FinalTenders:
    """Round 1 opened, then the final round in which A and B submit (``tender_in_round``
    with the options ``a`` and ``b``), opened."""
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
    proposal_a = tender_in_round(personas.supplier_a_admin, final_round, **a)
    proposal_b = tender_in_round(personas.supplier_b_admin, final_round, **b)
    opened_by_two(personas, final_round)
    final_round.refresh_from_db()
    return FinalTenders(tender, final_round, proposal_a, proposal_b)


def schedule_total(prices: dict | None = None) -> Decimal:
    """The total of a price schedule as the samples write it."""
    return sum((money(value) for value in (prices or PRICES_WITHIN).values()), Decimal(0))


# --- the evaluation ---------------------------------------------------------------------------


def evaluation_started(personas, final: FinalTenders | None = None, *, quality=None, price=None):
    """The evaluation of ``final`` (``final_tenders_opened`` unless given), by the lead
    officer, with ``quality`` (evaluator A) and ``price`` (officer A) evaluators."""
    final = final or final_tenders_opened(personas)
    return evaluation_start(
        actor=personas.officer_a,
        tender_round=final.final_round,
        quality_evaluators=quality or [personas.evaluator_a],
        price_evaluators=price or [personas.officer_a],
    )


def panel_seats(evaluation: Evaluation) -> list[PanelMember]:
    return list(evaluation.panel.select_related("evaluator"))


def all_declared(evaluation: Evaluation, *, conflicts: dict | None = None) -> None:
    """Every panel member declares for every tender; ``conflicts`` maps (user id, proposal id)
    to details for the conflicts to declare (none unless told)."""
    conflicts = conflicts or {}
    tenders = evaluated_proposals(evaluation)
    for seat in panel_seats(evaluation):
        declarations = {}
        for proposal in tenders:
            details = conflicts.get((seat.evaluator_id, proposal.pk), "")
            declarations[proposal.pk] = (bool(details), details)
        conflicts_declare(
            actor=seat.evaluator, evaluation=evaluation, part=seat.part, declarations=declarations
        )


def member_marks(evaluation: Evaluation, score: int = 4, *, accepted: bool = True) -> dict:
    """A mark with a reason for every criterion: ``score`` on quality, ``accepted`` on price."""
    return {
        criterion.pk: Mark(
            score=None if criterion.kind == CriterionKind.PRICE else score,
            passed=accepted if criterion.kind == CriterionKind.PRICE else None,
            reason="Well evidenced.",
        )
        for criterion in evaluation.procurement.award_criteria.all()
    }


def all_marked(evaluation: Evaluation, *, score: int = 4) -> None:
    """Every panel member without a conflict completes their marks on every tender (after
    declaring no conflict, when they have not declared yet)."""
    if not TenderReview.objects.filter(proposal__round=evaluation.round).exists():
        all_declared(evaluation)
    marks = member_marks(evaluation, score)
    for seat in panel_seats(evaluation):
        for review in TenderReview.objects.filter(
            evaluator=seat.evaluator, part=seat.part, has_conflict=False,
            proposal__round=evaluation.round,
        ):  # fmt: skip
            marks_save(
                actor=seat.evaluator, proposal=review.proposal, part=seat.part, marks=marks,
                complete=True,
            )  # fmt: skip


def moderated(personas, evaluation: Evaluation, *, scores: dict | None = None) -> None:
    """The lead officer's consensus for every tender: ``scores`` maps a proposal id to its
    quality score (every quality criterion), or to None for a price schedule not accepted;
    tenders not named score 3. Marks every tender first if the panel has not."""
    if not TenderReview.objects.filter(
        proposal__round=evaluation.round, completed_at__isnull=False
    ).exists():
        all_marked(evaluation)
    scores = scores or {}
    for proposal in evaluated_proposals(evaluation):
        score = scores.get(proposal.pk, 3)
        consensus_save(
            actor=personas.officer_a,
            proposal=proposal,
            marks=member_marks(evaluation, score or 0, accepted=score is not None),
        )
