"""Reads about market engagement, interest and clarification questions, scoped to the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from core.selectors.accounts import supplier_membership_get

from .models import (
    ClarificationQuestion,
    EngagementEvent,
    MarketEngagement,
    Notice,
    NoticeKind,
    QuestionStatus,
)
from .permissions_market import can_view_questions

if TYPE_CHECKING:
    from core.models import User

    from .models import Procurement


def engagement_get(*, procurement: Procurement) -> MarketEngagement | None:
    """The procurement's market engagement with its publisher, or None."""
    return (
        MarketEngagement.objects.filter(procurement=procurement)
        .select_related("published_by")
        .first()
    )


def engagement_event_list(*, engagement: MarketEngagement | None) -> QuerySet[EngagementEvent]:
    if engagement is None:
        return EngagementEvent.objects.none()
    return EngagementEvent.objects.filter(engagement=engagement).order_by("starts_at", "pk")


def engagement_notice_get(*, procurement: Procurement) -> Notice | None:
    """The UK2 preliminary market engagement notice published for ``procurement``, if any."""
    return (
        Notice.objects.filter(procurement=procurement, kind=NoticeKind.UK2)
        .order_by("-published_at", "-pk")
        .first()
    )


def question_list_for_officer(
    *, user: User, procurement: Procurement
) -> QuerySet[ClarificationQuestion]:
    """Every question of the procurement, open ones first, then oldest first; only for the
    people who see the procurement in the builder."""
    if not can_view_questions(user, procurement):
        return ClarificationQuestion.objects.none()
    return (
        ClarificationQuestion.objects.filter(procurement=procurement)
        .select_related("organisation", "asked_by", "answered_by")
        .annotate(
            waiting=Case(
                When(status=QuestionStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "asked_at", "pk")
    )


def question_counts(*, procurement: Procurement) -> dict[str, int]:
    """How many questions are in each status, every status present (0 if none), and "total"."""
    counts = dict.fromkeys(QuestionStatus.values, 0)
    rows = (
        ClarificationQuestion.objects.filter(procurement=procurement)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        counts[row["status"]] = row["count"]
    counts["total"] = sum(counts[status] for status in QuestionStatus.values)
    return counts


def question_get_for_officer(
    *, user: User, procurement: Procurement, pk: int
) -> ClarificationQuestion | None:
    return question_list_for_officer(user=user, procurement=procurement).filter(pk=pk).first()


def question_list_for_supplier(
    *, user: User, procurement: Procurement
) -> QuerySet[ClarificationQuestion]:
    """The questions ``user``'s organisation asked about ``procurement``, with every answer it
    was given (private answers included); nobody else's."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return ClarificationQuestion.objects.none()
    return (
        ClarificationQuestion.objects.filter(
            procurement=procurement, organisation_id=membership.organisation_id
        )
        .select_related("asked_by")
        .order_by("-asked_at", "-pk")
    )


def question_get_for_supplier(
    *, user: User, procurement: Procurement, pk: int
) -> ClarificationQuestion | None:
    return question_list_for_supplier(user=user, procurement=procurement).filter(pk=pk).first()


def question_list_public(*, procurement: Procurement) -> list[dict]:
    """The answers published to everyone, oldest first, as the public may read them: the
    question as the borough published it and the answer, never who asked."""
    return list(
        ClarificationQuestion.objects.filter(
            procurement=procurement, status=QuestionStatus.PUBLISHED
        )
        .order_by("answered_at", "pk")
        .values("pk", "public_text", "answer", "answered_at")
    )
