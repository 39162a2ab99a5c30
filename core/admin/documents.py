"""Generated documents in the admin: read-only, for superusers to follow what the workers do."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from core.models import DocumentStatus, GeneratedDocument
from core.services.documents import document_enqueue

from .base import ReadOnlyModelAdmin


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "status", "attempts", "requested_by", "created_at", "page"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "sha256"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    actions = ["enqueue_again"]

    @admin.display(description="Status page")
    def page(self, obj: GeneratedDocument) -> str:
        url = reverse("core:document-detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">Open</a>', url)

    @admin.action(description="Enqueue the selected pending documents again")
    def enqueue_again(self, request, queryset):
        pending = list(queryset.filter(status=DocumentStatus.PENDING).values_list("pk", flat=True))
        enqueued = sum(document_enqueue(document_id=pk) for pk in pending)
        level = messages.SUCCESS if enqueued == len(pending) else messages.WARNING
        self.message_user(
            request, f"{enqueued} of {len(pending)} pending documents enqueued.", level
        )
