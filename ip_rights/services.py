"""Writes to the IP terms."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User
from procurements.models import Procurement
from procurements.services.sections import procurement_for_update, procurement_section_mark

from .models import EDITABLE_FIELDS, SHARES_WITH_TERMS, IPTerms
from .sections import KEY


@transaction.atomic
def ip_terms_save(
    *, actor: User, procurement: Procurement, data: dict[str, Any], completed: bool
) -> IPTerms:
    """Save the IP terms (any part of them) and whether the section is completed.

    ``data`` holds any of ``EDITABLE_FIELDS``. Marking the section completed needs
    every answer ``ip_terms_missing`` asks for (RULES.md point 12: the IP
    arrangements are defined before tendering). Choosing no share of benefits
    clears the percentage and trigger of a share chosen before.
    """
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=KEY)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not IP terms fields: {sorted(unknown)}")
    terms = IPTerms.objects.filter(procurement=procurement).first()
    created = terms is None
    if created:
        terms = IPTerms(procurement=procurement)
    values = {**data}
    share = values.get("benefit_share", terms.benefit_share)
    if share and share not in SHARES_WITH_TERMS:
        values.update(benefit_percentage=None, benefit_trigger="")
    changed = sorted(name for name, value in values.items() if getattr(terms, name) != value)
    for name in changed:
        setattr(terms, name, values[name])
    if completed and terms.missing():
        raise ApplicationError(
            "You cannot mark the IP terms completed yet: " + "; ".join(terms.missing().values())
        )
    if created or changed:
        terms.full_clean(exclude=["procurement"])
        terms.save()
    procurement_section_mark(actor=actor, procurement=procurement, key=KEY, completed=completed)
    if created or changed:
        audit_record(
            actor=actor,
            action="ip_rights.terms_saved",
            target=procurement,
            data={"fields": changed, "created": created},
        )
    return terms
