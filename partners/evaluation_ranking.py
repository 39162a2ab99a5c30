"""The ranking of an evaluation's tenders from the lead officer's consensus marks.

A tender is ranked once every award criterion has a consensus: its quality points come from
the consensus scores of the non-price criteria (weighted, on the published scale) and its
price points from the consensus price by the formula announced in the ITT
(``partners.award_scoring``). A tender whose price schedule the consensus did not accept is
not compliant: it is listed, never ranked. Three queries whatever the number of tenders and
criteria.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from procurements.models import AwardCriterion, CriterionKind

from .award_scoring import RankedTender, Tender, rank_tenders
from .models import Evaluation, Proposal, ProposalStatus, TenderConsensus
from .scoring import scale_maximum


@dataclass
class EvaluationRanking:
    """``ranked``: compliant tenders with every criterion moderated, best first.
    ``not_compliant``: tenders whose price schedule was not accepted. ``unmoderated``: tenders
    still missing a consensus on some criterion. Tender keys are proposal ids; ``proposals``
    maps them to the proposals (their request and organisation loaded)."""

    criteria: list[AwardCriterion]
    proposals: dict[int, Proposal]
    ranked: list[RankedTender] = field(default_factory=list)
    not_compliant: list[Proposal] = field(default_factory=list)
    unmoderated: list[Proposal] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every tender moderated on every criterion (so the ranking is final)."""
        return bool(self.proposals) and not self.unmoderated


def evaluated_proposals(evaluation: Evaluation) -> list[Proposal]:
    """The tenders of the evaluated round: the proposals submitted by its deadline."""
    return round_tenders(evaluation.round_id)


def round_tenders(round_id: int) -> list[Proposal]:
    """The proposals submitted in a round by its deadline, by organisation name."""
    return list(
        Proposal.objects.filter(round_id=round_id, status=ProposalStatus.SUBMITTED)
        .select_related("request__organisation")
        .order_by("request__organisation__name", "pk")
    )


def evaluation_ranking(evaluation: Evaluation) -> EvaluationRanking:
    procurement = evaluation.procurement
    criteria = list(AwardCriterion.objects.filter(procurement_id=procurement.pk))
    proposals = {proposal.pk: proposal for proposal in evaluated_proposals(evaluation)}
    marks: dict[int, dict[int, TenderConsensus]] = {pk: {} for pk in proposals}
    for mark in TenderConsensus.objects.filter(proposal_id__in=list(proposals)):
        marks[mark.proposal_id][mark.criterion_id] = mark
    result = EvaluationRanking(criteria=criteria, proposals=proposals)
    price_criteria = [c for c in criteria if c.kind == CriterionKind.PRICE]
    weights = {c.pk: c.weight for c in criteria if c.kind != CriterionKind.PRICE}
    tenders = []
    for pk, proposal in proposals.items():
        moderated = marks[pk]
        if any(c.pk not in moderated for c in criteria):
            result.unmoderated.append(proposal)
            continue
        price_marks = [moderated[c.pk] for c in price_criteria]
        if any(not mark.price_accepted or mark.price is None for mark in price_marks):
            result.not_compliant.append(proposal)
            continue
        tenders.append(
            Tender(
                key=pk,
                name=proposal.request.organisation.name,
                scores={c_pk: moderated[c_pk].score for c_pk in weights},
                price=price_marks[0].price if price_marks else Decimal(1),
            )
        )
    if tenders and not result.unmoderated:
        result.ranked = rank_tenders(
            tenders,
            weights=weights,
            price_weight=sum(c.weight for c in price_criteria),
            formula=procurement.price_formula,
            maximum=scale_maximum(procurement.scoring_scale),
        )
    return result
