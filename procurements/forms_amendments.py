"""Forms for amending a published procurement and cancelling a procurement.

The forms check what was typed (real dates, times); whether the amendment may
be made (nothing changed, deadlines too close, ...) is the service's decision
(procurements/services/amendments.py).
"""

from __future__ import annotations

from django import forms

from .forms import GOVUKDateField
from .models import Procurement
from .services.amendments import AMENDABLE


def _text(name: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=AMENDABLE[name],
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AmendForm(forms.Form):
    """Every part an amendment may change, prefilled with what is published, and the reason."""

    problem = _text("problem")
    outcomes = _text("outcomes")
    outcome_measures = _text("outcome_measures")
    users_affected = _text("users_affected", rows=3)
    market_gap = _text("market_gap", rows=6)
    question_deadline = GOVUKDateField(
        label=AMENDABLE["question_deadline"],
        error_name="The question deadline",
        with_time=True,
        help_text="In UK time. For example, 27 3 2026",
    )
    participation_deadline = GOVUKDateField(
        label=AMENDABLE["participation_deadline"],
        error_name="The participation deadline",
        with_time=True,
        help_text="In UK time. For example, 27 4 2026",
    )
    indicative_tender_date = GOVUKDateField(
        label=AMENDABLE["indicative_tender_date"],
        error_name="The indicative tender date",
        help_text="For example, 1 6 2026",
    )
    reason = forms.CharField(
        label="Why are you amending the documents?",
        help_text="Every interested supplier is sent this reason with the changes, and it is "
        "kept with the amendment.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the amendment"},
    )

    def __init__(self, *args, procurement: Procurement, **kwargs):
        kwargs.setdefault("initial", {name: getattr(procurement, name) for name in AMENDABLE})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        """The amendable parts as typed; the service works out which of them changed."""
        return {name: self.cleaned_data[name] for name in AMENDABLE}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling this procurement?",
        help_text="If the procurement was published, this reason is published in the procurement "
        "termination notice. Interested suppliers are sent it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reason for cancelling the procurement"},
    )
