"""Amending a published procurement, and cancelling a procurement.

An amendment changes only what may change after publication (the challenge's
wording, why nothing on the market meets the need, the deadlines and the
indicative tender date), never the minimum requirements or the award criteria
(PCR 2015 reg. 31; PA 2023 s.31; RULES.md point 5). It freezes a new
publication version with its own ITT, keeps the changes with their reason,
publishes the tender notice again from the new version (a revised UK4 under PA
2023, a corrigendum to the contract notice under PCR 2015; the earlier notices
stay as published), and tells every interested supplier once the transaction
has committed.

Cancelling ends a procurement before any contract is signed. A procurement that
had been published gets a UK12 procurement termination notice with the reason
the officer gives for the public.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import send_after_commit
from core.models import User
from procurements.models import (
    CANCELLABLE,
    Amendment,
    Notice,
    NoticeKind,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
    Regime,
)
from procurements.permissions_amendments import can_amend_procurement, can_cancel_procurement
from procurements.rules import (
    REGIMES,
    PublicationFacts,
    amendment_deadline_breaches,
    rule_deadlines_on_working_days,
    rule_participation_period,
)
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.services.builder import SectionInputRefused
from procurements.services.engagement import interested_recipients
from procurements.services.notices import (
    authority_section,
    notice_field,
    notice_publish,
    notice_section,
)
from procurements.services.publication import (
    engagement_notice_published,
    opportunity_url,
    publication_version_create,
    tender_notice_content,
    tender_notice_kind,
)
from procurements.services.sections import (
    changed_field_errors,
    procurement_lock,
    procurement_save,
    wrong_state,
)

# What an amendment may change, in the order the form and the e-mails show them.
AMENDABLE: dict[str, str] = {
    "problem": "The problem",
    "outcomes": "The outcomes wanted",
    "outcome_measures": "How the outcomes will be measured",
    "users_affected": "Who is affected",
    "market_gap": "Why no product or service on the market meets the need",
    "question_deadline": "Deadline for clarification questions",
    "participation_deadline": "Deadline for requests to participate",
    "indicative_tender_date": "Indicative date of the invitation to tender",
}
DEADLINES = ("question_deadline", "participation_deadline")
# Parts of the documents no amendment may touch (PCR 2015 reg. 31; RULES.md point 5).
NEVER_AMENDED = frozenset(
    {
        "minimum_requirements",
        "award_criteria",
        "award_sub_criteria",
        "award_subcriteria",
        "award_basis",
        "weights",
        "scoring_scale",
        "price_formula",
    }
)
NEVER_AMENDED_MESSAGE = (
    "Minimum requirements and award criteria cannot be changed after publication, not even "
    "by an amendment. If they must change, cancel this procurement and start a new one."
)
NOTHING_CHANGED = (
    "You have not changed anything. Change at least one part of the documents, or go back "
    "to the task list."
)
REASON_REQUIRED = "Enter the reason for the amendment: suppliers are told it."
CANCEL_REASON_REQUIRED = (
    "Enter the reason for cancelling: it is published in the procurement termination notice "
    "and sent to interested suppliers."
)
NOT_GIVEN = "Not given"
# How a change to the tender notice is published: a revised tender notice under PA 2023
# (s.31: the notice is revised when the procurement is modified), a corrigendum to the
# contract notice under PCR 2015 (reg. 47(3), changes to the procurement documents).
REVISION_HEADINGS = {
    Regime.PA2023: "Revised tender notice",
    Regime.PCR2015: "Changes to the contract notice (corrigendum)",
}


class AmendmentRefused(SectionInputRefused):
    """Changes an amendment cannot make; ``errors`` maps each field to its message."""


def display_text(value: Any) -> str:
    """A value as the amendment record and the e-mails show it."""
    if value is None or value == "":
        return NOT_GIVEN
    if isinstance(value, datetime):
        return uk_datetime_text(value)
    if isinstance(value, date):
        return uk_date_text(value)
    return str(value)


# --- amending ----------------------------------------------------------------------------------


def _refuse_unknown_keys(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(AMENDABLE)
    if unknown & NEVER_AMENDED:
        raise ApplicationError(NEVER_AMENDED_MESSAGE)
    if unknown:
        allowed = ", ".join(label.lower() for label in AMENDABLE.values())
        raise ApplicationError(
            f"An amendment cannot change {', '.join(sorted(unknown))}. It can change: {allowed}."
        )


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in changes.items()
    }


def _changed_fields(procurement: Procurement, changes: dict[str, Any]) -> list[str]:
    return [
        name
        for name in AMENDABLE
        if name in changes and getattr(procurement, name) != changes[name]
    ]


def _deadline_errors(
    procurement: Procurement, changed: list[str], *, now: datetime
) -> dict[str, str]:
    """What is wrong with the deadlines as amended (``procurement`` holds the new values)."""
    errors: dict[str, str] = {}
    for name in DEADLINES:
        value = getattr(procurement, name)
        label = AMENDABLE[name]
        if value is None:
            errors[name] = f"Enter the {label.lower()}"
        elif name in changed and value <= now:
            errors[name] = (
                f"The {label.lower()}, {uk_datetime_text(value)}, is in the past: "
                "choose a later date and time"
            )
    if errors:
        return errors
    today = london_date(now)
    tender_date = procurement.indicative_tender_date
    if "indicative_tender_date" in changed and tender_date is not None and tender_date < today:
        errors["indicative_tender_date"] = (
            f"The indicative tender date, {uk_date_text(tender_date)}, is in the past: choose a "
            "later date"
        )
    if procurement.question_deadline >= procurement.participation_deadline:
        errors["question_deadline"] = (
            f"The question deadline, {uk_datetime_text(procurement.question_deadline)}, is not "
            f"before the participation deadline, "
            f"{uk_datetime_text(procurement.participation_deadline)}: move the question "
            "deadline earlier or the participation deadline later"
        )
    regime = REGIMES[procurement.regime]
    published_on = london_date(procurement.published_at) if procurement.published_at else None
    facts = PublicationFacts(
        regime=procurement.regime,
        notice_date=published_on or procurement.notice_date,
        question_deadline=procurement.question_deadline,
        participation_deadline=procurement.participation_deadline,
    )
    # The amendment rule first: its message names the earliest deadline allowed.
    breaches = amendment_deadline_breaches(
        regime_key=procurement.regime,
        amended_on=today,
        participation_deadline=procurement.participation_deadline,
    )
    if "participation_deadline" in changed:
        breaches += rule_participation_period(facts, regime)
    breaches += rule_deadlines_on_working_days(facts, regime)
    for breach in breaches:
        if breach.field in changed or breach.rule == "amendment_deadline":
            errors.setdefault(breach.field, breach.message)
    return errors


@transaction.atomic
def procurement_amend(
    *, actor: User, procurement: Procurement, changes: dict[str, Any], reason: str
) -> Amendment:
    """Amend a published procurement's documents: a new version, its record, the revised
    tender notice and the e-mails.

    ``changes`` maps any of ``AMENDABLE`` to its new value. Refuses any other key
    (minimum requirements and award criteria with their own message), an
    amendment that changes nothing, a changed deadline in the past, a question
    deadline not before the participation deadline, a deadline off a working
    day, and a participation deadline that leaves less than the regime's
    minimum after the amendment (``rules.amendment_deadline_breaches``).
    """
    _refuse_unknown_keys(changes)
    reason = (reason or "").strip()
    if not reason:
        raise AmendmentRefused({"reason": REASON_REQUIRED})
    procurement = procurement_lock(procurement.pk)
    if not can_amend_procurement(actor, procurement):
        if procurement.status != ProcurementStatus.PUBLISHED:
            raise wrong_state(procurement, "published", "amended")
        raise PermissionRefused(
            f"Only the procurement officers of {procurement.borough.name} can amend this "
            "procurement."
        )
    changes = _normalised(changes)
    changed = _changed_fields(procurement, changes)
    if not changed:
        raise ApplicationError(NOTHING_CHANGED)
    record = [
        {
            "field": name,
            "label": AMENDABLE[name],
            "before": display_text(getattr(procurement, name)),
            "after": display_text(changes[name]),
        }
        for name in changed
    ]
    for name in changed:
        setattr(procurement, name, changes[name])
    errors = {
        name: f"Enter {AMENDABLE[name].lower()}: it cannot be left empty"
        for name in changed
        if name not in DEADLINES and name != "indicative_tender_date" and not changes[name]
    }
    errors |= _deadline_errors(procurement, changed, now=timezone.now())
    if errors:
        raise AmendmentRefused(errors)
    errors = changed_field_errors(procurement, changed)
    if errors:
        raise AmendmentRefused(errors)
    procurement.save(update_fields=[*changed, "updated_at"])
    version = publication_version_create(procurement=procurement, actor=actor, reason=reason)
    last = procurement.amendments.aggregate(last=Max("number"))["last"] or 0
    amendment = Amendment(
        procurement=procurement,
        number=last + 1,
        reason=reason,
        changes=record,
        version=version,
        created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    notice = _revised_tender_notice_publish(
        procurement=procurement, version=version, amendment=amendment, actor=actor
    )
    audit_record(
        actor=actor,
        action="procurement.amended",
        target=procurement,
        data={
            "amendment": amendment.number,
            "version": version.number,
            "reason": reason,
            "changes": record,
            "notice_id": notice.pk,
        },
    )
    _email_suppliers_after_commit(procurement, "amended", amendment=amendment)
    return amendment


# --- the revised tender notice -----------------------------------------------------------------


def _change_line(change: dict[str, str]) -> str:
    return f"{change['label']}: was {change['before']}; now {change['after']}"


def revised_tender_notice_content(
    *,
    procurement: Procurement,
    version: PublicationVersion,
    amendment: Amendment,
    replaces: Notice | None,
    engagement_notice: Notice | None = None,
) -> dict[str, Any]:
    """The tender notice of the regime composed again from the amended ``version``, marked
    as revised, saying which notice it replaces, why and what changed."""
    content = tender_notice_content(
        procurement=procurement, version=version, engagement_notice=engagement_notice
    )
    content["title"] = f"{content['title']} (revised: amendment {amendment.number})"
    fields = []
    if replaces is not None:
        published = uk_date_text(london_date(replaces.published_at))
        fields.append(
            notice_field(
                "This notice replaces", f"{replaces.content['title']}, published {published}"
            )
        )
    fields += [
        notice_field(
            "Amendment",
            f"Amendment {amendment.number}, made {uk_date_text(london_date(amendment.created_at))}",
        ),
        notice_field("Reason for the change", amendment.reason),
        notice_field("What changed", [_change_line(change) for change in amendment.changes]),
    ]
    heading = REVISION_HEADINGS.get(procurement.regime, "Revised notice")
    content["sections"].insert(1, notice_section(heading, fields))
    return content


def _revised_tender_notice_publish(
    *,
    procurement: Procurement,
    version: PublicationVersion,
    amendment: Amendment,
    actor: User,
) -> Notice:
    """Publish the revised tender notice of an amendment: the same kind as the notice it
    replaces (UK4 under PA 2023, the contract notice under PCR 2015), from the new version.
    The notices published before stay as they were."""
    kind = tender_notice_kind(procurement)
    replaces = (
        Notice.objects.filter(procurement=procurement, kind=kind)
        .order_by("-published_at", "-pk")
        .first()
    )
    return notice_publish(
        procurement=procurement,
        kind=kind,
        content=revised_tender_notice_content(
            procurement=procurement,
            version=version,
            amendment=amendment,
            replaces=replaces,
            engagement_notice=engagement_notice_published(procurement),
        ),
        actor=actor,
        version=version,
    )


# --- cancelling --------------------------------------------------------------------------------


def termination_notice_content(procurement: Procurement, *, reason: str) -> dict[str, Any]:
    """The UK12 procurement termination notice (PA 2023 s.55) of a cancelled procurement."""
    published_on = london_date(procurement.published_at) if procurement.published_at else None
    cancelled_on = london_date(procurement.cancelled_at or timezone.now())
    return {
        "title": f"{NoticeKind.UK12.label}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            notice_section(
                "The procurement",
                [
                    notice_field("Title", procurement.title),
                    notice_field("Reference", procurement.reference),
                    notice_field("Procedure", procurement.get_regime_display()),
                    notice_field("Tender notice published", uk_date_text(published_on)),
                ],
            ),
            notice_section(
                "Termination",
                [
                    notice_field(
                        "Decision",
                        "The contracting authority has decided not to award a contract and "
                        "has ended this procurement.",
                    ),
                    notice_field("Date of the decision", uk_date_text(cancelled_on)),
                    notice_field("Reason", reason),
                ],
            ),
        ],
    }


@transaction.atomic
def procurement_cancel(*, actor: User, procurement: Procurement, reason: str) -> Procurement:
    """The lead officer cancels a procurement before any contract is signed.

    A procurement that had been published gets a UK12 procurement termination
    notice with ``reason`` as the public reason; interested suppliers are told
    once the transaction has committed.
    """
    procurement = procurement_lock(procurement.pk)
    if not can_cancel_procurement(actor, procurement):
        if procurement.status not in CANCELLABLE:
            raise ApplicationError(
                f"This procurement is {procurement.get_status_display().lower()}: it can no "
                "longer be cancelled."
            )
        raise PermissionRefused("Only the lead officer of this procurement can cancel it.")
    reason = (reason or "").strip()
    if not reason:
        raise AmendmentRefused({"reason": CANCEL_REASON_REQUIRED})
    previous = procurement.status
    procurement.cancel(reason=reason)
    procurement_save(procurement, "status", "cancelled_at", "cancellation_reason")
    notice: Notice | None = None
    if procurement.published_at is not None:
        notice = notice_publish(
            procurement=procurement,
            kind=NoticeKind.UK12,
            content=termination_notice_content(procurement, reason=reason),
            actor=actor,
            version=procurement.versions.order_by("-number").first(),
        )
    audit_record(
        actor=actor,
        action="procurement.cancelled",
        target=procurement,
        data={
            "from": previous,
            "to": procurement.status,
            "reason": reason,
            "notice_id": notice.pk if notice is not None else None,
        },
    )
    _email_suppliers_after_commit(procurement, "cancelled", notice=notice)
    return procurement


# --- e-mail ------------------------------------------------------------------------------------


def _email_suppliers_after_commit(procurement: Procurement, event: str, **context: Any) -> None:
    """E-mail every interested supplier, one message each, once the transaction commits."""
    send_after_commit(
        template=f"procurements/amendments/email/{event}",
        context={**context, "procurement": procurement, "url": opportunity_url(procurement)},
        recipients=interested_recipients(procurement),
    )
