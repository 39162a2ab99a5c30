"""At the participation deadline the procurement moves to selection: by the scheduled task,
or on the first officer visit if the task was late; once, audited as the system's act."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from portal.celery import app
from procurements.models import Procurement, ProcurementStatus
from procurements.services.closing import (
    OFFICER_VISIT,
    SCHEDULE,
    participation_close_due,
    procurement_close_participation,
)
from procurements.tasks import participation_close_due_task
from tests.procurements.publication_samples import published_opportunity

pytestmark = pytest.mark.django_db


def status_of(procurement) -> str:
    return Procurement.objects.get(pk=procurement.pk).status


def test_a_call_one_second_before_its_deadline_stays_open_and_at_it_closes(personas):
    now = timezone.now()
    procurement = published_opportunity(personas, closes=now + timedelta(seconds=1))

    assert participation_close_due(now=now) == []
    assert status_of(procurement) == ProcurementStatus.PUBLISHED

    assert participation_close_due(now=now + timedelta(seconds=1)) == [procurement.pk]
    assert status_of(procurement) == ProcurementStatus.SELECTION


def test_closing_happens_once_and_is_audited_as_the_systems_act(personas):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(minutes=1))

    assert procurement_close_participation(pk=procurement.pk) is True
    assert procurement_close_participation(pk=procurement.pk) is False

    [event] = AuditEvent.objects.filter(action="procurement.participation_closed")
    assert event.actor is None
    assert event.actor_label == "The participation deadline"
    assert event.data["trigger"] == SCHEDULE
    assert event.data["to"] == ProcurementStatus.SELECTION
    assert event.data["deadline"] == procurement.participation_deadline.isoformat()


def test_the_scheduled_task_closes_only_calls_whose_deadline_has_passed(personas):
    passed = published_opportunity(personas, closes=timezone.now() - timedelta(seconds=5))
    open_call = published_opportunity(personas, closes=timezone.now() + timedelta(hours=1))

    assert participation_close_due_task.apply().get() == 1

    assert status_of(passed) == ProcurementStatus.SELECTION
    assert status_of(open_call) == ProcurementStatus.PUBLISHED


def test_the_task_is_scheduled_every_minute_and_registered_with_celery():
    entry = settings.CELERY_BEAT_SCHEDULE["participation-close-due"]
    assert entry["schedule"] == 60.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_first_officer_visit_after_the_deadline_closes_a_call_beat_missed(personas, login):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(seconds=1))
    client = login(personas.officer_a)

    response = client.get(reverse("procurements:task-list", kwargs={"pk": procurement.pk}))

    assert response.status_code == 200
    assert status_of(procurement) == ProcurementStatus.SELECTION
    assert 'govuk-tag--blue">Selection</strong>' in response.content.decode()
    [event] = AuditEvent.objects.filter(action="procurement.participation_closed")
    assert event.data["trigger"] == OFFICER_VISIT


def test_a_visit_by_someone_who_may_not_see_it_changes_nothing(personas, login):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(seconds=1))
    client = login(personas.officer_b)

    response = client.get(reverse("procurements:task-list", kwargs={"pk": procurement.pk}))

    assert response.status_code == 404
    assert status_of(procurement) == ProcurementStatus.PUBLISHED


def test_an_amendment_being_prepared_at_the_deadline_is_dropped_and_recorded(personas):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(seconds=1))
    Procurement.objects.filter(pk=procurement.pk).update(
        amendment_opened_at=timezone.now(), amendment_opened_by=personas.officer_a
    )

    procurement_close_participation(pk=procurement.pk)

    closed = Procurement.objects.get(pk=procurement.pk)
    assert closed.amendment_opened_at is None
    event = AuditEvent.objects.get(action="procurement.participation_closed")
    assert event.data["amendment_dropped"] is True


def test_the_public_page_shows_a_closed_call_after_the_move(personas, client):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(seconds=1))
    participation_close_due()

    response = client.get(reverse("opportunities:detail", kwargs={"pk": procurement.pk}))

    assert response.status_code == 200
    assert "This opportunity closed" in response.content.decode()
