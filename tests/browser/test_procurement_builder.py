"""An officer creates a procurement and works through its sections in a real browser.

Every page on the way, error states included, is checked with axe-core.
"""

import pytest

from procurements.models import Procurement

pytestmark = pytest.mark.browser


def test_an_officer_creates_a_procurement_and_saves_its_sections(browser_page, personas):
    page = browser_page.sign_in_as(personas.officer_a)

    page.visit("/procurements/")
    page.click_button("Create a procurement")
    page.click_button("Create the procurement")
    assert "Enter a title for the procurement" in page.text()
    page.fill("Title of the procurement", "Falls at home")
    page.click_button("Create the procurement")
    procurement = Procurement.objects.get()
    assert page.path == f"/procurements/{procurement.pk}/"

    page.click_link("The challenge")
    page.fill("What is the problem?", "Older residents fall at night")
    page.page.get_by_label("Yes, I've completed this section").check()
    page.click_button("Save and continue")
    assert "Describe the outcomes you want" in page.text()
    page.page.get_by_label("No, I'll come back to it later").check()
    page.click_button("Save and continue")
    assert "In progress" in page.text()

    page.click_link("Regime and timetable")
    notice_date = page.page.get_by_role("group", name="When will the tender notice be published?")
    notice_date.get_by_label("Day").fill("31")
    page.page.get_by_label("No, I'll come back to it later").check()
    page.click_button("Save and continue")
    assert "The notice date must include a month and a year" in page.text()

    page.visit(f"/procurements/{procurement.pk}/team/")
    page.visit(f"/procurements/{procurement.pk}/market-gap/")
    page.visit(f"/procurements/{procurement.pk}/check-answers/")
    assert "Older residents fall at night" in page.text()
