from django.urls import include, path, register_converter

from . import (
    urls_deliverables,
    urls_gates,
    urls_instalments,
    urls_purchase,
    urls_reports,
    views,
    views_partner,
    views_progress,
)


class PhaseItemConverter:
    """The kinds of row a phase holds, as they appear in its URLs."""

    regex = "|".join(views.ITEM_KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PhaseItemConverter, "phaseitem")

app_name = "stages"

PHASE = "<int:pk>/phase-plan/phases/<int:phase_pk>/"

urlpatterns = [
    # Running the phases: each area's pages, in the same namespace.
    path("", include(urls_deliverables)),
    path("", include(urls_gates)),
    path("", include(urls_instalments)),
    path("", include(urls_reports)),
    path("", include(urls_purchase)),
    # The partner's own phases (the supplier side, under the same /procurements/ mount).
    path("my-phases/", views_partner.partner_phases, name="partner-phases"),
    path(
        "my-phases/<int:pk>/submit/",
        views_partner.partner_phase_submit,
        name="partner-phase-submit",
    ),
    path("<int:pk>/stages/progress/", views_progress.progress, name="progress"),
    path("<int:pk>/phase-plan/", views.phase_plan, name="phase-plan"),
    path("<int:pk>/phase-plan/phases/add/", views.phase_add, name="phase-add"),
    path(PHASE, views.phase_detail, name="phase-detail"),
    path(f"{PHASE}change/", views.phase_change, name="phase-change"),
    path(f"{PHASE}remove/", views.phase_remove, name="phase-remove"),
    path(f"{PHASE}<phaseitem:item>/add/", views.phase_item_add, name="phase-item-add"),
    path(
        f"{PHASE}<phaseitem:item>/<int:item_pk>/remove/",
        views.phase_item_remove,
        name="phase-item-remove",
    ),
    path("<int:pk>/phase-plan/purchase/", views.purchase_terms, name="purchase-terms"),
    path(
        "<int:pk>/phase-plan/purchase/performance-levels/add/",
        views.performance_level_add,
        name="performance-level-add",
    ),
    path(
        "<int:pk>/phase-plan/purchase/performance-levels/<int:level_pk>/remove/",
        views.performance_level_remove,
        name="performance-level-remove",
    ),
]
