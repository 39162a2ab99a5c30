"""Locking a procurement for a change, and saving a builder section's "Have you completed
this section?" answer.

Every service that changes a procurement locks its row first (``procurement_lock``, or
``procurement_for_update`` for a change to a draft, which also checks the actor may edit
it) and holds the lock until its transaction ends.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.models import User
from procurements.models import Procurement, SectionStatus
from procurements.permissions import can_edit_procurement
from procurements.permissions_amendments import can_edit_section
from procurements.registry import builder_section_get


def procurement_lock(pk: int) -> Procurement:
    """The procurement with its borough, its own row locked until the transaction ends."""
    return Procurement.objects.select_for_update(of=("self",)).select_related("borough").get(pk=pk)


NOT_EDITABLE = (
    "You cannot change this procurement: only its borough's procurement officers can, and "
    "only while it is a draft."
)
NOT_EDITABLE_SECTION = (
    "You cannot change this part of the procurement: only its borough's procurement officers "
    "can, and only while it is a draft or while they prepare an amendment to it."
)


def procurement_for_update(*, actor: User, pk: int, section: str = "") -> Procurement:
    """Lock a procurement for a change, refusing anyone who may not edit it now.

    A change to one builder ``section`` is also allowed after publication while an
    amendment is being prepared, if that section is amended on its own pages.
    """
    procurement = procurement_lock(pk)
    if section:
        if not can_edit_section(actor, procurement, section):
            raise PermissionRefused(NOT_EDITABLE_SECTION)
    elif not can_edit_procurement(actor, procurement):
        raise PermissionRefused(NOT_EDITABLE)
    return procurement


def wrong_state(procurement: Procurement, wanted: str, doing: str) -> ApplicationError:
    """The refusal of a step that ``procurement``'s state does not allow."""
    return ApplicationError(
        f"This procurement is {procurement.get_status_display().lower()}: only a procurement "
        f"that is {wanted} can be {doing}."
    )


def procurement_save(procurement: Procurement, *fields: str) -> None:
    """Clean and save the ``fields`` a step changed (and ``updated_at``)."""
    # The status is protected: only its transitions set it, and cleaning would assign it again.
    procurement.full_clean(exclude=["status"])
    procurement.save(update_fields=[*fields, "updated_at"])


def full_clean_or_refuse(instance, *, only: tuple[str, ...] | None = None) -> None:
    """``full_clean`` (of the fields in ``only``, if given), refusing with its messages."""
    exclude = None
    if only is not None:
        exclude = [field.name for field in instance._meta.fields if field.name not in only]
    try:
        instance.full_clean(exclude=exclude, validate_unique=only is None)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def changed_field_errors(procurement: Procurement, changed: list[str]) -> dict[str, str]:
    """What model validation says of the ``changed`` fields only: field -> first message."""
    try:
        procurement.full_clean(
            exclude=[f.name for f in Procurement._meta.concrete_fields if f.name not in changed],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return {name: messages[0] for name, messages in error.message_dict.items()}
    return {}


def next_order(rows: QuerySet) -> int:
    """The ``order`` of a row added after ``rows``: 0 for the first."""
    last = rows.aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def procurement_section_mark(
    *, actor: User, procurement: Procurement, key: str, completed: bool
) -> Procurement:
    """Record whether the officer has completed section ``key``; audited."""
    builder_section_get(key)  # an unknown key is a programming error
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=key)
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
