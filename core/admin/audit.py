"""The audit trail in the admin: superusers may read it, nobody may change it."""

import json

from django.contrib import admin
from django.utils.html import format_html

from core.models import AuditEvent

from .base import ReadOnlyForSuperusers


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):
    list_display = ["id", "created_at", "action", "actor_label", "target_type", "target_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "target_type", "target_id"]
    ordering = ["-id"]
    list_select_related = ["actor"]
    show_full_result_count = False
    fields = [
        "id",
        "created_at",
        "action",
        "actor",
        "actor_label",
        "target_type",
        "target_id",
        "target_label",
        "data_json",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields

    @admin.display(description="data")
    def data_json(self, event: AuditEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(event.data, indent=2, sort_keys=True))

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
