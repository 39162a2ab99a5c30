"""Reads about procurements, scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from core.models import Borough, OfficerMembership, OfficerRole, User

from .models import Procurement
from .registry import builder_sections


def procurement_list(*, user: User) -> QuerySet[Procurement]:
    """Every procurement, in any state, of the boroughs where ``user`` has a role; newest first."""
    if not getattr(user, "is_authenticated", False):
        return Procurement.objects.none()
    # Evaluators see only the procurements they are named on (can_view_procurement).
    boroughs = (
        OfficerMembership.objects.filter(user=user)
        .exclude(role=OfficerRole.EVALUATOR)
        .values("borough_id")
    )
    return (
        Procurement.objects.filter(Q(borough_id__in=boroughs) | Q(evaluators=user))
        .distinct()
        .select_related("borough")
        .order_by("-created_at", "-pk")
    )


def borough_list_for_procurement_creation(*, user: User) -> QuerySet[Borough]:
    """Boroughs where ``user`` is a procurement officer, so may create a procurement."""
    if not getattr(user, "is_authenticated", False):
        return Borough.objects.none()
    return Borough.objects.filter(
        memberships__user=user, memberships__role=OfficerRole.OFFICER
    ).distinct()


def borough_people(*, borough: Borough, roles: tuple[str, ...]) -> QuerySet[User]:
    """People holding any of ``roles`` in ``borough``, by name."""
    return (
        User.objects.filter(
            officer_memberships__borough=borough, officer_memberships__role__in=roles
        )
        .distinct()
        .order_by("full_name", "email")
    )


def procurement_prefetch_sections(procurement: Procurement) -> Procurement:
    """Load what every registered builder section reads, in a fixed number of queries."""
    lookups: list[str | Prefetch] = []
    for section in builder_sections():
        lookups.extend(lookup for lookup in section.prefetch if lookup not in lookups)
    if lookups:
        prefetch_related_objects([procurement], *lookups)
    return procurement


def section_summary_rows(section, procurement: Procurement) -> list[dict]:
    """A section's check-your-answers rows: ``text``, or ``entries`` for a list of values.

    (Not ``items``: a template would find the dict's own ``items()`` method.)
    """
    rows = []
    for label, value in section.summary(procurement):
        if isinstance(value, list | tuple):
            rows.append({"label": label, "entries": [str(item) for item in value]})
        else:
            rows.append({"label": label, "text": "" if value is None else str(value)})
    return rows
