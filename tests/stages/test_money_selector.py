"""The partners' money per partner and per phase, against the caps: committed, claimed,
approved (unpaid), paid and withheld; approved claims unpaid for more than 30 days flagged
(PA 2023 s.68); figures that always add up; a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import given

from core.calendar import london_date
from stages.models import Instalment, InstalmentStatus
from stages.selectors_money import money_get, partner_money_list
from tests.stages.gate_samples import terminated
from tests.stages.instalment_samples import (
    approved,
    claimed,
    instalments_of,
    paid,
    withheld,
)
from tests.stages.running_samples import running
from tests.stages.test_instalment_caps import PROPERTY, apply, money_sample, steps

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


@pytest.fixture
def sample(personas):
    return running(personas)


def partner_of(money, organisation):
    return next(
        p for p in money.partners if p.partnership.request.organisation_id == organisation.pk
    )


def test_each_phase_shows_committed_claimed_approved_paid_and_withheld_against_its_cap(
    personas, sample
):
    first, second = instalments_of(sample, personas.org_a)
    paid(personas, first)  # £30,000 paid
    claimed(personas, second, "40000")  # £40,000 claimed

    money = money_get(user=personas.approver_a, procurement=sample.procurement)

    a = partner_of(money, personas.org_a)
    research, pilot = a.phases
    assert research.figures.cap == Decimal("75000")
    assert research.figures.committed == Decimal("75000")
    assert research.figures.paid == Decimal("30000")
    assert research.figures.claimed == Decimal("40000")
    assert research.figures.approved == research.figures.withheld == 0
    assert research.figures.held == Decimal("70000")
    assert research.figures.remaining == Decimal("5000")
    assert pilot.figures.committed == Decimal("150000") and pilot.figures.held == 0
    assert a.totals.cap == Decimal("225000")
    assert a.totals.held == Decimal("70000")
    assert a.totals.remaining == Decimal("155000")
    assert a.most_claimable(research) == Decimal("5000")
    assert [i.pk for i in a.waiting] == [second.pk]
    assert money.totals.committed == Decimal("450000")
    assert money.totals.cap == Decimal("450000")
    assert [(p.name, i.pk) for p, i in money.waiting] == [("Alpha Robotics Ltd", second.pk)]


def test_withheld_and_approved_money_is_shown_apart(personas, sample):
    first, second = instalments_of(sample, personas.org_a)
    withheld(personas, first)
    approved(personas, second)

    research = partner_of(
        money_get(user=personas.officer_a, procurement=sample.procurement), personas.org_a
    ).phases[0]

    assert research.figures.withheld == Decimal("30000")
    assert research.figures.approved == Decimal("45000")
    assert research.figures.held == Decimal("45000")


def test_a_claim_approved_31_days_ago_and_unpaid_is_flagged_and_30_days_is_not(personas, sample):
    first, second = instalments_of(sample, personas.org_a)
    approved(personas, first)
    approved(personas, second)
    now = timezone.now()
    # Only the clock is moved: the approvals happened 31 and 30 days ago.
    Instalment.objects.filter(pk=first.pk).update(decided_at=now - timedelta(days=31))
    Instalment.objects.filter(pk=second.pk).update(decided_at=now - timedelta(days=30))

    money = money_get(user=personas.officer_a, procurement=sample.procurement)

    [(partner, flag)] = money.flags
    assert partner.name == "Alpha Robotics Ltd"
    assert flag.instalment.pk == first.pk
    assert flag.days == 31
    assert flag.text == "Unpaid for 31 days: PA 2023 s.68 requires payment within 30 days"


def test_a_paid_claim_is_never_flagged(personas, sample):
    first = paid(personas, instalments_of(sample, personas.org_a)[0])
    # Only the clock is moved: approved 60 days ago, paid today.
    Instalment.objects.filter(pk=first.pk).update(
        decided_at=timezone.now() - timedelta(days=60),
        paid_on=london_date(timezone.now()),
    )

    assert money_get(user=personas.officer_a, procurement=sample.procurement).flags == []


@pytest.mark.parametrize("persona", ["evaluator_a", "officer_b", "supplier_a_admin"])
def test_nobody_else_reads_the_borough_view(personas, sample, persona):
    money = money_get(user=getattr(personas, persona), procurement=sample.procurement)

    assert money.partners == []


def test_the_borough_view_reads_in_four_queries_for_two_partners_and_for_four(
    personas, django_assert_num_queries
):
    for partners in (2, 4):
        sample = running(personas, partners=partners)
        for instalment in instalments_of(sample, personas.org_a):
            claimed(personas, instalment)
        assert sample.procurement.borough  # loaded with the procurement, as the page does
        # One for the permission (the user's roles), three for the money.
        with django_assert_num_queries(4):
            money = money_get(user=personas.officer_a, procurement=sample.procurement)
            assert len(money.partners) == partners
            assert money.totals.held == Decimal("75000")
            assert all(row.phase.name for p in money.partners for row in p.phases)
            assert all(i.schedule_item.milestone for _, i in money.waiting)


def test_a_supplier_reads_only_its_own_partnerships(personas, sample):
    [entry] = partner_money_list(user=personas.supplier_b_member)

    assert entry.money.partnership.request.organisation_id == personas.org_b.pk
    assert entry.is_lead and not entry.may_claim
    assert partner_money_list(user=personas.officer_a) == []
    [admin_entry] = partner_money_list(user=personas.supplier_a_admin)
    assert admin_entry.may_claim
    first, second = instalments_of(sample, personas.org_a)
    assert admin_entry.claimable_ids == {first.pk, second.pk}  # phase 2 has not started


def test_an_ended_partnership_is_listed_but_nothing_can_be_claimed(personas, sample):
    terminated(personas, sample, personas.org_a)  # at phase 1's gate: the contract ends

    [entry] = partner_money_list(user=personas.supplier_a_admin)

    assert not entry.may_claim and entry.claimable_ids == set()


# --- the figures always add up ----------------------------------------------------------------


def _sum(instalments, status=None) -> Decimal:
    found = instalments if status is None else instalments.filter(status=status)
    field = "amount" if status is None else "claimed_amount"
    return found.aggregate(total=Sum(field))["total"] or Decimal("0")


def assert_figures_add_up(personas, procurement) -> None:
    money = money_get(user=personas.officer_a, procurement=procurement)
    for partner in money.partners:
        for row in partner.phases:
            figures = row.figures
            rows = Instalment.objects.filter(participation=row.participation)
            assert figures.committed == _sum(rows) == row.participation.price
            for state in ("claimed", "approved", "paid", "withheld"):
                assert getattr(figures, state) == _sum(rows, state)
            assert figures.held == figures.claimed + figures.approved + figures.paid
            assert figures.held <= figures.committed  # never more than the agreed price
            assert figures.remaining == figures.cap - figures.held >= 0
        totals = partner.totals
        for name in ("committed", "claimed", "approved", "paid", "withheld"):
            assert getattr(totals, name) == sum(
                (getattr(row.figures, name) for row in partner.phases), Decimal("0")
            )
        assert totals.held <= totals.cap
        assert totals.remaining == totals.cap - totals.held
        assert all(partner.most_claimable(row) <= totals.remaining for row in partner.phases)
    assert money.totals.held == sum((p.totals.held for p in money.partners), Decimal("0"))
    assert money.totals.committed == sum((p.totals.committed for p in money.partners), Decimal("0"))


def test_the_money_figures_always_add_up(personas):
    money = money_sample(personas)
    procurement = money.sample.procurement

    @PROPERTY
    @given(steps=steps)
    def check(steps):
        with transaction.atomic():
            for operations, index, amount in steps:
                for operation in operations:
                    apply(money, operation, index, amount)
            assert_figures_add_up(personas, procurement)
            transaction.set_rollback(True)

    check()
    assert not Instalment.objects.exclude(status=InstalmentStatus.SCHEDULED).exists()
