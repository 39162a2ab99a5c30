"""Every page shares one layout; it must pass axe-core for anyone, signed in or not."""

import pytest

pytestmark = pytest.mark.browser


def test_public_home_page_has_no_accessibility_violations(browser_page):
    browser_page.visit("/")

    assert browser_page.page.locator("h1").count() == 1
    assert browser_page.page.title().endswith("Innovation Partnerships")


def test_page_not_found_uses_govuk_wording_and_passes_axe(browser_page):
    browser_page.visit("/no-such-page/")

    assert "Page not found" in browser_page.text()


def test_error_summary_links_to_the_field_and_title_says_error(browser_page):
    browser_page.visit("/accounts/login/")
    browser_page.click_button("Sign in")

    assert browser_page.page.title().startswith("Error: ")
    summary = browser_page.page.locator(".govuk-error-summary")
    assert summary.get_by_text("There is a problem").is_visible()
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    assert browser_page.page.locator(target).count() == 1


def test_signed_in_layout_names_the_person_and_passes_axe(browser_page, personas):
    browser_page.sign_in_as(personas.supplier_a_admin).visit("/supplier/")

    navigation = browser_page.page.get_by_role("navigation", name="Menu")
    assert personas.supplier_a_admin.get_full_name() in navigation.inner_text()
    assert navigation.get_by_role("button", name="Sign out").is_visible()
