"""Checking a request against the debarment list (PA 2023 ss.62-64; RULES.md "Other duties").

Every organisation of a request, the lead and each consortium member, is checked against
the entries in force on the day of the check. An entry that gives a Companies House number
matches by that number only (normalised as registration normalises it: upper case, no
spaces, leading zeros restored). An entry without a number matches by name, compared in a
normal form (``debarment_name``) that ignores case, punctuation, spacing and a trailing
company-form word such as "Limited" or "Ltd".

A match is not a decision: it blocks shortlisting until an officer records the
self-cleaning evidence the regime allows (PA 2023 s.58; PCR 2015 reg. 57(13)-(17)).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from core.models import SupplierOrganisation
from core.validators import normalise_companies_house_number

from .models import DebarmentEntry, ParticipationRequest
from .submission import request_organisations

# Words that say what form a company takes, not who it is, when they end its name.
COMPANY_FORM_WORDS = frozenset({"limited", "ltd", "plc", "llp", "cic"})

_WORD = re.compile(r"[^\W_]+")
# Full stops and apostrophes join letters ("C.I.C.", "O'Neill"); other punctuation separates.
_JOINING = re.compile(r"[.'’]")


def debarment_name(name: str) -> str:
    """The name as the list compares it: case folded, punctuation and spaces taken out, and
    one trailing company-form word dropped ("Alpha-Robotics Ltd." -> "alpharobotics")."""
    text = _JOINING.sub("", unicodedata.normalize("NFKC", name or "").casefold())
    words = _WORD.findall(text)
    if len(words) > 1 and words[-1] in COMPANY_FORM_WORDS:
        words = words[:-1]
    return "".join(words)


def entry_matches(entry: DebarmentEntry, organisation: SupplierOrganisation) -> bool:
    """By Companies House number where the entry has one, else by name."""
    entry_number = normalise_companies_house_number(entry.companies_house_number)
    if entry_number:
        return entry_number == normalise_companies_house_number(organisation.companies_house_number)
    name = debarment_name(entry.supplier_name)
    return bool(name) and name == debarment_name(organisation.name)


def debarment_matches_for(
    organisations: Iterable[SupplierOrganisation],
    entries: Iterable[DebarmentEntry],
    *,
    on: date,
) -> list[tuple[SupplierOrganisation, DebarmentEntry]]:
    """Each (organisation, entry) pair where the entry is in force ``on`` that day and
    matches the organisation, in the order of the organisations, then of the entries."""
    in_force = [entry for entry in entries if entry.in_force_on(on)]
    return [
        (organisation, entry)
        for organisation in organisations
        for entry in in_force
        if entry_matches(entry, organisation)
    ]


def debarment_matches(
    request: ParticipationRequest, *, on: date
) -> list[tuple[SupplierOrganisation, DebarmentEntry]]:
    """The debarment entries in force ``on`` that day matching the request's lead
    organisation or any member of its consortium."""
    entries = DebarmentEntry.objects.filter(debarred_on__lte=on).order_by("supplier_name", "pk")
    return debarment_matches_for(request_organisations(request), entries, on=on)


def debarment_refusal(requests: Iterable[ParticipationRequest], *, on: date) -> str:
    """Why these requests cannot be awarded a contract or enter one: an organisation of one of
    them (lead or consortium member) is on the debarment list in force on the day of the check,
    and no self-cleaning evidence is recorded for that request (RULES.md "Other duties": the
    list is checked at participation, at award and before each new phase). "" when none is."""
    entries = list(DebarmentEntry.objects.filter(debarred_on__lte=on))  # once for them all
    debarred = [
        organisation.name
        for request in requests
        if getattr(request, "self_cleaning", None) is None
        for organisation, _entry in debarment_matches_for(
            request_organisations(request), entries, on=on
        )
    ]
    if not debarred:
        return ""
    names = ", ".join(dict.fromkeys(debarred))
    return (
        f"{names} is on the debarment list: a debarred supplier cannot be awarded a contract. "
        "Record the self-cleaning evidence on its request first, or award another tenderer."
    )
