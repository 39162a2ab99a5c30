"""The end of the R&D part: when no partnership contract of an active procurement remains
active (every partner terminated at a gate, withdrawn, or its purchase decision made), the
procurement closes (ARCHITECTURE.md: active -> closed)."""

from __future__ import annotations

from django.db import transaction

from core.audit import audit_record
from core.models import User
from partners.models import PartnershipStatus
from procurements.models import Procurement, ProcurementStatus


def procurement_close_if_done(*, actor: User, procurement_id: int, reason: str) -> bool:
    """Close the procurement if none of its partnerships is active any more; called inside
    the transaction of the service that ended the last one. Returns whether it closed."""
    assert transaction.get_connection().in_atomic_block, "call inside the ending transaction"
    procurement = Procurement.objects.select_for_update().get(pk=procurement_id)
    if procurement.status != ProcurementStatus.ACTIVE:
        return False
    if procurement.partnerships.filter(status=PartnershipStatus.ACTIVE).exists():
        return False
    procurement.close()
    procurement.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="procurement.closed",
        target=procurement,
        data={
            "reference": procurement.reference,
            "reason": reason,
            "partnerships": dict(
                procurement.partnerships.values_list("reference", "status").order_by("reference")
            ),
        },
    )
    return True
