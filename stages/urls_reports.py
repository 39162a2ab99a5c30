"""URLs of the running phases: the stage-gate reports."""

from django.urls import path

from . import views_reports

urlpatterns = [
    path("<int:pk>/stages/reports/", views_reports.reports, name="reports"),
    path(
        "<int:pk>/stages/reports/<int:decision_pk>/retry/",
        views_reports.report_retry,
        name="report-retry",
    ),
]
