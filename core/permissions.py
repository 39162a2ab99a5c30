"""Named permission predicates for people, boroughs and supplier organisations.

Views, services, templates and tests all ask these, so a rule lives in one place.
Each takes the user first and never raises: an anonymous user simply may not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from core.models import OfficerMembership, OfficerRole, SupplierMembership, SupplierRole
from core.selectors.accounts import borough_list_managed_by

if TYPE_CHECKING:
    from core.models import Borough, SupplierOrganisation, User

MANAGE_BOROUGH_PEOPLE = "core.manage_borough_people"


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_officer(user: User) -> bool:
    """Holds at least one role in a borough."""
    return _authenticated(user) and OfficerMembership.objects.filter(user=user).exists()


def is_supplier(user: User) -> bool:
    """Belongs to a supplier organisation."""
    return _authenticated(user) and SupplierMembership.objects.filter(user=user).exists()


def needs_officer_mfa(user: User) -> bool:
    """Officers and administrators must use an authenticator app on every sign-in."""
    if not _authenticated(user):
        return False
    return user.is_staff or user.is_superuser or is_officer(user)


def officer_roles(user: User, borough: Borough) -> set[str]:
    if not _authenticated(user):
        return set()
    return set(
        OfficerMembership.objects.filter(user=user, borough=borough).values_list("role", flat=True)
    )


def has_role(user: User, borough: Borough, role: str) -> bool:
    return role in officer_roles(user, borough)


def is_borough_admin(user: User, borough: Borough | None = None) -> bool:
    """Holds the borough administrator role (in ``borough``, or in any borough)."""
    if not _authenticated(user):
        return False
    memberships = OfficerMembership.objects.filter(user=user, role=OfficerRole.BOROUGH_ADMIN)
    if borough is not None:
        memberships = memberships.filter(borough=borough)
    return memberships.exists()


def is_organisation_admin(user: User, organisation: SupplierOrganisation | None = None) -> bool:
    """Administers a supplier organisation (``organisation``, or their own)."""
    if not _authenticated(user):
        return False
    memberships = SupplierMembership.objects.filter(user=user, role=SupplierRole.ADMIN)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


def is_organisation_member(user: User, organisation: SupplierOrganisation) -> bool:
    if not _authenticated(user):
        return False
    return SupplierMembership.objects.filter(user=user, organisation=organisation).exists()


def can_manage_borough_people(user: User, borough: Borough) -> bool:
    """Superusers, and borough administrators holding the object permission on ``borough``.

    The object permission is granted and revoked with the borough administrator
    role (see ``core.services.accounts.officer_role_grant``).
    """
    if not _authenticated(user) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.has_perm(MANAGE_BOROUGH_PEOPLE, borough)


def person_manageable_filter(user: User) -> Q:
    """The people ``user`` may manage in the admin, as a filter on ``User``.

    A superuser manages everyone. A borough administrator manages a person only
    when the person is wholly within their boroughs: at least one role, and every
    role, in a borough they administer. Never a supplier, nor staff or a
    superuser, nor anyone holding the borough administrator role (themselves
    included): those are for superusers. Otherwise an administrator of one
    borough could change the e-mail address of someone who also works for
    another borough, or of a fellow administrator, and take over the account
    with a password reset.
    """
    if not _authenticated(user) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    managed = borough_list_managed_by(user=user)
    roles = OfficerMembership.objects.filter(user=OuterRef("pk"))
    return Q(
        Exists(roles.filter(borough__in=managed)),
        ~Exists(roles.exclude(borough__in=managed)),
        ~Exists(roles.filter(role=OfficerRole.BOROUGH_ADMIN)),
        ~Exists(SupplierMembership.objects.filter(user=OuterRef("pk"))),
        is_staff=False,
        is_superuser=False,
    )


def can_manage_person(user: User, person: User) -> bool:
    """May edit ``person`` in the admin (see ``person_manageable_filter`` for who)."""
    if not _authenticated(user) or person is None or person.pk is None:
        return False
    if user.is_superuser and user.is_active:
        return True
    return (
        type(person)._default_manager.filter(person_manageable_filter(user), pk=person.pk).exists()
    )
