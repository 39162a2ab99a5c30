"""Forms of the instalments: the partner's claim, and the lead officer's approval, withholding
and record of payment (RULES.md point 8; PA 2023 s.68).

They check the input's shape; ``stages.services_instalments`` decides (the caps, the states,
the dates) and names the fields it refuses, which ``add_service_error`` puts back on the form.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from partners.services_common import REASON_MAX_LENGTH
from procurements.forms import GOVUKDateField
from procurements.forms_common import ServiceErrorMixin

from .models import Deliverable

LONGEST = f"in {REASON_MAX_LENGTH:,} characters or fewer"


def _text(label: str, *, required: bool, missing: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": missing, "max_length": f"Write it {LONGEST}"},
    )


class DeliverableChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deliverable) -> str:
        return f"{obj.title} ({obj.get_kind_display()}, {obj.submitted_at:%-d %B %Y})"


class InstalmentClaimForm(ServiceErrorMixin, forms.Form):
    """The amount claimed (the instalment's amount at first), the evidence that the milestone
    is reached, and optionally a deliverable of the phase that evidences it."""

    amount = forms.DecimalField(
        label="Amount claimed",
        help_text="In pounds, excluding VAT, for example 30000 or 30000.50",
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter the amount you claim",
            "invalid": "Enter the amount as a number of pounds, like 30000 or 30000.50",
            "min_value": "The amount must be more than £0",
            "max_digits": "The amount must be less than £1,000,000,000,000",
            "max_whole_digits": "The amount must be less than £1,000,000,000,000",
            "max_decimal_places": (
                "Enter the amount in pounds and pence, with no more than 2 decimal places"
            ),
        },
    )
    evidence = _text(
        "Evidence that the milestone is reached",
        required=True,
        missing="Describe the evidence that the milestone is reached",
        hint="Say what was achieved and where the borough can check it.",
    )
    deliverable = DeliverableChoiceField(
        label="Deliverable that evidences it (optional)",
        queryset=Deliverable.objects.none(),
        required=False,
        empty_label="No deliverable",
        error_messages={"invalid_choice": "Choose a deliverable of this phase"},
    )

    def __init__(self, *args, deliverables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].queryset = deliverables


class InstalmentApproveForm(ServiceErrorMixin, forms.Form):
    reason = _text(
        "Reasons for approving (optional)",
        required=False,
        missing="",
        hint="The partner is told them.",
    )


class InstalmentWithholdForm(ServiceErrorMixin, forms.Form):
    reason = _text(
        "Reasons for withholding",
        required=True,
        missing="Give the reasons for withholding the claim",
        hint="The partner is told them and may claim the instalment again with new evidence.",
    )


class InstalmentPaidForm(ServiceErrorMixin, forms.Form):
    paid_on = GOVUKDateField(
        label="Date of payment",
        error_name="The date of payment",
        help_text="For example, 27 3 2026",
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data.get("paid_on")
        if paid_on is None:
            raise forms.ValidationError("Enter the date of payment")
        return paid_on
