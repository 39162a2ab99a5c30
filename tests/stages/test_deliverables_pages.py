"""The pages of a phase's deliverables: the partner's phase with its targets, deliverables,
values, files and requests for more evidence; the form that submits a deliverable or the
final report; the borough's view of a participation with the lead officer's request for more
evidence; and the evidence files. Who sees what, nothing typed lost on a refusal, and a
constant number of queries whatever the number of deliverables."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.models import AuditEvent
from stages.models import (
    Deliverable,
    DeliverableKind,
    EvidenceRequest,
    ParticipationStatus,
)
from stages.services_gates import gate_assessors_name
from tests.partners.test_partnership_pages import queries
from tests.stages.running_samples import member_c_joins, running
from tests.stages.test_deliverables import (
    PDF_BYTES,
    ask,
    every_target,
    final_report,
    pdf,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

FILES_AGAIN = "select your evidence files again"


def phase_url(participation) -> str:
    return reverse("stages:partner-phase", kwargs={"pk": participation.pk})


def add_url(participation, query: str = "") -> str:
    url = reverse("stages:partner-deliverable-add", kwargs={"pk": participation.pk})
    return f"{url}?{query}" if query else url


def borough_url(participation) -> str:
    return reverse(
        "stages:participation",
        kwargs={"pk": participation.phase.procurement_id, "participation_pk": participation.pk},
    )


def ask_url(participation) -> str:
    return reverse(
        "stages:evidence-request",
        kwargs={"pk": participation.phase.procurement_id, "participation_pk": participation.pk},
    )


def file_url(stored) -> str:
    return reverse("stages:deliverable-file", kwargs={"pk": stored.pk})


def form_data(participation, **overrides) -> dict:
    """A complete final report as the form posts it (files apart)."""
    data = {"kind": "final_report", "title": "Final report", "summary": "All homes monitored."}
    for target in participation.phase.targets.all():
        data[f"value_{target.pk}"] = "24"
        data[f"note_{target.pk}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def first(personas, sample):
    return sample.participation(personas.org_a)


def as_consortium_member(sample, personas) -> None:
    """Organisation C joins organisation A's request as a consortium member."""
    member_c_joins(personas, sample.partnership_of(personas.org_a).request)


# --- the partner's phase ----------------------------------------------------------------------


def test_the_partners_phase_shows_targets_deliverables_values_files_and_requests(
    personas, login, first
):
    homes = first.phase.targets.order_by("order").first()
    deliverable = submit(
        personas, first, measurements={homes.pk: ("12", "Half so far")}, files=[pdf()]
    )
    asked = ask(personas, first, text="Send the raw monitoring log.")

    response = login(personas.supplier_a_admin).get(phase_url(first))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Research and prototype</h1>' in html
    assert "Falls detected within a minute" in html and "90% or more" in html
    assert "The incident report" in html
    card = re.search(rf'id="deliverable-{deliverable.pk}".*?</ul>', html, re.S).group(0)
    assert "Interim report" in card and "Progress report" in card
    assert re.findall(r"data-measured>([^<]+)<", card) == ["12"]
    assert "Half so far" in card
    stored = deliverable.files.get()
    assert f'href="{file_url(stored)}"' in card
    assert f"monitoring-log.pdf</a> (PDF, {len(PDF_BYTES)} bytes)" in card
    assert "Send the raw monitoring log." in html
    assert f'href="{add_url(first, f"answers={asked.pk}")}"' in html
    assert f'href="{add_url(first, "kind=final_report")}"' in html
    assert "Submit a deliverable" in html


def test_the_overview_links_each_phase_to_its_page(personas, login, sample, first):
    html = login(personas.supplier_a_admin).get(reverse("stages:partner-phases")).content.decode()

    assert f'href="{phase_url(first)}"' in html
    assert f'href="{phase_url(sample.participation(personas.org_a, 2))}"' in html


@pytest.mark.parametrize("persona", ["supplier_a_member", "consortium_member"])
def test_members_and_consortium_members_read_without_the_actions(
    personas, login, sample, first, persona
):
    as_consortium_member(sample, personas)
    submit(personas, first, files=[pdf()])
    ask(personas, first)
    client = login(getattr(personas, persona))

    html = client.get(phase_url(first)).content.decode()

    assert "Interim report" in html
    assert "Submit a deliverable" not in html
    assert "Submit the final report" not in html
    assert "Answer this request" not in html
    assert client.get(add_url(first)).status_code == 403
    assert client.post(add_url(first), form_data(first)).status_code == 403
    assert not Deliverable.objects.filter(kind=DeliverableKind.FINAL_REPORT).exists()


@pytest.mark.parametrize(
    "persona", ["supplier_b_admin", "officer_a", "approver_a", "borough_admin_a", "superuser"]
)
def test_another_supplier_and_officers_get_404_on_the_partners_pages(
    personas, login, first, persona
):
    client = login(getattr(personas, persona))

    assert client.get(phase_url(first)).status_code == 404
    assert client.get(add_url(first)).status_code == 404
    assert client.post(add_url(first), form_data(first)).status_code == 404
    assert not Deliverable.objects.exists()


def test_a_phase_not_started_offers_no_action_and_its_form_says_why(personas, login, sample):
    later = sample.participation(personas.org_a, 2)
    client = login(personas.supplier_a_admin)

    assert "Submit a deliverable" not in client.get(phase_url(later)).content.decode()
    response = client.get(add_url(later), follow=True)
    assert response.redirect_chain[-1][0] == phase_url(later)
    assert "This phase has not started" in response.content.decode()


# --- the form ---------------------------------------------------------------------------------


def test_the_final_report_form_offers_each_target_and_preselects_the_final_report(
    personas, login, first
):
    html = (
        login(personas.supplier_a_admin).get(add_url(first, "kind=final_report")).content.decode()
    )

    assert "Submit the final report for Research and prototype" in html
    assert re.search(r'<input type="radio" name="kind" value="final_report"[^>]*checked', html)
    for target in first.phase.targets.all():
        assert f'name="value_{target.pk}"' in html
        assert f"Threshold: {target.threshold}." in html
    assert 'type="file" name="files" multiple' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_admin_submits_the_final_report_and_the_phase_goes_to_review(
    personas, login, first, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(personas.supplier_a_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(first), {**form_data(first), "files": [pdf(), pdf("log.pdf")]}, follow=True
        )

    assert response.redirect_chain[-1][0] == phase_url(first)
    html = response.content.decode()
    assert "Your final report of Research and prototype has been submitted" in html
    assert ">Under review<" in html
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
    report = Deliverable.objects.get()
    assert report.files.count() == 2
    assert report.measurements.count() == 2
    assert [m.to for m in mailoutbox] == [[personas.officer_a.email]]
    # A second final report is no longer offered.
    assert "Submit the final report" not in html


def test_a_refused_final_report_keeps_what_was_typed_and_asks_for_the_files_again(
    personas, login, first
):
    homes, falls = first.phase.targets.order_by("order")
    data = form_data(first, title="Our final report", **{f"value_{falls.pk}": ""})
    data[f"note_{homes.pk}"] = "Counted on the last day"

    response = login(personas.supplier_a_admin).post(add_url(first), {**data, "files": [pdf()]})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: " in html
    problem = "Give the value measured for Falls detected within a minute"
    assert html.count(problem) == 2  # in the summary and at the field
    assert f'href="#id_value_{falls.pk}"' in html
    assert 'value="Our final report"' in html
    assert "All homes monitored." in html
    assert "Counted on the last day" in html
    assert re.search(r'value="final_report"[^>]*checked', html)
    assert FILES_AGAIN in html
    assert not Deliverable.objects.exists()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS


def test_a_refused_file_is_shown_at_the_files_with_the_checkers_reason(personas, login, first):
    program = pdf("report.pdf", b"MZ\x90\x00 a Windows program")

    response = login(personas.supplier_a_admin).post(
        add_url(first), {**form_data(first), "files": [pdf(), program]}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "it is a Windows program" in html
    assert 'href="#id_files"' in html
    assert 'value="Final report"' in html
    assert FILES_AGAIN in html
    assert not Deliverable.objects.exists()


def test_a_final_report_without_files_is_refused_at_the_files(personas, login, first):
    response = login(personas.supplier_a_admin).post(add_url(first), form_data(first))

    html = response.content.decode()
    assert "Select at least one evidence file" in html
    assert FILES_AGAIN not in html  # no file was selected, so none is lost
    assert not Deliverable.objects.exists()


def test_the_partner_answers_a_request_under_review_through_the_form(personas, login, first):
    final_report(personas, first)
    asked = ask(personas, first)
    client = login(personas.supplier_a_admin)

    html = client.get(add_url(first, f"answers={asked.pk}")).content.decode()
    assert 'value="final_report"' not in html  # no second final report under review
    assert re.search(rf'name="answers" value="{asked.pk}"[^>]*checked', html)
    assert "No, it does not answer a request" not in html  # under review it must answer one

    unanswered = client.post(
        add_url(first), {"kind": "deliverable", "title": "Raw log", "summary": "Here."}
    )
    assert unanswered.content.decode().count("Choose the request for more evidence it answers") == 2
    assert not Deliverable.objects.filter(title="Raw log").exists()

    response = client.post(
        add_url(first),
        {"kind": "deliverable", "answers": str(asked.pk), "title": "Raw log", "summary": "Here."},
    )

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.answered_at is not None
    assert Deliverable.objects.get(title="Raw log").answers == asked


# --- the old confirmation address -------------------------------------------------------------


def test_the_old_submit_address_leads_to_the_final_report_form(personas, login, first):
    client = login(personas.supplier_a_admin)
    submit_url = reverse("stages:partner-phase-submit", kwargs={"pk": first.pk})

    for response in (client.get(submit_url), client.post(submit_url, {"confirm": "on"})):
        assert response.status_code == 302
        assert response["Location"] == add_url(first, "kind=final_report")
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS  # a tick alone submits nothing


# --- the borough's view -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "approver_a", "borough_admin_a"])
def test_the_borough_sees_the_partners_record(personas, login, first, persona):
    report = final_report(personas, first)

    response = login(getattr(personas, persona)).get(borough_url(first))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alpha Robotics Ltd in Research and prototype" in html
    assert ">Under review<" in html
    assert re.findall(r"data-measured>([^<]+)<", html) == ["24", "24"]
    assert f'href="{file_url(report.files.get())}"' in html
    assert ("Ask for more evidence" in html) == (persona == "officer_a")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("evaluator_a", 403),
        ("officer_b", 404),
        ("supplier_a_admin", 404),
        ("supplier_b_admin", 404),
        ("superuser", 404),
    ],
)
def test_others_do_not_see_the_borough_view(personas, login, first, persona, status):
    client = login(getattr(personas, persona))

    assert client.get(borough_url(first)).status_code == status
    assert client.get(ask_url(first)).status_code == status


def test_an_assessor_of_the_phases_gate_sees_the_record_and_its_files(personas, login, first):
    stored = final_report(personas, first).files.get()
    gate_assessors_name(
        actor=personas.officer_a, phase=first.phase, assessors=[personas.evaluator_a]
    )
    client = login(personas.evaluator_a)

    html = client.get(borough_url(first)).content.decode()

    assert "Alpha Robotics Ltd in Research and prototype" in html
    assert "Ask for more evidence" not in html
    assert client.get(file_url(stored)).status_code == 200
    assert client.get(ask_url(first)).status_code == 403


def test_a_participation_of_another_procurement_is_not_found(personas, login, sample, first):
    other = running(personas)
    wrong = reverse(
        "stages:participation",
        kwargs={"pk": other.procurement.pk, "participation_pk": first.pk},
    )

    assert login(personas.officer_a).get(wrong).status_code == 404


def test_the_lead_officer_asks_for_more_evidence_through_the_page(
    personas, login, first, mailoutbox, django_capture_on_commit_callbacks
):
    deliverable = submit(personas, first)
    client = login(personas.officer_a)
    assert "Is it about one deliverable?" in client.get(ask_url(first)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ask_url(first),
            {"request": "Send the raw log.", "deliverable": str(deliverable.pk)},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == borough_url(first)
    assert "Your request has been sent to Alpha Robotics Ltd." in response.content.decode()
    asked = EvidenceRequest.objects.get()
    assert (asked.request, asked.deliverable) == ("Send the raw log.", deliverable)
    assert [m.to for m in mailoutbox] == [[personas.supplier_a_admin.email]]
    assert (
        "Send the raw log."
        in login(personas.supplier_a_admin).get(phase_url(first)).content.decode()
    )


def test_an_empty_request_is_refused_on_the_page(personas, login, first):
    response = login(personas.officer_a).post(ask_url(first), {"request": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Say what evidence you need, and why") == 2
    assert not EvidenceRequest.objects.exists()


@pytest.mark.parametrize("persona", ["approver_a", "borough_admin_a"])
def test_only_the_lead_officer_may_ask(personas, login, first, persona):
    client = login(getattr(personas, persona))

    assert client.get(ask_url(first)).status_code == 403
    assert client.post(ask_url(first), {"request": "Send more."}).status_code == 403
    assert not EvidenceRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="stages.evidence_requested").exists()


# --- evidence files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["supplier_a_admin", "supplier_a_member", "consortium_member", "officer_a"]
)
def test_the_partners_people_and_the_borough_download_a_file_as_an_attachment(
    personas, login, sample, first, persona
):
    as_consortium_member(sample, personas)
    stored = submit(personas, first, files=[pdf()]).files.get()

    response = login(getattr(personas, persona)).get(file_url(stored))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="monitoring-log.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("persona", ["supplier_b_admin", "officer_b", "evaluator_a", "superuser"])
def test_nobody_else_downloads_a_file(personas, login, first, persona):
    stored = submit(personas, first, files=[pdf()]).files.get()

    assert login(getattr(personas, persona)).get(file_url(stored)).status_code == 404


# --- query counts -----------------------------------------------------------------------------


def deliver(personas, participation, count: int, actor) -> None:
    for number in range(count):
        submit(
            personas,
            participation,
            actor=actor,
            title=f"Deliverable {number}",
            measurements=every_target(participation, str(number)),
            files=[pdf(f"part-{number}.pdf", PDF_BYTES + str(number).encode())],
        )
        ask(personas, participation, text=f"Request {number}")


def test_the_pages_make_as_many_queries_for_one_deliverable_as_for_six(personas, login, sample):
    mine, theirs = sample.participation(personas.org_a), sample.participation(personas.org_b)
    deliver(personas, mine, 1, personas.supplier_a_admin)
    deliver(personas, theirs, 6, personas.supplier_b_admin)
    partner_a = login(personas.supplier_a_admin)
    counts = {"partner 1": queries(partner_a, phase_url(mine))}
    partner_b = login(personas.supplier_b_admin)
    counts["partner 6"] = queries(partner_b, phase_url(theirs))
    officer = login(personas.officer_a)
    counts["borough 1"] = queries(officer, borough_url(mine))
    counts["borough 6"] = queries(officer, borough_url(theirs))
    html = officer.get(borough_url(theirs)).content.decode()
    assert html.count("data-measured>") == 12
    assert html.count('class="govuk-summary-card"') == 6

    print(f"Deliverable pages queries: {counts}")
    assert counts["partner 1"] == counts["partner 6"]
    assert counts["borough 1"] == counts["borough 6"]
