"""Moving a round's deadline: later only, by the lead officer, before it passes; every
tenderer told at once; audited."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.services_negotiation import round_deadline_extend
from tests.partners.tender_samples import pass_the_deadline, round_opened, tendering

pytestmark = pytest.mark.django_db


def test_the_lead_officer_moves_the_deadline_later_and_every_tenderer_is_told(
    personas, django_capture_on_commit_callbacks
):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    later = tender_round.deadline + timedelta(days=7)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = round_deadline_extend(
            actor=personas.officer_a, tender_round=tender_round, deadline=later
        )

    assert moved.deadline == later and moved.opens_at >= later
    told = {address for message in mail.outbox for address in message.to}
    assert {personas.supplier_a_admin.email, personas.supplier_b_admin.email} <= told
    assert all(m.subject.startswith("Later deadline for tenders") for m in mail.outbox)
    event = AuditEvent.objects.get(action="tenders.deadline_moved")
    assert event.actor == personas.officer_a


def test_a_deadline_never_moves_earlier_nor_after_it_has_passed_nor_by_anyone_else(personas):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)

    with pytest.raises(ApplicationError, match="only ever moved later") as refusal:
        round_deadline_extend(
            actor=personas.officer_a,
            tender_round=tender_round,
            deadline=tender_round.deadline - timedelta(days=1),
        )
    assert "deadline" in refusal.value.extra["errors"]
    with pytest.raises(PermissionRefused):
        round_deadline_extend(
            actor=personas.approver_a,
            tender_round=tender_round,
            deadline=tender_round.deadline + timedelta(days=1),
        )
    pass_the_deadline(tender_round)
    with pytest.raises(ApplicationError, match="box is sealed"):
        round_deadline_extend(
            actor=personas.officer_a,
            tender_round=tender_round,
            deadline=timezone.now() + timedelta(days=10),
        )
    assert not AuditEvent.objects.filter(action="tenders.deadline_moved").exists()
