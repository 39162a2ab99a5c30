"""An officer without an authenticator app is sent to set one up, and no officer page
opens until they have; every page on the way passes axe-core."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from core.models import OfficerRole
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SET_UP_PATH = "/accounts/2fa/totp/activate/"


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_officer_without_totp_must_set_it_up_before_the_officer_home_opens(browser_page, db):
    borough = factories.BoroughFactory(name="London Borough of Aldgate", slug="aldgate")
    factories.officer(borough, OfficerRole.OFFICER, email="new-officer@example.org", totp=False)
    page = browser_page.page

    browser_page.visit("/accounts/login/")
    browser_page.fill("E-mail address", "new-officer@example.org")
    browser_page.fill("Password", PASSWORD)
    browser_page.click_button("Sign in")

    assert browser_page.path.startswith(SET_UP_PATH)
    assert "You need to set up an authenticator app" in browser_page.text()

    browser_page.visit("/officer/")
    assert browser_page.path.startswith(SET_UP_PATH), "the officer home opened without TOTP"

    secret = page.locator("#authenticator_secret").input_value()
    wrong_code = f"{(int(_current_code(secret)) + 1) % 1_000_000:06d}"
    page.locator("input[name=code]").fill(wrong_code)
    browser_page.click_button("Set up the app")
    assert page.title().startswith("Error: ")
    assert browser_page.path.startswith(SET_UP_PATH)

    page.locator("input[name=code]").fill(_current_code(secret))
    browser_page.click_button("Set up the app")

    browser_page.visit("/officer/")
    assert browser_page.path == "/officer/"
    assert re.search(r"London Borough of Aldgate", browser_page.text())
