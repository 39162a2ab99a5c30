"""Reads about procurements, scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import Cast

from core.models import AuditEvent, Borough, OfficerMembership, OfficerRole, User

from .models import Amendment, Procurement, ProcurementStatus
from .permissions import BOROUGH_WIDE_ROLES, REVIEW_ACTIONS
from .registry import builder_sections


def _borough_ids(user: User, roles) -> QuerySet:
    return OfficerMembership.objects.filter(user=user, role__in=roles).values("borough_id")


def procurement_list(*, user: User) -> QuerySet[Procurement]:
    """Every procurement, in any state, that ``user`` may see in the builder
    (``can_view_procurement``); newest first. Officers, approvers and administrators see
    their boroughs'; evaluators only those they are named on, in a borough they evaluate for."""
    if not getattr(user, "is_authenticated", False):
        return Procurement.objects.none()
    return (
        Procurement.objects.filter(
            Q(borough_id__in=_borough_ids(user, BOROUGH_WIDE_ROLES))
            | Q(evaluators=user, borough_id__in=_borough_ids(user, [OfficerRole.EVALUATOR]))
        )
        .distinct()
        .select_related("borough")
        .order_by("-created_at", "-pk")
    )


def procurement_list_awaiting_approval(*, user: User) -> QuerySet[Procurement]:
    """Procurements ``user`` may approve now (``can_review_procurement``): awaiting approval in
    a borough where they approve, named to them or to no one, and none they wrote any part of
    (four eyes: its creator, its lead officer, anyone the audit trail shows changing it);
    oldest first."""
    if not getattr(user, "is_authenticated", False):
        return Procurement.objects.none()
    edited_by_user = AuditEvent.objects.filter(
        target_type=Procurement._meta.label_lower,
        target_id=Cast(OuterRef("pk"), CharField()),
        actor=user,
    ).exclude(action__in=REVIEW_ACTIONS)
    return (
        Procurement.objects.filter(
            status=ProcurementStatus.AWAITING_APPROVAL,
            borough_id__in=_borough_ids(user, [OfficerRole.APPROVER]),
        )
        .filter(Q(approver__isnull=True) | Q(approver=user))
        .exclude(Q(created_by=user) | Q(lead_officer=user))
        .exclude(Exists(edited_by_user))
        .select_related("borough", "lead_officer")
        .order_by("updated_at", "pk")
    )


def amendment_list(*, procurement: Procurement) -> QuerySet[Amendment]:
    """A procurement's amendments, newest first, with who made each and its version (for the
    builder's people: the caller has checked ``can_view_procurement``)."""
    return (
        Amendment.objects.filter(procurement=procurement)
        .select_related("created_by", "version")
        .order_by("-number")
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
