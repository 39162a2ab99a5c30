"""IP terms in the admin: read-only, for superusers to follow what officers announced.

The terms change only through ``ip_terms_save``, which checks the procurement is a
draft, locks it and audits the change; the admin never bypasses it.
"""

from django.contrib import admin

from .models import IPTerms


@admin.register(IPTerms)
class IPTermsAdmin(admin.ModelAdmin):
    list_display = ["procurement", "foreground_owner", "benefit_share", "updated_at"]
    list_select_related = ["procurement"]
    list_filter = ["foreground_owner", "benefit_share"]
    search_fields = ["procurement__reference", "procurement__title"]
    readonly_fields = [field.name for field in IPTerms._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
