"""Market engagement and clarification questions in the browser: an officer publishes an
engagement, a supplier asks, the officer answers to everyone without naming who asked; every
page on the way, errors and warnings included, passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from procurements.models import ClarificationQuestion, Procurement, ProcurementStatus
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.browser


def test_engagement_question_and_anonymised_answer(browser_page, personas):
    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status=ProcurementStatus.APPROVED,
    )
    start = timezone.localtime(timezone.now() + timedelta(days=14))

    officer = browser_page.sign_in_as(personas.officer_a)
    officer.visit(f"/procurements/{procurement.pk}/engagement/")
    officer.click_button("Save the notice")  # nothing entered: errors shown accessibly
    assert "Enter the title of the market engagement" in officer.text()
    officer.fill("Title of the market engagement", "Falls at home: what can you offer?")
    officer.fill("What do you want to learn from the market?", "How to detect falls.")
    officer.click_button("Save the notice")
    officer.click_button("Add an event")  # a link that looks like a button
    officer.fill("Name of the event", "Supplier briefing")
    officer.click_button("Add the event")
    assert "Enter when the event starts" in officer.text()
    officer.page.get_by_label("Day").first.fill(str(start.day))
    officer.page.get_by_label("Month").first.fill(str(start.month))
    officer.page.get_by_label("Year").first.fill(str(start.year))
    officer.fill("Where does it take place?", "Aldgate Town Hall")
    officer.click_button("Add the event")
    officer.click_button("Publish the UK2 notice")
    assert "Published on" in officer.text()
    assert "Supplier briefing" in officer.text()

    # The call is published (by the approval flow, not under test here).
    now = timezone.now()
    Procurement.objects.filter(pk=procurement.pk).update(
        status=ProcurementStatus.PUBLISHED,
        published_at=now,
        question_deadline=now + timedelta(days=10),
        participation_deadline=now + timedelta(days=40),
    )

    supplier = browser_page.sign_in_as(personas.supplier_a_admin)
    supplier.visit(f"/opportunities/{procurement.pk}/questions/ask/")
    supplier.click_button("Send your question")
    assert "Enter your question" in supplier.text()
    supplier.fill("Your question", "Alpha Robotics Ltd asks: can it use residents' broadband?")
    supplier.click_button("Send your question")
    assert "Question received" in supplier.text()
    supplier.visit(f"/opportunities/{procurement.pk}/questions/mine/")
    assert "Waiting for an answer" in supplier.text()

    officer = browser_page.sign_in_as(personas.officer_a)
    officer.visit(f"/procurements/{procurement.pk}/questions/")
    officer.click_link("Answer the question from Alpha Robotics Ltd, " + _asked(procurement))
    assert "The question shows who asked" in officer.text()
    officer.page.get_by_label("Publish the answer to everyone", exact=True).check()
    officer.fill("Your answer", "Yes, over Wi-Fi.")
    officer.click_button("Send the answer")
    assert "Remove Alpha Robotics Ltd" in officer.text()
    officer.fill("The question as it will be published", "Can it use residents' broadband?")
    officer.click_button("Send the answer")
    assert "Answer published to everyone" in officer.text()

    supplier = browser_page.sign_in_as(personas.supplier_a_admin)
    supplier.visit(f"/opportunities/{procurement.pk}/questions/mine/")
    assert "Yes, over Wi-Fi." in supplier.text()

    Procurement.objects.filter(pk=procurement.pk).update(
        question_deadline=timezone.now() - timedelta(minutes=1)
    )
    supplier.visit(f"/opportunities/{procurement.pk}/questions/ask/")
    assert "The deadline for questions was" in supplier.text()


def _asked(procurement) -> str:
    from procurements.sections import uk_datetime_text

    return uk_datetime_text(ClarificationQuestion.objects.get(procurement=procurement).asked_at)
