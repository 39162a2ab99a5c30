"""Phase plans in the admin: read-only, for superusers to follow what officers announced.

Plans change only through the builder's services, which check the procurement is
a draft, lock it and audit every change; the admin never bypasses them.
"""

from django.contrib import admin

from .models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class TargetInline(ReadOnlyInline):
    model = IntermediateTarget


class InstalmentInline(ReadOnlyInline):
    model = InstalmentScheduleItem


class GateCriterionInline(ReadOnlyInline):
    model = GateCriterion


class TerminationConditionInline(ReadOnlyInline):
    model = TerminationCondition


class PerformanceLevelInline(ReadOnlyInline):
    model = PerformanceLevel


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "procurement",
        "order",
        "duration_weeks",
        "max_remuneration_per_partner",
    ]
    list_filter = ["kind"]
    list_select_related = ["procurement"]
    search_fields = ["name", "procurement__reference", "procurement__title"]
    readonly_fields = [field.name for field in Phase._meta.fields]
    inlines = [TargetInline, InstalmentInline, GateCriterionInline, TerminationConditionInline]


@admin.register(PurchaseTerms)
class PurchaseTermsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["procurement", "max_cost"]
    list_select_related = ["procurement"]
    search_fields = ["procurement__reference", "procurement__title"]
    readonly_fields = [field.name for field in PurchaseTerms._meta.fields]
    inlines = [PerformanceLevelInline]
