"""Permission-matrix entries: market engagement, following an opportunity, questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_engagement(personas):
    """A draft of borough A, led by officer A, with an unpublished engagement and one event."""
    from procurements.models import EngagementEvent, MarketEngagement
    from tests.factories import ProcurementFactory

    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    engagement = MarketEngagement.objects.create(
        procurement=procurement, title="Falls at home: what can you offer?", summary="Tell us."
    )
    EngagementEvent.objects.create(
        engagement=engagement,
        title="Supplier briefing",
        starts_at=timezone.now() + timedelta(days=14),
        place="Town Hall",
    )
    return engagement


def sample_question(personas):
    """An open question from supplier A's admin on a published call of borough A, whose
    question deadline is ten days away."""
    from procurements.models import ClarificationQuestion
    from tests.factories import ProcurementFactory

    now = timezone.now()
    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status="published",
        published_at=now,
        question_deadline=now + timedelta(days=10),
        participation_deadline=now + timedelta(days=40),
    )
    return ClarificationQuestion.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        asked_by=personas.supplier_a_admin,
        text="Can the solution use the residents' own broadband?",
    )


def _engagement_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    engagement = sample_engagement(personas)
    values: dict[str, Any] = {"pk": engagement.procurement_id}
    if "<int:event_pk>" in info.route:
        values["event_pk"] = engagement.events.get().pk
    return values


def _question_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    question = sample_question(personas)
    values: dict[str, Any] = {"pk": question.procurement_id}
    if "<int:question_pk>" in info.route:
        values["question_pk"] = question.pk
    return values


# The builder's people of borough A see the engagement and the questions; nobody else may
# know the procurement exists there.
BOROUGH_PAGE = outcomes(
    404,
    officer_a=200,
    approver_a=200,
    evaluator_a=404,  # not named on it: evaluators are invited per procurement
    borough_admin_a=200,
    anonymous=LOGIN,
)
# Only the borough's procurement officers change the engagement or answer a question.
OFFICERS_ONLY_PAGE = outcomes(
    404,
    officer_a=200,
    approver_a=403,
    evaluator_a=404,
    borough_admin_a=403,
    anonymous=LOGIN,
)
POST_ONLY = outcomes(405, anonymous=LOGIN)
# Pages of a published opportunity for verified supplier members; officers may not.
SUPPLIER_PAGE = outcomes(403, suppliers=200, anonymous=LOGIN)

ENTRIES = [
    Entry("procurements:engagement", BOROUGH_PAGE, kwargs=_engagement_kwargs),
    Entry("procurements:engagement-event-add", OFFICERS_ONLY_PAGE, kwargs=_engagement_kwargs),
    Entry(
        "procurements:engagement-event-remove",
        POST_ONLY,
        kwargs=_engagement_kwargs,
        why="Removing is a POST; tests/procurements/test_engagement.py checks who may.",
    ),
    Entry(
        "procurements:engagement-publish",
        POST_ONLY,
        kwargs=_engagement_kwargs,
        why="Publishing is a POST; tests/procurements/test_engagement.py checks who may.",
    ),
    Entry("procurements:questions", BOROUGH_PAGE, kwargs=_question_kwargs),
    Entry("procurements:question-answer", OFFICERS_ONLY_PAGE, kwargs=_question_kwargs),
    Entry(
        "opportunities:follow",
        POST_ONLY,
        kwargs=_question_kwargs,
        why="Following is a POST; tests/procurements/test_engagement.py checks who may.",
    ),
    Entry(
        "opportunities:unfollow",
        POST_ONLY,
        kwargs=_question_kwargs,
        why="Unfollowing is a POST; tests/procurements/test_engagement.py checks who may.",
    ),
    Entry("opportunities:ask", SUPPLIER_PAGE, kwargs=_question_kwargs),
    Entry("opportunities:my-questions", SUPPLIER_PAGE, kwargs=_question_kwargs),
    Entry(
        "opportunities:question-receipt",
        outcomes(
            403,
            supplier_a_admin=200,
            supplier_a_member=200,
            supplier_b_admin=404,
            supplier_b_member=404,
            consortium_member=404,
            anonymous=LOGIN,
        ),
        kwargs=_question_kwargs,
        why="Only the asking organisation sees its receipt; other suppliers may not know it.",
    ),
]
