"""No sequence of claims, approvals, withholdings and payments, in any order and with any
amounts, across phases and partners, takes a partner's money held against the caps (claimed,
approved or paid) above a phase's agreed price or the contract's total; nor its approved and
paid money (RULES.md point 8). Property-based (Hypothesis).

The sample is built once per test through the services (two partners, both phases started);
organisation A's contract total is lowered to £120,000, below the £225,000 its phases'
prices add up to, so the contract's cap binds as well as the phases'. Each example runs in a
savepoint that is rolled back, so every example starts from the same sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.calendar import london_date
from core.exceptions import ApplicationError
from partners.models import Partnership
from stages.models import (
    HELD_AGAINST_CAPS,
    Instalment,
    InstalmentStatus,
)
from stages.services_instalments import (
    instalment_approve,
    instalment_claim,
    instalment_mark_paid,
    instalment_withhold,
)
from tests.stages.gate_samples import passed
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

# Each step takes one instalment through one or more operations; the steps interleave
# instalments of both partners and phases in any order, and a single operation may come in
# any state (the services refuse the wrong ones).
OPERATIONS = (
    ("claim",),
    ("approve",),
    ("withhold",),
    ("pay",),
    ("claim", "approve"),
    ("claim", "withhold"),
    ("approve", "pay"),
    ("claim", "approve", "pay"),
)
INSTALMENTS = 8  # 2 partners x 2 phases x 2 instalments
A_TOTAL = Decimal("120000.00")

amounts = st.one_of(
    st.none(),  # the instalment's own amount, as the claim form offers it
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("160000"), places=2),
)
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, INSTALMENTS - 1), amounts),
    min_size=1,
    max_size=10,
)
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@dataclass
class Money:
    """The sample's procurement, its instalments and who acts."""

    sample: object
    instalments: list[Instalment]
    admins: dict[int, object]  # partnership id -> its organisation's administrator
    officer: object


def money_sample(personas) -> Money:
    sample = running(personas, partners=2)
    # Phase 1 passed at its gate for both partners, which starts phase 2: every instalment
    # can be claimed.
    for organisation in (personas.org_a, personas.org_b):
        passed(personas, sample, organisation, 1)
    a = sample.partnership_of(personas.org_a)
    Partnership.objects.filter(pk=a.pk).update(total_price=A_TOTAL)
    instalments = list(
        Instalment.objects.filter(participation__partnership__in=sample.partnerships).order_by(
            "participation__partnership__reference", "participation__phase__order", "pk"
        )
    )
    assert len(instalments) == INSTALMENTS
    b = sample.partnership_of(personas.org_b)
    admins = {a.pk: personas.supplier_a_admin, b.pk: personas.supplier_b_admin}
    return Money(sample, instalments, admins, personas.officer_a)


def apply(money: Money, operation: str, index: int, amount: Decimal | None) -> None:
    """One step through the services; a refusal is part of the sequence."""
    instalment = Instalment.objects.select_related("participation").get(
        pk=money.instalments[index].pk
    )
    officer = money.officer
    try:
        if operation == "claim":
            instalment_claim(
                actor=money.admins[instalment.participation.partnership_id],
                instalment=instalment,
                amount=instalment.amount if amount is None else amount,
                evidence="The milestone's report is delivered.",
            )
        elif operation == "approve":
            instalment_approve(actor=officer, instalment=instalment)
        elif operation == "withhold":
            instalment_withhold(actor=officer, instalment=instalment, reason="Not evidenced.")
        else:
            instalment_mark_paid(
                actor=officer, instalment=instalment, paid_on=london_date(timezone.now())
            )
    except ApplicationError:
        pass


def held(partnership_id: int, states, participation_id: int | None = None) -> Decimal:
    found = Instalment.objects.filter(
        participation__partnership_id=partnership_id, status__in=states
    )
    if participation_id is not None:
        found = found.filter(participation_id=participation_id)
    return found.aggregate(total=Sum("claimed_amount"))["total"] or Decimal("0")


def assert_within_the_caps(money: Money) -> None:
    for partnership in Partnership.objects.filter(pk__in=money.admins):
        for states in (HELD_AGAINST_CAPS, (InstalmentStatus.APPROVED, InstalmentStatus.PAID)):
            assert held(partnership.pk, states) <= partnership.total_price
            for participation in partnership.participations.all():
                assert held(partnership.pk, states, participation.pk) <= participation.price


def test_no_sequence_of_claims_and_decisions_exceeds_a_phase_cap_or_the_contract_total(
    personas,
):
    money = money_sample(personas)
    reached = set()

    @PROPERTY
    @given(steps=steps)
    def check(steps):
        with transaction.atomic():
            for operations, index, amount in steps:
                for operation in operations:
                    apply(money, operation, index, amount)
                    assert_within_the_caps(money)
            reached.update(
                Instalment.objects.filter(
                    ~Q(status=InstalmentStatus.SCHEDULED), pk__in=[i.pk for i in money.instalments]
                ).values_list("status", flat=True)
            )
            transaction.set_rollback(True)

    check()

    # The sequences did reach every state, so the property was tested, not vacuous.
    assert reached == {
        InstalmentStatus.CLAIMED,
        InstalmentStatus.APPROVED,
        InstalmentStatus.PAID,
        InstalmentStatus.WITHHELD,
    }
    # Every example was rolled back.
    assert not Instalment.objects.exclude(status=InstalmentStatus.SCHEDULED).exists()
