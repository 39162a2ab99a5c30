"""The selection letters as generated documents: one per entry of a confirmed shortlist, an
invitation to tender for a shortlisted request, otherwise a regret letter with the reasons
(PCR 2015 reg. 55 and 84; PA 2023 s.50: every supplier told the outcome and why).

Registered from ``PartnersConfig.ready()``. The context freezes the marks, the reasons and
the decision when the approver confirms the shortlist, so the letter reads the same whatever
changes later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from core.calendar import london_date
from core.documents import DocumentKind, register_document_kind
from core.models import OfficerRole
from core.permissions import has_role
from procurements.sections import uk_date_text

from .models import ConsensusScore, Outcome, ShortlistEntry, ShortlistStatus
from .permissions import is_request_person
from .permissions_selection import can_see_selection_dashboard
from .scoring import scale_maximum
from .submission import published_questions

if TYPE_CHECKING:
    from core.models import GeneratedDocument, User

LETTER_KIND = "selection_letter"


def _organisation_name(entry: ShortlistEntry) -> str:
    return entry.request.organisation.name


def selection_letter_title(entry: ShortlistEntry) -> str:
    procurement = entry.shortlist.procurement
    subject = f"{procurement.reference} {procurement.title} – {_organisation_name(entry)}"
    if entry.outcome == Outcome.SHORTLISTED:
        return f"Invitation to tender: {subject}"
    return f"Outcome of your request to participate: {subject}"


def _mark_text(question, score: ConsensusScore | None, maximum: int) -> str:
    if score is None:
        return "Not marked"
    if question.is_scored:
        return f"{score.score} out of {maximum}" if score.score is not None else "Not marked"
    if score.passed is None:
        return "Not marked"
    return "Pass" if score.passed else "Fail"


def _marks(entry: ShortlistEntry) -> list[dict[str, Any]]:
    procurement = entry.shortlist.procurement
    maximum = scale_maximum(procurement.scoring_scale)
    scores = {score.question_id: score for score in entry.request.consensus_scores.all()}
    rows = []
    for number, question in enumerate(published_questions(procurement), start=1):
        score = scores.get(question.pk)
        rows.append(
            {
                "number": number,
                "question": question.text,
                "scored": question.is_scored,
                "weight": question.weight if question.is_scored else None,
                "mark": _mark_text(question, score, maximum),
                "reason": score.reason if score is not None else "",
            }
        )
    return rows


def selection_letter_context(
    *, target: ShortlistEntry, actor: User, extra: dict | None = None
) -> dict[str, Any]:
    entry = ShortlistEntry.objects.select_related(
        "shortlist__procurement__borough", "request__organisation"
    ).get(pk=target.pk)
    shortlist = entry.shortlist
    procurement = shortlist.procurement
    request = entry.request
    members = (
        list(
            request.members.select_related("organisation")
            .order_by("organisation__name", "pk")
            .values_list("organisation__name", flat=True)
        )
        if request.is_consortium
        else []
    )
    invited = entry.outcome == Outcome.SHORTLISTED
    decided_at = shortlist.decided_at or timezone.now()
    return {
        "borough": procurement.borough.name,
        "reference": procurement.reference,
        "procurement_title": procurement.title,
        "organisation": request.organisation.name,
        "consortium_members": members,
        "outcome": entry.outcome,
        "outcome_text": entry.get_outcome_display(),
        "invited": invited,
        "rank": entry.rank,
        "qualifying": shortlist.entries.filter(rank__isnull=False).count(),
        "invited_count": shortlist.entries.filter(outcome=Outcome.SHORTLISTED).count(),
        "total": str(entry.total) if entry.total is not None else "",
        "scale": procurement.scoring_scale,
        "marks": _marks(entry),
        "reasons": entry.reasons,
        "decision_date": uk_date_text(london_date(decided_at)),
        "tender_date": uk_date_text(procurement.indicative_tender_date)
        if invited and procurement.indicative_tender_date
        else "",
        **(extra or {}),
    }


def can_request_selection_letter(user: User, entry: ShortlistEntry) -> bool:
    """The borough's approvers and procurement officers, once the shortlist is confirmed."""
    shortlist = entry.shortlist
    if shortlist.status != ShortlistStatus.CONFIRMED:
        return False
    borough = shortlist.procurement.borough
    return has_role(user, borough, OfficerRole.APPROVER) or has_role(
        user, borough, OfficerRole.OFFICER
    )


def can_read_selection_letter(user: User, document: GeneratedDocument) -> bool:
    """The people of the lead organisation and of every consortium member organisation, and
    the borough's officers, approvers and administrators."""
    entry = document.target
    if entry is None:
        return False
    request = entry.request
    return is_request_person(user, request) or can_see_selection_dashboard(
        user, request.procurement
    )


SELECTION_LETTER = register_document_kind(
    DocumentKind(
        name=LETTER_KIND,
        template="partners/documents/selection_letter.html",
        title=selection_letter_title,
        build_context=selection_letter_context,
        may_request=can_request_selection_letter,
        may_read=can_read_selection_letter,
        description="The letter that tells a supplier the outcome of its request to "
        "participate: an invitation to tender or a regret letter, with the marks and reasons.",
    )
)
