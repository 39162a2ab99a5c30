"""The partner's one page (issue 6 point 7): its phases, targets and dates, its own gate
results, its instalments and payments, the purchase decision and what it must do next, for
every partnership of its organisation whatever its state; never another partner's."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import london_date
from stages.models import GateOutcome, Instalment
from stages.services_instalments import instalment_approve, instalment_claim, instalment_mark_paid
from stages.services_purchase import purchase_record
from tests.stages.gate_samples import passed, terminated
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PAGE = "stages:partner-phases"


def section_of(html: str, partnership) -> str:
    found = re.search(rf'<section id="partnership-{partnership.pk}".*?</section>', html, re.S)
    assert found is not None, "the partnership's section"
    return found.group(0)


@pytest.fixture
def decided(personas):
    """A passed the first gate (and is in the pilot); B was terminated at it."""
    sample = running(personas)
    passed(personas, sample, personas.org_a)
    terminated(personas, sample, personas.org_b)
    return sample


def test_a_terminated_partner_still_sees_its_gate_result_and_what_is_left(personas, login, decided):
    theirs = decided.partnership_of(personas.org_b)
    html = login(personas.supplier_b_admin).get(reverse(PAGE)).content.decode()

    section = section_of(html, theirs)
    assert ">Terminated</strong>" in section
    condition = decided.phases[0].termination_conditions.order_by("order").first()
    assert f"the announced condition: {condition.condition}" in section
    first = decided.participation(personas.org_b, 1)
    assert reverse("stages:partner-gate", kwargs={"pk": first.pk}) in section
    assert "Nothing: this partnership contract has ended." in section
    assert "Withdraw from this partnership" not in section  # its contract has ended
    assert decided.partnership_of(personas.org_a).reference not in html


def test_a_partner_that_passed_sees_its_next_phase_its_money_and_what_to_claim(
    personas, login, decided
):
    mine = decided.partnership_of(personas.org_a)
    first = decided.participation(personas.org_a, 1)
    instalment = first.instalments.order_by("schedule_item__order").first()
    instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=instalment,
        amount=instalment.amount,
        evidence="The interim report was accepted at the progress meeting.",
    )
    instalment_approve(actor=personas.officer_a, instalment=instalment)
    instalment_mark_paid(
        actor=personas.officer_a, instalment=instalment, paid_on=london_date(timezone.now())
    )

    html = login(personas.supplier_a_admin).get(reverse(PAGE)).content.decode()

    section = section_of(html, mine)
    assert "Pilot: Report your progress and submit deliverables" in section
    assert GateOutcome.PASS.label in section  # the first gate's result
    assert f"Paid on {london_date(timezone.now()).strftime('%-d %B %Y')}" in section
    assert "of which paid £30,000.00" in section
    claims = re.findall(r'href="/procurements/my-money/instalments/(\d+)/claim/"', section)
    # The second instalment of the first phase and both of the pilot are claimable.
    others = Instalment.objects.filter(participation__partnership=mine).exclude(pk=instalment.pk)
    assert sorted(map(int, claims)) == sorted(others.values_list("pk", flat=True))
    assert reverse("stages:partner-withdraw", kwargs={"pk": mine.pk}) in section
    assert decided.partnership_of(personas.org_b).reference not in html


def test_the_members_read_without_acting(personas, login, decided):
    html = login(personas.supplier_a_member).get(reverse(PAGE)).content.decode()

    section = section_of(html, decided.partnership_of(personas.org_a))
    assert "Pilot: Report your progress" in section
    assert "claim/" not in section
    assert "Withdraw from this partnership" not in section


def test_after_the_last_gate_the_partner_sees_the_purchase_decision(personas, login, decided):
    passed(personas, decided, personas.org_a, number=2)
    mine = decided.partnership_of(personas.org_a)
    client = login(personas.supplier_a_admin)
    waiting = section_of(client.get(reverse(PAGE)).content.decode(), mine)
    assert "the borough now decides whether to buy the result" in waiting

    levels = mine.performance_levels
    purchase_record(
        actor=personas.officer_a,
        partnership=mine,
        results=[{"measured": f"{level['level']} met", "met": True} for level in levels],
        price=mine.purchase_max_cost,
        reason="The result meets every agreed level within the maximum cost.",
    )

    section = section_of(client.get(reverse(PAGE)).content.decode(), mine)
    assert ">Purchased</strong>" in section
    assert "Purchase decision" in section and "purchase order " in section
    assert "£900,000.00" in section
    assert "the borough&#x27;s purchase decision is made: bought" in section.lower()
