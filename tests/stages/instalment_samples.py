"""Instalments in each state, for the tests of the instalment services, the partner's and the
borough's money pages and the money selector. Everything goes through the services, as the
pages would: organisation A's administrator claims, officer A (the lead officer) approves,
withholds and records the payment.

Sample (``tests.stages.running_samples.running``): phase 1 agreed at £75,000 (instalments
£30,000 and £45,000), phase 2 at £150,000 (£60,000 and £90,000), the contract's total £225,000.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from core.calendar import london_date
from core.models import AuditEvent
from stages.models import Instalment, InstalmentStatus
from stages.services_instalments import (
    instalment_approve,
    instalment_claim,
    instalment_mark_paid,
    instalment_withhold,
)
from tests.stages.gate_samples import passed

EVIDENCE = "The interim report was delivered on the portal and accepted by the service team."


def instalments_of(sample, organisation, number: int = 1) -> list[Instalment]:
    """``organisation``'s instalments in phase ``number``, in the plan's order, fresh."""
    return list(
        Instalment.objects.filter(
            participation=sample.participation(organisation, number)
        ).order_by("schedule_item__order")
    )


def fresh(instalment: Instalment) -> Instalment:
    return Instalment.objects.get(pk=instalment.pk)


def events(action: str, instalment: Instalment) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=f"stages.instalment_{action}", target_id=str(instalment.pk)
        )
    )


def start_phase_two(personas, sample, organisation) -> None:
    """Phase 1 passed at its gate (final report, marks, moderation, pass), which starts
    phase 2 today."""
    passed(personas, sample, organisation, 1)


def claimed(personas, instalment, amount=None) -> Instalment:
    return instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=instalment,
        amount=instalment.amount if amount is None else Decimal(amount),
        evidence=EVIDENCE,
    )


def approved(personas, instalment, amount=None) -> Instalment:
    return instalment_approve(
        actor=personas.officer_a, instalment=claimed(personas, instalment, amount)
    )


def paid(personas, instalment) -> Instalment:
    return instalment_mark_paid(
        actor=personas.officer_a,
        instalment=approved(personas, instalment),
        paid_on=london_date(timezone.now()),
    )


def withheld(personas, instalment) -> Instalment:
    return instalment_withhold(
        actor=personas.officer_a,
        instalment=claimed(personas, instalment),
        reason="The report does not cover the homes monitored.",
    )


def in_state(personas, instalment, state: str) -> Instalment:
    make = {
        InstalmentStatus.SCHEDULED: lambda p, i: i,
        InstalmentStatus.CLAIMED: claimed,
        InstalmentStatus.APPROVED: approved,
        InstalmentStatus.PAID: paid,
        InstalmentStatus.WITHHELD: withheld,
    }[state]
    return fresh(make(personas, instalment))
