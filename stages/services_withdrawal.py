"""A partner's own withdrawal from its partnership (RULES.md points 8 and 9; PA 2023 s.80).

An administrator of the partner's (lead) organisation may withdraw, with its reasons, while
its contract is active and no purchase decision has been made on it: every phase still open
(not started, in progress or under review) ends, the contract ends terminated, and under PA
2023 the contract termination notice (UK11) is published in the same transaction, so never
late; under PCR 2015 none is published and the withdrawal and its reasons are the record
(reg. 84). The lead officer is told. Instalments already claimed, approved or paid are left
as they are: they are settled under the contract's own terms. When no contract of the
procurement remains active, the procurement closes.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.permissions import is_organisation_admin
from partners.models import Partnership, PartnershipStatus
from partners.services_common import procurement_lock, written

from .models import OPEN_STATES, PartnerWithdrawal
from .notices import contract_termination_notice_publish
from .permissions import is_partner_admin
from .services_closing import procurement_close_if_done
from .services_purchase import purchase_decision_of

ADMIN_ONLY = (
    "Only an administrator of the partner's organisation can withdraw it from the partnership."
)
HOW = "The partner withdrew"


def is_partner_organisation_admin(user: User, partnership: Partnership) -> bool:
    """An administrator of the partner's lead organisation, whatever the state of its
    contract (``is_partner_admin`` adds: while it is active)."""
    return is_organisation_admin(user, partnership.request.organisation)


def withdrawal_problem(partnership: Partnership) -> str:
    """Why the partner cannot withdraw now, or "": its contract must still be active, with
    no purchase decision made on it."""
    decision = purchase_decision_of(partnership)
    if decision is not None:
        return (
            f"The purchase decision on {partnership.reference} has been made "
            f"({decision.get_outcome_display().lower()}): its contract can no longer be "
            "withdrawn from."
        )
    if partnership.status != PartnershipStatus.ACTIVE:
        return (
            f"{partnership.reference}'s contract has already ended "
            f"({partnership.get_status_display().lower()}): there is nothing to withdraw from."
        )
    return ""


def can_withdraw(user: User, partnership: Partnership) -> bool:
    """The partner's organisation administrator, while its contract is active and no
    purchase decision has been made on it."""
    return is_partner_admin(user, partnership) and not withdrawal_problem(partnership)


@transaction.atomic
def partnership_withdraw(
    *, actor: User, partnership: Partnership, reason: str
) -> PartnerWithdrawal:
    """The partner's organisation administrator withdraws it from its partnership, with its
    reasons: its open phases end, its contract ends, the UK11 is published under PA 2023 and
    the lead officer is told."""
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("request__organisation", "procurement__lead_officer")
        .get(pk=partnership.pk)
    )
    if not is_partner_organisation_admin(actor, partnership):
        raise PermissionRefused(ADMIN_ONLY)
    problem = withdrawal_problem(partnership)
    if problem:
        raise ApplicationError(problem)
    reason = written(reason, field="reason", missing="Give your reasons for withdrawing")
    procurement = procurement_lock(partnership.procurement_id)
    now = timezone.now()
    ended = []
    for participation in (
        partnership.participations.filter(status__in=OPEN_STATES)
        .select_related("phase")
        .select_for_update(of=("self",))
    ):
        participation.end(at=now)
        participation.full_clean(exclude=["status"])
        participation.save(update_fields=["status", "decided_at"])
        ended.append({"phase_id": participation.phase_id, "phase": participation.phase.name})
    partnership.terminate()
    partnership.full_clean(exclude=["status"])  # protected: only the transition sets it
    partnership.save(update_fields=["status"])
    notice = contract_termination_notice_publish(
        actor=actor, partnership=partnership, ended_on=london_date(now), how=HOW, reason=reason
    )
    withdrawal = PartnerWithdrawal(
        partnership=partnership, reason=reason, withdrawn_by=actor, withdrawn_at=now, notice=notice
    )
    withdrawal.full_clean()
    withdrawal.save()
    audit_record(
        actor=actor,
        action="stages.partner_withdrew",
        target=partnership,
        data={
            "partnership": partnership.reference,
            "withdrawal_id": withdrawal.pk,
            "reason": reason,
            "phases_ended": ended,
            "notice_id": notice.pk if notice is not None else None,
        },
    )
    lead = procurement.lead_officer
    send_after_commit(
        template="stages/withdrawal/email/withdrew",
        context={
            "withdrawal": withdrawal,
            "partnership": partnership,
            "procurement": procurement,
            "notice": notice,
            "url": absolute_url(reverse("stages:progress", kwargs={"pk": procurement.pk})),
        },
        recipients=[lead.email] if lead is not None and lead.is_active else [],
    )
    procurement_close_if_done(
        actor=actor,
        procurement_id=procurement.pk,
        reason=f"{partnership.reference} withdrew: no partnership remains active.",
    )
    return withdrawal
