"""The public opportunities list's search and filters (a GET form).

Every field is optional. A field typed wrongly (a date that does not exist) gets an error
message and is left out of the search; the rest still filters the list.
"""

from __future__ import annotations

from django import forms

from core.models import Borough

from .forms import GOVUKDateField
from .models import Sector
from .selectors_public import OpportunityFilters, PublicStatus

STATUS_CHOICES = [
    (PublicStatus.OPEN.value, "Open for requests to participate"),
    (PublicStatus.ENGAGEMENT.value, "Market engagement"),
    (PublicStatus.CLOSED.value, "Closed"),
    (PublicStatus.CANCELLED.value, "Cancelled"),
]


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        help_text="Words in the title, reference, problem, outcomes or the borough’s name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search words must be 200 characters or fewer"},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    sector = forms.MultipleChoiceField(
        label="Sector",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select a sector from the list"},
    )
    borough = forms.ChoiceField(
        label="Borough",
        required=False,
        error_messages={"invalid_choice": "Select a borough from the list"},
    )
    closing_from = GOVUKDateField(
        label="Closing date from",
        error_name="Closing date from",
        help_text="For example, 27 3 2026",
    )
    closing_to = GOVUKDateField(
        label="Closing date to",
        error_name="Closing date to",
        help_text="For example, 30 4 2026",
    )

    def __init__(self, *args, boroughs: list[Borough], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].choices = [
            ("", "All boroughs"),
            *((borough.slug, borough.name) for borough in boroughs),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("closing_from"), cleaned.get("closing_to")
        if start and end and end < start:
            self.add_error(
                "closing_to", "Closing date to must be the same as or after closing date from"
            )
        return cleaned

    def filters(self) -> OpportunityFilters:
        """The filters from the fields typed correctly (call after ``is_valid``)."""
        values = getattr(self, "cleaned_data", {})
        return OpportunityFilters(
            words=values.get("q") or "",
            sectors=tuple(values.get("sector") or ()),
            borough_slug=values.get("borough") or "",
            statuses=tuple(values.get("status") or ()),
            closing_from=values.get("closing_from"),
            closing_to=values.get("closing_to"),
        )
