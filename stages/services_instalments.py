"""Remuneration in instalments: the partner claims, the lead officer approves or withholds
the claim, and records the payment of an approved claim (RULES.md point 8; PCR 2015 reg.
31(7); PA 2023 s.68).

The caps. A partner is never owed more for a phase than the phase's agreed price
(``StageParticipation.price``), nor more over its contract than the contract's total
(``Partnership.total_price``). The money held against the caps is what is claimed, approved
or paid (``HELD_AGAINST_CAPS``; a withheld claim holds nothing). A claim is refused if it
would take the held money above either cap; an approval re-checks the caps against what is
approved or paid, so no change of data in between can take the money due above them.

Who and when.

- A claim is made by an administrator of the partner's organisation, while its partnership
  is active, on a scheduled or withheld instalment of a phase that has started (a phase later
  terminated was still worked on: its instalments may be claimed while the partnership is
  active). Once the partnership has ended (terminated, completed or purchased) no new claim
  is made, but the claims already made are still decided and paid.
- The lead officer decides claims and records payments while the procurement is active and
  once it is closed (see ``permissions_instalments``).

Every service locks the partnership row first and then the instalment, so concurrent claims
and approvals of the same partner are serialised and each sees the others' money, then
checks the actor and the state, transitions, saves, records an audit event and e-mails the
other side once the transaction commits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.permissions import is_organisation_admin
from partners.models import Partnership, PartnershipStatus
from partners.services_common import organisation_admin_emails, written
from procurements.sections import pounds_text, uk_date_text

from .models import (
    HELD_AGAINST_CAPS,
    Deliverable,
    Instalment,
    InstalmentStatus,
    ParticipationStatus,
)
from .permissions_instalments import can_claim_instalments, can_decide_instalments

EMAILS = "stages/instalments/email"
ZERO = Decimal("0.00")
LARGEST = Decimal("1000000000000")  # the largest sum of money the portal stores, plus a penny
# Money already owed for certain: what an approval is checked against.
APPROVED_OR_PAID = (InstalmentStatus.APPROVED, InstalmentStatus.PAID)

CLAIMERS_ONLY = (
    "Only an administrator of the partner's organisation claims its instalments, while its "
    "partnership is active."
)
DECIDERS_ONLY = (
    "Only the procurement's lead officer approves or withholds claims and records payments."
)
NOT_CLAIMABLE = {
    InstalmentStatus.CLAIMED: (
        "This instalment is already claimed: wait for the lead officer's decision on the claim."
    ),
    InstalmentStatus.APPROVED: "This instalment's claim is approved: it waits for payment.",
    InstalmentStatus.PAID: "This instalment is paid: there is nothing to claim.",
}
NOT_DECIDABLE = {
    InstalmentStatus.SCHEDULED: (
        "This instalment has not been claimed: there is no claim to decide. The partner claims "
        "it with evidence of the milestone."
    ),
    InstalmentStatus.APPROVED: (
        "This claim is already approved: record its payment once it is paid."
    ),
    InstalmentStatus.PAID: "This claim is approved and paid: there is nothing to decide.",
    InstalmentStatus.WITHHELD: (
        "This claim was withheld: the partner may claim the instalment again with new evidence."
    ),
}
NOT_PAYABLE = {
    InstalmentStatus.SCHEDULED: (
        "This instalment has not been claimed: only an approved claim is paid."
    ),
    InstalmentStatus.CLAIMED: "Approve this claim before you record its payment.",
    InstalmentStatus.PAID: "This instalment's payment is already recorded.",
    InstalmentStatus.WITHHELD: "This claim was withheld: it is not paid.",
}


def _refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, extra={"errors": {field: message}})


def amount_problem(amount: Any) -> str:
    """Why ``amount`` cannot be claimed, whatever the caps ("" if it can): a sum of money
    more than £0 in pounds and pence."""
    if amount is None or amount == "":
        return "Enter the amount you claim"
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        return "Enter the amount as a number of pounds, like 30000 or 30000.50"
    if not amount.is_finite():
        return "Enter the amount as a number of pounds, like 30000 or 30000.50"
    if amount <= 0:
        return "The amount must be more than £0"
    if amount >= LARGEST:
        return f"The amount must be less than {pounds_text(LARGEST)}"
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        return "Enter the amount in pounds and pence, with no more than 2 decimal places"
    return ""


def _lock(instalment: Instalment) -> Instalment:
    """The partnership's row locked first (as every instalment service does: claims and
    approvals of one partner wait for each other, so the caps hold), then the instalment's,
    with its participation, phase, schedule item and partnership."""
    partnership_id = (
        Instalment.objects.filter(pk=instalment.pk)
        .values_list("participation__partnership_id", flat=True)
        .get()
    )
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related(
            "procurement__borough", "procurement__lead_officer", "request__organisation"
        )
        .get(pk=partnership_id)
    )
    locked = (
        Instalment.objects.select_for_update(of=("self",))
        .select_related("participation__phase", "schedule_item", "deliverable")
        .get(pk=instalment.pk)
    )
    locked.participation.partnership = partnership
    return locked


def _held(instalment: Instalment, states) -> tuple[Decimal, Decimal]:
    """The money in ``states`` in the instalment's phase and over its contract, this
    instalment left out."""
    participation = instalment.participation
    found = (
        Instalment.objects.filter(
            participation__partnership_id=participation.partnership_id, status__in=states
        )
        .exclude(pk=instalment.pk)
        .aggregate(
            phase=Sum("claimed_amount", filter=Q(participation_id=participation.pk)),
            contract=Sum("claimed_amount"),
        )
    )
    return found["phase"] or ZERO, found["contract"] or ZERO


def _cap_problem(
    instalment: Instalment, amount: Decimal, *, states, held_what: str, verb: str
) -> str:
    """Why ``amount`` on ``instalment`` would take the partner's money in ``states`` above the
    phase's agreed price or the contract's total ("" when it would not), saying the cap, what
    is already held and the most that can still be ``verb``-ed."""
    participation = instalment.participation
    partnership = participation.partnership
    in_phase, in_contract = _held(instalment, states)
    if participation.price is None:
        return (
            f"No price was agreed for {participation.phase.name} in the contract: nothing can "
            f"be {verb} for it."
        )
    most_in_phase = max(participation.price - in_phase, ZERO)
    most_in_contract = max(partnership.total_price - in_contract, ZERO)
    most = min(most_in_phase, most_in_contract)
    if in_phase + amount > participation.price:
        return (
            f"This would take the partner above the phase's maximum: the price agreed for "
            f"{participation.phase.name} is {pounds_text(participation.price)} and "
            f"{pounds_text(in_phase)} is already {held_what}, so at most {pounds_text(most)} "
            f"can still be {verb}."
        )
    if in_contract + amount > partnership.total_price:
        return (
            f"This would take the partner above the contract's total: the contract's total "
            f"price is {pounds_text(partnership.total_price)} and {pounds_text(in_contract)} "
            f"is already {held_what}, so at most {pounds_text(most)} can still be {verb}."
        )
    return ""


def _figures(instalment: Instalment) -> dict[str, Any]:
    participation = instalment.participation
    return {
        "partnership": participation.partnership.reference,
        "phase_id": participation.phase_id,
        "phase": participation.phase.name,
        "milestone": instalment.schedule_item.milestone,
        "committed": str(instalment.amount),
        "claimed_amount": str(instalment.claimed_amount),
    }


def _context(instalment: Instalment) -> dict[str, Any]:
    partnership = instalment.participation.partnership
    return {
        "instalment": instalment,
        "participation": instalment.participation,
        "partnership": partnership,
        "procurement": partnership.procurement,
        "organisation": partnership.request.organisation,
        "amount": pounds_text(instalment.claimed_amount),
    }


def _tell_partner(instalment: Instalment, template: str, **extra: Any) -> None:
    partnership = instalment.participation.partnership
    send_after_commit(
        template=f"{EMAILS}/{template}",
        context={
            **_context(instalment),
            "url": absolute_url(reverse("stages:partner-money")),
            **extra,
        },
        recipients=organisation_admin_emails(partnership.request.organisation),
    )


# --- claiming ---------------------------------------------------------------------------------


def _refuse_unless_claimer(actor: User, instalment: Instalment) -> None:
    partnership = instalment.participation.partnership
    if can_claim_instalments(actor, partnership):
        return
    if partnership.status != PartnershipStatus.ACTIVE and is_organisation_admin(
        actor, partnership.request.organisation
    ):
        raise ApplicationError(
            f"This partnership is {partnership.get_status_display().lower()}: no new claim can "
            "be made. Claims already made are still decided and paid."
        )
    raise PermissionRefused(CLAIMERS_ONLY)


def _claimable_deliverable(
    instalment: Instalment, deliverable: Deliverable | None
) -> Deliverable | None:
    if deliverable is None:
        return None
    if deliverable.participation_id != instalment.participation_id:
        raise _refuse(
            "deliverable",
            "Choose a deliverable of this phase: the evidence must be of the milestone claimed",
        )
    return deliverable


@transaction.atomic
def instalment_claim(
    *,
    actor: User,
    instalment: Instalment,
    amount: Decimal,
    evidence: str,
    deliverable: Deliverable | None = None,
) -> Instalment:
    """The partner's organisation administrator claims a scheduled or withheld instalment of
    a phase that has started, with evidence of the milestone in words and optionally one of
    the phase's deliverables (RULES.md point 8). Refused when it would take the money held
    against the caps above the phase's agreed price or the contract's total."""
    instalment = _lock(instalment)
    _refuse_unless_claimer(actor, instalment)
    participation = instalment.participation
    if participation.status == ParticipationStatus.NOT_STARTED:
        raise ApplicationError(
            f"{participation.phase.name} has not started: its instalments are claimed only for "
            "work in a phase that has started."
        )
    if instalment.status not in (InstalmentStatus.SCHEDULED, InstalmentStatus.WITHHELD):
        raise ApplicationError(NOT_CLAIMABLE[instalment.status])
    problem = amount_problem(amount)
    if problem:
        raise _refuse("amount", problem)
    amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    evidence = written(
        evidence,
        field="evidence",
        missing="Describe the evidence that the milestone is reached",
        what="Describe the evidence",
    )
    deliverable = _claimable_deliverable(instalment, deliverable)
    problem = _cap_problem(
        instalment,
        amount,
        states=HELD_AGAINST_CAPS,
        held_what="claimed, approved or paid",
        verb="claimed",
    )
    if problem:
        raise _refuse("amount", problem)
    instalment.claim(by=actor, amount=amount, evidence=evidence, deliverable=deliverable)
    instalment.full_clean(exclude=["status"])  # protected: only the transition sets it
    instalment.save(
        update_fields=[
            "status",
            "claimed_amount",
            "evidence",
            "deliverable",
            "claimed_by",
            "claimed_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )
    audit_record(
        actor=actor,
        action="stages.instalment_claimed",
        target=instalment,
        data={
            **_figures(instalment),
            "evidence": evidence,
            "deliverable_id": deliverable.pk if deliverable else None,
        },
    )
    procurement = participation.partnership.procurement
    if procurement.lead_officer_id is not None:
        send_after_commit(
            template=f"{EMAILS}/claimed",
            context={
                **_context(instalment),
                "url": absolute_url(
                    reverse(
                        "stages:instalment",
                        kwargs={"pk": procurement.pk, "instalment_pk": instalment.pk},
                    )
                ),
            },
            recipients=[procurement.lead_officer.email],
        )
    return instalment


# --- deciding ---------------------------------------------------------------------------------


def _refuse_unless_decider(actor: User, instalment: Instalment) -> None:
    if not can_decide_instalments(actor, instalment.participation.partnership.procurement):
        raise PermissionRefused(DECIDERS_ONLY)


def _decided(instalment: Instalment, actor: User, action: str, reason: str) -> Instalment:
    instalment.full_clean(exclude=["status"])
    instalment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action=action,
        target=instalment,
        data={**_figures(instalment), "reason": reason},
    )
    return instalment


@transaction.atomic
def instalment_approve(*, actor: User, instalment: Instalment, reason: str = "") -> Instalment:
    """The lead officer approves a claim (reasons optional). The caps are checked again
    against what is approved or paid, so an approval never takes the money due above the
    phase's agreed price or the contract's total, whatever changed since the claim."""
    instalment = _lock(instalment)
    _refuse_unless_decider(actor, instalment)
    if instalment.status != InstalmentStatus.CLAIMED:
        raise ApplicationError(NOT_DECIDABLE[instalment.status])
    reason = written(reason, field="reason", missing="", what="Write the reasons", required=False)
    problem = _cap_problem(
        instalment,
        instalment.claimed_amount,
        states=APPROVED_OR_PAID,
        held_what="approved or paid",
        verb="approved",
    )
    if problem:
        raise ApplicationError(problem)
    instalment.approve(by=actor, reason=reason)
    _decided(instalment, actor, "stages.instalment_approved", reason)
    _tell_partner(instalment, "approved")
    return instalment


@transaction.atomic
def instalment_withhold(*, actor: User, instalment: Instalment, reason: str) -> Instalment:
    """The lead officer withholds a claim, with reasons the partner is told (it may claim the
    instalment again with new evidence)."""
    instalment = _lock(instalment)
    _refuse_unless_decider(actor, instalment)
    if instalment.status != InstalmentStatus.CLAIMED:
        raise ApplicationError(NOT_DECIDABLE[instalment.status])
    reason = written(reason, field="reason", missing="Give the reasons for withholding the claim")
    instalment.withhold(by=actor, reason=reason)
    _decided(instalment, actor, "stages.instalment_withheld", reason)
    _tell_partner(instalment, "withheld")
    return instalment


# --- paying -----------------------------------------------------------------------------------


def _paid_on_problem(instalment: Instalment, paid_on: date | None) -> str:
    if paid_on is None:
        return "Enter the date of payment"
    if paid_on > london_date(timezone.now()):
        return "The date of payment must be today or in the past"
    approved_on = london_date(instalment.decided_at)
    if paid_on < approved_on:
        return (
            f"The date of payment must be on or after the approval of the claim on "
            f"{uk_date_text(approved_on)}"
        )
    return ""


@transaction.atomic
def instalment_mark_paid(*, actor: User, instalment: Instalment, paid_on: date) -> Instalment:
    """The lead officer records the date an approved claim was paid: not in the future (the
    server's clock, in UK time) and not before the approval."""
    instalment = _lock(instalment)
    _refuse_unless_decider(actor, instalment)
    if instalment.status != InstalmentStatus.APPROVED:
        raise ApplicationError(NOT_PAYABLE[instalment.status])
    problem = _paid_on_problem(instalment, paid_on)
    if problem:
        raise _refuse("paid_on", problem)
    instalment.mark_paid(by=actor, on=paid_on)
    instalment.full_clean(exclude=["status"])
    instalment.save(update_fields=["status", "paid_on", "paid_recorded_by", "paid_recorded_at"])
    audit_record(
        actor=actor,
        action="stages.instalment_paid",
        target=instalment,
        data={
            **_figures(instalment),
            "paid_on": paid_on.isoformat(),
            "approved_on": london_date(instalment.decided_at).isoformat(),
        },
    )
    _tell_partner(instalment, "paid", paid_on=uk_date_text(paid_on))
    return instalment
