"""Entering the partnership contracts after standstill (RULES.md points 8, 10 and 12; PA 2023
s.51 and s.53; PCR 2015 regs. 31, 50 and 87).

No contract is entered before the standstill period has ended, nor while the award is
suspended (``services_award.contracts_may_be_entered`` decides, by the server's clock). The
lead officer then enters one ``Partnership`` per awarded partner, recording what was agreed:
the price of each phase from the partner's final tender, the maximum cost and performance
levels of the final purchase and the IP terms as the tender documents announced them, and the
partner's background IP as its final tender declared it. The contract details notice is
published (UK7 under PA 2023 s.53; the contract award notice under PCR 2015 reg. 50), the
procurement becomes active and the partners are told.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from procurements.models import Notice, NoticeKind, Procurement, Regime
from procurements.sections import pounds_text, uk_date_text
from procurements.services.notices import (
    authority_section,
    notice_field,
    notice_publish,
    notice_section,
    procurement_section,
)

from .contract_hooks import contracts_entered
from .debarment import debarment_refusal
from .models import AwardDecision, AwardEntry, Partnership
from .permissions_partnerships import can_enter_contracts
from .selectors_tenders import standing_submission
from .services_award import contracts_may_be_entered, decision_lock
from .services_common import organisation_admin_emails
from .services_tenders import submission_content
from .tender_content import PHASE_PLAN_KEY, announced_phases, money

# The announced IP terms' section (contributed by ip_rights, which partners may not import).
IP_TERMS_KEY = "ip-terms"


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


# --- what was announced and what was tendered -----------------------------------------------


def announced_sections(procurement: Procurement) -> dict[str, Any]:
    """The sections of the latest publication version by key: what the tenderers were told."""
    latest = procurement.versions.order_by("-number").first()
    if latest is None:
        return {}
    return {part["key"]: part.get("content") for part in latest.content.get("sections", [])}


def announced_purchase(sections: dict[str, Any]) -> tuple[Decimal | None, list]:
    """The final purchase's maximum cost and performance levels, as announced (RULES.md point
    10: the purchase is made only at these levels and within this cost)."""
    purchase = (sections.get(PHASE_PLAN_KEY) or {}).get("purchase") or {}
    return money(purchase.get("max_cost") or ""), list(purchase.get("performance_levels") or [])


def agreed_prices(procurement: Procurement, content: dict[str, Any]) -> list[dict[str, Any]]:
    """The price of each announced phase as the final tender gave it."""
    prices = content.get("prices") or {}
    return [
        {
            "number": phase.number,
            "name": phase.name,
            "price": str(money(prices.get(str(phase.number), "")) or Decimal("0.00")),
        }
        for phase in announced_phases(procurement)
    ]


# --- the contract details notice --------------------------------------------------------------


def contract_notice_kind(procurement: Procurement) -> str:
    if procurement.regime == Regime.PA2023:
        return NoticeKind.UK7
    return NoticeKind.PCR_CONTRACT_AWARD


def _partnership_lines(partnership: Partnership) -> list[str]:
    lines = [
        f"Contract {partnership.reference}, signed {uk_date_text(partnership.signed_on)}",
        f"Total value of the phases {pounds_text(partnership.total_price)}",
    ]
    lines += [
        f"Phase {phase['number']} {phase['name']}: {pounds_text(Decimal(phase['price']))}"
        for phase in partnership.phase_prices
    ]
    return lines


def contract_notice_content(
    procurement: Procurement, partnerships: list[Partnership], *, signed_on: date
) -> dict[str, Any]:
    """The contract details notice (UK7, PA 2023 s.53; under PCR 2015 the contract award
    notice, reg. 50): each partner's contract and value, the final purchase's maximum cost
    and the performance levels that serve as its key performance indicators."""
    kind = contract_notice_kind(procurement)
    first = partnerships[0]
    levels = [
        f"{level.get('metric', '')}: {level.get('level', '')}" for level in first.performance_levels
    ]
    return {
        "title": f"{NoticeKind(kind).label}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            procurement_section(
                procurement,
                notice_field("Contracts signed", uk_date_text(signed_on)),
                published=False,
            ),
            notice_section(
                "Partnership contracts",
                [
                    notice_field(p.request.organisation.name, _partnership_lines(p))
                    for p in partnerships
                ],
            ),
            notice_section(
                "Final purchase",
                [
                    notice_field("Maximum cost", pounds_text(first.purchase_max_cost)),
                    notice_field("Performance levels (key performance indicators)", levels),
                    notice_field(
                        "Obligation to buy",
                        "None: the result is bought only if it meets the performance levels "
                        "and the maximum cost agreed.",
                    ),
                ],
            ),
        ],
    }


# --- entering the contracts -------------------------------------------------------------------


def _signed_on_error(signed_on: date | None, decision: AwardDecision, today: date) -> str:
    if signed_on is None:
        return "Enter the date the contracts were signed"
    if signed_on > today:
        return "The date the contracts were signed must be today or in the past"
    if decision.standstill_last_day and signed_on <= decision.standstill_last_day:
        return (
            "The contracts must be signed after the standstill period, which ran until "
            f"{uk_date_text(decision.standstill_last_day)}"
        )
    return ""


def _awarded_entries(decision: AwardDecision) -> list[AwardEntry]:
    return list(
        decision.entries.filter(awarded=True)
        .select_related("proposal__request__organisation", "proposal__round")
        .prefetch_related("proposal__request__members__organisation")
        .order_by("rank", "proposal__request__organisation__name", "pk")
    )


def _tell_the_partners(procurement: Procurement, partnerships: list[Partnership]) -> None:
    for partnership in partnerships:
        request = partnership.request
        url = absolute_url(reverse("tenders:partnership", kwargs={"pk": partnership.pk}))
        for organisation in [
            request.organisation,
            *(m.organisation for m in request.members.all()),
        ]:
            send_after_commit(
                template="partners/partnerships/email/entered",
                context={
                    "procurement": procurement,
                    "partnership": partnership,
                    "organisation": organisation,
                    "signed_on": uk_date_text(partnership.signed_on),
                    "url": url,
                },
                recipients=organisation_admin_emails(organisation),
            )


@transaction.atomic
def contracts_enter(
    *, actor: User, decision: AwardDecision, signed_on: date | None
) -> list[Partnership]:
    """The lead officer enters the partnership contracts signed on ``signed_on``, after
    standstill: refused, with the reason, while ``contracts_may_be_entered`` gives one (in
    standstill, suspended, not in standstill)."""
    decision = decision_lock(decision)
    procurement = decision.procurement
    if not can_enter_contracts(actor, decision):
        raise PermissionRefused(
            "Only the lead officer enters the partnership contracts, once the award is in "
            "standstill."
        )
    now = timezone.now()
    reason = contracts_may_be_entered(decision, now)
    if reason:
        raise ApplicationError(reason)
    problem = _signed_on_error(signed_on, decision, london_date(now))
    if problem:
        raise ApplicationError(problem, extra={"errors": {"signed_on": problem}})
    entries = _awarded_entries(decision)
    if not entries:
        raise ApplicationError("The award names no partner: there is no contract to enter.")
    debarred = debarment_refusal([e.proposal.request for e in entries], on=london_date(now))
    if debarred:
        raise ApplicationError(debarred)
    sections = announced_sections(procurement)
    max_cost, levels = announced_purchase(sections)
    ip_terms = sections.get(IP_TERMS_KEY) or {}
    partnerships, read = [], []
    for number, entry in enumerate(entries, 1):
        submission = standing_submission(entry.proposal)
        content = submission_content(submission)
        read.append(submission.pk)
        phase_prices = agreed_prices(procurement, content)
        partnership = Partnership.objects.create(
            procurement=procurement,
            award_entry=entry,
            request=entry.proposal.request,
            reference=f"{procurement.reference}-P{number}",
            phase_prices=phase_prices,
            total_price=sum((Decimal(p["price"]) for p in phase_prices), Decimal("0.00")),
            purchase_max_cost=max_cost,
            performance_levels=levels,
            ip_terms=ip_terms,
            background_ip=content.get("background_ip", ""),
            signed_on=signed_on,
            entered_by=actor,
        )
        partnerships.append(partnership)
    decision.contract()
    decision.save(update_fields=["status"])
    procurement.activate()
    procurement.save(update_fields=["status", "updated_at"])
    notice: Notice = notice_publish(
        procurement=procurement,
        kind=contract_notice_kind(procurement),
        content=contract_notice_content(procurement, partnerships, signed_on=signed_on),
        actor=actor,
        version=procurement.versions.order_by("-number").first(),
    )
    _tell_the_partners(procurement, partnerships)
    contracts_entered(actor=actor, partnerships=partnerships)
    _audit(
        actor=actor,
        action="partners.contracts_entered",
        target=procurement,
        decision_id=decision.pk,
        partnerships=[p.pk for p in partnerships],
        references=[p.reference for p in partnerships],
        signed_on=signed_on.isoformat(),
        notice_id=notice.pk,
        final_tenders_read=read,
    )
    return partnerships
