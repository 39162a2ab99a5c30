"""Amending a published procurement, and cancelling a procurement.

An amendment changes only what may change after publication, never the minimum
requirements or the award criteria (PCR 2015 reg. 31; PA 2023 s.31; RULES.md
point 5). The procurement's own parts (the challenge, why nothing on the market
meets the need, the timetable and the numbers of partners) are changed on the
amendment form. The parts other apps own and announce (the phase plan, the IP
terms, the selection questionnaire: builder sections ``amended_on_own_pages``)
are changed on their own pages while an amendment is being prepared
(``amendment_open``); nothing of them reaches suppliers until the amendment is
published, because suppliers read the documents from the frozen versions. The
rules of publication are checked again for every part that changed. It freezes a new
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

import dataclasses
import difflib
import html
import re
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

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
    Sector,
)
from procurements.permissions_amendments import (
    amendment_is_open,
    can_amend_procurement,
    can_cancel_procurement,
)
from procurements.registry import BuilderSection, builder_sections
from procurements.rules import (
    REGIMES,
    PublicationFacts,
    amendment_deadline_breaches,
    publication_breaches,
    publication_facts,
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
    procurement_section,
)
from procurements.services.publication import (
    GENERIC_ITT_FRAGMENT,
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

# What the amendment form may change, in the order the form and the e-mails show them.
AMENDABLE: dict[str, str] = {
    "problem": "The problem",
    "outcomes": "The outcomes wanted",
    "outcome_measures": "How the outcomes will be measured",
    "users_affected": "Who is affected",
    "sector": "Sector",
    "cpv_codes": "CPV codes",
    "market_gap": "Why no product or service on the market meets the need",
    "market_engagement_evidence": "The market engagement done",
    "question_deadline": "Deadline for clarification questions",
    "participation_deadline": "Deadline for requests to participate",
    "indicative_tender_date": "Indicative date of the invitation to tender",
    "indicative_start_date": "Indicative start of the partnership",
    "max_partners": "Maximum number of partners to appoint",
    "number_to_invite": "Number of suppliers to invite to tender",
}
DEADLINES = ("question_deadline", "participation_deadline")
# Parts of the form an amendment may leave empty; every other part must keep a value.
MAY_BE_EMPTY = frozenset(
    {"indicative_tender_date", "indicative_start_date", "market_engagement_evidence"}
)
# Facts whose rules ``_deadline_errors`` checks itself, with the day of the amendment.
DATE_FACTS = frozenset({"notice_date", *DEADLINES})
# The dates ``rules.rule_timetable_order`` keeps in order: a change to any of them may put
# another out of order, and the breach is reported on the later one.
TIMETABLE_DATES = frozenset(
    {"participation_deadline", "indicative_tender_date", "indicative_start_date"}
)
# How many changed lines of a section the amendment record keeps on each side.
SECTION_LINES_SHOWN = 8
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
        "reduce_between_rounds",
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
NO_LINES = "(nothing)"
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
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or NOT_GIVEN
    return str(value)


def _field_text(name: str, value: Any) -> str:
    if name == "sector" and value:
        return str(Sector(value).label)
    return display_text(value)


# --- the parts changed on their own pages ------------------------------------------------------


def _amended_sections() -> list[BuilderSection]:
    return [section for section in builder_sections() if section.amended_on_own_pages]


def _section_lines(section: BuilderSection, content: Any) -> list[str]:
    """A section's announced content as the lines of text its ITT fragment shows."""
    markup = render_to_string(section.itt_template or GENERIC_ITT_FRAGMENT, {"content": content})
    markup = re.sub(r"</t[dh]>", "\t", markup)
    markup = re.sub(r"(?i)</(tr|p|li|h\d|caption|dt|dd)>|<br\s*/?>", "\n", markup)
    lines = []
    for line in html.unescape(strip_tags(markup)).splitlines():
        cells = [" ".join(cell.split()) for cell in line.split("\t")]
        text = "; ".join(cell for cell in cells if cell)
        if text:
            lines.append(text)
    return lines


def _lines_text(lines: list[str]) -> str:
    if not lines:
        return NO_LINES
    shown = lines[:SECTION_LINES_SHOWN]
    more = len(lines) - len(shown)
    return "\n".join(shown) + (f"\n(and {more} more lines)" if more else "")


def _section_change(section: BuilderSection, before: Any, after: Any) -> dict[str, str]:
    """The record of one section's change: the lines its ITT text lost and gained."""
    old, new = _section_lines(section, before), _section_lines(section, after)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return {
        "field": section.key,
        "label": section.title,
        "before": _lines_text(removed),
        "after": _lines_text(added),
    }


def amendment_section_changes(procurement: Procurement) -> list[dict[str, str]]:
    """The sections amended on their own pages whose announced content differs from the
    latest publication version, each as a record of what changed."""
    latest = procurement.versions.order_by("-number").first()
    published = {}
    if latest is not None:
        published = {part["key"]: part["content"] for part in latest.content.get("sections", [])}
    changes = []
    for section in _amended_sections():
        content = section.announce(procurement) if section.announce else None
        if content != published.get(section.key):
            changes.append(_section_change(section, published.get(section.key), content))
    return changes


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


def _rule_errors(
    procurement: Procurement, changed: list[str], changed_sections: list[str]
) -> dict[str, str]:
    """The rules of publication, checked again for what the amendment changed
    (``procurement`` holds the new values). The deadlines have their own check."""
    facts = publication_facts(procurement)
    if procurement.published_at is not None:
        facts = dataclasses.replace(facts, notice_date=london_date(procurement.published_at))
    errors: dict[str, str] = {}
    for breach in publication_breaches(facts):
        if breach.field in DATE_FACTS:
            continue
        dates_moved = breach.rule == "timetable_order" and TIMETABLE_DATES & set(changed)
        if breach.field in changed or dates_moved:
            errors.setdefault(breach.field, breach.message)
        elif breach.section in changed_sections:
            errors.setdefault(breach.section, breach.message)
    return errors


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

    ``changes`` maps any of ``AMENDABLE`` to its new value; the sections changed on their
    own pages while the amendment was prepared are part of it too. Refuses any other key
    (minimum requirements and award criteria with their own message), an amendment that
    changes nothing, a part left empty that must have a value, a changed deadline in the
    past, a question deadline not before the participation deadline, a deadline off a
    working day, a participation deadline that leaves less than the regime's minimum
    after the amendment (``rules.amendment_deadline_breaches``), and any rule of
    publication the changed parts now break.
    """
    _refuse_unknown_keys(changes)
    reason = (reason or "").strip()
    if not reason:
        raise AmendmentRefused({"reason": REASON_REQUIRED})
    procurement = procurement_lock(procurement.pk)
    _refuse_unless_may_amend(actor, procurement)
    changes = _normalised(changes)
    changed = _changed_fields(procurement, changes)
    # The sections amended on their own pages can only have changed while an amendment was
    # being prepared: their services refuse a published procurement otherwise.
    section_changes = (
        amendment_section_changes(procurement) if amendment_is_open(procurement) else []
    )
    if not changed and not section_changes:
        raise ApplicationError(NOTHING_CHANGED)
    record = [
        {
            "field": name,
            "label": AMENDABLE[name],
            "before": _field_text(name, getattr(procurement, name)),
            "after": _field_text(name, changes[name]),
        }
        for name in changed
    ] + section_changes
    for name in changed:
        setattr(procurement, name, changes[name])
    errors = {
        name: f"Enter {AMENDABLE[name].lower()}: it cannot be left empty"
        for name in changed
        if name not in DEADLINES and name not in MAY_BE_EMPTY and changes[name] in (None, "", [])
    }
    errors |= _deadline_errors(procurement, changed, now=timezone.now())
    if errors:
        raise AmendmentRefused(errors)
    errors = changed_field_errors(procurement, changed)
    errors |= _rule_errors(procurement, changed, [change["field"] for change in section_changes])
    if errors:
        raise AmendmentRefused(errors)
    opened_by_id = procurement.amendment_opened_by_id
    procurement.amendment_opened_at = None
    procurement.amendment_opened_by = None
    procurement.save(
        update_fields=[*changed, "amendment_opened_at", "amendment_opened_by", "updated_at"]
    )
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
            "prepared_by": opened_by_id,
        },
    )
    _email_suppliers_after_commit(procurement, "amended", amendment=amendment)
    return amendment


def _refuse_unless_may_amend(actor: User, procurement: Procurement) -> None:
    if not can_amend_procurement(actor, procurement):
        if procurement.status != ProcurementStatus.PUBLISHED:
            raise wrong_state(procurement, "published", "amended")
        raise PermissionRefused(
            f"Only the procurement officers of {procurement.borough.name} can amend this "
            "procurement."
        )


def _mark_amendment_open(procurement: Procurement, *, by: User | None) -> None:
    """Record that ``by`` is preparing an amendment (or, with None, that none is)."""
    procurement.amendment_opened_at = timezone.now() if by is not None else None
    procurement.amendment_opened_by = by
    procurement.save(update_fields=["amendment_opened_at", "amendment_opened_by", "updated_at"])


@transaction.atomic
def amendment_open(*, actor: User, procurement: Procurement) -> Procurement:
    """Start preparing an amendment: the sections amended on their own pages (the phase
    plan, the IP terms, the selection questionnaire) may be changed until it is published
    or discarded. Suppliers see none of it before it is published. Audited."""
    procurement = procurement_lock(procurement.pk)
    _refuse_unless_may_amend(actor, procurement)
    if amendment_is_open(procurement):
        return procurement
    _mark_amendment_open(procurement, by=actor)
    audit_record(
        actor=actor,
        action="procurement.amendment_opened",
        target=procurement,
        data={"sections": [section.key for section in _amended_sections()]},
    )
    return procurement


@transaction.atomic
def amendment_discard(*, actor: User, procurement: Procurement) -> Procurement:
    """Stop preparing an amendment without publishing it. Refused while any section differs
    from what is published: the officer changes it back or publishes the amendment, so what
    the borough holds is always what suppliers were told. Audited."""
    procurement = procurement_lock(procurement.pk)
    _refuse_unless_may_amend(actor, procurement)
    if not amendment_is_open(procurement):
        raise ApplicationError("No amendment is being prepared for this procurement.")
    changed = amendment_section_changes(procurement)
    if changed:
        titles = ", ".join(change["label"].lower() for change in changed)
        them = "them" if len(changed) > 1 else "it"
        raise ApplicationError(
            f"You have changed {titles} since the documents were last published. Change "
            f"{them} back as published, or publish the amendment."
        )
    _mark_amendment_open(procurement, by=None)
    audit_record(
        actor=actor,
        action="procurement.amendment_discarded",
        target=procurement,
        data={},
    )
    return procurement


# --- the revised tender notice -----------------------------------------------------------------


def _change_line(change: dict[str, str]) -> str:
    before, after = (change[side].replace("\n", " / ") for side in ("before", "after"))
    return f"{change['label']}: was {before}; now {after}"


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
    cancelled_on = london_date(procurement.cancelled_at or timezone.now())
    return {
        "title": f"{NoticeKind.UK12.label}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            procurement_section(procurement),
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
