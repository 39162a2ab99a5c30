"""The final purchase (RULES.md points 10 and 11; PCR 2015 reg. 31(2); PA 2023 s.20).

Once a partner has passed the gate of every phase and its contract is still active, the lead
officer records its result against each performance level agreed in its contract (a measured
value and whether it meets the level) and the price. The purchase is refused where a level
is not met or the price is above the maximum cost agreed; there is no obligation to buy, so
the borough may instead decline with a reason. Buying records the purchase order and the
contract ends purchased; declining ends it completed (the R&D part done, nothing bought).
When no contract of the procurement remains active, the procurement closes.

Each service locks the partnership, then the procurement (as ``procurement_close_if_done``
does), checks the actor and the state, records the decision and an audit event, and e-mails
the partner's administrators once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from partners.models import Partnership, PartnershipStatus
from partners.services_common import (
    procurement_lock,
    text_problem,
    written,
)
from procurements.models import Procurement
from procurements.sections import pounds_text

from .models import ParticipationStatus, PurchaseDecision, PurchaseOutcome
from .permissions import is_running_officer
from .services_closing import procurement_close_if_done
from .services_gate_decisions import partner_admin_emails

ORDER_REFERENCE_MAX = 40
MEASURED_MAX = 200
LEAD_ONLY = "Only the lead officer of the procurement records the purchase decision."
NOT_REACHED = (
    "{reference} has not passed every phase: the purchase decision is made only once the gate "
    "of its last phase is passed (RULES.md point 10). Until then, a gate decision may "
    "terminate the partner."
)
ALREADY_DECIDED = (
    "The purchase decision on {reference} has already been made ({outcome}): it cannot be made "
    "again."
)
ENDED = "{reference}'s contract has ended ({status}): there is no purchase to decide."
LEVEL_NOT_MET = (
    "The result does not meet the agreed performance level for {metric} ({level}): it cannot "
    "be bought. You may decline to buy instead."
)


def measured_field(index: int) -> str:
    return f"measured_{index}"


def met_field(index: int) -> str:
    return f"met_{index}"


def can_decide_purchase(user: User, partnership: Partnership) -> bool:
    """The lead officer of the active procurement (RULES.md point 10)."""
    return is_running_officer(user, partnership.procurement)


def has_passed_every_phase(participations: Sequence[Any]) -> bool:
    """Every phase of the partner passed at its gate (and it has at least one)."""
    return bool(participations) and all(
        p.status == ParticipationStatus.PASSED for p in participations
    )


def purchase_decision_of(partnership: Partnership) -> PurchaseDecision | None:
    """The partnership's purchase decision, if made."""
    try:
        return partnership.purchase_decision
    except PurchaseDecision.DoesNotExist:
        return None


def purchase_state_problem(partnership: Partnership, participations: Sequence[Any]) -> str:
    """Why no purchase decision can be made on ``partnership`` now, or "": it is decided
    once, on an active contract whose every phase has passed its gate."""
    decision = purchase_decision_of(partnership)
    reference = partnership.reference
    if decision is not None:
        return ALREADY_DECIDED.format(
            reference=reference, outcome=decision.get_outcome_display().lower()
        )
    if partnership.status != PartnershipStatus.ACTIVE:
        return ENDED.format(reference=reference, status=partnership.get_status_display().lower())
    if not has_passed_every_phase(participations):
        return NOT_REACHED.format(reference=reference)
    return ""


def _lock(partnership: Partnership) -> tuple[Partnership, Procurement, list]:
    locked = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("request__organisation", "procurement")
        .get(pk=partnership.pk)
    )
    procurement = procurement_lock(locked.procurement_id)
    locked.procurement = procurement
    return locked, procurement, list(locked.participations.all())


def _check(actor: User, partnership: Partnership, participations: list) -> None:
    if not can_decide_purchase(actor, partnership):
        raise PermissionRefused(LEAD_ONLY)
    problem = purchase_state_problem(partnership, participations)
    if problem:
        raise ApplicationError(problem)


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ApplicationError(" ".join(dict.fromkeys(errors.values())), extra={"errors": errors})


def results_problems(
    levels: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]]
) -> tuple[list[dict], dict[str, str]]:
    """Each agreed level with its measured value and whether it is met, and the problems
    found per field: a value missing, an answer missing, or a level not met (RULES.md point
    10)."""
    if len(results) != len(levels):
        raise ApplicationError(
            f"Give a result for each of the {len(levels)} agreed performance levels."
        )
    errors: dict[str, str] = {}
    found = []
    for index, (level, result) in enumerate(zip(levels, results, strict=True)):
        metric, agreed = level.get("metric", ""), level.get("level", "")
        measured = str(result.get("measured") or "").strip()
        met = result.get("met")
        if not measured:
            errors[measured_field(index)] = f"Enter the measured value for {metric}"
        elif len(measured) > MEASURED_MAX:
            errors[measured_field(index)] = (
                f"Enter the measured value for {metric} in {MEASURED_MAX} characters or fewer"
            )
        if met is None:
            errors[met_field(index)] = (
                f"Select whether the result meets the agreed performance level for {metric}"
            )
        elif not met:
            errors[met_field(index)] = LEVEL_NOT_MET.format(metric=metric, level=agreed)
        found.append({"metric": metric, "level": agreed, "measured": measured, "met": met})
    return found, errors


def price_problem(maximum: Decimal, price: Decimal | None) -> str:
    """Why ``price`` cannot be paid, or "": given, above nothing, and within the maximum
    cost agreed in the contract (RULES.md point 10)."""
    if price is None:
        return "Enter the price of the purchase"
    if price <= 0:
        return "Enter a price above £0"
    if price > maximum:
        return (
            f"The price is above the maximum cost agreed in the contract, {pounds_text(maximum)}: "
            "the result cannot be bought at this price"
        )
    return ""


def _order_reference(procurement: Procurement, given: str) -> str:
    """The purchase order reference given (unique), or the next "<procurement>-PO-<n>"; the
    caller holds the procurement's lock, so two purchases never take the same number."""
    given = (given or "").strip()
    if given:
        if len(given) > ORDER_REFERENCE_MAX:
            _refuse(
                {
                    "order_reference": "Enter the purchase order reference in "
                    f"{ORDER_REFERENCE_MAX} characters or fewer"
                }
            )
        if PurchaseDecision.objects.filter(order_reference=given).exists():
            _refuse(
                {
                    "order_reference": "This purchase order reference is already used: enter "
                    "another, or leave it blank for one to be given"
                }
            )
        return given
    prefix = f"{procurement.reference}-PO-"
    used = PurchaseDecision.objects.filter(order_reference__startswith=prefix).values_list(
        "order_reference", flat=True
    )
    numbers = [int(ref[len(prefix) :]) for ref in used if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _save_ended(partnership: Partnership) -> None:
    partnership.full_clean(exclude=["status"])  # protected: only the transition sets it
    partnership.save(update_fields=["status"])


def _tell_partner(decision: PurchaseDecision, procurement: Procurement) -> None:
    partnership = decision.partnership
    send_after_commit(
        template="stages/purchase/email/decided",
        context={
            "decision": decision,
            "partnership": partnership,
            "procurement": procurement,
            "price": pounds_text(decision.price) if decision.price is not None else "",
            "url": absolute_url(reverse("stages:partner-phases")),
        },
        # Like a gate decision: the partner's organisation and its consortium members.
        recipients=partner_admin_emails(partnership),
    )


def _close(actor: User, procurement: Procurement, partnership: Partnership, outcome: str) -> None:
    procurement_close_if_done(
        actor=actor,
        procurement_id=procurement.pk,
        reason=f"The purchase decision on {partnership.reference} ({outcome}) ended the last "
        "active partnership.",
    )


@transaction.atomic
def purchase_record(
    *,
    actor: User,
    partnership: Partnership,
    results: Sequence[Mapping[str, Any]],
    price: Decimal | None,
    order_reference: str = "",
    reason: str,
) -> PurchaseDecision:
    """The lead officer buys the partner's result: ``results`` gives, for each performance
    level agreed in the contract (in its order), the ``measured`` value and whether it is
    ``met``. Refused if any level is not met or the price is missing or above the maximum
    cost agreed (RULES.md point 10; PCR 2015 reg. 31(2)). Records the purchase order and
    ends the contract purchased."""
    partnership, procurement, participations = _lock(partnership)
    _check(actor, partnership, participations)
    maximum = partnership.purchase_max_cost
    if maximum is None:
        raise ApplicationError(
            f"The contract of {partnership.reference} agreed no maximum cost for the final "
            "purchase: its result cannot be bought under this partnership."
        )
    found, errors = results_problems(partnership.performance_levels, results)
    problems = {
        "price": price_problem(maximum, price),
        "reason": text_problem(reason, missing="Give your reasons for buying"),
    }
    _refuse({**errors, **{field: problem for field, problem in problems.items() if problem}})
    reference = _order_reference(procurement, order_reference)
    decision = PurchaseDecision(
        partnership=partnership,
        outcome=PurchaseOutcome.BOUGHT,
        results=found,
        price=price,
        order_reference=reference,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    partnership.purchase()
    _save_ended(partnership)
    audit_record(
        actor=actor,
        action="stages.purchase_bought",
        target=partnership,
        data={
            "partnership": partnership.reference,
            "decision_id": decision.pk,
            "order_reference": reference,
            "price": str(price),
            "max_cost": str(partnership.purchase_max_cost),
            "results": found,
            "reason": decision.reason,
        },
    )
    _tell_partner(decision, procurement)
    _close(actor, procurement, partnership, "bought")
    return decision


@transaction.atomic
def purchase_decline(*, actor: User, partnership: Partnership, reason: str) -> PurchaseDecision:
    """The borough declines to buy the partner's result, with its reasons: there is no
    obligation to buy (RULES.md point 10). Only once the partner has passed every phase
    (before that, a gate decision is the way to end its contract); the contract ends
    completed."""
    partnership, procurement, participations = _lock(partnership)
    _check(actor, partnership, participations)
    reason = written(reason, field="reason", missing="Give your reasons for not buying")
    decision = PurchaseDecision(
        partnership=partnership,
        outcome=PurchaseOutcome.DECLINED,
        results=[],
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    decision.full_clean(exclude=["results"])  # none measured: an empty list
    decision.save()
    partnership.complete()
    _save_ended(partnership)
    audit_record(
        actor=actor,
        action="stages.purchase_declined",
        target=partnership,
        data={
            "partnership": partnership.reference,
            "decision_id": decision.pk,
            "reason": reason,
        },
    )
    _tell_partner(decision, procurement)
    _close(actor, procurement, partnership, "not bought")
    return decision
