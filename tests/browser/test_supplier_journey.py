"""A supplier registers, confirms their e-mail address from the message, signs in and
reaches the supplier home; every page on the way passes axe-core."""

import re

import pytest
from django.core import mail

from core.models import SupplierMembership, SupplierRole

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase"


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_supplier_registers_verifies_email_signs_in_and_sees_supplier_home(browser_page):
    browser_page.visit("/accounts/signup/")
    page = browser_page.page

    browser_page.fill("Full name", "Grace Hopper")
    browser_page.fill("E-mail address", "grace@compiler.example")
    browser_page.fill("Create a password", PASSWORD)
    browser_page.fill("Confirm your password", PASSWORD)
    browser_page.fill("Organisation name", "Compiler Works Ltd")
    browser_page.fill("Companies House number (optional)", "12AB")  # the wrong shape
    _answer(page, "Is your organisation a small or medium-sized enterprise (SME)?", "Yes")
    _answer(page, "Is your organisation a voluntary, community or social enterprise (VCSE)?", "No")
    page.get_by_label("Region", exact=True).select_option(label="London")
    browser_page.fill("Postcode", "SE1 7PB")
    browser_page.click_button("Register")

    # The mistake is explained, and what was typed is still there.
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_companies_house_number"
    assert page.get_by_label("Full name", exact=True).input_value() == "Grace Hopper"
    assert page.get_by_label("Organisation name", exact=True).input_value() == "Compiler Works Ltd"
    assert mail.outbox == []

    browser_page.fill("Companies House number (optional)", "01234567")
    browser_page.fill("Create a password", PASSWORD)
    browser_page.fill("Confirm your password", PASSWORD)
    browser_page.click_button("Register")

    assert "/accounts/confirm-email/" in browser_page.path
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@compiler.example"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)

    browser_page.visit(link)
    browser_page.click_button("Confirm my e-mail address")

    assert browser_page.path.startswith("/accounts/login/")
    browser_page.fill("E-mail address", "grace@compiler.example")
    browser_page.fill("Password", PASSWORD)
    browser_page.click_button("Sign in")

    assert browser_page.path == "/supplier/"
    assert "Compiler Works Ltd" in page.locator("h1").inner_text()
    membership = SupplierMembership.objects.select_related("organisation").get(
        user__email="grace@compiler.example"
    )
    assert membership.role == SupplierRole.ADMIN
    assert membership.organisation.companies_house_number == "01234567"
