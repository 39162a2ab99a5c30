"""Who may do what in selection, on the borough's side.

Evaluators named on the procurement assess the requests received, once they have declared
their conflicts of interest, and never a request they declared a conflict with. The lead
officer moderates, records self-cleaning evidence and proposes the shortlist; an approver who
did not propose it confirms or returns it (four eyes). The borough's officers, approvers and
administrators see the dashboard. All of it only while the procurement is in selection (the
dashboard stays readable after).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role, officer_roles
from procurements.models import ProcurementStatus
from procurements.permissions import BOROUGH_WIDE_ROLES, is_lead_officer

from .models import EvaluatorReview, ShortlistStatus

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import ParticipationRequest, Shortlist


def in_selection(procurement: Procurement) -> bool:
    return procurement.status == ProcurementStatus.SELECTION


def is_named_evaluator(user: User, procurement: Procurement) -> bool:
    """Holds the evaluator role in the borough and is named on the procurement."""
    return (
        user.pk is not None
        and has_role(user, procurement.borough, OfficerRole.EVALUATOR)
        and procurement.evaluators.filter(pk=user.pk).exists()
    )


def can_assess(user: User, procurement: Procurement) -> bool:
    """Declare conflicts and score requests: a named evaluator, while in selection."""
    return in_selection(procurement) and is_named_evaluator(user, procurement)


def review_of(user: User, request: ParticipationRequest) -> EvaluatorReview | None:
    if user.pk is None:
        return None
    return EvaluatorReview.objects.filter(request=request, evaluator=user).first()


def can_see_request_as_evaluator(user: User, request: ParticipationRequest) -> bool:
    """A named evaluator who has declared no conflict with this request."""
    if not is_named_evaluator(user, request.procurement):
        return False
    review = review_of(user, request)
    return review is not None and not review.has_conflict


def can_score_request(user: User, request: ParticipationRequest) -> bool:
    """As above, in selection, until they have completed their scores for it."""
    if not in_selection(request.procurement) or not can_see_request_as_evaluator(user, request):
        return False
    return review_of(user, request).completed_at is None


def can_see_selection_dashboard(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return bool(officer_roles(user, procurement.borough) & BOROUGH_WIDE_ROLES)


def _no_live_shortlist(procurement: Procurement, live: bool | None) -> bool:
    """No shortlist waits or is confirmed; ``live`` is that already known (a page that has
    read the shortlist), else it is asked."""
    if live is None:
        live = procurement.shortlists.filter(
            status__in=[ShortlistStatus.PROPOSED, ShortlistStatus.CONFIRMED]
        ).exists()
    return not live


def can_decide_exclusions(
    user: User, procurement: Procurement, *, live: bool | None = None
) -> bool:
    """Record self-cleaning evidence or exclude on a discretionary ground: the borough's
    procurement officers, while in selection and before a shortlist is proposed (``live``:
    see ``_no_live_shortlist``)."""
    return (
        in_selection(procurement)
        and has_role(user, procurement.borough, OfficerRole.OFFICER)
        and _no_live_shortlist(procurement, live)
    )


def can_moderate(user: User, procurement: Procurement, *, live: bool | None = None) -> bool:
    """The lead officer, while in selection and no shortlist is waiting or confirmed."""
    return (
        in_selection(procurement)
        and is_lead_officer(user, procurement)
        and _no_live_shortlist(procurement, live)
    )


def can_decide_shortlist(user: User, shortlist: Shortlist) -> bool:
    """An approver of the borough who did not propose it and is not the lead officer (the
    named approver if one is named), while it waits and the procurement is in selection."""
    procurement = shortlist.procurement
    if shortlist.status != ShortlistStatus.PROPOSED or not in_selection(procurement):
        return False
    if user.pk is None or user.pk in {shortlist.proposed_by_id, procurement.lead_officer_id}:
        return False
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    return has_role(user, procurement.borough, OfficerRole.APPROVER)
