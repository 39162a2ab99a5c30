"""Writes about people: supplier registration, officers and their roles, invitations, TOTP.

Every function here checks who may act, changes the rows, writes the audit
event, and only then (after commit) sends mail.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from celery.exceptions import Retry
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import render_email
from core.models import (
    Borough,
    OfficerMembership,
    OfficerRole,
    SupplierInvitation,
    SupplierMembership,
    SupplierOrganisation,
    SupplierRole,
    User,
)
from core.permissions import (
    MANAGE_BOROUGH_PEOPLE,
    can_manage_borough_people,
    is_officer,
    is_organisation_admin,
    is_supplier,
)
from core.validators import normalise_companies_house_number, normalise_postcode

if TYPE_CHECKING:
    from allauth.mfa.models import Authenticator

logger = logging.getLogger(__name__)

BOROUGH_ADMIN_GROUP = "Borough administrators"
# Django model permissions a borough administrator needs to open the admin at
# all; which rows they see is decided per object by MANAGE_BOROUGH_PEOPLE.
BOROUGH_ADMIN_MODEL_PERMISSIONS = [
    ("core", "view_user"),
    ("core", "add_user"),
    ("core", "change_user"),
    ("core", "view_officermembership"),
    ("core", "add_officermembership"),
    ("core", "change_officermembership"),
    ("core", "delete_officermembership"),
]

DUPLICATE_CH_NUMBER = (
    "An organisation with this Companies House number is already registered. "
    "Ask its organisation admin to invite you."
)
NOT_BOTH = (
    "This account belongs to a supplier organisation. An account cannot be both an officer "
    "and a supplier: use a different e-mail address for the officer account."
)
OFFICER_CANNOT_JOIN = (
    "This is an officer account. An account cannot be both an officer and a supplier: "
    "ask your organisation admin to invite a different e-mail address."
)
INVITATION_USED = (
    "This invitation has already been used. Sign in instead, or ask your organisation admin "
    "for a new invitation."
)
INVITATION_EXPIRED = (
    "This invitation has expired. Ask your organisation admin to send you a new invitation."
)


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _verified_address(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def person_email_addresses_replace(*, user: User) -> None:
    """Make ``user.email`` the account's only address, verified: an administrator changed it.

    Every other address of the account goes, so a password reset can no longer be
    sent to the old mailbox. The caller records the change (the admin's
    ``admin.change`` event names the old and the new address).
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    _verified_address(user)


def _refuse_duplicate_ch_number(number: str, *, exclude_pk: int | None = None) -> None:
    if not number:
        return
    others = SupplierOrganisation.objects.filter(companies_house_number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ApplicationError(DUPLICATE_CH_NUMBER)


# --- suppliers -------------------------------------------------------------


@transaction.atomic
def supplier_register(
    *,
    user: User,
    full_name: str,
    organisation_name: str,
    companies_house_number: str = "",
    is_sme: bool,
    is_vcse: bool,
    region: str,
    postcode: str,
) -> SupplierOrganisation:
    """A new supplier account creates its organisation and becomes its organisation admin."""
    if is_officer(user) or user.is_staff or user.is_superuser:
        raise ApplicationError(
            "Officer and administrator accounts cannot register a supplier organisation."
        )
    if is_supplier(user):
        raise ApplicationError("Your account already belongs to a supplier organisation.")
    number = normalise_companies_house_number(companies_house_number)
    _refuse_duplicate_ch_number(number)
    organisation = SupplierOrganisation(
        name=organisation_name.strip(),
        companies_house_number=number,
        is_sme=is_sme,
        is_vcse=is_vcse,
        region=region,
        postcode=normalise_postcode(postcode),
    )
    organisation.full_clean()
    organisation.save()
    SupplierMembership.objects.create(user=user, organisation=organisation, role=SupplierRole.ADMIN)
    if full_name and user.full_name != full_name:
        user.full_name = full_name.strip()
        user.save(update_fields=["full_name"])
    audit_record(
        actor=user,
        action="supplier.registered",
        target=organisation,
        data={"organisation": organisation.name, "companies_house_number": number},
    )
    return organisation


@transaction.atomic
def supplier_organisation_update(
    *,
    actor: User,
    organisation: SupplierOrganisation,
    name: str,
    companies_house_number: str,
    is_sme: bool,
    is_vcse: bool,
    region: str,
    postcode: str,
) -> SupplierOrganisation:
    if not is_organisation_admin(actor, organisation):
        raise PermissionRefused("Only an organisation admin can change the organisation's details.")
    organisation = SupplierOrganisation.objects.select_for_update().get(pk=organisation.pk)
    number = normalise_companies_house_number(companies_house_number)
    _refuse_duplicate_ch_number(number, exclude_pk=organisation.pk)
    new_values = {
        "name": name.strip(),
        "companies_house_number": number,
        "is_sme": is_sme,
        "is_vcse": is_vcse,
        "region": region,
        "postcode": normalise_postcode(postcode),
    }
    changed = {
        field: {"from": getattr(organisation, field), "to": value}
        for field, value in new_values.items()
        if getattr(organisation, field) != value
    }
    if not changed:
        return organisation
    for field, value in new_values.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        action="supplier.organisation_updated",
        target=organisation,
        data={"changes": changed},
    )
    return organisation


def _invitation_url(invitation: SupplierInvitation, base_url: str) -> str:
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", "")).rstrip("/")
    return f"{base}{invitation.get_absolute_url()}"


def supplier_invitation_send(*, invitation_id: int, base_url: str = "") -> bool:
    """Send the invitation e-mail unless it has gone already; True if it was sent now.

    Runs in ``supplier_invitation_send_task``: a mail server error (``SMTPException``
    is an ``OSError``) is raised so the task tries again later. An invitation that
    was accepted, has expired or was removed in the meantime is not sent.
    """
    invitation = (
        SupplierInvitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if (
        invitation is None
        or invitation.sent_at is not None
        or invitation.accepted_at is not None
        or invitation.is_expired
    ):
        return False
    subject, message = render_email(
        "core/email/supplier_invitation",
        {"invitation": invitation, "accept_url": _invitation_url(invitation, base_url)},
    )
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[invitation.email])
    SupplierInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    audit_record(
        actor=None,
        action="supplier.invitation_sent",
        target=invitation,
        data={"organisation_id": invitation.organisation_id, "email": invitation.email},
    )
    return True


def supplier_invitation_enqueue(*, invitation_id: int, base_url: str = "") -> bool:
    """Hand the invitation e-mail to the task queue; False (and a log entry) if that fails.

    The invitation is already saved: when the queue is unreachable it stays
    "not sent yet" on the members page, where the organisation admin can send it
    again. Nothing here may turn the admin's page into an error.
    """
    from core.tasks import supplier_invitation_send_task

    try:
        supplier_invitation_send_task.apply_async(
            args=[invitation_id], kwargs={"base_url": base_url}, retry=False
        )
    except (BrokerError, RedisError, OSError, Retry):
        # When tasks run eagerly (development, tests) the task's own mail server error
        # or its request to try again comes straight back here.
        logger.warning(
            "Could not send invitation %s now; it is shown as not sent yet.",
            invitation_id,
            exc_info=True,
        )
        return False
    return True


@transaction.atomic
def supplier_invite(
    *,
    actor: User,
    organisation: SupplierOrganisation,
    email: str,
    role: str = SupplierRole.MEMBER,
    base_url: str = "",
) -> SupplierInvitation:
    """An organisation admin invites a colleague; the e-mail goes once the invitation is saved."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionRefused("Only an organisation admin can invite colleagues.")
    email = _normalise_email(email)
    if SupplierMembership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ApplicationError(f"{email} is already a member of {organisation.name}.")
    invitation = SupplierInvitation(
        organisation=organisation, email=email, role=role, invited_by=actor
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action="supplier.invited",
        target=invitation,
        data={"organisation_id": organisation.pk, "email": email, "role": role},
    )
    transaction.on_commit(
        lambda: supplier_invitation_enqueue(invitation_id=invitation.pk, base_url=base_url)
    )
    return invitation


@transaction.atomic
def supplier_invitation_send_again(
    *, actor: User, invitation: SupplierInvitation, base_url: str = ""
) -> SupplierInvitation:
    """An organisation admin asks again for an invitation e-mail that has not gone yet."""
    invitation = SupplierInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not is_organisation_admin(actor, invitation.organisation):
        raise PermissionRefused("Only an organisation admin can send invitations.")
    if invitation.accepted_at is not None:
        raise ApplicationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.is_expired:
        raise ApplicationError(
            f"The invitation for {invitation.email} has expired. Invite them again."
        )
    if invitation.sent_at is not None:
        raise ApplicationError(f"The invitation for {invitation.email} has already been sent.")
    audit_record(
        actor=actor,
        action="supplier.invitation_send_again",
        target=invitation,
        data={"organisation_id": invitation.organisation_id, "email": invitation.email},
    )
    transaction.on_commit(
        lambda: supplier_invitation_enqueue(invitation_id=invitation.pk, base_url=base_url)
    )
    return invitation


def supplier_invitation_check(*, invitation: SupplierInvitation, user: User | None = None) -> None:
    """Refuse an invitation that can no longer be used, or ``user`` may not accept, saying why."""
    if invitation.accepted_at is not None:
        raise ApplicationError(INVITATION_USED)
    if invitation.is_expired:
        raise ApplicationError(INVITATION_EXPIRED)
    if user is not None and user.is_authenticated:
        _refuse_joining(invitation, user)


def _refuse_joining(invitation: SupplierInvitation, user: User) -> None:
    if user.email != _normalise_email(invitation.email):
        raise ApplicationError(
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out and open the link again, or ask your organisation admin "
            "to invite the address you use."
        )
    if is_officer(user) or user.is_staff or user.is_superuser:
        raise ApplicationError(OFFICER_CANNOT_JOIN)
    membership = SupplierMembership.objects.filter(user=user).select_related("organisation")
    current = membership.first()
    if current is not None and current.organisation_id == invitation.organisation_id:
        raise ApplicationError(f"You are already a member of {current.organisation.name}.")
    if current is not None:
        raise ApplicationError(
            "Your account already belongs to another supplier organisation, and an account can "
            "belong to only one. Ask the admin who invited you to invite a different address."
        )


@transaction.atomic
def supplier_invitation_accept(*, invitation: SupplierInvitation, user: User) -> SupplierMembership:
    """A signed-in user with the invited address and no organisation joins it."""
    invitation = SupplierInvitation.objects.select_for_update().get(pk=invitation.pk)
    supplier_invitation_check(invitation=invitation, user=user)
    membership = SupplierMembership.objects.create(
        user=user, organisation_id=invitation.organisation_id, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="supplier.invitation_accepted",
        target=invitation,
        data={"organisation_id": invitation.organisation_id, "role": invitation.role},
    )
    return membership


@transaction.atomic
def supplier_invitation_signup(
    *, invitation: SupplierInvitation, full_name: str, password: str
) -> User:
    """A visitor without an account accepts by creating one for the invited address.

    The address counts as verified: the link reached that mailbox.
    """
    invitation = SupplierInvitation.objects.select_for_update().get(pk=invitation.pk)
    supplier_invitation_check(invitation=invitation)
    email = _normalise_email(invitation.email)
    if User.objects.filter(email=email).exists():
        raise ApplicationError(
            "An account with this e-mail address already exists. Sign in, then open the "
            "invitation link again."
        )
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    _verified_address(user)
    supplier_invitation_accept(invitation=invitation, user=user)
    return user


# --- officers and their roles ----------------------------------------------


def borough_admin_group() -> Group:
    """The group giving borough administrators the model permissions the admin asks for."""
    group, _ = Group.objects.get_or_create(name=BOROUGH_ADMIN_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in BOROUGH_ADMIN_MODEL_PERMISSIONS
    ]
    group.permissions.add(*wanted)
    return group


def borough_admin_access_sync(*, user: User) -> None:
    """Make the admin access of ``user`` match their borough administrator roles.

    Object permission on each borough they administer, the admin group and
    staff status while they administer any; none of it once they administer
    none (superusers keep their own powers).
    """
    administered = set(
        OfficerMembership.objects.filter(user=user, role=OfficerRole.BOROUGH_ADMIN).values_list(
            "borough_id", flat=True
        )
    )
    group = borough_admin_group()
    held = set(
        get_objects_for_user(
            user, MANAGE_BOROUGH_PEOPLE, klass=Borough, accept_global_perms=False
        ).values_list("pk", flat=True)
    )
    for borough in Borough.objects.filter(pk__in=administered - held):
        assign_perm(MANAGE_BOROUGH_PEOPLE, user, borough)
    for borough in Borough.objects.filter(pk__in=held - administered):
        remove_perm(MANAGE_BOROUGH_PEOPLE, user, borough)
    if administered:
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    elif user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


def _role_data(membership: OfficerMembership) -> dict:
    # The same shape as role changes made in the admin (core.admin.base).
    return {
        "membership_id": membership.pk,
        "borough_id": membership.borough_id,
        "borough": str(membership.borough),
        "role": membership.role,
        "user": membership.user.email,
    }


def _refuse_unless_manager(actor: User | None, borough: Borough) -> None:
    # actor None is the system itself (management commands such as seed_demo).
    if actor is not None and not can_manage_borough_people(actor, borough):
        raise PermissionRefused(f"You cannot manage the people of {borough.name}.")


@transaction.atomic
def officer_role_grant(
    *, actor: User | None, user: User, borough: Borough, role: str
) -> OfficerMembership:
    _refuse_unless_manager(actor, borough)
    if role not in OfficerRole.values:
        raise ApplicationError(f"{role!r} is not an officer role.")
    if is_supplier(user):
        raise ApplicationError(NOT_BOTH)
    user = User.objects.select_for_update().get(pk=user.pk)
    membership, created = OfficerMembership.objects.get_or_create(
        user=user, borough=borough, role=role
    )
    if not created:
        return membership
    if role == OfficerRole.BOROUGH_ADMIN:
        borough_admin_access_sync(user=user)
    audit_record(actor=actor, action="role.granted", target=user, data=_role_data(membership))
    return membership


@transaction.atomic
def officer_role_revoke(*, actor: User | None, user: User, borough: Borough, role: str) -> None:
    _refuse_unless_manager(actor, borough)
    user = User.objects.select_for_update().get(pk=user.pk)
    membership = OfficerMembership.objects.filter(user=user, borough=borough, role=role).first()
    if membership is None:
        raise ApplicationError(f"{user.email} does not hold that role in {borough.name}.")
    data = _role_data(membership)
    membership.delete()
    if role == OfficerRole.BOROUGH_ADMIN:
        borough_admin_access_sync(user=user)
    audit_record(actor=actor, action="role.revoked", target=user, data=data)


@transaction.atomic
def officer_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    borough: Borough,
    roles: list[str] | tuple[str, ...],
    password: str | None = None,
) -> User:
    """A borough administrator creates an officer account in their borough.

    Without a password the officer sets one with "Forgotten your password?";
    either way they must set up an authenticator app at first sign-in.
    """
    _refuse_unless_manager(actor, borough)
    email = _normalise_email(email)
    if not roles:
        raise ApplicationError("Choose at least one role for the officer.")
    if User.objects.filter(email=email).exists():
        raise ApplicationError(
            f"An account for {email} already exists. Give it a role instead of creating another."
        )
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    # The borough vouches for its officer's work address; sign-in still needs
    # a password only that mailbox can set.
    _verified_address(user)
    audit_record(
        actor=actor,
        action="officer.created",
        target=user,
        data={"email": email, "borough_id": borough.pk, "roles": list(roles)},
    )
    for role in roles:
        officer_role_grant(actor=actor, user=user, borough=borough, role=role)
    return User.objects.get(pk=user.pk)  # as the role grants left it (staff, permissions)


def totp_register(*, user: User, secret: str) -> Authenticator:
    """Register an authenticator app from a known secret (demo accounts and tests)."""
    authenticator = TOTP.activate(user, secret).instance
    audit_record(actor=user, action="mfa.totp_registered", target=user, data={})
    return authenticator
