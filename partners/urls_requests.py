"""URLs of the supplier pages: requests (included by partners/urls_supplier.py, namespace
``requests``)."""

from django.urls import path

from . import views_requests as views

urlpatterns = [
    path("", views.request_list_view, name="list"),
    path("start/<int:procurement_pk>/", views.request_start_view, name="start"),
    path("<int:pk>/", views.request_detail_view, name="detail"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        views.request_answer_view,
        name="answer",
    ),
    path("<int:pk>/conflicts/", views.request_conflicts_view, name="conflicts"),
    path("<int:pk>/applying-as/", views.request_applying_as_view, name="applying-as"),
    path("<int:pk>/submit/", views.request_submit_view, name="submit"),
    path(
        "<int:pk>/submissions/<int:number>/",
        views.request_receipt_view,
        name="receipt",
    ),
    path("<int:pk>/withdraw/", views.request_withdraw_view, name="withdraw"),
    path("<int:pk>/restart/", views.request_restart_view, name="restart"),
]
