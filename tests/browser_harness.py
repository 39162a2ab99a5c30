"""Browser harness: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a browser test loads is checked with axe-core and must have no violations.
Use the `browser_page` fixture (a `CheckedPage`): `visit(path)`, `click_button(name)` and
`click_link(name)` wait for the next page and check it; `sign_in_as(user)` starts a
session without the sign-in pages. Anything done through `.page` directly that loads a
page must be followed by `check_accessibility()`.
At teardown the fixture fails the test if a page was loaded and never checked.
On failure a screenshot and the page's HTML are kept in test-artifacts/.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

from tests.cache_reset import clear_own_cache
from tests.signing_in import force_sign_in

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


class CheckedPage:
    """A Playwright page whose every loaded document is checked by axe-core."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.loads = 0
        self.checked_loads = 0
        self.checked_urls: list[str] = []
        self.last_status: int | None = None  # of the last visit(), after any redirect
        page.on("load", self._on_load)

    def _on_load(self, _page) -> None:
        self.loads += 1

    def sign_in_as(self, user) -> "CheckedPage":
        """Start a signed-in session without the sign-in pages (past any TOTP step)."""
        client = force_sign_in(Client(), user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
        )
        return self

    # --- navigation that checks the page it arrives at ---------------------
    def visit(self, path: str) -> "CheckedPage":
        url = path if path.startswith("http") else self.base_url + path
        response = self.page.goto(url)
        self.last_status = response.status if response is not None else None
        return self.check_accessibility()

    def click_button(self, name: str) -> "CheckedPage":
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=True).click()
        return self.check_accessibility()

    def click_link(self, name: str) -> "CheckedPage":
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=True).click()
        return self.check_accessibility()

    def fill(self, label: str, value: str) -> "CheckedPage":
        self.page.get_by_label(label, exact=True).fill(value)
        return self

    # --- the check ---------------------------------------------------------
    def check_accessibility(self) -> "CheckedPage":
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(path=str(AXE_SCRIPT))
        results = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        violations = results["violations"]
        # Every load that happened up to now has been seen by this check.
        self.checked_loads = self.loads
        self.checked_urls.append(self.page.url)
        assert not violations, format_violations(self.page.url, violations)
        return self

    @property
    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    # allauth's rate limits live in the cache (Redis), which outlives a test run: without
    # this, registering the same address twice within minutes sends no e-mail.
    clear_own_cache()
    # bypass_csp lets axe-core be injected under the portal's Content Security Policy.
    context = chromium.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    checked = CheckedPage(page, live_server.url)
    yield checked
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    unchecked = checked.loads - checked.checked_loads
    if failed or unchecked:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
    context.close()
    assert unchecked == 0, (
        f"{unchecked} page load(s) were never checked with axe-core; the last page was "
        f"{page.url}. Checked: {json.dumps(checked.checked_urls)}"
    )
