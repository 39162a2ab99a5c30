"""An officer builds a phase plan in the browser; every page on the way passes axe-core."""

import pytest

from tests.factories import ProcurementFactory
from tests.stages.test_phase_plan_services import complete_plan

pytestmark = pytest.mark.browser


def test_an_officer_builds_a_complete_phase_plan_and_marks_it_completed(
    browser_page,
    personas,
):
    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    page = browser_page.sign_in_as(personas.officer_a)
    page.visit(f"/procurements/{procurement.pk}/phase-plan/")

    page.click_button("Add a phase")  # a link that looks like a button
    page.click_button("Save")  # nothing entered: the errors are shown accessibly
    assert "Select what kind of phase it is" in page.text()
    page.page.get_by_label("Research", exact=True).check()
    page.fill("Name of the phase", "Feasibility")
    page.fill("Duration in weeks", "12")
    page.fill("Maximum remuneration per partner", "50000")
    page.click_button("Save")
    assert page.page.locator("h1").inner_text() == "Feasibility"

    rows = [
        ("Add an intermediate target", {"What is measured": "Falls", "Target to reach": "95%"}),
        (
            "Add an instalment",
            {"Share of the phase's remuneration": "100", "Weeks after the phase starts": "12"},
        ),
        (
            "Add a gate criterion",
            {"Gate criterion": "Reliability", "How it is scored, and what passes": "3 of 5"},
        ),
        (
            "Add a termination condition",
            {"Condition on which a partner may be terminated": "Below 3"},
        ),
    ]
    for link, fields in rows:
        page.click_link(link)
        for label, value in fields.items():
            page.fill(label, value)
        page.click_button("Save")
    assert "They add up to 100% now." in page.text()

    page.click_link("Back to the phase plan")
    page.click_link("Change the final purchase")
    page.click_link("Add a performance level")
    page.fill("What is measured", "Battery life")
    page.fill("Level the result must meet", "12 months")
    page.click_button("Save")
    page.fill("Maximum cost of the final purchase", "900000")
    page.fill("Estimated total value of the procurement", "2500000")
    page.click_button("Save")

    text = page.text()
    assert "£50,000.00" in text
    assert "£900,000.00" in text
    page.page.get_by_label("Yes, I've completed this section", exact=True).check()
    page.click_button("Save and continue")

    assert page.path == f"/procurements/{procurement.pk}/"
    procurement.refresh_from_db()
    assert procurement.section_status["phase-plan"] == "completed"


def test_changing_and_removing_a_phase_and_its_rows_pass_axe_core(
    browser_page,
    personas,
):
    procurement = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    phase = complete_plan(personas.officer_a, procurement)
    page = browser_page.sign_in_as(personas.officer_a)
    page.visit(f"/procurements/{procurement.pk}/phase-plan/phases/{phase.pk}/")

    page.click_link("Add an instalment")
    page.fill("Share of the phase's remuneration", "101")
    page.fill("Milestone that triggers it", "Kick-off")
    page.fill("Weeks after the phase starts", "2")
    page.click_button("Save")
    assert "The share must be 100% or less" in page.text()
    page.click_link("Cancel")

    page.click_button("Remove gate criterion Reliability")
    assert "Gate criterion removed" in page.page.content()
    page.click_link("Change the kind, name, duration, remuneration or aims of Feasibility")
    page.fill("Name of the phase", "Feasibility study")
    page.click_button("Save")
    page.click_link("Back to the phase plan")
    assert "Phase 1: Feasibility study" in page.text()

    page.click_link("Remove phase 1: Feasibility study")
    page.click_button("Yes, remove it")
    assert "You have not added any phases yet." in page.text()
