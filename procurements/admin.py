"""Procurements in the admin: read-only, for superusers to follow what boroughs are doing.

Procurements change only through the builder's services, which check the state,
lock the row and audit every change; the admin never bypasses them.
"""

from django.contrib import admin

from core.admin.base import ReadOnlyInline, ReadOnlyModelAdmin

from .models import (
    Amendment,
    ApprovalReview,
    AwardCriterion,
    ClarificationQuestion,
    InterestRegistration,
    MinimumRequirement,
    Notice,
    Procurement,
    PublicationVersion,
)


class MinimumRequirementInline(ReadOnlyInline):
    model = MinimumRequirement


class AwardCriterionInline(ReadOnlyInline):
    model = AwardCriterion


class ApprovalReviewInline(ReadOnlyInline):
    model = ApprovalReview


class PublicationVersionInline(ReadOnlyInline):
    model = PublicationVersion
    exclude = ["content"]  # the ITT of each version shows it; the admin lists the versions


class NoticeInline(ReadOnlyInline):
    model = Notice


class AmendmentInline(ReadOnlyInline):
    model = Amendment


class ClarificationQuestionInline(ReadOnlyInline):
    model = ClarificationQuestion


class InterestRegistrationInline(ReadOnlyInline):
    model = InterestRegistration


@admin.register(Procurement)
class ProcurementAdmin(ReadOnlyModelAdmin):
    list_display = [
        "reference",
        "title",
        "borough",
        "status",
        "participation_deadline",
        "updated_at",
    ]
    list_filter = ["status", "borough", "regime"]
    list_select_related = ["borough"]
    search_fields = ["reference", "title"]
    date_hierarchy = "created_at"
    inlines = [
        MinimumRequirementInline,
        AwardCriterionInline,
        ApprovalReviewInline,
        PublicationVersionInline,
        NoticeInline,
        AmendmentInline,
        ClarificationQuestionInline,
        InterestRegistrationInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "evaluators"]
