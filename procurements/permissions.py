"""Who may do what with a procurement. Views, services, templates and tests ask these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role, officer_roles

from .models import UNPUBLISHED, ProcurementStatus

if TYPE_CHECKING:
    from core.models import Borough, User

    from .models import Procurement


def can_create_procurement(user: User, borough: Borough) -> bool:
    """Procurement officers of the borough."""
    return has_role(user, borough, OfficerRole.OFFICER)


def can_view_procurement(user: User, procurement: Procurement) -> bool:
    """Any member of the borough; anybody once it is published (never another borough's draft)."""
    if procurement.status not in UNPUBLISHED and procurement.status != ProcurementStatus.CANCELLED:
        return True
    return bool(officer_roles(user, procurement.borough))


def can_edit_procurement(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while it is a draft."""
    return procurement.is_editable and has_role(user, procurement.borough, OfficerRole.OFFICER)


def is_author(user: User, procurement: Procurement) -> bool:
    return user.pk is not None and user.pk in {
        procurement.created_by_id,
        procurement.lead_officer_id,
    }


def can_submit_for_approval(user: User, procurement: Procurement) -> bool:
    """The lead officer, while it is a draft."""
    return (
        procurement.status == ProcurementStatus.DRAFT
        and user.pk is not None
        and user.pk == procurement.lead_officer_id
        and has_role(user, procurement.borough, OfficerRole.OFFICER)
    )


def can_review_procurement(user: User, procurement: Procurement) -> bool:
    """An approver of the borough who is not its author (four eyes); the named one if named."""
    if procurement.status != ProcurementStatus.AWAITING_APPROVAL or is_author(user, procurement):
        return False
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    return has_role(user, procurement.borough, OfficerRole.APPROVER)


def can_publish_procurement(user: User, procurement: Procurement) -> bool:
    """The lead officer, once approved."""
    return (
        procurement.status == ProcurementStatus.APPROVED
        and user.pk is not None
        and user.pk == procurement.lead_officer_id
        and has_role(user, procurement.borough, OfficerRole.OFFICER)
    )
