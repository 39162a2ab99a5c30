"""Saving a builder section's "Have you completed this section?" answer."""

from collections.abc import Callable

from django.db import transaction

from core.audit import audit_record
from core.exceptions import PermissionRefused
from core.models import User
from procurements.models import Procurement, SectionStatus
from procurements.permissions import can_edit_procurement
from procurements.registry import builder_section_get


def procurement_for_update(*, actor: User, pk: int) -> Procurement:
    """Lock a procurement for a change, refusing anyone who may not edit it now."""
    procurement = Procurement.objects.select_for_update().get(pk=pk)
    if not can_edit_procurement(actor, procurement):
        raise PermissionRefused(
            "You cannot change this procurement: only its borough's procurement officers "
            "can, and only while it is a draft."
        )
    return procurement


@transaction.atomic
def procurement_section_mark(
    *, actor: User, procurement: Procurement, key: str, completed: bool
) -> Procurement:
    """Record whether the officer has completed section ``key``; audited."""
    builder_section_get(key)  # an unknown key is a programming error
    procurement = procurement_for_update(actor=actor, pk=procurement.pk)
    status = SectionStatus.COMPLETED if completed else SectionStatus.IN_PROGRESS
    if procurement.section_status.get(key) == status:
        return procurement
    procurement.section_status = {**procurement.section_status, key: status}
    procurement.save(update_fields=["section_status", "updated_at"])
    audit_record(
        actor=actor,
        action="procurement.section_marked",
        target=procurement,
        data={"section": key, "status": status},
    )
    return procurement


def section_status(procurement: Procurement, key: str) -> str:
    """Completed if the officer said so; in progress once anything is entered."""
    section = builder_section_get(key)
    if procurement.section_status.get(key) == SectionStatus.COMPLETED:
        return SectionStatus.COMPLETED
    if section.has_content(procurement) or key in procurement.section_status:
        return SectionStatus.IN_PROGRESS
    return SectionStatus.NOT_STARTED


def procurement_section_reopen_if_broken(
    *, actor: User, procurement: Procurement, key: str, problems: Callable[[], list[str]]
) -> None:
    """A section marked completed that a later change leaves incomplete is in progress again.

    Call it inside the change's transaction, after the change; ``problems``
    (the section's completion check) runs only for a section marked completed.
    """
    if procurement.section_status.get(key) == SectionStatus.COMPLETED and problems():
        procurement_section_mark(actor=actor, procurement=procurement, key=key, completed=False)
