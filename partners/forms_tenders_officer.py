"""Forms of the borough's tender box pages: the lead officer's round of tenders and its
opening date. Dates and times are typed as UK time (the builder's timetable inputs); the
services decide the rules (the regime's minimum tendering period, opening after the
deadline) and name the fields they refuse."""

from __future__ import annotations

from django import forms

from procurements.forms import GOVUKDateField
from procurements.forms_common import ServiceErrorMixin

DEADLINE_LABEL = "Deadline for tenders"
OPENS_AT_LABEL = "Opening date of the tender box"
OPENS_AT_HINT = (
    "In UK time. From then on two authorised officers may open the box: at or after the "
    "deadline. Only you can change it, and only before the deadline."
)


def _opens_at_field() -> GOVUKDateField:
    return GOVUKDateField(
        label=OPENS_AT_LABEL,
        error_name="The opening date",
        with_time=True,
        help_text=OPENS_AT_HINT,
    )


def _require(form: forms.Form, cleaned: dict, name: str, message: str) -> None:
    if cleaned.get(name) is None and name not in form.errors:
        form.add_error(name, message)


class RoundOpenForm(ServiceErrorMixin, forms.Form):
    """Round 1: the deadline for initial tenders and the opening date."""

    deadline = GOVUKDateField(label=DEADLINE_LABEL, error_name="The deadline", with_time=True)
    opens_at = _opens_at_field()

    def __init__(self, *args, earliest_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        hint = "In UK time. For example, 27 4 2026 and 12:00."
        if earliest_text:
            hint = f"In UK time. The earliest allowed is {earliest_text}."
        self.fields["deadline"].help_text = hint

    def clean(self):
        cleaned = super().clean()
        _require(self, cleaned, "deadline", "Enter the deadline for tenders")
        _require(self, cleaned, "opens_at", "Enter the opening date of the tender box")
        return cleaned


class OpeningDateForm(ServiceErrorMixin, forms.Form):
    opens_at = _opens_at_field()

    def clean(self):
        cleaned = super().clean()
        _require(self, cleaned, "opens_at", "Enter the opening date of the tender box")
        return cleaned
