"""Submitting a request to participate: only an organisation admin of the lead, only
complete, only before the deadline by the server's clock; a frozen, numbered submission
with its SHA-256, a receipt on screen and by e-mail, and an audit trail with no answers."""

import json
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.exceptions import PermissionRefused
from core.models import AuditEvent, SupplierRole
from partners.models import (
    ExclusionDeclaration,
    ParticipationRequest,
    RequestAnswer,
    RequestStatus,
    RequestSubmission,
)
from partners.services_requests import (
    ParticipationClosed,
    SubmissionIncomplete,
    request_answer_save,
    request_submit,
)
from partners.submission import (
    content_sha256,
    participation_closed_message,
    submission_content,
)
from procurements.services.closing import procurement_close_participation
from tests import factories

from .request_samples import a_request, answer_everything, open_call, questions, url

pytestmark = pytest.mark.django_db

MARKER = "MARKER-what-the-supplier-wrote"


@pytest.fixture
def ready(personas):
    """Supplier A's complete draft for a call open ten more days."""
    request = a_request(personas, open_call(personas))
    answer_everything(personas, request)
    return request


# --- refused with what is missing ------------------------------------------------------------


def test_an_incomplete_request_is_refused_with_each_problem_linking_to_its_page(personas, login):
    request = a_request(personas, open_call(personas))
    pass_fail, scored = questions(request.procurement)

    response = login(personas.supplier_a_admin).post(url("submit", request))

    assert response.status_code == 200
    page = response.content.decode()
    assert "You cannot submit the request yet" in page
    for problem_url, message in [
        (url("answer", request, question_pk=pass_fail.pk), "Answer question 1: say whether"),
        (url("answer", request, question_pk=scored.pk), "Answer question 2"),
        (url("exclusions", request, organisation_pk=personas.org_a.pk), "declare whether each"),
        (url("conflicts", request), "Say whether you have any conflict of interest"),
    ]:
        assert f'<a href="{problem_url}">' in page
        assert message in page
    assert not RequestSubmission.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


def test_the_service_refusal_carries_the_problems(personas):
    request = a_request(personas, open_call(personas))

    with pytest.raises(SubmissionIncomplete) as refused:
        request_submit(actor=personas.supplier_a_admin, request=request)

    problems = refused.value.extra["problems"]
    assert len(problems) == 4
    assert all(problem.url.startswith(f"/requests/{request.pk}/") for problem in problems)


def test_the_check_page_lists_the_problems_before_anyone_presses_submit(personas, login):
    request = a_request(personas, open_call(personas))

    page = login(personas.supplier_a_member).get(url("submit", request)).content.decode()

    assert "You cannot submit the request yet" in page
    assert url("conflicts", request) in page


# --- accepted --------------------------------------------------------------------------------


def test_a_complete_request_is_frozen_with_the_sha256_of_its_content(personas, login, ready):
    response = login(personas.supplier_a_admin).post(url("submit", ready))

    submission = RequestSubmission.objects.get()
    assert response.status_code == 302
    assert response.url == url("receipt", ready, number=1)
    assert (submission.request, submission.number) == (ready, 1)
    assert submission.submitted_by == personas.supplier_a_admin
    # What the database gives back hashes to the digest on the receipt...
    assert content_sha256(submission.content) == submission.sha256
    # ...and is what the request said at the time.
    assert submission.content == submission_content(ready)
    assert len(submission.sha256) == 64
    ready.refresh_from_db()
    assert ready.status == RequestStatus.SUBMITTED
    assert ready.submitted_at == submission.submitted_at


def test_the_receipt_shows_the_time_in_uk_time_the_sha256_and_what_was_submitted(
    personas, login, clock
):
    # 3:59:59pm UTC on 1 June 2027 is 4:59:59pm in London (British Summer Time).
    moment = datetime(2027, 6, 1, 15, 59, 59, tzinfo=ZoneInfo("UTC"))
    clock(moment - timedelta(days=5))
    request = a_request(personas, open_call(personas, closes=moment + timedelta(hours=1)))
    answer_everything(personas, request, text="We ran three trials with two boroughs.")
    clock(moment)
    submission = request_submit(actor=personas.supplier_a_admin, request=request)

    page = login(personas.supplier_a_member).get(url("receipt", request, number=1))

    html = page.content.decode()
    assert "1 June 2027 at 4:59:59pm (UK time" in html
    assert submission.sha256 in html
    assert "We ran three trials with two boroughs." in html
    assert "public liability insurance" in html


def test_the_receipt_is_emailed_to_the_submitter_and_the_organisations_admins(
    personas, ready, django_capture_on_commit_callbacks, mailoutbox, clock
):
    other_admin = factories.supplier(personas.org_a, SupplierRole.ADMIN, email="a2@example.org")
    # 10:00:01 UTC on 15 January 2027 is the same in London (Greenwich Mean Time).
    clock(datetime(2027, 1, 15, 10, 0, 1, tzinfo=ZoneInfo("UTC")))
    ready.procurement.participation_deadline = datetime(2027, 1, 20, 12, tzinfo=ZoneInfo("UTC"))
    ready.procurement.save()

    with django_capture_on_commit_callbacks(execute=True):
        submission = request_submit(actor=other_admin, request=ready)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["a-admin@example.org", "a2@example.org"]
    mail = mailoutbox[0]
    procurement = ready.procurement
    assert procurement.reference in mail.subject and "submission 1" in mail.subject
    assert "Received: 15 January 2027 at 10:00:01am (UK time" in mail.body
    assert "Submission number: 1" in mail.body
    assert f"SHA-256 of what was submitted: {submission.sha256}" in mail.body
    assert procurement.title in mail.body
    assert reverse("requests:receipt", kwargs={"pk": ready.pk, "number": 1}) in mail.body


def test_no_receipt_is_sent_when_the_submission_rolls_back(
    personas, ready, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_submit(actor=personas.supplier_a_admin, request=ready)
        raise RuntimeError("something later failed")

    assert callbacks == []
    assert mailoutbox == []
    assert not RequestSubmission.objects.exists()


def test_the_audit_holds_ids_number_and_sha256_but_nothing_the_supplier_wrote(personas, ready):
    RequestAnswer.objects.filter(request=ready).update(text=MARKER)
    ExclusionDeclaration.objects.filter(request=ready).update(
        applies=True, details=MARKER, self_cleaning=MARKER
    )
    ParticipationRequest.objects.filter(pk=ready.pk).update(
        has_conflict=True, conflict_details=MARKER
    )
    request_answer_save(
        actor=personas.supplier_a_member,
        request=ready,
        question=questions(ready.procurement)[1],
        meets=None,
        text=f"{MARKER} again",
    )

    submission = request_submit(actor=personas.supplier_a_admin, request=ready)

    event = AuditEvent.objects.get(action="partners.request_submitted")
    assert event.data == {
        "request_id": ready.pk,
        "procurement_id": ready.procurement_id,
        "organisation_id": personas.org_a.pk,
        "status": "submitted",
        "submission_id": submission.pk,
        "number": 1,
        "sha256": submission.sha256,
        "replaces": None,
        "submitted_at": submission.submitted_at.isoformat(),
    }
    assert MARKER in json.dumps(submission.content)  # the marker is really in what was frozen
    for event in AuditEvent.objects.all():
        assert MARKER not in json.dumps(event.data), event.action


# --- the deadline, by the server's clock -----------------------------------------------------


def test_a_submission_one_second_before_the_deadline_is_accepted(personas, clock):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    answer_everything(personas, request)
    clock(deadline - timedelta(seconds=1))

    submission = request_submit(actor=personas.supplier_a_admin, request=request)

    assert submission.submitted_at == deadline - timedelta(seconds=1)


@pytest.mark.parametrize("task_ran", [False, True], ids=["task-late", "task-ran"])
@pytest.mark.parametrize("after", [0, 1], ids=["at-the-deadline", "one-second-after"])
def test_a_submission_at_or_after_the_deadline_is_refused_whatever_the_task_did(
    personas, login, clock, task_ran, after
):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    answer_everything(personas, request)
    clock(deadline + timedelta(seconds=after))
    if task_ran:
        assert procurement_close_participation(pk=request.procurement_id)

    with pytest.raises(ParticipationClosed):
        request_submit(actor=personas.supplier_a_admin, request=request)
    response = login(personas.supplier_a_admin).post(url("submit", request))

    assert response.status_code == 200
    request.procurement.refresh_from_db()
    assert participation_closed_message(request.procurement) in response.content.decode()
    assert not RequestSubmission.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


# --- who may ---------------------------------------------------------------------------------


def test_a_member_cannot_submit_and_is_told_who_can(personas, login, ready):
    client = login(personas.supplier_a_member)

    page = client.get(url("submit", ready)).content.decode()
    refused = client.post(url("submit", ready))

    assert "Only an organisation admin of Alpha Robotics Ltd can submit" in page
    # As the page writes it: a name such as O'Brien is HTML-escaped.
    assert escape(personas.supplier_a_admin.get_full_name()) in page
    assert "Submit the request</button>" not in page
    assert refused.status_code == 403
    with pytest.raises(PermissionRefused):
        request_submit(actor=personas.supplier_a_member, request=ready)
    assert not RequestSubmission.objects.exists()


def test_the_admin_sees_the_button(personas, login, ready):
    page = login(personas.supplier_a_admin).get(url("submit", ready)).content.decode()

    assert "Submit the request</button>" in page
    assert "You cannot submit the request yet" not in page


def test_an_admin_of_another_organisation_cannot_submit(personas, ready):
    with pytest.raises(PermissionRefused):
        request_submit(actor=personas.supplier_b_admin, request=ready)


# --- twice, and again ------------------------------------------------------------------------


def test_submitting_again_without_a_change_creates_nothing(personas, login, ready):
    first = request_submit(actor=personas.supplier_a_admin, request=ready)

    again = request_submit(actor=personas.supplier_a_admin, request=ready)
    response = login(personas.supplier_a_admin).post(url("submit", ready), follow=True)

    assert again.pk == first.pk
    assert RequestSubmission.objects.count() == 1
    assert AuditEvent.objects.filter(action="partners.request_submitted").count() == 1
    assert "Nothing has changed since submission 1" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_admins_submitting_at_once_produce_one_submission(personas, mailoutbox):
    procurement = open_call(personas)
    request = a_request(personas, procurement)
    answer_everything(personas, request)
    second_admin = factories.supplier(personas.org_a, SupplierRole.ADMIN, email="a2@example.org")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(actor):
        try:
            barrier.wait(timeout=10)
            results.append(request_submit(actor=actor, request=request).pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(actor,))
        for actor in (personas.supplier_a_admin, second_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert RequestSubmission.objects.count() == 1
    assert AuditEvent.objects.filter(action="partners.request_submitted").count() == 1
    # One receipt: to the one who submitted and the organisation's admins, once each.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a-admin@example.org", "a2@example.org"]


def test_a_changed_request_submitted_again_is_submission_2_which_replaces_1(personas, login, ready):
    first = request_submit(actor=personas.supplier_a_admin, request=ready)
    request_answer_save(
        actor=personas.supplier_a_member,
        request=ready,
        question=questions(ready.procurement)[1],
        meets=None,
        text="A better answer.",
    )
    client = login(personas.supplier_a_admin)
    task_list = client.get(url("detail", ready)).content.decode()
    assert "You have changed the request since submission 1" in task_list

    second = request_submit(actor=personas.supplier_a_admin, request=ready)

    assert (second.number, second.sha256 != first.sha256) == (2, True)
    assert content_sha256(second.content) == second.sha256
    assert "A better answer." in json.dumps(second.content)
    assert "A better answer." not in json.dumps(first.content)
    event = AuditEvent.objects.filter(action="partners.request_submitted").latest("pk")
    assert (event.data["number"], event.data["replaces"]) == (2, 1)
    old_receipt = client.get(url("receipt", ready, number=1)).content.decode()
    assert "Submission 2 has replaced this one" in old_receipt
    assert "You have changed the request" not in client.get(url("detail", ready)).content.decode()
