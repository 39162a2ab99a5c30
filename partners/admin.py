"""Partners in the admin.

Selection questions are read-only, for superusers to follow what was announced: questions
change only through the services in ``partners.services``, which check the procurement is a
draft, lock it and audit the change; the admin never bypasses them.

The debarment list (PA 2023 ss.62-64) is data the administrators keep: superusers add,
correct and remove entries here, and every change is audited. Requests to participate,
their answers, declarations, members and files are not in the admin at all: nobody at the
borough, superusers included, may read a request before the participation deadline.
"""

from django import forms
from django.contrib import admin

from core.admin.base import AuditedModelAdmin, ReadOnlyModelAdmin
from core.validators import normalise_companies_house_number, validate_companies_house_number

from .models import DebarmentEntry, SelectionQuestion


@admin.register(SelectionQuestion)
class SelectionQuestionAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "procurement", "kind", "topic", "weight", "order"]
    list_select_related = ["procurement"]
    list_filter = ["kind", "topic"]
    search_fields = ["text", "procurement__reference", "procurement__title"]


class DebarmentEntryForm(forms.ModelForm):
    # Room for a number typed with spaces; it is stored normalised, in 8 characters.
    companies_house_number = forms.CharField(
        label="Companies House number",
        required=False,
        max_length=12,
        help_text="Like 01234567 or SC123456. With a number, the check matches by number only; "
        "without one, by name (ignoring case, punctuation and a final Limited, Ltd, PLC, LLP "
        "or CIC).",
    )

    class Meta:
        model = DebarmentEntry
        fields = [
            "supplier_name",
            "companies_house_number",
            "grounds",
            "debarred_on",
            "expires_on",
        ]
        help_texts = {"expires_on": "Leave blank if the entry does not expire."}

    def clean_companies_house_number(self) -> str:
        value = self.cleaned_data.get("companies_house_number", "")
        if not value.strip():
            return ""
        validate_companies_house_number(value)
        return normalise_companies_house_number(value)

    def clean(self):
        cleaned = super().clean()
        debarred_on, expires_on = cleaned.get("debarred_on"), cleaned.get("expires_on")
        if debarred_on and expires_on and expires_on < debarred_on:
            self.add_error(
                "expires_on", "The expiry date must be on or after the date of debarment"
            )
        return cleaned


class SuperusersOnly:
    """Only superusers may see, add, change or delete (mix in before the admin class)."""

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._superuser(request)


@admin.register(DebarmentEntry)
class DebarmentEntryAdmin(SuperusersOnly, AuditedModelAdmin):
    form = DebarmentEntryForm
    list_display = [
        "supplier_name",
        "companies_house_number",
        "debarred_on",
        "expires_on",
        "created_at",
    ]
    list_filter = ["debarred_on", "expires_on"]
    search_fields = ["supplier_name", "companies_house_number", "grounds"]
    date_hierarchy = "debarred_on"
    ordering = ["supplier_name"]
    readonly_fields = ["created_at"]
