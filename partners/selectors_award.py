"""Reading the award: the evaluation it rests on, its decisions (the live one and those
returned or reversed, which stay on record), the assessment summaries and a tenderer's own
outcome. Each reads in a fixed number of queries whatever the number of tenders; callers
check who may see what (``partners.permissions_award``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from core.models import DocumentStatus, GeneratedDocument
from core.selectors.documents import latest_documents_of
from procurements.models import Notice, NoticeKind, Procurement

from .documents_award import SUMMARY_KIND
from .models import (
    LIVE_AWARD,
    AwardDecision,
    AwardEntry,
    Evaluation,
    EvaluationPurpose,
    Proposal,
    StandstillSuspension,
)


def award_evaluation(procurement: Procurement) -> Evaluation | None:
    """The evaluation of the final tenders (the latest round evaluated for the award)."""
    evaluation = (
        Evaluation.objects.filter(procurement=procurement, purpose=EvaluationPurpose.AWARD)
        .select_related("round")
        .order_by("-round__number")
        .first()
    )
    if evaluation is not None:
        evaluation.procurement = procurement
    return evaluation


def _entries() -> Prefetch:
    return Prefetch(
        "entries",
        queryset=AwardEntry.objects.select_related("proposal__request__organisation").order_by(
            "rank", "proposal__request__organisation__name", "pk"
        ),
    )


def _suspensions() -> Prefetch:
    return Prefetch(
        "suspensions",
        queryset=StandstillSuspension.objects.select_related("suspended_by", "resumed_by"),
    )


def award_decisions(procurement: Procurement) -> list[AwardDecision]:
    """Every award decision of the procurement, latest first, with its entries, people and
    suspensions."""
    decisions = list(
        AwardDecision.objects.filter(procurement=procurement)
        .select_related("proposed_by", "decided_by", "reversed_by", "evaluation")
        .prefetch_related(_entries(), _suspensions())
        .order_by("-proposed_at", "-pk")
    )
    for decision in decisions:
        decision.procurement = procurement
    return decisions


def live_decision(decisions: Iterable[AwardDecision]) -> AwardDecision | None:
    return next((d for d in decisions if d.status in LIVE_AWARD), None)


def open_suspension(decision: AwardDecision) -> StandstillSuspension | None:
    """The suspension not yet resumed (uses the prefetched suspensions when there)."""
    return next((s for s in decision.suspensions.all() if s.resumed_at is None), None)


def summaries(entry_ids: Iterable[int]) -> dict[int, GeneratedDocument]:
    """Award entry id -> its latest assessment summary, in one query."""
    return latest_documents_of(kind=SUMMARY_KIND, model=AwardEntry, ids=entry_ids)


def summaries_ready(entries: list[AwardEntry], found: dict[int, GeneratedDocument]) -> int:
    return sum(
        1
        for entry in entries
        if entry.pk in found and found[entry.pk].status == DocumentStatus.READY
    )


def award_notice(decision: AwardDecision) -> Notice | None:
    """The contract award notice published for this decision (PA 2023 only)."""
    if decision.notice_published_at is None:
        return None
    return (
        Notice.objects.filter(
            procurement_id=decision.procurement_id,
            kind=NoticeKind.UK6,
            published_at__gte=decision.proposed_at,
            published_at__lte=decision.notice_published_at,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


def published_entry(proposal: Proposal) -> AwardEntry | None:
    """The tender's entry in the latest decision whose assessment summaries were sent (also
    when that decision was later reversed: the tenderer was told it)."""
    return (
        AwardEntry.objects.filter(proposal=proposal, decision__summaries_sent_at__isnull=False)
        .select_related("decision")
        .order_by("-decision__summaries_sent_at", "-pk")
        .first()
    )
