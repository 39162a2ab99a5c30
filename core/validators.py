"""Input checks with messages that say what to type instead."""

import re

from django.core.exceptions import ValidationError

COMPANIES_HOUSE_RE = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")
POSTCODE_RE = re.compile(r"^(?:GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})$")


def normalise_companies_house_number(value: str) -> str:
    """Upper-case, drop spaces, and restore leading zeros people often leave off."""
    value = re.sub(r"\s+", "", value or "").upper()
    if value.isdigit() and 0 < len(value) < 8:
        value = value.zfill(8)
    return value


def validate_companies_house_number(value: str) -> None:
    if not COMPANIES_HOUSE_RE.match(normalise_companies_house_number(value)):
        raise ValidationError(
            "Enter a Companies House number in the correct format, like 01234567 or SC123456",
            code="companies_house_number",
        )


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like SW1A 1AA", code="postcode")
