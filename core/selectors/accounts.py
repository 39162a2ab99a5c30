"""Reads about people, scoped to what the asking user may see."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from guardian.shortcuts import get_objects_for_user

from core.models import (
    Borough,
    OfficerMembership,
    SupplierInvitation,
    SupplierMembership,
    User,
)


def borough_list_managed_by(*, user: User) -> QuerySet[Borough]:
    """Boroughs whose people ``user`` may manage: all for a superuser, else by object permission."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Borough.objects.none()
    if user.is_superuser:
        return Borough.objects.all()
    if not user.is_staff:
        return Borough.objects.none()
    return get_objects_for_user(
        user, "core.manage_borough_people", klass=Borough, accept_global_perms=False
    )


def person_list_for_admin(*, user: User) -> QuerySet[User]:
    """People an administrator may see and manage: everyone for a superuser, else the
    officers wholly within their boroughs (``core.permissions.person_manageable_filter``)."""
    # core.permissions reads this module, so it is imported here rather than at the top.
    from core.permissions import person_manageable_filter

    return User.objects.filter(person_manageable_filter(user))


def officer_membership_list(*, user: User) -> QuerySet[OfficerMembership]:
    """The signed-in officer's own roles, borough by borough."""
    return OfficerMembership.objects.filter(user=user).select_related("borough")


def supplier_membership_get(*, user: User) -> SupplierMembership | None:
    """The signed-in supplier's membership (with the organisation), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SupplierMembership.objects.filter(user=user).select_related("organisation").first()


def supplier_member_list(*, user: User) -> QuerySet[SupplierMembership]:
    """Members of the user's own organisation; nobody else's."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return SupplierMembership.objects.none()
    return SupplierMembership.objects.filter(
        organisation_id=membership.organisation_id
    ).select_related("user")


def supplier_invitation_list(*, user: User) -> QuerySet[SupplierInvitation]:
    """Invitations not yet accepted, of the user's own organisation."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return SupplierInvitation.objects.none()
    return SupplierInvitation.objects.filter(
        organisation_id=membership.organisation_id, accepted_at__isnull=True
    ).select_related("invited_by")


def supplier_invitation_get(*, token: str) -> SupplierInvitation | None:
    return SupplierInvitation.objects.filter(token=token).select_related("organisation").first()


def lockout_failures_subquery(*, since) -> Coalesce:
    """Failed sign-ins recorded by axes for a user's e-mail since ``since``, as one subquery.

    Used to annotate a whole page of users at once rather than asking per row.
    """
    from axes.models import AccessAttempt

    failures = (
        AccessAttempt.objects.filter(username=OuterRef("email"), attempt_time__gte=since)
        .order_by()
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(failures, output_field=IntegerField()), 0)
