"""An officer amends a published procurement and then cancels it, in a real browser.

Every page on the way, error states included, is checked with axe-core.
"""

import pytest

from core.calendar import bank_holidays_seed
from procurements.models import Amendment, Procurement, ProcurementStatus
from tests.procurements.test_amendments import published_procurement

pytestmark = pytest.mark.browser


def test_an_officer_amends_and_then_cancels_a_published_procurement(browser_page, personas):
    bank_holidays_seed(first_year=2025, last_year=2028)
    procurement = published_procurement(personas)
    page = browser_page.sign_in_as(personas.officer_a)

    page.visit(procurement.get_absolute_url())
    page.click_link("Amend the documents")
    page.click_button("Publish the amendment")
    assert "Enter the reason for the amendment" in page.text()
    page.fill("Why are you amending the documents?", "Clearer wording.")
    page.click_button("Publish the amendment")
    assert "You have not changed anything" in page.text()
    page.fill("The outcomes wanted", "Falls are noticed within five minutes.")
    page.fill("Why are you amending the documents?", "Clearer wording.")
    page.click_button("Publish the amendment")
    assert "Amendment 1 is published as version 2" in page.text()
    assert "Falls are noticed within five minutes." in page.text()
    assert Amendment.objects.filter(procurement=procurement).count() == 1

    page.click_link("Back to the task list")
    page.click_link("Cancel this procurement")
    page.click_button("Cancel this procurement")
    assert "Enter the reason for cancelling the procurement" in page.text()
    page.fill("Why are you cancelling this procurement?", "The budget has been withdrawn.")
    page.click_button("Cancel this procurement")
    assert "The procurement termination notice is published" in page.text()
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.CANCELLED


def test_an_officer_changes_the_phase_plan_by_an_amendment(
    browser_page, personas, django_capture_on_commit_callbacks
):
    from procurements.services.approval import procurement_publish
    from tests.procurements.publication_samples import announced_procurement

    bank_holidays_seed(first_year=2025, last_year=2028)
    procurement = announced_procurement(personas)
    with django_capture_on_commit_callbacks():
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    phase = procurement.phases.order_by("order").first()
    page = browser_page.sign_in_as(personas.officer_a)

    page.visit(procurement.get_absolute_url())
    page.click_link("Amend the documents")
    page.click_button("Change the phase plan, IP terms or selection questionnaire")
    assert "You are preparing an amendment." in page.text()
    page.click_link("Phase plan and final purchase")
    page.click_link(f"Change phase 1: {phase.name}")
    page.click_link(f"Change the kind, name, duration, remuneration or aims of {phase.name}")
    page.fill("Duration in weeks", "37")
    page.click_button("Save")
    page.visit(procurement.get_absolute_url())
    page.click_link("check and publish the amendment")
    assert "Changed" in page.text() and "37 weeks" in page.text()
    page.fill("Why are you amending the documents?", "The research phase needs longer.")
    page.click_button("Publish the amendment")
    assert "Amendment 1 is published as version 2" in page.text()
    assert "37 weeks" in page.text()
    procurement.refresh_from_db()
    assert procurement.amendment_opened_at is None
