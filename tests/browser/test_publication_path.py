"""From nothing to an open call, in a real browser: the whole first half of a procurement.

An officer builds a procurement through the task list, section by section; an approver
returns it; the officer fixes it and submits it again; the approver approves; the officer
publishes. The public list shows it, a supplier asks a question, the officer publishes an
anonymised answer that the public page shows, and the ITT downloads as a PDF that holds the
challenge, the minimum requirements, the weights, the phase plan and the IP terms.

Every page on the way passes axe-core (the harness checks each page it loads).
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.calendar import london_date, working_day_on_or_after
from procurements.models import ClarificationQuestion, Procurement, ProcurementStatus

pytestmark = pytest.mark.browser

TITLE = "Keeping warm in winter"
PROBLEM = "Residents in older flats cannot keep their homes warm enough to stay well"
REQUIREMENT = "Works in flats with no outdoor space"
PHASE = "Feasibility study"
IP_RULE = "Each partner keeps its background IP and licenses what the borough needs"


def _date_group(page, label: str, day, time: str | None = None) -> None:
    group = page.page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    if time is not None:
        group.get_by_label("Time").fill(time)


def _completed(page) -> None:
    page.page.get_by_label("Yes, I've completed this section", exact=True).check()
    page.click_button("Save and continue")
    assert page.page.locator("h1").inner_text() == TITLE, page.text()


def _build(page, personas) -> Procurement:
    """Every section of the task list, through its pages, as a procurement officer would."""
    page.visit("/procurements/")
    page.click_button("Create a procurement")
    page.fill("Title of the procurement", TITLE)
    page.click_button("Create the procurement")
    procurement = Procurement.objects.get(title=TITLE)

    page.click_link("The challenge")
    page.fill("What is the problem?", PROBLEM)
    page.fill("What outcomes do you want?", "Fewer cold-related hospital admissions")
    page.fill("How will you measure the outcomes?", "Indoor temperature logged every hour")
    page.fill("Who is affected?", "Older residents of council flats")
    page.page.get_by_label("Low carbon and energy").check()
    page.fill("CPV codes", "73000000-2")
    _completed(page)

    page.click_link("Why nothing on the market meets the need")
    page.fill(
        "Why does no product or service on the market meet the need?",
        "Heat pumps need outdoor space these flats do not have.",
    )
    page.fill("What market engagement have you done?", "Two supplier days in the spring.")
    _completed(page)

    page.click_link("Minimum requirements")
    page.click_button("Add a minimum requirement")
    page.fill("Minimum requirement", REQUIREMENT)
    page.click_button("Save")
    _completed(page)

    notice = working_day_on_or_after(london_date(timezone.now()) + timedelta(days=1))
    page.click_link("Regime and timetable")
    page.page.get_by_label("Procurement Act 2023", exact=False).first.check()
    _date_group(page, "When will the tender notice be published?", notice)
    _date_group(
        page,
        "Deadline for clarification questions",
        working_day_on_or_after(notice + timedelta(days=14)),
        "5pm",
    )
    _date_group(
        page,
        "Deadline for requests to participate",
        working_day_on_or_after(notice + timedelta(days=45)),
        "5pm",
    )
    _date_group(
        page,
        "Indicative date of the invitation to tender",
        working_day_on_or_after(notice + timedelta(days=70)),
    )
    page.fill("Maximum number of partners to appoint", "2")
    page.fill("Number of suppliers to invite to tender", "3")
    _completed(page)

    page.click_link("Selection questionnaire")
    for topic, question in (
        ("Capability in research and development", "Describe your research team"),
        ("Developing and implementing innovative solutions", "Describe a product you launched"),
    ):
        page.click_button("Add a question")
        page.page.get_by_label("Scored", exact=True).check()
        page.page.get_by_label(topic).check()
        page.fill("Question", question)
        page.fill("Weight, as a percentage", "50")
        page.click_button("Save the question")
    _completed(page)

    page.click_link("Award criteria")
    for number, (kind, name, weight) in enumerate(
        (("Quality", "Approach to research", "70"), ("Price", "Price", "30")), 1
    ):
        page.click_button(
            "Add an award criterion" if number == 1 else "Add another award criterion"
        )
        page.page.get_by_label(kind, exact=True).check()
        page.fill("Name of the criterion", name)
        page.fill("Weight, in per cent", weight)
        page.click_button("Save the criterion")
    _completed(page)

    page.click_link("Phase plan and final purchase")
    page.click_button("Add a phase")
    page.page.get_by_label("Research", exact=True).check()
    page.fill("Name of the phase", PHASE)
    page.fill("Duration in weeks", "12")
    page.fill("Maximum remuneration per partner", "50000")
    page.click_button("Save")
    for link, fields in (
        ("Add an intermediate target", {"What is measured": "Flats", "Target to reach": "20"}),
        (
            "Add an instalment",
            {"Share of the phase's remuneration": "100", "Weeks after the phase starts": "12"},
        ),
        (
            "Add a gate criterion",
            {"Gate criterion": "Warmth", "How it is scored, and what passes": "3 of 5"},
        ),
        (
            "Add a termination condition",
            {"Condition on which a partner may be terminated": "Below 3 of 5 for warmth"},
        ),
    ):
        page.click_link(link)
        for label, value in fields.items():
            page.fill(label, value)
        page.click_button("Save")
    page.click_link("Back to the phase plan")
    page.click_link("Change the final purchase")
    page.click_link("Add a performance level")
    page.fill("What is measured", "Indoor temperature")
    page.fill("Level the result must meet", "18°C at -5°C outside")
    page.click_button("Save")
    page.fill("Maximum cost of the final purchase", "400000")
    page.fill("Estimated total value of the procurement", "600000")
    page.click_button("Save")
    _completed(page)

    page.click_link("IP terms")
    page.page.get_by_label("The partner", exact=True).check()
    page.fill("What does the borough's licence let it do?", "Use and adapt it for its services")
    page.fill("How long does the licence last?", "Perpetual")
    page.page.get_by_role("group", name="May the borough sublicense").get_by_label("Yes").check()
    page.page.get_by_label("A share of the revenue").check()
    page.fill("The borough's share, as a percentage", "5")
    page.fill("When does the borough's share become payable?", "On sales to other councils")
    page.fill("What are the rules for background IP?", IP_RULE)
    _completed(page)

    page.click_link("The team")
    page.page.get_by_label("Lead officer").select_option(label=_person(personas.officer_a))
    page.page.get_by_label("Approver").select_option(label=_person(personas.approver_a))
    page.page.get_by_label(_person(personas.evaluator_a)).check()
    _completed(page)
    return procurement


def _person(user) -> str:
    return f"{user.get_full_name()} ({user.email})" if user.full_name else user.email


def test_from_nothing_to_an_open_call_with_a_question_answered_and_the_itt(browser_page, personas):
    page = browser_page.sign_in_as(personas.officer_a)
    procurement = _build(page, personas)
    page.visit(procurement.get_absolute_url())
    page.click_button("Submit for approval")
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.AWAITING_APPROVAL, page.text()

    # The approver returns it with comments.
    page.page.context.clear_cookies()
    page.sign_in_as(personas.approver_a).visit("/procurements/awaiting-approval/")
    page.click_link(TITLE)
    page.page.get_by_label("Return it to the lead officer with comments").check()
    page.fill("Comments", "Say at what temperature a home counts as warm.")
    page.click_button("Send your decision")
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.DRAFT

    # The officer fixes the challenge and submits it again.
    page.page.context.clear_cookies()
    page.sign_in_as(personas.officer_a).visit(procurement.get_absolute_url())
    assert "Say at what temperature" in page.page.locator("#returned-comments").inner_text()
    page.click_link("The challenge")
    page.fill("How will you measure the outcomes?", "Hours a day below 18°C, logged hourly")
    _completed(page)
    page.click_button("Submit for approval")

    # The approver approves it; the officer publishes it.
    page.page.context.clear_cookies()
    page.sign_in_as(personas.approver_a).visit("/procurements/awaiting-approval/")
    page.click_link(TITLE)
    page.page.get_by_label("Approve it for publication").check()
    page.click_button("Send your decision")
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.APPROVED

    page.page.context.clear_cookies()
    page.sign_in_as(personas.officer_a).visit(procurement.get_absolute_url())
    page.click_button("Publish")
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.PUBLISHED

    # The public list shows it, with no sign-in.
    page.page.context.clear_cookies()
    page.visit("/opportunities/")
    page.fill("Search", "warm winter")
    page.click_button("Apply filters")
    page.click_link(TITLE)
    assert PROBLEM in page.text()
    assert REQUIREMENT in page.text()

    # A supplier asks a question that names its organisation.
    supplier = personas.supplier_a_admin
    organisation = supplier.supplier_membership.organisation.name
    page.sign_in_as(supplier).visit(f"/opportunities/{procurement.pk}/")
    page.click_button("Ask a question")
    page.fill("Your question", f"{organisation} asks: may a charity lead a consortium?")
    page.click_button("Send your question")
    question = ClarificationQuestion.objects.get(procurement=procurement)

    # The officer publishes the answer with the organisation's name taken out.
    page.page.context.clear_cookies()
    page.sign_in_as(personas.officer_a).visit(f"/procurements/{procurement.pk}/questions/")
    page.page.get_by_role("link", name=f"Answer the question from {organisation}").click()
    page.page.get_by_label("Publish the answer to everyone").check()
    page.fill("The question as it will be published", "May a charity lead a consortium?")
    page.fill("Your answer", "Yes: any member of a consortium may lead it.")
    page.click_button("Send the answer")
    question.refresh_from_db()
    assert question.status == "published"

    # Everyone sees the answer, never who asked; the ITT downloads as a PDF.
    page.page.context.clear_cookies()
    page.visit(f"/opportunities/{procurement.pk}/")
    text = page.text()
    assert "May a charity lead a consortium?" in text
    assert "Yes: any member of a consortium may lead it." in text
    assert organisation not in text
    link = page.page.get_by_role("link", name="Download")
    response = page.page.request.get(urljoin(page.page.url, link.get_attribute("href")))
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(BytesIO(response.body()))
    itt = " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in pdf.pages)
    for expected in (PROBLEM, REQUIREMENT, "Approach to research", "70%", PHASE, IP_RULE):
        assert expected in itt, expected
