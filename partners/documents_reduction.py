"""The letter to a tenderer that does not continue after the tenderers are reduced between
rounds, as a generated document (RULES.md point 7; PCR 2015 reg. 31 with reg. 55 and 84:
every tenderer told the outcome and why, the decision recorded with its reasons).

It gives, criterion by criterion, the tender's moderated mark and reason against the
published award criteria, its points, total and rank, and the lead officer's reasons. It
never carries another tenderer's answers or marks. Registered from ``PartnersConfig.ready()``;
the context is frozen when the reduction is decided, so the letter reads the same whatever
changes later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.calendar import london_date
from core.documents import DocumentKind, register_document_kind
from procurements.models import AwardCriterion
from procurements.sections import uk_date_text

# The same words for a mark as the assessment summary uses.
from .documents_award import mark_text
from .models import ReductionEntry, TenderConsensus
from .permissions_reduction import can_read_reduction_letter, can_request_reduction_letter
from .scoring import scale_maximum

if TYPE_CHECKING:
    from core.models import User

LETTER_KIND = "reduction_letter"


def _entry(pk: int) -> ReductionEntry:
    return ReductionEntry.objects.select_related(
        "reduction__evaluation__procurement__borough",
        "reduction__evaluation__round",
        "proposal__request__organisation",
    ).get(pk=pk)


def reduction_letter_title(entry: ReductionEntry) -> str:
    evaluation = entry.reduction.evaluation
    procurement = evaluation.procurement
    name = entry.proposal.request.organisation.name
    return (
        f"Outcome of round {evaluation.round.number}: {procurement.reference} "
        f"{procurement.title} – {name}"
    )


def _rows(entry: ReductionEntry, maximum: int) -> list[dict[str, Any]]:
    procurement_id = entry.reduction.evaluation.procurement_id
    criteria = list(AwardCriterion.objects.filter(procurement_id=procurement_id))
    marks = {
        mark.criterion_id: mark for mark in TenderConsensus.objects.filter(proposal=entry.proposal)
    }
    return [
        {
            "number": number,
            "criterion": criterion.name,
            "weight": criterion.weight,
            "mark": mark_text(criterion, marks.get(criterion.pk), maximum),
            "reason": marks[criterion.pk].reason if criterion.pk in marks else "",
        }
        for number, criterion in enumerate(criteria, start=1)
    ]


def reduction_letter_context(
    *, target: ReductionEntry, actor: User, extra: dict | None = None
) -> dict[str, Any]:
    """``extra`` carries what the reduction knew of the ranking: ``compliant``,
    ``quality_points``, ``price_points``, ``ranked`` and ``continuing``."""
    entry = _entry(target.pk)
    reduction = entry.reduction
    evaluation = reduction.evaluation
    procurement = evaluation.procurement
    request = entry.proposal.request
    return {
        "borough": procurement.borough.name,
        "reference": procurement.reference,
        "procurement_title": procurement.title,
        "organisation": request.organisation.name,
        "consortium_members": list(
            request.members.order_by("organisation__name", "pk").values_list(
                "organisation__name", flat=True
            )
        )
        if request.is_consortium
        else [],
        "round": evaluation.round.number,
        "next_round": evaluation.round.number + 1,
        "scale": procurement.get_scoring_scale_display(),
        "formula": procurement.get_price_formula_display(),
        "rows": _rows(entry, scale_maximum(procurement.scoring_scale)),
        "rank": entry.rank,
        "total": str(entry.total),
        "reasons": entry.reasons,
        "decision_reason": reduction.reason,
        "tenders": reduction.entries.count(),
        "decision_date": uk_date_text(london_date(reduction.decided_at)),
        "compliant": True,
        "quality_points": "",
        "price_points": "",
        "ranked": 0,
        "continuing": 0,
        **(extra or {}),
    }


REDUCTION_LETTER = register_document_kind(
    DocumentKind(
        name=LETTER_KIND,
        template="partners/documents/reduction_letter.html",
        title=reduction_letter_title,
        build_context=reduction_letter_context,
        may_request=can_request_reduction_letter,
        may_read=can_read_reduction_letter,
        description="The letter that tells a tenderer it does not continue to the next round "
        "of negotiation, with its marks and reasons against the award criteria, its score and "
        "rank.",
    )
)
