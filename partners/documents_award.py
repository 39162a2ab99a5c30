"""The assessment summary as a generated document: one per tenderer assessed in an approved
award (PA 2023 s.50; under PCR 2015 reg. 86 it is the standstill letter).

The law asks for the tenderer's own assessment against the award criteria and, for the most
advantageous tender, its assessment against the same criteria: the summary gives, criterion
by criterion, the tenderer's consensus mark and reason beside those of the tender ranked first,
the price points, the totals and the ranks, and whether it is awarded. It never carries any
tenderer's answers, and of another tenderer only the marks, reasons and figures of the most
advantageous tender, as the law requires.

Registered from ``PartnersConfig.ready()``. The context is frozen when the approver approves
the award, so the summary reads the same whatever changes later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from core.calendar import london_date
from core.documents import DocumentKind, register_document_kind
from procurements.models import AwardCriterion, CriterionKind
from procurements.rules import REGIMES
from procurements.sections import pounds_text, uk_date_text

from .models import AwardEntry, TenderConsensus
from .permissions_award import can_read_summary, can_request_summary
from .scoring import scale_maximum

if TYPE_CHECKING:
    from core.models import User

SUMMARY_KIND = "assessment_summary"


def _entry(pk: int) -> AwardEntry:
    return AwardEntry.objects.select_related(
        "decision__procurement__borough", "proposal__request__organisation"
    ).get(pk=pk)


def assessment_summary_title(entry: AwardEntry) -> str:
    procurement = entry.decision.procurement
    name = entry.proposal.request.organisation.name
    return f"Assessment summary: {procurement.reference} {procurement.title} – {name}"


def most_advantageous(entries: list[AwardEntry], entry: AwardEntry) -> AwardEntry | None:
    """The most advantageous tender: the best-ranked tender awarded a partnership (the
    tenderer's own when it is awarded at that rank); the tender ranked first if none is."""
    awarded = sorted(
        (other for other in entries if other.awarded and other.rank is not None),
        key=lambda other: other.rank,
    )
    if not awarded:
        return entry if entry.rank == 1 else next((o for o in entries if o.rank == 1), None)
    best = awarded[0]
    if entry.awarded and entry.rank == best.rank:
        return entry
    return best


def mark_text(criterion: AwardCriterion, mark: TenderConsensus | None, maximum: int) -> str:
    if mark is None:
        return "Not marked"
    if criterion.kind == CriterionKind.PRICE:
        verdict = "accepted" if mark.price_accepted else "not accepted: not compliant"
        return f"{pounds_text(mark.price) or 'No price'}, {verdict}"
    return f"{mark.score} out of {maximum}" if mark.score is not None else "Not marked"


def _rows(
    criteria: list[AwardCriterion],
    marks: dict[tuple[int, int], TenderConsensus],
    own: AwardEntry,
    best: AwardEntry | None,
    maximum: int,
) -> list[dict[str, Any]]:
    rows = []
    for number, criterion in enumerate(criteria, start=1):
        mine = marks.get((own.proposal_id, criterion.pk))
        theirs = marks.get((best.proposal_id, criterion.pk)) if best is not None else None
        rows.append(
            {
                "number": number,
                "criterion": criterion.name,
                "weight": criterion.weight,
                "price": criterion.kind == CriterionKind.PRICE,
                "own_mark": mark_text(criterion, mine, maximum),
                "own_reason": mine.reason if mine is not None else "",
                "best_mark": mark_text(criterion, theirs, maximum) if best else "",
                "best_reason": theirs.reason if theirs is not None else "",
            }
        )
    return rows


def _text(value) -> str:
    return "" if value is None else str(value)


def _figures(entry: AwardEntry | None) -> dict[str, str]:
    if entry is None:
        return {}
    return {
        "name": entry.proposal.request.organisation.name,
        "quality_points": _text(entry.quality_points),
        "price_points": _text(entry.price_points),
        "total": _text(entry.total),
        "rank": entry.rank or "",
        "price": pounds_text(entry.price),
        "compliant": entry.compliant,
        "awarded": entry.awarded,
    }


def assessment_summary_context(
    *, target: AwardEntry, actor: User, extra: dict | None = None
) -> dict[str, Any]:
    entry = _entry(target.pk)
    decision = entry.decision
    procurement = decision.procurement
    entries = list(
        decision.entries.select_related("proposal__request__organisation").order_by(
            "rank", "proposal__request__organisation__name", "pk"
        )
    )
    best = most_advantageous(entries, entry)
    criteria = list(AwardCriterion.objects.filter(procurement_id=procurement.pk))
    proposals = {entry.proposal_id} | ({best.proposal_id} if best else set())
    marks = {
        (mark.proposal_id, mark.criterion_id): mark
        for mark in TenderConsensus.objects.filter(proposal_id__in=proposals)
    }
    rules = REGIMES.get(procurement.regime)
    request = entry.proposal.request
    return {
        "borough": procurement.borough.name,
        "reference": procurement.reference,
        "procurement_title": procurement.title,
        "regime": procurement.regime,
        "organisation": request.organisation.name,
        "consortium_members": list(
            request.members.order_by("organisation__name", "pk").values_list(
                "organisation__name", flat=True
            )
        )
        if request.is_consortium
        else [],
        "scale": procurement.get_scoring_scale_display(),
        "formula": procurement.get_price_formula_display(),
        "rows": _rows(criteria, marks, entry, best, scale_maximum(procurement.scoring_scale)),
        "own": _figures(entry),
        "best": _figures(best) if best is not None and best.pk != entry.pk else {},
        "is_best": best is not None and best.pk == entry.pk,
        "tenders": len(entries),
        "ranked": sum(1 for other in entries if other.rank is not None),
        "awarded_names": [
            other.proposal.request.organisation.name for other in entries if other.awarded
        ],
        "reasons": entry.reasons,
        "decision_date": uk_date_text(london_date(decision.decided_at or timezone.now())),
        "standstill": rules.standstill_source if rules is not None else "",
        **(extra or {}),
    }


ASSESSMENT_SUMMARY = register_document_kind(
    DocumentKind(
        name=SUMMARY_KIND,
        template="partners/documents/assessment_summary.html",
        title=assessment_summary_title,
        build_context=assessment_summary_context,
        may_request=can_request_summary,
        may_read=can_read_summary,
        description="The assessment summary of a tender (PA 2023 s.50): its marks and reasons "
        "against those of the most advantageous tender, its score and rank, and the outcome.",
    )
)
