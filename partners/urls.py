from django.urls import path

from . import (
    urls_award,
    urls_consents,
    urls_evaluation,
    urls_partnerships,
    urls_reduction,
    urls_tenders_officer,
    views,
    views_assessment,
    views_selection,
)

app_name = "partners"

urlpatterns = [
    path("<int:pk>/selection/", views_selection.selection, name="selection"),
    path("<int:pk>/selection/assess/", views_assessment.assess, name="selection-assess"),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/mark/",
        views_assessment.mark,
        name="selection-mark",
    ),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/conflict/",
        views_assessment.conflict_later,
        name="selection-conflict",
    ),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/moderate/",
        views_assessment.moderate,
        name="selection-moderate",
    ),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/self-cleaning/",
        views_assessment.self_cleaning,
        name="selection-self-cleaning",
    ),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/exclude/",
        views_assessment.exclude,
        name="selection-exclude",
    ),
    path(
        "<int:pk>/selection/requests/<int:request_pk>/files/<str:sha256>/",
        views_assessment.evidence_file,
        name="selection-evidence-file",
    ),
    path("<int:pk>/selection/shortlist/", views_assessment.shortlist, name="selection-shortlist"),
    path(
        "<int:pk>/selection/shortlist/decide/",
        views_assessment.shortlist_decision,
        name="selection-decide",
    ),
    path(
        "<int:pk>/selection/consensus-scores.csv",
        views_assessment.scores_csv,
        name="selection-scores-csv",
    ),
    path(
        "<int:pk>/selection-questionnaire/",
        views.selection_questionnaire,
        name="selection-questionnaire",
    ),
    path(
        "<int:pk>/selection-questionnaire/add/",
        views.selection_question_add_view,
        name="selection-question-add",
    ),
    path(
        "<int:pk>/selection-questionnaire/<int:question_pk>/change/",
        views.selection_question_change_view,
        name="selection-question-change",
    ),
    path(
        "<int:pk>/selection-questionnaire/<int:question_pk>/remove/",
        views.selection_question_remove_view,
        name="selection-question-remove",
    ),
    *urls_tenders_officer.urlpatterns,
    *urls_evaluation.urlpatterns,
    *urls_reduction.urlpatterns,
    *urls_award.urlpatterns,
    *urls_partnerships.urlpatterns,
    *urls_consents.urlpatterns,
]
