"""The document status page updates itself when the document is ready, and passes axe-core."""

import pytest

from core.documents import document_kind_get
from core.models import GeneratedDocument
from core.services.documents import document_render

pytestmark = pytest.mark.browser


def test_status_page_shows_the_download_by_itself_once_the_document_is_ready(
    browser_page, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    kind = document_kind_get("audit_extract")
    document = GeneratedDocument.objects.create(
        kind=kind.name,
        target=personas.borough_a,
        title=kind.title(personas.borough_a),
        context=kind.build_context(
            target=personas.borough_a, actor=personas.borough_admin_a, extra=None
        ),
        requested_by=personas.borough_admin_a,
    )
    browser_page.sign_in_as(personas.borough_admin_a)
    page = browser_page.page

    browser_page.visit(document.get_absolute_url())
    assert "Waiting to be generated" in browser_page.text()
    assert "This page will refresh when the document is ready" in browser_page.text()

    document_render(document_id=document.pk)  # as a worker would, while the page waits
    download = page.get_by_role("link", name="Download Audit extract: London Borough of Aldgate")
    download.wait_for(timeout=15_000)
    browser_page.check_accessibility()

    assert "Ready" in browser_page.text()
    with page.expect_download() as started:
        download.click()
    expected = f"audit-extract-london-borough-of-aldgate-{document.pk}.pdf"
    assert started.value.suggested_filename == expected


def test_borough_administrator_requests_an_audit_extract_from_its_page(
    browser_page, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser_page.sign_in_as(personas.borough_admin_a)

    browser_page.visit(f"/documents/audit-extract/{personas.borough_a.slug}/")
    browser_page.click_button("Request audit extract")  # rendered at once: tasks run eagerly

    document = GeneratedDocument.objects.get()
    assert browser_page.path == document.get_absolute_url()
    assert "Ready" in browser_page.text()
