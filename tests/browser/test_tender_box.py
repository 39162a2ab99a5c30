"""The tender box in a real browser: an invited supplier writes and submits its proposal
(a price above the announced maximum refused on the way), the deadline passes, the borough
sees only the count, one officer asks to open the box, the approver confirms, and only then
is the proposal readable. Every page is checked with axe-core."""

import pytest
from django.urls import reverse

from partners.models import ProposalStatus
from tests.partners.tender_samples import CANARY, pass_the_deadline, round_opened, tendering

pytestmark = pytest.mark.browser


def test_a_proposal_is_sealed_until_two_officers_open_the_box(browser_page, personas):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    procurement = tender.procurement

    page = browser_page.sign_in_as(personas.supplier_a_admin)
    page.visit(reverse("tenders:list"))
    page.page.get_by_role("button", name="Start your proposal").first.click()
    page.page.wait_for_load_state("load")
    page.check_accessibility()
    proposal = tender_round.proposals.get(request__organisation=personas.org_a)

    criterion = procurement.award_criteria.exclude(kind="price").get()
    page.visit(reverse("tenders:answer", kwargs={"pk": proposal.pk, "criterion_pk": criterion.pk}))
    page.fill("Your answer", f"Our method: {CANARY}.")
    page.click_button("Save and continue")

    page.visit(reverse("tenders:prices", kwargs={"pk": proposal.pk}))
    page.fill("Phase 1: Research and prototype", "90,000")
    page.fill("Phase 2: Pilot", "150000")
    page.click_button("Save your prices")
    assert "£80,000.00" in page.text()
    assert page.page.get_by_label("Phase 1: Research and prototype").input_value() == "90,000"
    page.fill("Phase 1: Research and prototype", "70,000")
    page.click_button("Save your prices")

    page.visit(reverse("tenders:background-ip", kwargs={"pk": proposal.pk}))
    page.fill("Describe the background intellectual property you bring", "None.")
    page.click_button("Save")

    page.visit(reverse("tenders:submit", kwargs={"pk": proposal.pk}))
    page.click_button("Submit the proposal")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.submissions.get().sha256 in page.text()

    pass_the_deadline(tender_round)
    tenders = reverse("partners:tenders", kwargs={"pk": procurement.pk})

    page = browser_page.sign_in_as(personas.officer_a)
    page.visit(tenders)
    assert "1 proposal submitted so far" in page.text()
    assert CANARY not in page.page.content()
    page.click_button("Ask to open the tender box")
    assert CANARY not in page.page.content()

    page = browser_page.sign_in_as(personas.approver_a)
    page.visit(tenders)
    page.click_button("Confirm and open")
    with page.page.expect_navigation():
        page.page.get_by_role("link", name=f"{personas.org_a.name}").click()
    page.check_accessibility()
    assert CANARY in page.text()
