"""Who may do what in market engagement, following an opportunity and clarification questions.

Views, services, templates and tests ask these named predicates. Each takes the
user first and never raises: an anonymous user simply may not.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.utils import timezone

from core.models import OfficerRole
from core.permissions import has_role, is_supplier

from .models import UNPUBLISHED, MarketEngagement, ProcurementStatus, QuestionStatus
from .permissions import can_view_procurement

if TYPE_CHECKING:
    from core.models import User

    from .models import ClarificationQuestion, Procurement


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def engagement_of(procurement: Procurement) -> MarketEngagement | None:
    """The procurement's market engagement, or None (without raising)."""
    try:
        return procurement.market_engagement
    except MarketEngagement.DoesNotExist:
        return None


def engagement_is_published(procurement: Procurement) -> bool:
    engagement = engagement_of(procurement)
    return engagement is not None and engagement.is_published


# --- officers ------------------------------------------------------------------------------


def can_manage_engagement(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while the call is not yet published.

    PA 2023 s.16: preliminary market engagement happens before the tender notice.
    """
    return procurement.status in UNPUBLISHED and has_role(
        user, procurement.borough, OfficerRole.OFFICER
    )


def can_view_questions(user: User, procurement: Procurement) -> bool:
    """The builder's people see every question, with who asked it."""
    return can_view_procurement(user, procurement)


def can_answer_questions(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while the procurement has not been cancelled."""
    return procurement.status != ProcurementStatus.CANCELLED and has_role(
        user, procurement.borough, OfficerRole.OFFICER
    )


def can_answer_question(user: User, question: ClarificationQuestion) -> bool:
    """The same people, while the question waits for an answer."""
    return question.status == QuestionStatus.OPEN and can_answer_questions(
        user, question.procurement
    )


# --- suppliers -------------------------------------------------------------------------------


def has_verified_email(user: User) -> bool:
    """The account's own address has been confirmed (allauth)."""
    if not _authenticated(user):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def is_verified_supplier(user: User) -> bool:
    """A member of a supplier organisation whose e-mail address is confirmed: they may act."""
    return is_supplier(user) and has_verified_email(user)


def is_public_opportunity(procurement: Procurement) -> bool:
    """Anything the public may know of: a call that was published (whatever came after), or a
    published market engagement. A draft never engaged on does not exist publicly."""
    if engagement_is_published(procurement):
        return True
    if procurement.status in UNPUBLISHED:
        return False
    return procurement.status != ProcurementStatus.CANCELLED or procurement.published_at is not None


def is_open_to_interest(procurement: Procurement, *, now: datetime | None = None) -> bool:
    """Suppliers may follow it: its engagement is published and the call not yet, or the call
    is published and ``now`` (the server clock) is before its participation deadline. Not once
    cancelled or past the call."""
    if procurement.status in UNPUBLISHED:
        return engagement_is_published(procurement)
    deadline = procurement.participation_deadline
    return procurement.status == ProcurementStatus.PUBLISHED and (
        deadline is None or (now or timezone.now()) < deadline
    )


def can_follow_procurement(
    user: User, procurement: Procurement, *, now: datetime | None = None
) -> bool:
    return is_open_to_interest(procurement, now=now) and is_verified_supplier(user)


def questions_open(procurement: Procurement, *, now: datetime) -> bool:
    """The call is published and ``now`` (the server clock) is before the question deadline."""
    deadline = procurement.question_deadline
    return (
        procurement.status == ProcurementStatus.PUBLISHED
        and deadline is not None
        and now < deadline
    )


def can_ask_question(user: User, procurement: Procurement, *, now: datetime) -> bool:
    return questions_open(procurement, now=now) and is_verified_supplier(user)
