"""Writes to a request's consortium, its subcontractors and its exclusion declarations.

Consortia may take part (PCR 2015 reg. 19(2)-(3); PA 2023 s.20 and Sch. 6-7 apply to every
member). The lead organisation's people name the members (organisations registered on the
portal), their roles and shares of the work, and the subcontractors; each member
organisation confirms or declines from its own account, by one of its organisation admins;
each organisation, lead and members alike, declares the exclusion grounds for itself.

Every service locks the request, checks who acts, then that the request can still change
(a draft or submitted request, while the server's clock is before the participation
deadline), changes it and writes the audit event. Audit data holds ids, counts and states:
nothing a supplier wrote, which the borough must not read before the deadline (roles,
shares, declarations, the reason a member gives for declining, which only the lead is told).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import SupplierOrganisation, User
from core.permissions import is_organisation_admin, is_organisation_member
from core.validators import COMPANIES_HOUSE_RE, normalise_companies_house_number
from procurements.services.sections import full_clean_or_refuse

from .models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    Subcontractor,
)
from .services_common import (
    organisation_admin_emails,
    refuse_unless_changeable,
    request_lock,
)
from .submission import (
    exclusion_grounds,
    request_organisations,
)

ROLE_REQUIRED = "Enter the member's role in the consortium"
SHARE_RANGE = "Enter the member's share of the work as a whole number from 1 to 99"
MEMBER_REQUIRED = "Enter the member's Companies House number or registered name"
SUBCONTRACTOR_NAME_REQUIRED = "Enter the subcontractor's name"
SUBCONTRACTOR_WORK_REQUIRED = "Describe the work the subcontractor will do"
SUBCONTRACTOR_NUMBER_FORMAT = (
    "Enter a Companies House number in the correct format, like 01234567 or SC123456, "
    "or leave it blank"
)
DETAILS_REQUIRED = "Give the details of {ground}: what happened, when, and what has changed since"
NOT_A_CONSORTIUM = (
    "This request is from your organisation alone. Choose to apply as a consortium first, "
    "then add its members."
)


def not_registered_message(text: str) -> str:
    return (
        f"No organisation registered on the portal has the Companies House number or name "
        f"“{text}”. The organisation must register on the portal first; then add it here."
    )


# --- shared steps ----------------------------------------------------------------------------


def _refuse_unless_lead(actor: User, request: ParticipationRequest) -> None:
    if not is_organisation_member(actor, request.organisation):
        raise PermissionRefused(
            f"Only people in {request.organisation.name}, which leads this request, can change "
            "its consortium and subcontractors."
        )


def _audit(*, actor: User, action: str, request: ParticipationRequest, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=request,
        data={"request_id": request.pk, "status": request.status, **data},
    )


def _tell(
    template: str, *, to: SupplierOrganisation, request: ParticipationRequest, **context: Any
) -> None:
    send_after_commit(
        template=f"partners/consortia/email/{template}",
        context={
            "request": request,
            "procurement": request.procurement,
            "lead": request.organisation,
            "organisation": to,
            **context,
        },
        recipients=organisation_admin_emails(to),
    )


def _member_of(request: ParticipationRequest, member: ConsortiumMember) -> ConsortiumMember:
    found = request.members.select_related("organisation").filter(pk=member.pk).first()
    if found is None:
        raise ApplicationError(
            "This organisation is no longer a member of the consortium. Go back to the "
            "consortium page to see its members now."
        )
    return found


def _remove_member(request: ParticipationRequest, member: ConsortiumMember) -> int:
    """Delete the member and the declarations it made in this request; return how many."""
    declarations = ExclusionDeclaration.objects.filter(
        request=request, organisation_id=member.organisation_id
    )
    removed, _ = declarations.delete()
    member.delete()
    return removed


# --- finding a member ------------------------------------------------------------------------


def supplier_organisation_find(text: str) -> SupplierOrganisation:
    """The organisation registered on the portal with this Companies House number (however
    typed) or exactly this name (whatever the case)."""
    text = " ".join((text or "").split())
    if not text:
        raise ApplicationError(MEMBER_REQUIRED, extra={"field": "organisation"})
    number = normalise_companies_house_number(text)
    if COMPANIES_HOUSE_RE.match(number):
        found = SupplierOrganisation.objects.filter(companies_house_number=number).first()
        if found is not None:
            return found
    named = list(SupplierOrganisation.objects.filter(name__iexact=text).order_by("pk")[:2])
    if len(named) > 1:
        raise ApplicationError(
            f"More than one organisation on the portal is called “{text}”. Enter its "
            "Companies House number instead.",
            extra={"field": "organisation"},
        )
    if not named:
        raise ApplicationError(not_registered_message(text), extra={"field": "organisation"})
    return named[0]


def _terms_errors(role: str, share_of_work: Any) -> dict[str, str]:
    errors = {}
    if not role.strip():
        errors["role"] = ROLE_REQUIRED
    if not isinstance(share_of_work, int) or not 1 <= share_of_work <= 99:
        errors["share_of_work"] = SHARE_RANGE
    return errors


# --- members, by the lead --------------------------------------------------------------------


@transaction.atomic
def consortium_member_add(
    *,
    actor: User,
    request: ParticipationRequest,
    organisation: str,
    role: str,
    share_of_work: int,
) -> ConsortiumMember:
    """Name an organisation registered on the portal (by Companies House number or name) as
    a member, with its role and share of the work; its admins are asked to confirm."""
    request = request_lock(request.pk)
    _refuse_unless_lead(actor, request)
    refuse_unless_changeable(request)
    if not request.is_consortium:
        raise ApplicationError(NOT_A_CONSORTIUM)
    errors = _terms_errors(role, share_of_work)
    try:
        found = supplier_organisation_find(organisation)
    except ApplicationError as error:
        errors = {"organisation": error.message, **errors}
    else:
        if found.pk == request.organisation_id:
            errors["organisation"] = (
                f"{found.name} leads this request. Add the other organisations of the consortium."
            )
        elif request.members.filter(organisation=found).exists():
            errors["organisation"] = f"{found.name} is already a member of this consortium."
    if errors:
        raise ApplicationError(next(iter(errors.values())), extra={"errors": errors})
    member = ConsortiumMember(
        request=request, organisation=found, role=role.strip(), share_of_work=share_of_work
    )
    full_clean_or_refuse(member)
    member.save()
    _audit(
        actor=actor,
        action="partners.consortium_member_added",
        request=request,
        member_id=member.pk,
        organisation_id=found.pk,
    )
    _tell("named", to=found, request=request, member=member, url=_invitations_url())
    return member


@transaction.atomic
def consortium_member_change(
    *, actor: User, member: ConsortiumMember, role: str, share_of_work: int
) -> ConsortiumMember:
    """Change a member's role or share. The member confirmed other terms, so a change clears
    its confirmation and its admins are asked to confirm again."""
    request = request_lock(member.request_id)
    _refuse_unless_lead(actor, request)
    refuse_unless_changeable(request)
    member = _member_of(request, member)
    errors = _terms_errors(role, share_of_work)
    if errors:
        raise ApplicationError(next(iter(errors.values())), extra={"errors": errors})
    values = {"role": role.strip(), "share_of_work": share_of_work}
    changed = sorted(name for name, value in values.items() if getattr(member, name) != value)
    if not changed:
        return member
    for name in changed:
        setattr(member, name, values[name])
    cleared = member.confirmed_at is not None
    member.confirmed_at = None
    member.confirmed_by = None
    full_clean_or_refuse(member)
    member.save(update_fields=[*changed, "confirmed_at", "confirmed_by"])
    _audit(
        actor=actor,
        action="partners.consortium_member_changed",
        request=request,
        member_id=member.pk,
        organisation_id=member.organisation_id,
        fields=changed,
        confirmation_cleared=cleared,
    )
    _tell(
        "terms_changed",
        to=member.organisation,
        request=request,
        member=member,
        url=_invitations_url(),
    )
    return member


@transaction.atomic
def consortium_member_remove(*, actor: User, member: ConsortiumMember) -> None:
    """Take a member out of the consortium, with the declarations it made in this request."""
    request = request_lock(member.request_id)
    _refuse_unless_lead(actor, request)
    refuse_unless_changeable(request)
    member = _member_of(request, member)
    organisation = member.organisation
    member_id = member.pk
    removed = _remove_member(request, member)
    _audit(
        actor=actor,
        action="partners.consortium_member_removed",
        request=request,
        member_id=member_id,
        organisation_id=organisation.pk,
        declarations_removed=removed,
    )
    _tell("removed", to=organisation, request=request)


# --- members, by the member ------------------------------------------------------------------


def _refuse_unless_member_admin(actor: User, member: ConsortiumMember) -> None:
    if not is_organisation_admin(actor, member.organisation):
        raise PermissionRefused(
            f"Only an organisation admin of {member.organisation.name} can confirm or decline "
            "its place in a consortium."
        )


def _refuse_unless_still_a_consortium(request: ParticipationRequest) -> None:
    if not request.is_consortium:
        raise ApplicationError(
            f"{request.organisation.name} is no longer applying as a consortium, so there is "
            "nothing to confirm."
        )


@transaction.atomic
def consortium_member_confirm(*, actor: User, member: ConsortiumMember) -> ConsortiumMember:
    """The member organisation confirms, from its own account, that it takes part on the
    role and share the lead named. Confirming again changes nothing."""
    request = request_lock(member.request_id)
    member = _member_of(request, member)
    _refuse_unless_member_admin(actor, member)
    refuse_unless_changeable(request)
    _refuse_unless_still_a_consortium(request)
    if member.confirmed_at is not None:
        return member
    member.confirmed_at = timezone.now()
    member.confirmed_by = actor
    member.save(update_fields=["confirmed_at", "confirmed_by"])
    _audit(
        actor=actor,
        action="partners.consortium_member_confirmed",
        request=request,
        member_id=member.pk,
        organisation_id=member.organisation_id,
    )
    return member


@transaction.atomic
def consortium_member_decline(*, actor: User, member: ConsortiumMember, reason: str = "") -> None:
    """The member organisation declines: it leaves the consortium, with the declarations it
    made in this request, and the lead's admins are told (with the reason, if given)."""
    request = request_lock(member.request_id)
    member = _member_of(request, member)
    _refuse_unless_member_admin(actor, member)
    refuse_unless_changeable(request)
    organisation = member.organisation
    member_id = member.pk
    reason = reason.strip()
    removed = _remove_member(request, member)
    _audit(
        actor=actor,
        action="partners.consortium_member_declined",
        request=request,
        member_id=member_id,
        organisation_id=organisation.pk,
        declarations_removed=removed,
        reason_given=bool(reason),
    )
    _tell(
        "declined",
        to=request.organisation,
        request=request,
        member_organisation=organisation,
        reason=reason,
        url=absolute_url(reverse("requests:consortium", kwargs={"pk": request.pk})),
    )


def _invitations_url() -> str:
    return absolute_url(reverse("requests:consortium-invitations"))


# --- subcontractors --------------------------------------------------------------------------


@transaction.atomic
def subcontractor_add(
    *,
    actor: User,
    request: ParticipationRequest,
    name: str,
    companies_house_number: str = "",
    work: str,
) -> Subcontractor:
    """Declare a subcontractor: its name, Companies House number if it has one, its work."""
    request = request_lock(request.pk)
    _refuse_unless_lead(actor, request)
    refuse_unless_changeable(request)
    errors = {}
    if not name.strip():
        errors["name"] = SUBCONTRACTOR_NAME_REQUIRED
    number = normalise_companies_house_number(companies_house_number)
    if number and not COMPANIES_HOUSE_RE.match(number):
        errors["companies_house_number"] = SUBCONTRACTOR_NUMBER_FORMAT
    if not work.strip():
        errors["work"] = SUBCONTRACTOR_WORK_REQUIRED
    if errors:
        raise ApplicationError(next(iter(errors.values())), extra={"errors": errors})
    subcontractor = Subcontractor(
        request=request,
        name=" ".join(name.split()),
        companies_house_number=number,
        work=work.strip(),
    )
    full_clean_or_refuse(subcontractor)
    subcontractor.save()
    _audit(
        actor=actor,
        action="partners.subcontractor_added",
        request=request,
        subcontractor_id=subcontractor.pk,
    )
    return subcontractor


@transaction.atomic
def subcontractor_remove(*, actor: User, subcontractor: Subcontractor) -> None:
    request = request_lock(subcontractor.request_id)
    _refuse_unless_lead(actor, request)
    refuse_unless_changeable(request)
    found = request.subcontractors.filter(pk=subcontractor.pk).first()
    if found is None:
        return
    subcontractor_id = found.pk
    found.delete()
    _audit(
        actor=actor,
        action="partners.subcontractor_removed",
        request=request,
        subcontractor_id=subcontractor_id,
    )


# --- exclusion declarations ------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationAnswer:
    """One ground's answer: ``applies`` is None while not answered."""

    applies: bool | None
    details: str = ""
    self_cleaning: str = ""


def _refuse_unless_declares_for(
    actor: User, request: ParticipationRequest, organisation: SupplierOrganisation
) -> None:
    """Each organisation of the request (the lead, or a consortium member) declares for
    itself, by its own people."""
    if organisation.pk not in {org.pk for org in request_organisations(request)}:
        raise PermissionRefused(
            f"{organisation.name} is not part of this request, so it makes no declarations in it."
        )
    if not is_organisation_member(actor, organisation):
        raise PermissionRefused(
            f"Only people in {organisation.name} can make its exclusion declarations: each "
            "organisation declares for itself."
        )


def declaration_errors(
    procurement_grounds, answers: Mapping[str, DeclarationAnswer]
) -> dict[str, str]:
    """Messages by page field (``<ground>-applies``, ``<ground>-details``)."""
    known = {ground.key: ground for ground in procurement_grounds}
    errors = {}
    for key, answer in answers.items():
        ground = known.get(key)
        if ground is None:
            errors[f"{key}-applies"] = (
                f"“{key}” is not an exclusion ground of this procurement's regime."
            )
        elif answer.applies and not answer.details.strip():
            errors[f"{key}-details"] = DETAILS_REQUIRED.format(ground=ground.label.lower())
    return errors


def _store(
    *,
    actor: User,
    request: ParticipationRequest,
    organisation: SupplierOrganisation,
    key: str,
    answer: DeclarationAnswer,
    existing: ExclusionDeclaration | None,
) -> ExclusionDeclaration | None:
    """Create or update one declaration; None if nothing changed. The details and evidence
    of a ground that does not apply are not kept."""
    applies = answer.applies
    values = {
        "applies": applies,
        "details": answer.details.strip() if applies else "",
        "self_cleaning": answer.self_cleaning.strip() if applies else "",
    }
    if existing is None:
        if applies is None:
            return None
        declaration = ExclusionDeclaration(
            request=request, organisation=organisation, ground=key, declared_by=actor, **values
        )
        declaration.full_clean()
        declaration.save()
        return declaration
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return None
    for name in changed:
        setattr(existing, name, values[name])
    existing.declared_by = actor
    existing.full_clean()
    existing.save(update_fields=[*changed, "declared_by", "updated_at"])
    return existing


@transaction.atomic
def declarations_save(
    *,
    actor: User,
    request: ParticipationRequest,
    organisation: SupplierOrganisation,
    answers: Mapping[str, DeclarationAnswer],
) -> list[str]:
    """Save an organisation's answers to any of the regime's exclusion grounds (PA 2023
    Sch. 6-7; PCR 2015 reg. 57): whether each applies, its details (required when it
    does) and any self-cleaning evidence (PA 2023 s.58; PCR 2015 reg. 57(13)-(17)).
    Unanswered grounds may wait (the submit page lists them). Nothing is saved if any
    answer is refused. Returns the keys of the grounds whose declaration changed."""
    request = request_lock(request.pk)
    _refuse_unless_declares_for(actor, request, organisation)
    refuse_unless_changeable(request)
    grounds = exclusion_grounds(request.procurement)
    errors = declaration_errors(grounds, answers)
    if errors:
        raise ApplicationError(next(iter(errors.values())), extra={"errors": errors})
    existing = {
        declaration.ground: declaration
        for declaration in ExclusionDeclaration.objects.filter(
            request=request, organisation=organisation
        )
    }
    changed = [
        ground.key
        for ground in grounds
        if ground.key in answers
        and _store(
            actor=actor,
            request=request,
            organisation=organisation,
            key=ground.key,
            answer=answers[ground.key],
            existing=existing.get(ground.key),
        )
        is not None
    ]
    if changed:
        answered = ExclusionDeclaration.objects.filter(
            request=request, organisation=organisation, applies__isnull=False
        ).count()
        _audit(
            actor=actor,
            action="partners.exclusions_declared",
            request=request,
            organisation_id=organisation.pk,
            grounds=changed,
            answered=answered,
            of=len(grounds),
        )
    return changed


def declaration_save(
    *,
    actor: User,
    request: ParticipationRequest,
    organisation: SupplierOrganisation,
    ground: str,
    applies: bool | None,
    details: str = "",
    self_cleaning: str = "",
) -> ExclusionDeclaration | None:
    """Declare one ground for one organisation (see ``declarations_save``); returns the
    declaration, or None while the ground is not answered."""
    answer = DeclarationAnswer(applies=applies, details=details, self_cleaning=self_cleaning)
    declarations_save(
        actor=actor, request=request, organisation=organisation, answers={ground: answer}
    )
    return ExclusionDeclaration.objects.filter(
        request=request, organisation=organisation, ground=ground
    ).first()
