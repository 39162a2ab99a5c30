"""The form of entering the partnership contracts: the date they were signed. The service
decides the rules and names the field it refuses."""

from __future__ import annotations

from django import forms

from procurements.forms import GOVUKDateField
from procurements.forms_common import ServiceErrorMixin


class ContractsEnterForm(ServiceErrorMixin, forms.Form):
    signed_on = GOVUKDateField(
        label="Date the contracts were signed",
        error_name="The date the contracts were signed",
        help_text="After the standstill period, and today or in the past. For example, 27 3 2026.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("signed_on") and "signed_on" not in self.errors:
            self.add_error("signed_on", "Enter the date the contracts were signed")
        return cleaned
