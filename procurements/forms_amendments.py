"""Forms for amending a published procurement and cancelling a procurement.

The forms check what was typed (real dates, times); whether the amendment may
be made (nothing changed, deadlines too close, ...) is the service's decision
(procurements/services/amendments.py).
"""

from __future__ import annotations

import copy

from django import forms

from .forms import ChallengeForm, MarketGapForm, TimetableForm
from .models import Procurement
from .services.amendments import AMENDABLE

# The builder's own section forms define each amendable part once: the amendment form
# takes their fields, labelled as the amendment record and the e-mails name them.
SECTION_FORMS = (ChallengeForm, MarketGapForm, TimetableForm)


def _amendable_fields() -> dict[str, forms.Field]:
    fields = {}
    for name, label in AMENDABLE.items():
        source = next(form for form in SECTION_FORMS if name in form.base_fields)
        field = copy.deepcopy(source.base_fields[name])
        field.label = label
        field.required = False
        fields[name] = field
    return fields


class AmendForm(forms.Form):
    """Every part the amendment form may change, prefilled with what is published, and the
    reason. Whether the amendment may be made is the service's decision."""

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
        self.fields = {**_amendable_fields(), "reason": self.fields["reason"]}

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
