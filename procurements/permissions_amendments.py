"""Who may amend a published procurement and who may cancel a procurement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role

from .models import CANCELLABLE, ProcurementStatus
from .permissions import can_edit_procurement, is_lead_officer
from .registry import builder_section_get, builder_sections

if TYPE_CHECKING:
    from core.models import User

    from .models import Procurement


def can_amend_procurement(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, while the call is open (published)."""
    return procurement.status == ProcurementStatus.PUBLISHED and has_role(
        user, procurement.borough, OfficerRole.OFFICER
    )


def amendment_is_open(procurement: Procurement) -> bool:
    """An amendment is being prepared: the sections amended on their own pages are open."""
    return (
        procurement.status == ProcurementStatus.PUBLISHED
        and procurement.amendment_opened_at is not None
    )


def editable_section_keys(user: User, procurement: Procurement) -> set[str]:
    """The builder sections ``user`` may change now: every section of a draft
    (``can_edit_procurement``); while an amendment is being prepared, the sections amended
    on their own pages (the phase plan, the IP terms, the selection questionnaire), for the
    officers who may amend. The roles are read once, however many sections are asked of."""
    sections = builder_sections()
    if can_edit_procurement(user, procurement):
        return {section.key for section in sections}
    if amendment_is_open(procurement) and can_amend_procurement(user, procurement):
        return {section.key for section in sections if section.amended_on_own_pages}
    return set()


def can_edit_section(user: User, procurement: Procurement, key: str) -> bool:
    """Change builder section ``key`` now (see ``editable_section_keys``)."""
    builder_section_get(key)  # an unknown key is a programming error
    return key in editable_section_keys(user, procurement)


def can_cancel_procurement(user: User, procurement: Procurement) -> bool:
    """The lead officer, in any state before a contract is signed."""
    return procurement.status in CANCELLABLE and is_lead_officer(user, procurement)
