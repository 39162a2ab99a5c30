"""URLs of the supplier pages: evidence (included by partners/urls_supplier.py)."""

from django.urls import path

from . import views_evidence as views

urlpatterns = [
    path(
        "<int:pk>/questions/<int:question_pk>/evidence/",
        views.answer_evidence,
        name="answer-evidence",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/evidence/<int:file_pk>/remove/",
        views.answer_evidence_remove,
        name="answer-evidence-remove",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/library/",
        views.answer_library_pull,
        name="library-pull",
    ),
    path("evidence/", views.library, name="library"),
    path("evidence/add/", views.library_item_add_view, name="library-item-add"),
    path("evidence/<int:item_pk>/", views.library_item_detail, name="library-item"),
    path(
        "evidence/<int:item_pk>/change/",
        views.library_item_change_view,
        name="library-item-change",
    ),
    path(
        "evidence/<int:item_pk>/remove/",
        views.library_item_remove_view,
        name="library-item-remove",
    ),
    path(
        "evidence/<int:item_pk>/files/<int:file_pk>/remove/",
        views.library_item_file_remove,
        name="library-item-file-remove",
    ),
    path("evidence/files/<int:pk>/", views.evidence_file_download, name="evidence-file"),
]
