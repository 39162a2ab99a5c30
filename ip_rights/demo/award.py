"""The steps that take a demo procurement from its opened final tenders to an award in
standstill, through the services the evaluation and award pages call: the evaluation (the
panel, its conflicts declarations, each member's marks with reasons, the lead officer's
consensus), the award proposed by the lead officer and approved by the approver, the
assessment summaries, and the contract award notice that starts standstill (PA 2023 ss.50-51);
then, once standstill is over, the partnership contracts entered through the service the
Partnerships page calls, which starts every partner's first phase.

The only change not made through a service is in ``standstill_over``: the standstill
period's last day moved to yesterday, so the contracts can be entered today (the demo cannot
wait eight working days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.utils import timezone

from core.calendar import london_date
from core.models import DocumentStatus
from core.services.documents import document_render
from partners.evaluation_ranking import evaluated_proposals, evaluation_ranking
from partners.models import AwardDecision, EvaluationPart, Proposal
from partners.selectors_award import summaries
from partners.services_award import (
    award_decide,
    award_notice_publish,
    award_propose,
    award_summaries_send,
)
from partners.services_evaluation import (
    conflicts_declare,
    consensus_save,
    evaluation_start,
    marks_save,
    part_criteria,
)
from partners.services_partnerships import contracts_enter
from procurements.models import CriterionKind

from .flow import Seeding, marks_of

T = TypeVar("T")


def _award_marks(criteria, planned: dict) -> dict:
    """Marks keyed by criterion from ``planned`` (criterion kind -> (score, or whether the
    price schedule is accepted, and the reason))."""
    return marks_of(
        criteria,
        planned,
        key=lambda criterion: criterion.kind,
        scored=lambda criterion: criterion.kind != CriterionKind.PRICE,
    )


def _tenders(seeding: Seeding, plans: dict[str, T]) -> list[tuple[Proposal, T]]:
    """Each tender of the evaluated round with what ``plans`` holds for it (keyed by the
    tenderer's admin)."""
    tenders = {p.request.organisation_id: p for p in evaluated_proposals(seeding.evaluation)}
    people = seeding.team.suppliers
    return [
        (tenders[people[email].supplier_membership.organisation_id], plan)
        for email, plan in plans.items()
    ]


@dataclass(frozen=True)
class Evaluated:
    """The latest round's final tenders evaluated: the lead officer starts the evaluation and
    names the panel; each member declares no conflict with any tenderer (PA 2023 ss.81-83)
    and completes their marks, with a reason for each, on every tender; then the lead officer
    moderates every criterion of every tender to a consensus with reasons. The panel: the
    evaluator on quality (every criterion but price), the lead officer on price. ``plans`` are
    keyed by the tenderer's admin: the evaluator's marks ("evaluator"), the price evaluator's
    ("price") and the consensus ("consensus"), each by criterion kind."""

    plans: dict[str, dict]

    def __call__(self, seeding: Seeding) -> None:
        team, procurement = seeding.team, seeding.procurement
        seeding.evaluation = evaluation_start(
            actor=team.officer,
            tender_round=seeding.tender_round,
            quality_evaluators=[team.evaluator],
            price_evaluators=[team.officer],
        )
        # Each panel seat, with the key of its marks in a tender's plan.
        seats = [
            (team.evaluator, EvaluationPart.QUALITY, "evaluator"),
            (team.officer, EvaluationPart.PRICE, "price"),
        ]
        tenders = _tenders(seeding, self.plans)
        for person, part, _ in seats:
            conflicts_declare(
                actor=person,
                evaluation=seeding.evaluation,
                part=part,
                declarations={proposal.pk: (False, "") for proposal, _ in tenders},
            )
        for person, part, key in seats:
            criteria = part_criteria(procurement, part)
            for proposal, plan in tenders:
                marks_save(
                    actor=person,
                    proposal=proposal,
                    part=part,
                    marks=_award_marks(criteria, plan[key]),
                    complete=True,
                )
        criteria = list(procurement.award_criteria.all())
        for proposal, plan in tenders:
            consensus_save(
                actor=team.officer,
                proposal=proposal,
                marks=_award_marks(criteria, plan["consensus"]),
            )
        procurement.refresh_from_db()


def summaries_rendered(decision: AwardDecision) -> None:
    """Render the decision's waiting assessment summaries with the render task's own service,
    as the worker does once the approval commits. The demo procurement is made in one
    transaction, and the notice cannot be published until every summary is ready; the task
    the commit then runs finds them ready and leaves them as they are."""
    for document in summaries(decision.entries.values_list("pk", flat=True)).values():
        if document.status == DocumentStatus.PENDING:
            document_render(document_id=document.pk)


@dataclass(frozen=True)
class AwardPublished:
    """The award of the evaluated final tenders: the lead officer proposes the best-ranked
    tenderers, up to the maximum number of partners announced, with the ``reason`` and a
    reason per tenderer (``reasons``, keyed by its admin); the approver approves it with
    ``approval``; the assessment summaries are rendered; the lead officer sends them and
    publishes the contract award notice (UK6), which starts standstill."""

    reason: str
    reasons: dict[str, str]
    approval: str

    def __call__(self, seeding: Seeding) -> None:
        team, procurement = seeding.team, seeding.procurement
        ranked = evaluation_ranking(seeding.evaluation).ranked
        awarded = [row.tender.key for row in ranked[: procurement.max_partners or len(ranked)]]
        tenders = _tenders(seeding, self.reasons)
        decision = award_propose(
            actor=team.officer,
            evaluation=seeding.evaluation,
            awarded=awarded,
            reason=self.reason,
            reasons={proposal.pk: reason for proposal, reason in tenders},
        )
        decision = award_decide(
            actor=team.approver, decision=decision, approve=True, reason=self.approval
        )
        summaries_rendered(decision)
        decision = award_summaries_send(actor=team.officer, decision=decision)
        seeding.decision = award_notice_publish(actor=team.officer, decision=decision)
        procurement.refresh_from_db()


def standstill_over(seeding: Seeding) -> None:
    """The standstill period's last day moved to yesterday (London time), so the lead officer
    can enter the contracts today: the only change not made through a service (the demo
    cannot wait eight working days). The contract award notice keeps the last day it
    announced."""
    yesterday = london_date(timezone.now()) - timedelta(days=1)
    AwardDecision.objects.filter(pk=seeding.decision.pk).update(standstill_last_day=yesterday)
    seeding.decision.refresh_from_db()


def contracts_entered_today(seeding: Seeding) -> None:
    """The lead officer enters the partnership contracts, signed today, after standstill (PA
    2023 s.51): one partnership per awarded tender at its final tender's prices, the
    procurement active and the contract details notice (UK7) published. Entering them starts
    each partner's run through the announced phases (RULES.md point 8): the first phase in
    progress from today, the later ones not started, every instalment scheduled."""
    contracts_enter(
        actor=seeding.team.officer,
        decision=seeding.decision,
        signed_on=london_date(timezone.now()),
    )
    seeding.decision.refresh_from_db()
    seeding.procurement.refresh_from_db()
