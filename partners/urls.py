from django.urls import path

from . import views, views_selection

app_name = "partners"

urlpatterns = [
    path("<int:pk>/selection/", views_selection.selection, name="selection"),
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
]
