"""The participation deadline passes: the procurement moves to selection.

A scheduled Celery beat task (``procurements.tasks.participation_close_due_task``) closes
every published procurement whose deadline has passed; if beat was late, the first officer
visit to the procurement after the deadline closes it (``procurement_close_if_due``). Either
way the server's clock decides, and the move is made once: the row is locked and the state
checked again.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from procurements.models import Procurement, ProcurementStatus
from procurements.services.sections import procurement_lock

SCHEDULE = "schedule"
OFFICER_VISIT = "officer visit"
SYSTEM_LABEL = "The participation deadline"


def participation_deadline_passed(procurement: Procurement, *, now: datetime) -> bool:
    deadline = procurement.participation_deadline
    return (
        procurement.status == ProcurementStatus.PUBLISHED
        and deadline is not None
        and now >= deadline
    )


@transaction.atomic
def procurement_close_participation(
    *, pk: int, trigger: str = SCHEDULE, now: datetime | None = None
) -> bool:
    """Move procurement ``pk`` to selection if its participation deadline has passed and it
    is still published; True if this call moved it. Audited as the system's act, with what
    triggered it. An amendment still being prepared is dropped: none can be published now."""
    now = now or timezone.now()
    procurement = procurement_lock(pk)
    if not participation_deadline_passed(procurement, now=now):
        return False
    amendment_dropped = procurement.amendment_opened_at is not None
    procurement.close_participation()
    procurement.amendment_opened_at = None
    procurement.amendment_opened_by = None
    procurement.save(
        update_fields=["status", "amendment_opened_at", "amendment_opened_by", "updated_at"]
    )
    audit_record(
        action="procurement.participation_closed",
        target=procurement,
        actor_label=SYSTEM_LABEL,
        data={
            "from": ProcurementStatus.PUBLISHED,
            "to": procurement.status,
            "deadline": procurement.participation_deadline.isoformat(),
            "closed_at": now.isoformat(),
            "trigger": trigger,
            "amendment_dropped": amendment_dropped,
        },
    )
    return True


def participation_close_due(*, now: datetime | None = None) -> list[int]:
    """Close every published procurement whose participation deadline has passed; the ids
    of those this call moved."""
    now = now or timezone.now()
    due = Procurement.objects.filter(
        status=ProcurementStatus.PUBLISHED, participation_deadline__lte=now
    ).values_list("pk", flat=True)
    return [pk for pk in list(due) if procurement_close_participation(pk=pk, now=now)]


def procurement_close_if_due(procurement: Procurement) -> Procurement:
    """On an officer's visit: close the procurement if beat has not yet, and return it as it
    now is."""
    if not participation_deadline_passed(procurement, now=timezone.now()):
        return procurement
    procurement_close_participation(pk=procurement.pk, trigger=OFFICER_VISIT)
    procurement.refresh_from_db()
    return procurement
