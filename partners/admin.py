"""Selection questions in the admin: read-only, for superusers to follow what was announced.

Questions change only through the services in ``partners.services``, which check the
procurement is a draft, lock it and audit the change; the admin never bypasses them.
"""

from django.contrib import admin

from core.admin.base import ReadOnlyModelAdmin

from .models import SelectionQuestion


@admin.register(SelectionQuestion)
class SelectionQuestionAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "procurement", "kind", "topic", "weight", "order"]
    list_select_related = ["procurement"]
    list_filter = ["kind", "topic"]
    search_fields = ["text", "procurement__reference", "procurement__title"]
