"""Every page of the portal passes axe-core for each kind of person who can open it.

The pages come from the permission matrix: every URL a persona gets with a 200
(the Django admin aside, which is Django's own markup, and the URLs that answer
with a file, a CSV or JSON rather than a page). A new page is swept as soon as its
matrix entry exists.
"""

import pytest

from tests.permission_matrix import entries_for, url_patterns

pytestmark = pytest.mark.browser

SWEPT = ["anonymous", "supplier_a_admin", "supplier_a_member", "officer_a", "borough_admin_a"]
NOT_PAGES = (
    "admin:",
    "health",
    "core:document-download",
    "core:document-status",
    "opportunities:itt-download",
    "requests:evidence-file",
    "partners:selection-evidence-file",
    "partners:selection-scores-csv",
    "partners:tenders-file",
    "tenders:file",
    "stages:deliverable-file",
)


def pages_for(persona: str, personas) -> list[str]:
    urls = []
    for info in url_patterns():
        if info.key.startswith(NOT_PAGES):
            continue
        (entry,) = entries_for(info)
        if entry.expected(info)[persona] == 200:
            urls.append(entry.url(personas, info))
    return sorted(set(urls))


@pytest.mark.parametrize("persona", SWEPT)
def test_every_page_a_person_can_open_has_no_accessibility_violations(
    persona, browser_page, personas
):
    user = getattr(personas, persona)
    if persona != "anonymous":
        browser_page.sign_in_as(user)
    urls = pages_for(persona, personas)
    assert len(urls) >= 5, urls

    for url in urls:
        browser_page.visit(url)
        # The page itself was checked, not a sign-in or error page the URL led to instead.
        assert (browser_page.path, browser_page.last_status) == (url, 200)

    assert len(browser_page.checked_urls) >= len(urls)
