"""Reads for the public side: which procurements exist publicly, and what of them is shown.

A procurement becomes public when its call for competition or its market engagement is
published. Its public status is derived here, once, as a database expression, so the
list's filters, its order and the detail page always agree:

- ``engagement``: a published market engagement, the call not yet published. Only the
  engagement notice (its title, summary and events) is public, never the draft's own
  fields, which may still change before the call.
- ``open``: the call is published and the participation deadline is still ahead by the
  server clock.
- ``closed``: the call was published and its participation deadline has passed, or the
  procurement has moved on to any later state up to closed.
- ``cancelled``: cancelled after its call or its market engagement was published.

Anything else (a draft, one awaiting approval or approved, one cancelled before anything
was published) does not exist publicly, whoever asks, its own borough's officers included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from core.models import Borough

from .models import (
    CALL_PUBLISHED,
    UNPUBLISHED,
    Amendment,
    InterestRegistration,
    MinimumRequirement,
    Notice,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
)
from .sections import TIMETABLE, UK_TIME
from .selectors_publication import itt_latest_ready

if TYPE_CHECKING:
    from core.models import User

    from .models import MarketEngagement

PAGE_SIZE = 20
# Words beyond this many are ignored: each one adds a condition to the search.
MAX_SEARCH_WORDS = 10
SUMMARY_CHARACTERS = 240


class PublicStatus(models.TextChoices):
    OPEN = "open", "Open"
    ENGAGEMENT = "engagement", "Market engagement"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# The order of the public list, by status.
LIST_ORDER = (
    PublicStatus.OPEN,
    PublicStatus.ENGAGEMENT,
    PublicStatus.CLOSED,
    PublicStatus.CANCELLED,
)


def _engagement_published() -> Q:
    return Q(market_engagement__published_at__isnull=False)


def _call_published() -> Q:
    return Q(status__in=CALL_PUBLISHED) | Q(
        status=ProcurementStatus.CANCELLED, published_at__isnull=False
    )


def public_status_expression(now: datetime) -> Case:
    """The public status of each procurement at ``now``, or NULL if it is not public."""
    return Case(
        When(
            Q(status=ProcurementStatus.CANCELLED)
            & (Q(published_at__isnull=False) | _engagement_published()),
            then=Value(PublicStatus.CANCELLED.value),
        ),
        When(
            Q(status=ProcurementStatus.PUBLISHED)
            & (Q(participation_deadline__isnull=True) | Q(participation_deadline__gt=now)),
            then=Value(PublicStatus.OPEN.value),
        ),
        When(status__in=CALL_PUBLISHED, then=Value(PublicStatus.CLOSED.value)),
        When(
            Q(status__in=UNPUBLISHED) & _engagement_published(),
            then=Value(PublicStatus.ENGAGEMENT.value),
        ),
        default=Value(None),
        output_field=models.CharField(),
    )


def opportunity_queryset(*, now: datetime | None = None) -> QuerySet[Procurement]:
    """Every public procurement, annotated with ``public_status``, ``call_public`` (the
    procurement's own fields may be shown) and ``closing_at`` (the participation deadline
    as published, NULL before the call)."""
    now = now or timezone.now()
    return (
        Procurement.objects.annotate(
            public_status=public_status_expression(now),
            call_public=Case(
                When(_call_published(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            closing_at=Case(
                When(call_public=True, then=F("participation_deadline")),
                default=Value(None),
                output_field=DateTimeField(),
            )
        )
        .filter(public_status__isnull=False)
        .select_related("borough", "market_engagement")
    )


@dataclass(frozen=True)
class OpportunityFilters:
    words: str = ""
    sectors: tuple[str, ...] = ()
    borough_slug: str = ""
    statuses: tuple[str, ...] = ()
    closing_from: date | None = None
    closing_to: date | None = None


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UK_TIME)


def _word_matches(word: str) -> Q:
    """A word matches the borough's name, and what is public of the procurement: its own
    title, reference, problem and outcomes once the call is published, the engagement
    notice's title and summary before."""
    own_fields = ("title", "reference", "problem", "outcomes")
    in_call = Q(call_public=True) & reduce(
        or_, (Q(**{f"{name}__icontains": word}) for name in own_fields)
    )
    in_engagement = Q(call_public=False) & (
        Q(market_engagement__title__icontains=word) | Q(market_engagement__summary__icontains=word)
    )
    return Q(borough__name__icontains=word) | in_call | in_engagement


def opportunity_list(
    *, filters: OpportunityFilters, now: datetime | None = None
) -> QuerySet[Procurement]:
    """Public procurements matching ``filters``: open calls first, soonest closing first;
    then market engagements; then closed calls, most recently closed first; then cancelled
    ones. Someone looking for work sees what they can still bid for at the top."""
    queryset = opportunity_queryset(now=now)
    for word in filters.words.split()[:MAX_SEARCH_WORDS]:
        queryset = queryset.filter(_word_matches(word))
    if filters.sectors:
        # The sector is the draft's own until the call is published.
        queryset = queryset.filter(call_public=True, sector__in=filters.sectors)
    if filters.borough_slug:
        queryset = queryset.filter(borough__slug=filters.borough_slug)
    if filters.statuses:
        queryset = queryset.filter(public_status__in=filters.statuses)
    if filters.closing_from:
        queryset = queryset.filter(closing_at__gte=_uk_midnight(filters.closing_from))
    if filters.closing_to:
        queryset = queryset.filter(
            closing_at__lt=_uk_midnight(filters.closing_to + timedelta(days=1))
        )
    rank = Case(
        *(
            When(public_status=status.value, then=Value(number))
            for number, status in enumerate(LIST_ORDER)
        ),
        output_field=models.IntegerField(),
    )
    still_open = Case(
        When(public_status=PublicStatus.OPEN.value, then=F("closing_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    return queryset.order_by(
        rank, still_open.asc(nulls_last=True), F("closing_at").desc(nulls_last=True), "pk"
    )


def borough_choices() -> list[Borough]:
    """Every borough, by name, for the list's borough filter."""
    return list(Borough.objects.order_by("name").only("pk", "name", "slug"))


def opportunity_get(
    *, pk: int, now: datetime | None = None, with_published_content: bool = False
) -> Procurement | None:
    """The public procurement ``pk``, or None when it does not exist publicly.

    ``with_published_content`` adds ``published_content``: what its latest publication
    version froze (None before any), read in the same query, for the opportunity's page."""
    queryset = opportunity_queryset(now=now)
    if with_published_content:
        latest = PublicationVersion.objects.filter(procurement=OuterRef("pk")).order_by("-number")
        queryset = queryset.annotate(
            published_content=Subquery(latest.values("content")[:1], output_field=JSONField())
        )
    return queryset.filter(pk=pk).first()


def opportunity_published_timetable(procurement: Procurement) -> dict[str, Any]:
    """The timetable as the latest publication version announced it, from a procurement read
    by ``opportunity_get(..., with_published_content=True)``; empty before the call is
    published. What the builder holds now
    (a phase plan being changed for an amendment, say) is not shown until it is published."""
    content = getattr(procurement, "published_content", None)
    if not procurement.call_public or not isinstance(content, dict):
        return {}
    for section in content.get("sections", []):
        if section.get("key") == TIMETABLE.key:
            return section.get("content") or {}
    return {}


def published_engagement(procurement: Procurement) -> MarketEngagement | None:
    """The procurement's market engagement if it was published (loaded with the row)."""
    engagement = getattr(procurement, "market_engagement", None)
    return engagement if engagement is not None and engagement.is_published else None


def _summary_text(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARACTERS:
        return text
    return text[:SUMMARY_CHARACTERS].rsplit(" ", 1)[0].rstrip(".,;:") + "…"


def opportunity_card(procurement: Procurement) -> dict[str, Any]:
    """What a search result shows of an annotated public procurement."""
    engagement = published_engagement(procurement)
    if procurement.call_public or engagement is None:
        return {
            "title": procurement.title,
            "reference": procurement.reference if procurement.call_public else "",
            "summary": _summary_text(procurement.problem) if procurement.call_public else "",
            "sector": procurement.get_sector_display() if procurement.call_public else "",
        }
    return {
        "title": engagement.title,
        "reference": "",
        "summary": _summary_text(engagement.summary),
        "sector": "",
    }


def opportunity_requirements(procurement: Procurement) -> list[MinimumRequirement]:
    """The minimum requirements, once the call is published (frozen from then on)."""
    if not procurement.call_public:
        return []
    return list(MinimumRequirement.objects.filter(procurement=procurement).order_by("order", "pk"))


def opportunity_amendments(procurement: Procurement) -> list[Amendment]:
    """The amendments to the published documents, oldest first, once the call is published.

    Only what is public: the number, the date, the reason and the changes (each with what
    it said before and after); never who made them."""
    if not procurement.call_public:
        return []
    return list(
        Amendment.objects.filter(procurement=procurement)
        .only("pk", "procurement_id", "number", "reason", "changes", "created_at")
        .order_by("number", "pk")
    )


def opportunity_notices(procurement: Procurement) -> list[Notice]:
    return list(
        Notice.objects.filter(procurement=procurement)
        .only("pk", "procurement_id", "kind", "content", "published_at")
        .order_by("published_at", "pk")
    )


def opportunity_followed_by(procurement: Procurement, user: User) -> bool:
    """The user's supplier organisation follows the procurement."""
    if not getattr(user, "is_authenticated", False):
        return False
    return InterestRegistration.objects.filter(
        procurement=procurement, organisation__memberships__user=user
    ).exists()


def opportunity_itt(procurement: Procurement) -> dict[str, Any] | None:
    """The invitation to tender to download: its title, version and size, once the call is
    published and a rendering of it is ready; None otherwise."""
    if not procurement.call_public:
        return None
    document = itt_latest_ready(procurement)
    if document is None:
        return None
    try:
        size = document.file.size if document.file else None
    except (OSError, ValueError):  # the file store could not say: show no size
        size = None
    return {"title": document.title, "version": document.version_number, "size": size}
