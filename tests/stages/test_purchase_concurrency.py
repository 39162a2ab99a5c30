"""The purchase and the withdrawal at the same moment, on real PostgreSQL connections: one
decision per partnership, and purchase order numbers never taken twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import ApplicationError
from partners.models import Partnership, PartnershipStatus
from stages.models import PartnerWithdrawal, PurchaseDecision
from stages.services_purchase import purchase_record
from stages.services_withdrawal import partnership_withdraw
from tests.partners.test_tender_box_concurrency import at_once
from tests.stages.purchase_samples import all_phases_passed
from tests.stages.running_samples import running

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root", "bank_holidays"),
]

RESULTS = [{"measured": "97%", "met": True}, {"measured": "0.4", "met": True}]


def refusal_or(call):
    """``call()``'s result, or the message of its refusal (a wrong state)."""
    try:
        return call()
    except ApplicationError as refusal:
        return refusal.message


def buy(actor, partnership):
    return purchase_record(
        actor=actor,
        partnership=partnership,
        results=RESULTS,
        price=Decimal("800000"),
        reason="Every level met.",
    )


def test_a_purchase_and_a_withdrawal_at_once_leave_one_outcome(personas):
    sample = running(personas)
    partnership = all_phases_passed(personas, sample, personas.org_a)

    def act(actor):
        if actor.pk == personas.officer_a.pk:
            return refusal_or(lambda: buy(actor, partnership))
        return refusal_or(
            lambda: partnership_withdraw(actor=actor, partnership=partnership, reason="We stop.")
        )

    results, refused, errors = at_once(act, [personas.officer_a, personas.supplier_a_admin])

    assert errors == [] and refused == []
    outcomes = dict(results)
    messages = [value for value in outcomes.values() if isinstance(value, str)]
    assert len(messages) == 1
    bought = PurchaseDecision.objects.filter(partnership=partnership).exists()
    withdrawn = PartnerWithdrawal.objects.filter(partnership=partnership).exists()
    assert bought != withdrawn
    status = Partnership.objects.get(pk=partnership.pk).status
    assert status == (PartnershipStatus.PURCHASED if bought else PartnershipStatus.TERMINATED)


def test_two_purchases_at_once_take_different_order_numbers(personas):
    sample = running(personas)
    first = all_phases_passed(personas, sample, personas.org_a)
    second = all_phases_passed(personas, sample, personas.org_b)
    by_actor = {personas.officer_a.pk: first, personas.supplier_a_admin.pk: second}

    # The same lead officer acts twice, from two connections at once.
    results, refused, errors = at_once(
        lambda actor: buy(personas.officer_a, by_actor[actor.pk]).order_reference,
        [personas.officer_a, personas.supplier_a_admin],
    )

    assert errors == [] and refused == []
    prefix = f"{sample.procurement.reference}-PO-"
    assert sorted(reference for _, reference in results) == [f"{prefix}1", f"{prefix}2"]
