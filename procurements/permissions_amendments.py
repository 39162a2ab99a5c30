"""Who may amend a published procurement and who may cancel a procurement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role

from .models import CANCELLABLE, ProcurementStatus
from .permissions import is_lead_officer

if TYPE_CHECKING:
    from core.models import User

    from .models import Procurement


def can_amend_procurement(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while the call is open (published)."""
    return procurement.status == ProcurementStatus.PUBLISHED and has_role(
        user, procurement.borough, OfficerRole.OFFICER
    )


def can_cancel_procurement(user: User, procurement: Procurement) -> bool:
    """The lead officer, in any state before a contract is signed."""
    return procurement.status in CANCELLABLE and is_lead_officer(user, procurement)
