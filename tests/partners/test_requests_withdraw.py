"""Withdrawing a request (an organisation admin, before the deadline: its last submission is
no longer assessed) and starting it again (back to a draft, before the deadline)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import RequestStatus, RequestSubmission
from partners.services_requests import (
    ParticipationClosed,
    request_restart,
    request_submit,
    request_withdraw,
)

from .request_samples import a_request, answer_everything, open_call, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(personas):
    request = a_request(personas, open_call(personas))
    answer_everything(personas, request)
    request_submit(actor=personas.supplier_a_admin, request=request)
    request.refresh_from_db()
    return request


def test_an_admin_withdraws_a_submitted_request_after_confirming(personas, login, submitted):
    client = login(personas.supplier_a_admin)

    confirm = client.get(url("withdraw", submitted)).content.decode()
    response = client.post(url("withdraw", submitted))

    assert "The borough will not assess submission 1" in confirm
    assert response.url == url("detail", submitted)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.WITHDRAWN
    assert submitted.withdrawn_at is not None
    event = AuditEvent.objects.get(action="partners.request_withdrawn")
    assert (event.data["previous_status"], event.data["latest_submission"]) == ("submitted", 1)
    page = client.get(url("detail", submitted)).content.decode()
    assert "Submission 1" in page and "will not be assessed" in page
    receipt = client.get(url("receipt", submitted, number=1)).content.decode()
    assert "You withdrew the request: this submission will not be assessed." in receipt


def test_a_withdrawn_request_cannot_be_submitted_until_it_is_started_again(personas, submitted):
    request_withdraw(actor=personas.supplier_a_admin, request=submitted)

    with pytest.raises(ApplicationError, match=r"withdrawn\. Start it again"):
        request_submit(actor=personas.supplier_a_admin, request=submitted)

    request_restart(actor=personas.supplier_a_member, request=submitted)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.withdrawn_at) == (RequestStatus.DRAFT, None)
    assert AuditEvent.objects.filter(action="partners.request_restarted").count() == 1

    # The same content, submitted again after a withdrawal, is a new submission to assess.
    again = request_submit(actor=personas.supplier_a_admin, request=submitted)
    assert again.number == 2
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_a_member_starts_it_again_from_the_task_list(personas, login, submitted):
    request_withdraw(actor=personas.supplier_a_admin, request=submitted)
    client = login(personas.supplier_a_member)

    page = client.get(url("detail", submitted)).content.decode()
    response = client.post(url("restart", submitted))

    assert f'action="{url("restart", submitted)}"' in page
    assert response.url == url("detail", submitted)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.DRAFT


def test_a_draft_can_be_withdrawn_too(personas):
    request = a_request(personas, open_call(personas))

    request_withdraw(actor=personas.supplier_a_admin, request=request)

    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_a_member_cannot_withdraw_and_is_told_who_can(personas, login, submitted):
    client = login(personas.supplier_a_member)

    page = client.get(url("withdraw", submitted)).content.decode()

    assert "Only an organisation admin of Alpha Robotics Ltd can withdraw" in page
    assert "Withdraw the request</button>" not in page
    assert client.post(url("withdraw", submitted)).status_code == 403
    with pytest.raises(PermissionRefused):
        request_withdraw(actor=personas.supplier_a_member, request=submitted)
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_nothing_is_withdrawn_or_started_again_after_the_deadline(personas, login, clock):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    answer_everything(personas, request)
    request_submit(actor=personas.supplier_a_admin, request=request)
    clock(deadline + timedelta(seconds=1))

    with pytest.raises(ParticipationClosed):
        request_withdraw(actor=personas.supplier_a_admin, request=request)
    response = login(personas.supplier_a_admin).post(url("withdraw", request))
    assert response.status_code == 200
    assert "Requests to participate closed at" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert RequestSubmission.objects.count() == 1


def test_a_request_withdrawn_before_the_deadline_cannot_be_started_again_after_it(personas, clock):
    deadline = timezone.now() + timedelta(days=2)
    request = a_request(personas, open_call(personas, closes=deadline))
    clock(deadline - timedelta(seconds=1))
    request_withdraw(actor=personas.supplier_a_admin, request=request)
    clock(deadline + timedelta(seconds=1))

    with pytest.raises(ParticipationClosed):
        request_restart(actor=personas.supplier_a_admin, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_only_a_withdrawn_request_starts_again(personas, submitted):
    with pytest.raises(ApplicationError, match="not withdrawn"):
        request_restart(actor=personas.supplier_a_admin, request=submitted)


def test_restarting_is_a_post(personas, login, submitted):
    assert login(personas.supplier_a_member).get(url("restart", submitted)).status_code == 405
