"""The purchase form in a real browser (Chromium, axe): a transactional test, apart from the
module whose running sample is built once."""

from __future__ import annotations

import pytest

from stages.models import PurchaseDecision
from tests.stages.purchase_samples import all_phases_passed
from tests.stages.running_samples import running
from tests.stages.test_purchase_pages import LEVEL_NOT_MET, page_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


# --- in a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_purchase_form_shows_a_refusal_and_passes_axe(browser_page, personas):
    sample = running(personas)
    reached = all_phases_passed(personas, sample, personas.org_a)

    browser_page.sign_in_as(personas.officer_a).visit(page_url(sample.procurement))
    browser_page.click_link("Buy the result of Alpha Robotics Ltd")
    browser_page.fill("Measured value for Falls detected", "97% within a minute")
    browser_page.fill("Measured value for False alarms", "2 a week per home")
    page = browser_page.page
    page.locator("#id_met_0_0").check()
    page.locator("#id_met_1_1").check()
    browser_page.fill("Price of the purchase", "850000")
    browser_page.fill("Your reasons for buying", "Every level met.")
    browser_page.click_button("Buy the result")

    assert "There is a problem" in browser_page.text()
    assert LEVEL_NOT_MET in browser_page.text()
    assert page.get_by_label("Measured value for False alarms").input_value() == (
        "2 a week per home"
    )
    assert not PurchaseDecision.objects.filter(partnership=reached).exists()
