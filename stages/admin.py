"""Phase plans in the admin: read-only, for superusers to follow what officers announced.

Plans change only through the builder's services, which check the procurement is
a draft, lock it and audit every change; the admin never bypasses them.
"""

from django.contrib import admin

from core.admin.base import ReadOnlyInline, ReadOnlyModelAdmin

from .models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)


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
class PhaseAdmin(ReadOnlyModelAdmin):
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
    inlines = [TargetInline, InstalmentInline, GateCriterionInline, TerminationConditionInline]


@admin.register(PurchaseTerms)
class PurchaseTermsAdmin(ReadOnlyModelAdmin):
    list_display = ["procurement", "max_cost"]
    list_select_related = ["procurement"]
    search_fields = ["procurement__reference", "procurement__title"]
    inlines = [PerformanceLevelInline]
