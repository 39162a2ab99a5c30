"""The harness itself: axe-core really runs, and a page left unchecked is noticed."""

import pytest

from tests.browser_harness import CheckedPage

pytestmark = pytest.mark.browser

INACCESSIBLE = (
    '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head>'
    '<body><main><h1>Bad</h1><img src="/static/images/portal-icon.svg"></main></body></html>'
)


def test_axe_violations_fail_the_check_with_a_readable_list(browser_page):
    browser_page.visit("/")
    browser_page.page.set_content(INACCESSIBLE)

    with pytest.raises(AssertionError) as failure:
        browser_page.check_accessibility()

    assert "image-alt" in str(failure.value)
    assert "<img" in str(failure.value)


def test_a_page_loaded_without_a_check_is_counted_as_unchecked(chromium, live_server):
    context = chromium.new_context(bypass_csp=True)
    checked = CheckedPage(context.new_page(), live_server.url)
    try:
        checked.visit("/")
        checked.page.goto(live_server.url + "/accounts/login/")
        checked.page.wait_for_load_state("load")

        assert checked.loads - checked.checked_loads == 1

        checked.check_accessibility()
        assert checked.loads == checked.checked_loads
    finally:
        context.close()
