"""The bank-holiday calendar in the admin: rows an administrator adds or corrects."""

from django.contrib import admin

from core.models import BankHoliday

from .base import AuditedModelAdmin


@admin.register(BankHoliday)
class BankHolidayAdmin(AuditedModelAdmin):
    """Adding a holiday announced at short notice moves deadlines computed after it."""

    list_display = ["date", "name", "region", "added_by_hand"]
    list_filter = ["region", "added_by_hand"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date", "region"]
    readonly_fields = ["added_by_hand"]

    def save_model(self, request, obj, form, change):
        # Tells an administrator's rows from seeded ones (seeding never changes a row).
        obj.added_by_hand = True
        super().save_model(request, obj, form, change)
