"""IP terms in the admin: read-only, for superusers to follow what officers announced.

The terms change only through ``ip_terms_save``, which checks the procurement is a
draft, locks it and audits the change; the admin never bypasses it.
"""

from django.contrib import admin

from core.admin.base import ReadOnlyModelAdmin

from .models import IPTerms


@admin.register(IPTerms)
class IPTermsAdmin(ReadOnlyModelAdmin):
    list_display = ["procurement", "foreground_owner", "benefit_share", "updated_at"]
    list_select_related = ["procurement"]
    list_filter = ["foreground_owner", "benefit_share"]
    search_fields = ["procurement__reference", "procurement__title"]
