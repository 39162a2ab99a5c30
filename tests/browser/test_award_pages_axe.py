"""The award pages in a real browser, in the states the permission matrix's sweep does not
reach (standstill, a suspension, an error summary, a published outcome): each passes
axe-core."""

import pytest
from django.urls import reverse

from tests.partners.award_samples import in_standstill

pytestmark = pytest.mark.browser


def test_the_standstill_panel_and_the_outcome_pass_axe(browser_page, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    decision = in_standstill(personas)
    award = reverse("partners:award", kwargs={"pk": decision.procurement_id})
    page = browser_page.page

    browser_page.sign_in_as(personas.officer_a).visit(award)
    assert "The standstill period runs until" in browser_page.text()
    browser_page.click_button("Suspend the award")
    assert "There is a problem" in browser_page.text()
    page.locator("#id_suspend-reason").fill("A challenge was filed.")
    browser_page.click_button("Suspend the award")
    assert "The award is suspended" in browser_page.text()

    browser_page.sign_in_as(personas.approver_a).visit(award)
    assert "Reverse the award" in browser_page.text()

    proposal = decision.entries.get(proposal__request__organisation=personas.org_a).proposal
    browser_page.sign_in_as(personas.supplier_a_admin).visit(
        reverse("tenders:award", kwargs={"pk": proposal.pk})
    )
    assert "is to be awarded a partnership" in browser_page.text()
    browser_page.click_link("Read your assessment summary")
    assert "Assessment summary: " in browser_page.text()
