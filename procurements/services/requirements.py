"""Writes to a procurement's minimum requirements.

Minimum requirements are never negotiated and are frozen at publication
(PCR 2015 reg. 31(2); PA 2023 s.20 with s.24, as RULES.md point 1 sets out):
every write here locks the procurement and refuses anything but a draft.
"""

from __future__ import annotations

from django.db import transaction

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User
from procurements.models import MinimumRequirement, Procurement
from procurements.services.sections import (
    full_clean_or_refuse,
    next_order,
    procurement_for_update,
    procurement_section_mark,
    procurement_section_reopen_if_broken,
)

SECTION_KEY = "minimum-requirements"
NO_REQUIREMENTS = (
    "Add at least one minimum requirement: an innovation partnership must say which "
    "elements are minimum requirements"
)


def _requirement_for_update(*, actor: User, requirement: MinimumRequirement) -> MinimumRequirement:
    procurement = procurement_for_update(actor=actor, pk=requirement.procurement_id)
    locked = procurement.minimum_requirements.filter(pk=requirement.pk).first()
    if locked is None:
        raise ApplicationError("This minimum requirement has already been removed.")
    locked.procurement = procurement
    return locked


@transaction.atomic
def procurement_requirement_add(
    *, actor: User, procurement: Procurement, text: str
) -> MinimumRequirement:
    procurement = procurement_for_update(actor=actor, pk=procurement.pk)
    requirement = MinimumRequirement(
        procurement=procurement,
        text=text.strip(),
        order=next_order(procurement.minimum_requirements),
    )
    full_clean_or_refuse(requirement)
    requirement.save()
    audit_record(
        actor=actor,
        action="procurement.requirement_added",
        target=procurement,
        data={"requirement": requirement.pk, "text": requirement.text},
    )
    return requirement


@transaction.atomic
def procurement_requirement_change(
    *, actor: User, requirement: MinimumRequirement, text: str
) -> MinimumRequirement:
    requirement = _requirement_for_update(actor=actor, requirement=requirement)
    previous = requirement.text
    requirement.text = text.strip()
    full_clean_or_refuse(requirement)
    requirement.save(update_fields=["text"])
    audit_record(
        actor=actor,
        action="procurement.requirement_changed",
        target=requirement.procurement,
        data={"requirement": requirement.pk, "text": requirement.text, "previous_text": previous},
    )
    return requirement


@transaction.atomic
def procurement_requirement_remove(*, actor: User, requirement: MinimumRequirement) -> None:
    requirement = _requirement_for_update(actor=actor, requirement=requirement)
    procurement, pk, text = requirement.procurement, requirement.pk, requirement.text
    requirement.delete()
    audit_record(
        actor=actor,
        action="procurement.requirement_removed",
        target=procurement,
        data={"requirement": pk, "text": text},
    )
    procurement_section_reopen_if_broken(
        actor=actor,
        procurement=procurement,
        key=SECTION_KEY,
        problems=lambda: [] if procurement.minimum_requirements.exists() else [NO_REQUIREMENTS],
    )


@transaction.atomic
def procurement_requirements_mark(
    *, actor: User, procurement: Procurement, completed: bool
) -> Procurement:
    """Answer "Have you completed this section?"; completed needs at least one requirement."""
    procurement = procurement_for_update(actor=actor, pk=procurement.pk)
    if completed and not procurement.minimum_requirements.exists():
        raise ApplicationError(NO_REQUIREMENTS, extra={"field": "completed"})
    return procurement_section_mark(
        actor=actor, procurement=procurement, key=SECTION_KEY, completed=completed
    )
