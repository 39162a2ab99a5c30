"""Reading the reductions between rounds: the evaluations of earlier rounds made to reduce
the tenderers, their decisions and entries, the letters to the tenderers that do not
continue, and who continues after a round. Each reads in a fixed number of queries whatever
the number of tenders; callers check who may see what (``partners.permissions_reduction``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from core.models import GeneratedDocument
from core.selectors.documents import latest_documents_of
from procurements.models import Procurement

from .documents_reduction import LETTER_KIND
from .models import (
    Evaluation,
    EvaluationPurpose,
    Proposal,
    Reduction,
    ReductionEntry,
    TenderRound,
)


def _entries() -> Prefetch:
    return Prefetch(
        "reduction__entries",
        queryset=ReductionEntry.objects.select_related("proposal__request__organisation").order_by(
            "rank", "proposal__request__organisation__name", "pk"
        ),
    )


def reduction_evaluations(procurement: Procurement) -> list[Evaluation]:
    """The evaluations made to reduce the tenderers, by round, each with its round, its
    reduction (if decided: with the lead officer and the entries). Three queries."""
    evaluations = list(
        Evaluation.objects.filter(procurement=procurement, purpose=EvaluationPurpose.REDUCTION)
        .select_related("round", "reduction__decided_by")
        .prefetch_related(_entries())
        .order_by("round__number")
    )
    for evaluation in evaluations:
        evaluation.procurement = procurement
        evaluation.round.procurement = procurement
    return evaluations


def reduction_evaluation_get(procurement: Procurement, pk: int) -> Evaluation | None:
    """The procurement's evaluation ``pk`` made to reduce the tenderers, or None."""
    evaluation = (
        Evaluation.objects.filter(
            procurement=procurement, purpose=EvaluationPurpose.REDUCTION, pk=pk
        )
        .select_related("round", "reduction__decided_by")
        .prefetch_related(_entries())
        .first()
    )
    if evaluation is not None:
        evaluation.procurement = procurement
        evaluation.round.procurement = procurement
    return evaluation


def decided_reduction(evaluation: Evaluation) -> Reduction | None:
    """The evaluation's reduction, if decided (from what was already read when there)."""
    try:
        return evaluation.reduction
    except Reduction.DoesNotExist:
        return None


def reduction_letters(entry_ids: Iterable[int]) -> dict[int, GeneratedDocument]:
    """Reduction entry id -> its latest letter, in one query."""
    return latest_documents_of(kind=LETTER_KIND, model=ReductionEntry, ids=entry_ids)


def continuing_request_ids(tender_round: TenderRound) -> set[int] | None:
    """The requests whose tender in ``tender_round`` continues after the reduction decided on
    that round (RULES.md point 7), or None when its tenderers were not reduced. One query."""
    rows = list(
        ReductionEntry.objects.filter(reduction__evaluation__round=tender_round).values_list(
            "proposal__request_id", "continues"
        )
    )
    if not rows:
        return None
    return {request_id for request_id, continues in rows if continues}


def undecided_reduction(tender_round: TenderRound) -> Evaluation | None:
    """The evaluation of ``tender_round`` started to reduce its tenderers whose reduction is
    not decided yet, or None."""
    return Evaluation.objects.filter(
        round=tender_round, purpose=EvaluationPurpose.REDUCTION, reduction__isnull=True
    ).first()


def own_reduction_letter(proposal: Proposal) -> tuple[ReductionEntry, GeneratedDocument] | None:
    """The tender's entry in a reduction it did not continue after, with its letter, for its
    own organisation's proposal page; None if it was not reduced out. Two queries at most."""
    entry = (
        ReductionEntry.objects.filter(proposal=proposal, continues=False)
        .select_related("reduction__evaluation__round")
        .first()
    )
    if entry is None:
        return None
    letter = reduction_letters([entry.pk]).get(entry.pk)
    return (entry, letter) if letter is not None else None


def reduced_out_requests(tender_round: TenderRound) -> QuerySet:
    """The ids of the requests whose tender in ``tender_round`` does not continue after the
    reduction decided on that round (empty when it was not reduced): a subquery."""
    return ReductionEntry.objects.filter(
        reduction__evaluation__round=tender_round, continues=False
    ).values("proposal__request_id")
