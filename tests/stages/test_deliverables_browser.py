"""The deliverable pages in a real browser (Chromium, axe): a transactional test, apart from
the module whose running sample is built once."""

from __future__ import annotations

import re

import pytest

from tests.stages.running_samples import running
from tests.stages.test_deliverables import (
    ask,
    every_target,
    final_report,
    pdf,
    submit,
)
from tests.stages.test_deliverables_pages import borough_url, phase_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_record_pages_and_the_request_form_with_its_error_pass_axe(browser_page, personas):
    sample = running(personas)
    first = sample.participation(personas.org_a)
    submit(personas, first, measurements=every_target(first), files=[pdf()])
    ask(personas, first)
    final_report(personas, first)

    browser_page.sign_in_as(personas.supplier_a_admin).visit(phase_url(first))
    assert "Answer this request" in browser_page.text()
    with browser_page.page.expect_navigation():
        browser_page.page.get_by_role("link", name=re.compile("^Answer this request")).click()
    browser_page.check_accessibility()
    assert "Submit a deliverable for Research and prototype" in browser_page.text()

    browser_page.sign_in_as(personas.officer_a).visit(borough_url(first))
    assert "Final report" in browser_page.text()
    browser_page.click_button("Ask for more evidence")
    browser_page.click_button("Send the request")
    assert "Say what evidence you need, and why" in browser_page.text()
