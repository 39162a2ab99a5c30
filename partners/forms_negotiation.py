"""Forms of the later rounds of tenders: the next round, negotiation notes, change notices
and a later deadline. The services decide the rules and name the fields they refuse."""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator

from procurements.forms import GOVUKDateField
from procurements.forms_common import ServiceErrorMixin

from .forms_tenders_officer import DEADLINE_LABEL, _opens_at_field, _require
from .models import ChangePart, NoteKind, RoundKind

TEXTAREA = forms.Textarea(attrs={"rows": 8})


class NextRoundForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of round is it?",
        choices=[
            (RoundKind.NEGOTIATION.value, "Negotiated tenders"),
            (RoundKind.FINAL.value, "Final tenders (not negotiated; no round after it)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose negotiated tenders or final tenders"},
    )
    deadline = GOVUKDateField(label=DEADLINE_LABEL, error_name="The deadline", with_time=True)
    opens_at = _opens_at_field()

    def __init__(self, *args, earliest_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if earliest_text:
            self.fields[
                "deadline"
            ].help_text = f"In UK time. The earliest allowed is {earliest_text}."

    def clean(self):
        cleaned = super().clean()
        _require(self, cleaned, "deadline", "Enter the deadline for tenders")
        _require(self, cleaned, "opens_at", "Enter the opening date of the tender box")
        return cleaned


class NegotiationNoteForm(ServiceErrorMixin, forms.Form):
    request = forms.TypedChoiceField(
        label="Tenderer",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the tenderer"},
    )
    kind = forms.ChoiceField(
        label="What is it?",
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a negotiation note or a record of a meeting"},
    )
    text = forms.CharField(
        label="Note",
        widget=TEXTAREA,
        required=False,
        help_text="The tenderer it concerns can read it, and nobody else outside the borough.",
    )
    met_on = GOVUKDateField(
        label="Date of the meeting",
        error_name="The date of the meeting",
        help_text="For a record of a meeting only. For example, 27 3 2026.",
    )

    def __init__(self, *args, tenderers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tenderers = {r.pk: r for r in tenderers}
        self.fields["request"].choices = [(r.pk, r.organisation.name) for r in tenderers]


class ChangeNoticeForm(ServiceErrorMixin, forms.Form):
    parts = forms.MultipleChoiceField(
        label="What changes?",
        choices=ChangePart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Minimum requirements and award criteria are never negotiated or changed.",
    )
    text = forms.CharField(
        label="What the change is",
        widget=TEXTAREA,
        required=False,
        help_text="Sent in writing to every tenderer still in the procedure at once.",
    )
    shared_items = forms.TypedMultipleChoiceField(
        label="Items of a tenderer's information to share (optional)",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only an item its tenderer has consented to may be shared. The notice shows "
        "it to every tenderer still in the procedure.",
    )

    def __init__(self, *args, consents=(), **kwargs):
        super().__init__(*args, **kwargs)
        if consents:
            self.fields["shared_items"].choices = [
                (c.pk, f"{c.request.organisation.name} ({c.get_status_display().lower()}): "
                 f"{Truncator(c.item).chars(120)}")
                for c in consents
            ]  # fmt: skip
        else:
            del self.fields["shared_items"]


class DeadlineForm(ServiceErrorMixin, forms.Form):
    deadline = GOVUKDateField(
        label="New deadline for tenders", error_name="The new deadline", with_time=True
    )

    def clean(self):
        cleaned = super().clean()
        _require(self, cleaned, "deadline", "Enter the new deadline for tenders")
        return cleaned
