"""Forms of the final purchase and of the partner's withdrawal (RULES.md point 10).

They check the input's shape; the services decide (a level not met, a price above the
maximum cost) and name the fields they refuse, which ``add_service_error`` puts back on the
form with everything the person typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms

from partners.services_common import REASON_MAX_LENGTH
from partners.tender_content import money
from procurements.forms_common import ServiceErrorMixin

from .services_purchase import MEASURED_MAX, ORDER_REFERENCE_MAX, measured_field, met_field

YES_NO = [("yes", "Yes"), ("no", "No")]


def _reason(label: str, *, missing: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": missing,
            "max_length": f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )


class PoundsField(forms.CharField):
    """A sum of money as a person writes it ("£850,000", "850000.00")."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        amount = money(text)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class PurchaseRecordForm(ServiceErrorMixin, forms.Form):
    """For each performance level agreed in the contract, the measured value and whether it
    meets the level; then the price, an optional purchase order reference and the reasons."""

    price = PoundsField(
        label="Price of the purchase",
        help_text="In pounds, no more than the maximum cost agreed in the contract.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the price of the purchase",
            "invalid": "Enter the price as an amount in pounds, like 850000",
        },
    )
    order_reference = forms.CharField(
        label="Purchase order reference (optional)",
        help_text="Leave it blank and one is given, like the procurement's reference "
        "followed by -PO-1.",
        required=False,
        max_length=ORDER_REFERENCE_MAX,
        error_messages={
            "max_length": "Enter the purchase order reference in "
            f"{ORDER_REFERENCE_MAX} characters or fewer"
        },
    )
    reason = _reason("Your reasons for buying", missing="Give your reasons for buying")

    def __init__(self, *args, levels: Sequence[Mapping[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        fields: dict[str, forms.Field] = {}
        for index, level in enumerate(self.levels):
            metric, agreed = level.get("metric", ""), level.get("level", "")
            fields[measured_field(index)] = forms.CharField(
                label=f"Measured value for {metric}",
                help_text=f"The agreed level: {agreed}.",
                max_length=MEASURED_MAX,
                error_messages={
                    "required": f"Enter the measured value for {metric}",
                    "max_length": f"Enter the measured value for {metric} in {MEASURED_MAX} "
                    "characters or fewer",
                },
            )
            fields[met_field(index)] = forms.ChoiceField(
                label=f"Does the result meet the agreed level for {metric}?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select whether the result meets the agreed performance "
                    f"level for {metric}"
                },
            )
        # The levels come first, in the contract's order.
        self.fields = {**fields, **self.fields}

    def level_rows(self) -> list[dict]:
        return [
            {
                "level": level,
                "measured": self[measured_field(index)],
                "met": self[met_field(index)],
            }
            for index, level in enumerate(self.levels)
        ]

    def results(self) -> list[dict]:
        """What the service takes: each level's measured value and whether it is met."""
        data = self.cleaned_data
        return [
            {
                "measured": data.get(measured_field(index), ""),
                "met": {"yes": True, "no": False}.get(data.get(met_field(index), "")),
            }
            for index in range(len(self.levels))
        ]


class PurchaseDeclineForm(ServiceErrorMixin, forms.Form):
    reason = _reason(
        "Your reasons for not buying",
        missing="Give your reasons for not buying",
        help_text="The partner is told them. There is no obligation to buy.",
    )


class WithdrawalForm(ServiceErrorMixin, forms.Form):
    reason = _reason(
        "Why are you withdrawing?",
        missing="Give your reasons for withdrawing",
        help_text="The borough is told them; under the Procurement Act 2023 they are published "
        "in the contract termination notice.",
    )
