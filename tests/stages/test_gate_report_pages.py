"""The procurement's stage-gate reports page: every report by phase, newest first, with its
version and status; a failed document shown with what went wrong and a "Try again" for the
lead officer that generates it again; the downloads for who may have them; a partner's own
letters for its pages; a constant number of queries."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.documents import _KINDS
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.services.documents import document_render
from stages.documents_gate import GATE_LETTER, GATE_REPORT, LETTER_KIND, REPORT_KIND
from stages.selectors_reports import partner_letters
from tests.partners.test_partnership_pages import queries
from tests.stages.running_samples import running
from tests.stages.test_gate_reports import decide, document_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def page_url(procurement) -> str:
    return reverse("stages:reports", kwargs={"pk": procurement.pk})


def retry_url(decision) -> str:
    procurement = decision.participation.phase.procurement
    return reverse("stages:report-retry", kwargs={"pk": procurement.pk, "decision_pk": decision.pk})


def render_waiting() -> None:
    """Render every waiting document, as the worker does after the commit."""
    for pk in GeneratedDocument.objects.filter(status=DocumentStatus.PENDING).values_list(
        "pk", flat=True
    ):
        document_render(document_id=pk)


@pytest.fixture
def sample(personas):
    return running(personas)


@pytest.fixture
def decided(personas, sample):
    """B terminated at the first gate, then A passed: versions 1 and 2, rendered."""
    first = decide(personas, sample.participation(personas.org_b, 1), terminate=True, scores=(3, 4))
    second = decide(personas, sample.participation(personas.org_a, 1))
    render_waiting()
    return first, second


def test_the_page_lists_every_report_by_phase_newest_first_with_downloads(
    personas, login, sample, decided
):
    first, second = decided

    response = login(personas.approver_a).get(page_url(sample.procurement))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Phase 1: Research and prototype" in html
    rows = re.findall(r'<tr class="govuk-table__row" id="decision-(\d+)">', html)
    assert rows == [str(second.pk), str(first.pk)]  # newest first
    assert "Version 2" in html and "Version 1" in html
    assert "Beta Care CIC: Terminate this partner, on the announced condition" in html
    assert "Alpha Robotics Ltd: Pass to the next phase" in html
    for decision in decided:
        for kind in (REPORT_KIND, LETTER_KIND):
            document = document_of(decision, kind)
            assert reverse("core:document-download", args=[document.pk]) in html
    assert html.count("govuk-tag--green") == 4
    assert "Try again" not in html


def test_the_page_says_when_no_decision_has_been_made(personas, login, sample):
    html = login(personas.officer_a).get(page_url(sample.procurement)).content.decode()
    assert 'id="no-reports"' in html


def test_a_waiting_document_shows_its_progress(personas, login, sample):
    decision = decide(personas, sample.participation(personas.org_a, 1))

    html = login(personas.officer_a).get(page_url(sample.procurement)).content.decode()

    assert html.count(">Waiting</strong>") == 2
    assert 'id="reports-rendering"' in html
    report = document_of(decision, REPORT_KIND)
    assert reverse("core:document-detail", args=[report.pk]) in html


def test_a_failed_report_shows_failed_and_the_lead_officer_generates_it_again(
    personas, login, sample, monkeypatch, django_capture_on_commit_callbacks
):
    # A template error: the report of this decision cannot be rendered.
    monkeypatch.setitem(
        _KINDS, REPORT_KIND, replace(GATE_REPORT, template="stages/documents/missing.html")
    )
    decision = decide(personas, sample.participation(personas.org_a, 1))
    render_waiting()
    report = document_of(decision, REPORT_KIND)
    assert report.status == DocumentStatus.FAILED
    assert document_of(decision, LETTER_KIND).status == DocumentStatus.READY
    monkeypatch.setitem(_KINDS, REPORT_KIND, GATE_REPORT)  # the template is put right

    # The approver sees it failed, in words, but cannot retry; the lead officer can.
    html = login(personas.approver_a).get(page_url(sample.procurement)).content.decode()
    assert ">Failed</strong>" in html
    assert "The portal could not generate this document after 1 attempt" in html
    assert "The decision stands; nothing about it is lost." in html
    assert "TemplateDoesNotExist" in html
    assert "Try again" not in html
    assert (
        login(personas.approver_a).post(retry_url(decision), {"kind": REPORT_KIND}).status_code
        == 403
    )
    html = login(personas.officer_a).get(page_url(sample.procurement)).content.decode()
    assert html.count("Try again") == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.officer_a).post(retry_url(decision), {"kind": REPORT_KIND})

    assert response.status_code == 302
    assert response["Location"] == page_url(sample.procurement)
    report.refresh_from_db()
    assert report.status == DocumentStatus.READY  # the same document, from its frozen content
    assert GeneratedDocument.objects.filter(kind=REPORT_KIND).count() == 1
    assert AuditEvent.objects.filter(action="document.retried", target_id=str(report.pk)).exists()
    html = login(personas.officer_a).get(page_url(sample.procurement)).content.decode()
    assert "Try again" not in html


def test_a_document_whose_content_could_not_be_prepared_is_requested_again(
    personas, login, sample, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("the content could not be gathered")

    monkeypatch.setitem(_KINDS, LETTER_KIND, replace(GATE_LETTER, build_context=broken))
    decision = decide(personas, sample.participation(personas.org_a, 1))
    monkeypatch.setitem(_KINDS, LETTER_KIND, GATE_LETTER)
    html = login(personas.officer_a).get(page_url(sample.procurement)).content.decode()
    assert "could not gather the content of this document" in html

    with django_capture_on_commit_callbacks(execute=True):
        login(personas.officer_a).post(retry_url(decision), {"kind": LETTER_KIND})

    assert document_of(decision, LETTER_KIND).status == DocumentStatus.READY


def test_retrying_a_ready_document_is_refused_with_a_message(personas, login, sample, decided):
    first, _ = decided
    client = login(personas.officer_a)

    response = client.post(retry_url(first), {"kind": REPORT_KIND}, follow=True)

    assert "This document is ready: there is nothing to retry." in response.content.decode()
    assert not AuditEvent.objects.filter(action="document.retried").exists()


def test_retry_is_refused_to_suppliers_and_for_another_procurements_decision(
    personas, login, sample, decided
):
    first, _ = decided
    assert (
        login(personas.supplier_a_admin).post(retry_url(first), {"kind": REPORT_KIND}).status_code
        == 404
    )
    assert login(personas.officer_a).post(retry_url(first), {"kind": "other"}).status_code == 404
    other = running(personas)
    url = reverse(
        "stages:report-retry", kwargs={"pk": other.procurement.pk, "decision_pk": first.pk}
    )
    assert login(personas.officer_a).post(url, {"kind": REPORT_KIND}).status_code == 404


def test_downloads_the_borough_has_both_each_partner_its_own_letter(
    personas, login, sample, decided
):
    first, second = decided  # B's decision, then A's
    report = document_of(second, REPORT_KIND)
    a_letter, b_letter = document_of(second, LETTER_KIND), document_of(first, LETTER_KIND)

    def status(person, document) -> int:
        return login(person).get(reverse("core:document-download", args=[document.pk])).status_code

    assert status(personas.officer_a, report) == 200
    assert status(personas.borough_admin_a, a_letter) == 200
    assert status(personas.supplier_a_admin, report) == 404
    assert status(personas.supplier_a_member, a_letter) == 200
    assert status(personas.supplier_a_admin, b_letter) == 404
    assert status(personas.supplier_b_member, b_letter) == 200
    assert status(personas.supplier_b_admin, a_letter) == 404
    assert status(personas.officer_b, report) == 404
    assert status(personas.evaluator_a, report) == 404


def test_partner_letters_gives_a_partner_only_its_own_ready_letters(personas, sample, decided):
    first, second = decided
    ids = [p.pk for p in sample.partnerships]

    mine = partner_letters(personas.supplier_a_member, ids)
    theirs = partner_letters(personas.supplier_b_admin, ids)

    assert mine == {second.participation_id: document_of(second, LETTER_KIND)}
    assert theirs == {first.participation_id: document_of(first, LETTER_KIND)}
    assert partner_letters(personas.consortium_member, ids) == {}
    assert partner_letters(personas.officer_a, ids) == {}


def test_the_page_and_the_partners_letters_make_constant_queries(personas, login):
    sample = running(personas, partners=6)
    client = login(personas.officer_a)
    participations = [
        sample.participation(partnership.request.organisation, 1)
        for partnership in sample.partnerships
    ]
    ids = [p.pk for p in sample.partnerships]
    counts, letters = {}, {}
    for participation in participations:
        decide(personas, participation)
        done = GeneratedDocument.objects.filter(kind=REPORT_KIND).count()
        if done in (2, 6):
            render_waiting()
            counts[done] = queries(client, page_url(sample.procurement))
            with CaptureQueriesContext(connection) as captured:
                partner_letters(personas.supplier_a_admin, ids)
            letters[done] = len(captured)

    assert counts[2] == counts[6], counts
    assert letters[2] == letters[6] <= 3, letters
    html = client.get(page_url(sample.procurement)).content.decode()
    assert html.count('id="decision-') == 6
    assert "Version 6" in html


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lead_officer_tries_a_failed_report_again_in_a_browser_and_the_page_passes_axe(
    browser_page, personas, monkeypatch
):
    sample = running(personas)
    monkeypatch.setitem(
        _KINDS, REPORT_KIND, replace(GATE_REPORT, template="stages/documents/missing.html")
    )
    decision = decide(personas, sample.participation(personas.org_a, 1))
    render_waiting()
    monkeypatch.setitem(_KINDS, REPORT_KIND, GATE_REPORT)

    browser_page.sign_in_as(personas.officer_a).visit(page_url(sample.procurement))
    assert "The portal could not generate this document" in browser_page.text()
    with browser_page.page.expect_navigation():
        browser_page.page.get_by_role("button", name=re.compile("^Try again")).click()
    browser_page.check_accessibility()

    assert "The document is being generated again" in browser_page.text()
    assert document_of(decision, REPORT_KIND).status == DocumentStatus.READY
    assert browser_page.text().count("Ready") == 2
    assert "Try again" not in browser_page.text()
