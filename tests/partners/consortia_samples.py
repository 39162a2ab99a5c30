"""Requests with consortia for the consortium, declaration and debarment tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.models import AuditEvent
from partners.models import ConsortiumMember, ParticipationRequest
from procurements.models import ProcurementStatus
from tests.factories import ProcurementFactory


def open_call(personas, **fields):
    """A call of borough A published yesterday, taking requests for another month."""
    now = timezone.now()
    values = {
        "borough": personas.borough_a,
        "lead_officer": personas.officer_a,
        "status": ProcurementStatus.PUBLISHED,
        "published_at": now - timedelta(days=1),
        "participation_deadline": now + timedelta(days=30),
        **fields,
    }
    return ProcurementFactory(**values)


def lead_request(personas, procurement=None, **fields) -> ParticipationRequest:
    """Supplier A's organisation's request, leading a consortium unless told otherwise."""
    values = {"is_consortium": True, **fields}
    return ParticipationRequest.objects.create(
        procurement=procurement or open_call(personas),
        organisation=personas.org_a,
        created_by=personas.supplier_a_admin,
        **values,
    )


def member_c(personas, request, **fields) -> ConsortiumMember:
    """The consortium member persona's organisation (C) named in ``request``."""
    values = {"role": "Sensors and data", "share_of_work": 30, **fields}
    return ConsortiumMember.objects.create(request=request, organisation=personas.org_c, **values)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))
