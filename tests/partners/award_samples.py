"""Procurements at each step of the award, for the tests of the award, standstill and the
partnership contracts.

- ``evaluated(personas, tenderers=2, ...)``: the final tenders of ``tenderers`` organisations
  (A, B, then "Supplier 3 Ltd", ...) opened; the lead officer starts their evaluation (the
  procurement moves to evaluation), the panel (evaluator A on quality, officer A on price)
  marks every tender, and the lead officer moderates every criterion of every tender: quality
  scores 5, 4, 3, ... in the order of the organisations unless ``scores`` says otherwise,
  every price schedule (the same prices for all) accepted unless ``accepted`` says otherwise.
  ``max_partners`` (1 unless told) and ``regime`` are set on the procurement first. Returns
  an ``Evaluated``.
- ``proposed(personas, evaluated)``: the lead officer (officer A) proposes the best-ranked
  tender(s) up to the maximum (1 unless ``max_partners`` in ``evaluated``).
- ``approved(personas, decision)``: approver A approves it and every assessment summary is
  rendered (as the worker would, once the approval commits).
- ``in_standstill(personas, **evaluated_options)``: all of the above, then the lead officer
  publishes the contract award notice (UK6): the award decision is in standstill, the
  procurement too, and the standstill's last day is in the future. Returns the
  ``AwardDecision`` (its ``procurement`` and ``evaluation`` loaded).
- ``standstill_over(decision)``: the standstill period of ``decision`` ended yesterday
  (London time), so contracts may be entered now (unless it is suspended). Returns the
  decision, refreshed.

Everything goes through the services, as the pages would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from core.calendar import london_date
from core.models import DocumentStatus
from core.services.documents import document_render
from partners.evaluation_ranking import evaluation_ranking
from partners.models import AwardDecision, AwardStatus, Evaluation, Proposal, RoundKind
from partners.scoring import Mark
from partners.selectors_award import summaries
from partners.services_award import (
    award_decide,
    award_notice_publish,
    award_propose,
    award_summaries_send,
)
from partners.services_evaluation import consensus_save, evaluation_start
from partners.services_negotiation import round_next
from procurements.models import AwardCriterion, CriterionKind, Procurement
from tests.partners.evaluation_samples import all_marked, tender_in_round
from tests.partners.selection_samples import suppliers
from tests.partners.tender_samples import opened_by_two, round_opened, tendering

REASON = "The best-ranked tender on the published criteria."


@dataclass
class Evaluated:
    procurement: Procurement
    evaluation: Evaluation
    proposals: list[Proposal] = field(default_factory=list)

    def proposal_of(self, organisation) -> Proposal:
        return next(p for p in self.proposals if p.request.organisation_id == organisation.pk)


def final_tenders(personas, *, tenderers: int = 2):
    """Round 1 and a final round in which all ``tenderers`` submitted, both opened.
    Returns (procurement, final round, proposals)."""
    tender = tendering(personas, requests=max(tenderers, 3))
    admins = [admin for _, admin in suppliers(personas, tenderers)]
    first = round_opened(personas, tender)
    for admin in admins:
        tender_in_round(admin, first)
    opened_by_two(personas, first)
    later = timezone.now() + timedelta(days=30)
    final_round = round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind=RoundKind.FINAL,
        deadline=later,
        opens_at=later,
    )
    proposals = [tender_in_round(admin, final_round) for admin in admins]
    opened_by_two(personas, final_round)
    procurement = Procurement.objects.get(pk=tender.procurement.pk)
    final_round.refresh_from_db()
    return procurement, final_round, proposals


def evaluated(
    personas,
    *,
    tenderers: int = 2,
    scores: list[int] | None = None,
    accepted: list[bool] | None = None,
    max_partners: int | None = 1,
    regime: str | None = None,
) -> Evaluated:
    procurement, final_round, proposals = final_tenders(personas, tenderers=tenderers)
    changes = {"max_partners": max_partners}
    if regime is not None:
        changes["regime"] = regime
    Procurement.objects.filter(pk=procurement.pk).update(**changes)
    evaluation = evaluation_start(
        actor=personas.officer_a,
        tender_round=final_round,
        quality_evaluators=[personas.evaluator_a],
        price_evaluators=[personas.officer_a],
    )
    all_marked(evaluation)
    scores = scores or [max(5 - n, 0) for n in range(tenderers)]
    accepted = accepted or [True] * tenderers
    criteria = list(AwardCriterion.objects.filter(procurement=procurement))
    for number, proposal in enumerate(proposals):
        consensus_save(
            actor=personas.officer_a,
            proposal=proposal,
            marks=consensus_marks(
                criteria, proposal, score=scores[number], accepted=accepted[number]
            ),
        )
    procurement.refresh_from_db()
    evaluation.procurement = procurement
    return Evaluated(procurement=procurement, evaluation=evaluation, proposals=proposals)


def consensus_marks(criteria, proposal: Proposal, *, score: int, accepted: bool) -> dict:
    """The lead officer's consensus on every criterion, with reasons naming the tenderer."""
    name = proposal.request.organisation.name
    return {
        criterion.pk: Mark(passed=accepted, reason=f"Price of {name} checked against the schedule.")
        if criterion.kind == CriterionKind.PRICE
        else Mark(score=score, reason=f"Quality of {name}: scored {score}.")
        for criterion in criteria
    }


def best_ranked(sample: Evaluated) -> list[int]:
    """The best-ranked compliant tenders up to the maximum number of partners."""
    ranked = evaluation_ranking(sample.evaluation).ranked
    limit = sample.procurement.max_partners or len(ranked)
    return [row.tender.key for row in ranked[:limit]]


def proposed(personas, sample: Evaluated) -> AwardDecision:
    return award_propose(
        actor=personas.officer_a,
        evaluation=sample.evaluation,
        awarded=best_ranked(sample),
        reason=REASON,
    )


def render_summaries(decision: AwardDecision) -> None:
    """Render the waiting assessment summaries, as the worker does after the commit."""
    for document in summaries(decision.entries.values_list("pk", flat=True)).values():
        if document.status == DocumentStatus.PENDING:
            document_render(document_id=document.pk)


def approved(personas, decision: AwardDecision) -> AwardDecision:
    decision = award_decide(
        actor=personas.approver_a, decision=decision, approve=True, reason="Agreed."
    )
    render_summaries(decision)
    return decision


def summaries_sent_then_notice(personas, decision: AwardDecision) -> AwardDecision:
    """The lead officer sends the assessment summaries, then (PA 2023) publishes the UK6:
    the standstill period begins (under PCR 2015 it begins with the summaries)."""
    decision = award_summaries_send(actor=personas.officer_a, decision=decision)
    if decision.status != AwardStatus.STANDSTILL:
        decision = award_notice_publish(actor=personas.officer_a, decision=decision)
    return decision


def in_standstill(personas, **options) -> AwardDecision:
    sample = evaluated(personas, **options)
    decision = approved(personas, proposed(personas, sample))
    decision = summaries_sent_then_notice(personas, decision)
    return AwardDecision.objects.select_related("procurement", "evaluation").get(pk=decision.pk)


def standstill_over(decision: AwardDecision) -> AwardDecision:
    yesterday = london_date(timezone.now()) - timedelta(days=1)
    AwardDecision.objects.filter(pk=decision.pk).update(standstill_last_day=yesterday)
    return AwardDecision.objects.select_related("procurement", "evaluation").get(pk=decision.pk)
