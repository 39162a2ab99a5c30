"""The approver's gate decision page in a real browser (Chromium, axe-core on every page):
terminate is chosen, the announced conditions are revealed, one is cited and the partner is
terminated."""

import pytest

from stages.models import GateDecision, GateOutcome, ParticipationStatus
from tests.stages.gate_samples import assessors_named, fresh, scored_and_moderated, under_review
from tests.stages.running_samples import running
from tests.stages.test_gate_pages import gate_url, partner_url

pytestmark = pytest.mark.usefixtures("media_root", "bank_holidays")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_approver_terminates_a_partner_in_a_browser_and_the_page_passes_axe(
    browser_page, personas
):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a, meets=False)
    condition = participation.phase.termination_conditions.order_by("order").first()

    browser_page.sign_in_as(personas.approver_a).visit(gate_url(sample))
    assert "Does not meet the announced thresholds" in browser_page.text()
    browser_page.visit(partner_url("decide", participation))
    assert "Your decision is final" in browser_page.text()
    assert "Does not meet the announced thresholds" in browser_page.text()
    # Sent empty: the error summary and the errors at the fields pass axe too.
    browser_page.click_button("Record my decision")
    assert "There is a problem" in browser_page.text()
    assert not browser_page.page.get_by_label(condition.condition).is_visible()
    browser_page.page.get_by_label("Terminate this partner").check()
    browser_page.page.get_by_label(condition.condition).check()
    browser_page.fill("Your reasons", "The intermediate targets were missed.")
    browser_page.click_button("Record my decision")

    assert "The gate is decided" in browser_page.text()
    decision = GateDecision.objects.get()
    assert decision.outcome == GateOutcome.TERMINATE and decision.condition == condition
    assert fresh(participation).status == ParticipationStatus.TERMINATED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_assessor_scores_and_the_lead_officer_moderates_in_a_browser(browser_page, personas):
    sample = running(personas)
    assessors_named(personas, sample)
    participation = under_review(sample, personas.org_a)
    criteria = list(participation.phase.gate_criteria.order_by("order"))

    browser_page.sign_in_as(personas.evaluator_a).visit(partner_url("score", participation))
    browser_page.click_button("Complete my scoring")
    assert "There is a problem" in browser_page.text()
    for criterion in criteria:
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_score_7").check()
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_meets_0").check()
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_reason").fill("Met.")
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_evidence_reference").fill("p. 1")
    browser_page.click_button("Complete my scoring")
    assert "You completed your scoring" in browser_page.text()

    browser_page.sign_in_as(personas.officer_a).visit(partner_url("moderate", participation))
    assert "Met." in browser_page.text()
    for criterion in criteria:
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_score_7").check()
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_meets_0").check()
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_reason").fill("Agreed.")
        browser_page.page.locator(f"#id_criterion_{criterion.pk}_evidence_reference").fill("p. 1")
    browser_page.click_button("Save the consensus")
    assert "Meets the announced thresholds" in browser_page.text()
