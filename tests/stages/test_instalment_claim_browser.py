"""In a real browser: the partner's administrator claims an instalment from its Money page;
a claim without evidence shows the GOV.UK error summary, keeps the amount typed, and every
page passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from stages.models import InstalmentStatus
from stages.services_instalments import instalment_claim
from tests.stages.instalment_samples import EVIDENCE, fresh, instalments_of
from tests.stages.running_samples import running

pytestmark = [pytest.mark.usefixtures("media_root", "bank_holidays")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_claims_an_instalment_in_a_browser_and_the_error_passes_axe(
    browser_page, personas
):
    sample = running(personas)
    first = instalments_of(sample, personas.org_a)[0]

    browser_page.sign_in_as(personas.supplier_a_admin).visit(reverse("stages:partner-money"))
    assert "Interim report accepted" in browser_page.text()
    browser_page.click_link("Claim Interim report accepted of Research and prototype")
    browser_page.fill("Amount claimed", "29000.50")
    browser_page.click_button("Send the claim")

    assert "There is a problem" in browser_page.text()
    assert "Describe the evidence that the milestone is reached" in browser_page.text()
    assert browser_page.page.get_by_label("Amount claimed", exact=True).input_value() == "29000.50"
    browser_page.fill("Evidence that the milestone is reached", EVIDENCE)
    browser_page.click_button("Send the claim")

    assert browser_page.path == reverse("stages:partner-money")
    assert "Your claim of £29,000.50 for Interim report accepted" in browser_page.text()
    found = fresh(first)
    assert found.status == InstalmentStatus.CLAIMED
    assert found.claimed_amount == Decimal("29000.50")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lead_officer_withholds_a_claim_in_a_browser_and_every_page_passes_axe(
    browser_page, personas
):
    sample = running(personas)
    first = instalments_of(sample, personas.org_a)[0]
    instalment_claim(
        actor=personas.supplier_a_admin, instalment=first, amount=first.amount, evidence=EVIDENCE
    )

    browser_page.sign_in_as(personas.officer_a).visit(
        reverse("stages:money", kwargs={"pk": sample.procurement.pk})
    )
    assert "Claims waiting for a decision" in browser_page.text()
    browser_page.click_link(
        "Interim report accepted of Alpha Robotics Ltd in Research and prototype"
    )
    browser_page.click_button("Withhold the claim")
    assert "Give the reasons for withholding the claim" in browser_page.text()
    browser_page.fill("Reasons for withholding", "The homes monitored are not listed.")
    browser_page.click_button("Withhold the claim")

    assert "The claim is withheld" in browser_page.text()
    assert fresh(first).status == InstalmentStatus.WITHHELD
