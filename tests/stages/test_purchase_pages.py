"""The purchase pages: the borough sees every partner's standing for the purchase, the terms
agreed and the decisions; the lead officer records a result against every agreed level and
the price, or declines to buy with reasons; refusals come back on the form with everything
typed kept (RULES.md point 10). A constant number of queries in the number of partners."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.models import Partnership, PartnershipStatus
from stages.models import PurchaseDecision, PurchaseOutcome
from stages.selectors_purchase import purchase_for_partner
from stages.services_purchase import purchase_decline, purchase_record
from tests.partners.test_partnership_pages import queries
from tests.stages.purchase_samples import all_phases_passed
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

FILLED = {
    "measured_0": "97% within a minute",
    "met_0": "yes",
    "measured_1": "0.4 a week per home",
    "met_1": "yes",
    "price": "£850,000",
    "order_reference": "",
    "reason": "Every level met within the budget.",
}
LEVEL_NOT_MET = (
    "The result does not meet the agreed performance level for False alarms (Under 1 a week "
    "per home): it cannot be bought. You may decline to buy instead."
)


def page_url(procurement) -> str:
    return reverse("stages:purchase", kwargs={"pk": procurement.pk})


def record_url(partnership) -> str:
    return reverse(
        "stages:purchase-record",
        kwargs={"pk": partnership.procurement_id, "partnership_pk": partnership.pk},
    )


def decline_url(partnership) -> str:
    return reverse(
        "stages:purchase-decline",
        kwargs={"pk": partnership.procurement_id, "partnership_pk": partnership.pk},
    )


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def reached(personas, sample):
    return all_phases_passed(personas, sample, personas.org_a)


# --- the page -----------------------------------------------------------------------------------


def test_the_page_shows_each_partners_standing_terms_and_the_lead_officers_actions(
    personas, login, sample, reached
):
    other = sample.partnership_of(personas.org_b)
    page = text(login(personas.officer_a).get(page_url(sample.procurement)))

    assert "Alpha Robotics Ltd" in page and "Beta Care CIC" in page
    assert page.count("£900,000.00") == 2
    assert page.count("95% within a minute") == 2
    assert "Reached: the purchase decision can be made" in page
    assert "Not reached" in page
    assert "2 of 2" in page and "0 of 2" in page
    assert record_url(reached) in page and decline_url(reached) in page
    assert record_url(other) not in page


def test_the_approver_sees_the_page_without_the_lead_officers_actions(
    personas, login, sample, reached
):
    page = text(login(personas.approver_a).get(page_url(sample.procurement)))
    assert "Reached: the purchase decision can be made" in page
    assert record_url(reached) not in page


def test_the_page_shows_a_decision_with_its_order_price_and_results(
    personas, login, sample, reached
):
    purchase_record(
        actor=personas.officer_a,
        partnership=reached,
        results=[{"measured": "97%", "met": True}, {"measured": "0.4", "met": True}],
        price=Decimal("850000"),
        order_reference="PO-77",
        reason="Every level met.",
    )
    page = text(login(personas.officer_a).get(page_url(sample.procurement)))
    assert "PO-77" in page
    assert "£850,000.00" in page
    assert "97%" in page and "0.4" in page
    assert "Every level met." in page
    assert "Purchased" in page
    assert record_url(reached) not in page


# --- recording the purchase ---------------------------------------------------------------------


def test_the_form_has_a_row_per_agreed_level(personas, login, reached):
    page = text(login(personas.officer_a).get(record_url(reached)))
    assert 'name="measured_0"' in page and 'name="measured_1"' in page
    assert 'name="met_0"' in page and 'name="met_1"' in page
    assert "Measured value for Falls detected" in page
    assert "The agreed level: Under 1 a week per home." in page


def test_the_lead_officer_buys_through_the_page(personas, login, sample, reached):
    response = login(personas.officer_a).post(record_url(reached), FILLED, follow=True)

    assert response.redirect_chain[-1][0] == page_url(sample.procurement)
    assert "Alpha Robotics Ltd's result is bought" in text(response)
    decision = PurchaseDecision.objects.get(partnership=reached)
    assert decision.outcome == PurchaseOutcome.BOUGHT
    assert decision.price == Decimal("850000.00")
    assert decision.order_reference == f"{sample.procurement.reference}-PO-1"
    assert Partnership.objects.get(pk=reached.pk).status == PartnershipStatus.PURCHASED


def test_a_level_not_met_is_refused_on_the_form_and_nothing_typed_is_lost(personas, login, reached):
    response = login(personas.officer_a).post(record_url(reached), {**FILLED, "met_1": "no"})

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert page.count(LEVEL_NOT_MET) == 2  # in the summary and at the question
    assert 'value="97% within a minute"' in page
    assert 'value="£850,000"' in page
    assert "Every level met within the budget." in page
    assert re.search(r'<input[^>]*name="met_1"[^>]*value="no"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="met_0"[^>]*value="yes"[^>]*checked', page)
    assert not PurchaseDecision.objects.exists()


def test_a_price_above_the_maximum_is_refused_on_the_form(personas, login, reached):
    response = login(personas.officer_a).post(record_url(reached), {**FILLED, "price": "900000.01"})
    page = text(response)
    assert page.count("above the maximum cost agreed in the contract, £900,000.00") == 2
    assert 'value="900000.01"' in page
    assert not PurchaseDecision.objects.exists()


def test_missing_answers_are_named(personas, login, reached):
    response = login(personas.officer_a).post(record_url(reached), {})
    page = text(response)
    for message in (
        "Enter the measured value for Falls detected",
        "Select whether the result meets the agreed performance level for False alarms",
        "Enter the price of the purchase",
        "Give your reasons for buying",
    ):
        assert page.count(message) == 2
    assert not PurchaseDecision.objects.exists()


def test_a_price_that_is_not_money_is_refused(personas, login, reached):
    response = login(personas.officer_a).post(record_url(reached), {**FILLED, "price": "lots"})
    assert text(response).count("Enter the price as an amount in pounds, like 850000") == 2


def test_a_partner_that_has_not_reached_the_purchase_gets_no_form(personas, login, sample):
    partnership = sample.partnership_of(personas.org_a)
    client = login(personas.officer_a)
    page = text(client.get(record_url(partnership)))
    assert "has not passed every phase" in page
    assert 'name="price"' not in page
    client.post(record_url(partnership), FILLED)
    client.post(decline_url(partnership), {"reason": "No."})
    assert not PurchaseDecision.objects.exists()


@pytest.mark.parametrize("persona", ["approver_a", "borough_admin_a", "evaluator_a"])
def test_the_boroughs_other_people_may_not_decide(personas, login, reached, persona):
    client = login(getattr(personas, persona))
    assert client.post(record_url(reached), FILLED).status_code == 403
    assert client.post(decline_url(reached), {"reason": "No."}).status_code == 403
    assert not PurchaseDecision.objects.exists()


def test_a_partnership_of_another_procurement_is_not_found(personas, login, reached):
    url = reverse(
        "stages:purchase-record", kwargs={"pk": reached.procurement_id, "partnership_pk": 0}
    )
    assert login(personas.officer_a).get(url).status_code == 404


# --- declining ----------------------------------------------------------------------------------


def test_the_lead_officer_declines_through_the_page(personas, login, sample, reached):
    client = login(personas.officer_a)
    response = client.post(decline_url(reached), {"reason": "   "})
    assert text(response).count("Give your reasons for not buying") == 2
    assert not PurchaseDecision.objects.exists()

    response = client.post(decline_url(reached), {"reason": "Too dear."}, follow=True)

    assert response.redirect_chain[-1][0] == page_url(sample.procurement)
    assert "its contract is completed" in text(response)
    assert Partnership.objects.get(pk=reached.pk).status == PartnershipStatus.COMPLETED


# --- the partner's outcome ----------------------------------------------------------------------


def test_the_partner_gets_its_own_decisions_only(personas, sample, reached):
    other = all_phases_passed(personas, sample, personas.org_b)
    mine = purchase_decline(actor=personas.officer_a, partnership=reached, reason="No budget.")
    purchase_decline(actor=personas.officer_a, partnership=other, reason="Not needed.")

    assert purchase_for_partner(user=personas.supplier_a_member) == {reached.pk: mine}
    assert set(purchase_for_partner(user=personas.supplier_b_admin)) == {other.pk}
    assert purchase_for_partner(user=personas.consortium_member) == {}
    assert purchase_for_partner(user=personas.officer_a) == {}


# --- query counts -------------------------------------------------------------------------------


def test_the_page_makes_as_many_queries_for_two_partners_as_for_six(personas, login):
    counts = {}
    for size in (2, 6):
        sample = running(personas, partners=size)
        bought = all_phases_passed(personas, sample, personas.org_a)
        # B reached the purchase, undecided: the procurement stays active.
        all_phases_passed(personas, sample, personas.org_b)
        purchase_record(
            actor=personas.officer_a,
            partnership=bought,
            results=[{"measured": "97%", "met": True}, {"measured": "0.4", "met": True}],
            price=Decimal("800000"),
            reason="Met.",
        )
        if size == 6:
            third = next(
                p.request.organisation
                for p in sample.partnerships
                if p.request.organisation_id not in (personas.org_a.pk, personas.org_b.pk)
            )
            declined = all_phases_passed(personas, sample, third)
            purchase_decline(actor=personas.officer_a, partnership=declined, reason="No.")
        client = login(personas.officer_a)
        page = client.get(page_url(sample.procurement)).content.decode()
        assert page.count('class="govuk-summary-card"') == size
        assert page.count("Reached: the purchase decision can be made") == 1
        counts[size] = queries(client, page_url(sample.procurement))

    print(f"Purchase page queries: {counts}")
    assert counts[2] == counts[6] <= 12
