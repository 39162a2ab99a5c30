"""Creating a procurement and saving this app's own builder sections.

Each section save follows one shape: refuse a "completed" answer while a
mandatory answer is missing (one message per missing answer), lock the
procurement and check the actor may edit it (a draft, by one of its borough's
procurement officers), save the fields that changed, record
``procurement.<section>_saved`` with their names, then record the completed
answer (``procurement_section_mark``). A refusal saves nothing, so what was
saved before is never lost to bad input.

The publication rules (``procurements.rules``) are not checked here: a draft
may hold a timetable the law would refuse, until it is submitted or published.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.models import Borough, OfficerMembership, OfficerRole, User
from procurements.models import Procurement
from procurements.permissions import can_create_procurement
from procurements.services.sections import (
    changed_field_errors,
    procurement_for_update,
    procurement_section_mark,
)

REFERENCE_PREFIX_MAX = 24

CHALLENGE_REQUIRED = {
    "problem": "Describe the problem",
    "outcomes": "Describe the outcomes you want",
    "outcome_measures": "Explain how you will measure the outcomes",
    "users_affected": "Say who is affected",
    "sector": "Select the sector",
    "cpv_codes": "Enter at least one CPV code",
}
MARKET_GAP_REQUIRED = {
    "market_gap": "Explain why no product or service on the market meets the need",
}
TIMETABLE_REQUIRED = {
    "regime": "Select the law this procurement follows",
    "notice_date": "Enter the date the tender notice will be published",
    "question_deadline": "Enter the deadline for clarification questions",
    "participation_deadline": "Enter the deadline for requests to participate",
    "max_partners": "Enter the maximum number of partners to appoint",
    "number_to_invite": "Enter the number of suppliers to invite to tender",
}
TEAM_REQUIRED = {
    "lead_officer": "Select the lead officer",
    "approver": "Select the approver",
    "evaluators": "Select at least one evaluator",
}


class SectionInputRefused(ApplicationError):
    """Answers the section cannot take; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), extra={"errors": errors})
        self.errors = errors


# --- creating ------------------------------------------------------------------------------


def _next_reference(borough: Borough) -> str:
    """``<BOROUGH-SLUG>-<year>-<sequence>``, e.g. ALDGATE-2026-0001; the caller holds the lock."""
    prefix = f"{borough.slug.upper()[:REFERENCE_PREFIX_MAX]}-{timezone.localdate().year}-"
    used = Procurement.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    sequences = [int(ref[len(prefix) :]) for ref in used if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(sequences, default=0) + 1:04d}"


@transaction.atomic
def procurement_create(*, actor: User, borough: Borough, title: str) -> Procurement:
    """A new draft procurement of ``borough``, led by its creator; audited."""
    if not can_create_procurement(actor, borough):
        raise PermissionRefused(
            f"You cannot create a procurement for {borough}: only its procurement officers can."
        )
    title = (title or "").strip()
    if not title:
        raise SectionInputRefused({"title": "Enter a title for the procurement"})
    # Serialise reference numbers per borough.
    Borough.objects.select_for_update().filter(pk=borough.pk).get()
    procurement = Procurement(
        borough=borough,
        title=title,
        reference=_next_reference(borough),
        lead_officer=actor,
        created_by=actor,
    )
    # The status is the state machine's: a protected field that full_clean may not set.
    procurement.full_clean(exclude=["status"])
    procurement.save()
    audit_record(
        actor=actor,
        action="procurement.created",
        target=procurement,
        data={"reference": procurement.reference, "title": title, "borough_id": borough.pk},
    )
    return procurement


# --- saving a section ------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (hasattr(value, "__len__") and len(value) == 0)


def _require(values: dict[str, Any], required: dict[str, str]) -> None:
    missing = {name: message for name, message in required.items() if _is_blank(values.get(name))}
    if missing:
        raise SectionInputRefused(missing)


def _save_section(
    *,
    actor: User,
    procurement: Procurement,
    key: str,
    values: dict[str, Any],
    completed: bool,
    required: dict[str, str],
    evaluators: list[User] | None = None,
    check=None,
) -> Procurement:
    """Save a section's fields (and evaluators, for the team) and its completed answer."""
    if completed:
        _require(
            {**values, "evaluators": evaluators} if evaluators is not None else values, required
        )
    with transaction.atomic():
        procurement = procurement_for_update(actor=actor, pk=procurement.pk)
        if check is not None:
            check(procurement)
        changed = [name for name, value in values.items() if getattr(procurement, name) != value]
        for name in changed:
            setattr(procurement, name, values[name])
        fields_saved = bool(changed)
        if fields_saved:
            errors = changed_field_errors(procurement, changed)
            if errors:
                raise SectionInputRefused(errors)
            procurement.save(update_fields=[*changed, "updated_at"])
        if evaluators is not None:
            current = set(procurement.evaluators.values_list("pk", flat=True))
            if current != {person.pk for person in evaluators}:
                procurement.evaluators.set(evaluators)
                changed.append("evaluators")
                if not fields_saved:
                    procurement.save(update_fields=["updated_at"])
        if changed:
            audit_record(
                actor=actor,
                action=f"procurement.{key.replace('-', '_')}_saved",
                target=procurement,
                data={"section": key, "fields": changed},
            )
        return procurement_section_mark(
            actor=actor, procurement=procurement, key=key, completed=completed
        )


def procurement_challenge_save(
    *,
    actor: User,
    procurement: Procurement,
    completed: bool,
    problem: str,
    outcomes: str,
    outcome_measures: str,
    users_affected: str,
    sector: str,
    cpv_codes: list[str],
) -> Procurement:
    """The challenge: the problem and outcomes wanted (not a product), sector and CPV codes."""
    values = {
        "problem": problem,
        "outcomes": outcomes,
        "outcome_measures": outcome_measures,
        "users_affected": users_affected,
        "sector": sector,
        "cpv_codes": list(cpv_codes),
    }
    return _save_section(
        actor=actor,
        procurement=procurement,
        key="challenge",
        values=values,
        completed=completed,
        required=CHALLENGE_REQUIRED,
    )


def procurement_market_gap_save(
    *,
    actor: User,
    procurement: Procurement,
    completed: bool,
    market_gap: str,
    market_engagement_evidence: str,
) -> Procurement:
    """Why nothing on the market meets the need (PA 2023 s.20 / PCR 2015 reg. 31(1))."""
    return _save_section(
        actor=actor,
        procurement=procurement,
        key="market-gap",
        values={"market_gap": market_gap, "market_engagement_evidence": market_engagement_evidence},
        completed=completed,
        required=MARKET_GAP_REQUIRED,
    )


def procurement_timetable_save(
    *,
    actor: User,
    procurement: Procurement,
    completed: bool,
    regime: str,
    notice_date,
    question_deadline,
    participation_deadline,
    indicative_tender_date,
    max_partners: int | None,
    number_to_invite: int | None,
    procedure_began_on=None,
    indicative_start_date=None,
) -> Procurement:
    """The regime and the timetable; the legal minimum periods, whether the regime governs a
    procedure begun on ``procedure_began_on`` and the order of the indicative dates are
    checked at publication (``procurements.rules``). Both dates may be left blank."""
    if question_deadline and participation_deadline and question_deadline >= participation_deadline:
        raise SectionInputRefused(
            {"question_deadline": "The question deadline must be before the participation deadline"}
        )
    values = {
        "regime": regime,
        "procedure_began_on": procedure_began_on,
        "notice_date": notice_date,
        "question_deadline": question_deadline,
        "participation_deadline": participation_deadline,
        "indicative_tender_date": indicative_tender_date,
        "indicative_start_date": indicative_start_date,
        "max_partners": max_partners,
        "number_to_invite": number_to_invite,
    }
    return _save_section(
        actor=actor,
        procurement=procurement,
        key="timetable",
        values=values,
        completed=completed,
        required=TIMETABLE_REQUIRED,
    )


def _team_errors(
    procurement: Procurement, lead_officer: User | None, approver: User | None, evaluators
) -> dict[str, str]:
    roles: dict[int, set[str]] = {}
    people = [p for p in (lead_officer, approver, *evaluators) if p is not None]
    memberships = OfficerMembership.objects.filter(
        borough=procurement.borough, user__in=[p.pk for p in people]
    ).values_list("user_id", "role")
    for user_id, role in memberships:
        roles.setdefault(user_id, set()).add(role)
    borough = procurement.borough
    errors: dict[str, str] = {}
    if lead_officer is not None and OfficerRole.OFFICER not in roles.get(lead_officer.pk, set()):
        errors["lead_officer"] = f"The lead officer must be a procurement officer of {borough}"
    if approver is not None:
        if OfficerRole.APPROVER not in roles.get(approver.pk, set()):
            errors["approver"] = f"The approver must be an approver of {borough}"
        elif lead_officer is not None and approver.pk == lead_officer.pk:
            errors["approver"] = "The approver cannot be the lead officer: four eyes"
        elif approver.pk == procurement.created_by_id:
            errors["approver"] = (
                "The approver cannot be the person who created this procurement: four eyes"
            )
    allowed = {OfficerRole.EVALUATOR, OfficerRole.OFFICER}
    strangers = [p for p in evaluators if not allowed & roles.get(p.pk, set())]
    if strangers:
        names = ", ".join(str(person) for person in strangers)
        errors["evaluators"] = (
            f"Evaluators must be evaluators or officers of {borough}: not {names}"
        )
    return errors


def procurement_team_save(
    *,
    actor: User,
    procurement: Procurement,
    completed: bool,
    lead_officer: User | None,
    approver: User | None,
    evaluators,
) -> Procurement:
    """The team: every member belongs to the borough; the approver is never the author."""
    evaluators = list(evaluators)
    if lead_officer is None:
        raise SectionInputRefused({"lead_officer": TEAM_REQUIRED["lead_officer"]})

    def check(locked: Procurement) -> None:
        errors = _team_errors(locked, lead_officer, approver, evaluators)
        if errors:
            raise SectionInputRefused(errors)

    return _save_section(
        actor=actor,
        procurement=procurement,
        key="team",
        values={"lead_officer": lead_officer, "approver": approver},
        completed=completed,
        required=TEAM_REQUIRED,
        evaluators=evaluators,
        check=check,
    )
