"""Who may do what with a procurement. Views, services, templates and tests ask these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role, officer_roles

from .models import ProcurementStatus

if TYPE_CHECKING:
    from core.models import Borough, User

    from .models import Procurement


def can_create_procurement(user: User, borough: Borough) -> bool:
    """Procurement officers of the borough."""
    return has_role(user, borough, OfficerRole.OFFICER)


# Roles that see every procurement of their borough in the builder; evaluators
# see only those they are named on (they are invited per procurement).
BOROUGH_WIDE_ROLES = {OfficerRole.OFFICER, OfficerRole.APPROVER, OfficerRole.BOROUGH_ADMIN}

# Audit actions on a procurement that are decisions about it, not authorship.
REVIEW_ACTIONS = ("procurement.approved", "procurement.returned")


def can_view_procurement(user: User, procurement: Procurement) -> bool:
    """The builder's pages: the borough's officers, approvers and administrators, and the
    evaluators named on it. Never another borough, a supplier or the public, whatever the
    state: the team, internal statuses and values are not for them (the public pages of a
    published procurement have their own rules)."""
    roles = officer_roles(user, procurement.borough)
    if roles & BOROUGH_WIDE_ROLES:
        return True
    return OfficerRole.EVALUATOR in roles and procurement.evaluators.filter(pk=user.pk).exists()


def can_edit_procurement(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while it is a draft."""
    return procurement.is_editable and has_role(user, procurement.borough, OfficerRole.OFFICER)


def procurement_author_ids(procurement: Procurement) -> set[int]:
    """Everyone who wrote any of it: its creator, its lead officer, and every person the
    audit trail shows changing it (four eyes: none of them may approve it)."""
    from core.models import AuditEvent

    edited_by = (
        AuditEvent.objects.filter(
            target_type="procurements.procurement",
            target_id=str(procurement.pk),
            actor__isnull=False,
        )
        .exclude(action__in=REVIEW_ACTIONS)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    ids = {procurement.created_by_id, procurement.lead_officer_id, *edited_by}
    ids.discard(None)
    return ids


def is_author(user: User, procurement: Procurement) -> bool:
    return user.pk is not None and user.pk in procurement_author_ids(procurement)


def is_lead_officer(user: User, procurement: Procurement) -> bool:
    """The procurement's lead officer, while still a procurement officer of its borough."""
    return (
        user.pk is not None
        and user.pk == procurement.lead_officer_id
        and has_role(user, procurement.borough, OfficerRole.OFFICER)
    )


def can_submit_for_approval(user: User, procurement: Procurement) -> bool:
    """The lead officer, while it is a draft."""
    return procurement.status == ProcurementStatus.DRAFT and is_lead_officer(user, procurement)


def can_review_procurement(user: User, procurement: Procurement) -> bool:
    """An approver of the borough who is not its author (four eyes); the named one if named."""
    if procurement.status != ProcurementStatus.AWAITING_APPROVAL or is_author(user, procurement):
        return False
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    return has_role(user, procurement.borough, OfficerRole.APPROVER)


def can_publish_procurement(user: User, procurement: Procurement) -> bool:
    """The lead officer, once approved."""
    return procurement.status == ProcurementStatus.APPROVED and is_lead_officer(user, procurement)
