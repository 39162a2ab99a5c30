"""Selection questions in the admin: read-only, for superusers to follow what was announced.

Questions change only through the services in ``partners.services``, which check the
procurement is a draft, lock it and audit the change; the admin never bypasses them.
"""

from django.contrib import admin

from .models import SelectionQuestion


@admin.register(SelectionQuestion)
class SelectionQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "procurement", "kind", "topic", "weight", "order"]
    list_select_related = ["procurement"]
    list_filter = ["kind", "topic"]
    search_fields = ["text", "procurement__reference", "procurement__title"]
    readonly_fields = [field.name for field in SelectionQuestion._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
