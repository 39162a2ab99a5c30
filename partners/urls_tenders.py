"""The supplier's pages of the tender box, under /tenders/ (namespace ``tenders``)."""

from django.urls import path

from . import urls_award_supplier, urls_consents_supplier, urls_partnerships_supplier
from . import views_tenders_submission as submission
from . import views_tenders_supplier as views

app_name = "tenders"

urlpatterns = [
    path("", views.tender_list, name="list"),
    path("rounds/<int:round_pk>/start/", views.proposal_start_view, name="start"),
    path("<int:pk>/", views.proposal_detail, name="proposal"),
    path("<int:pk>/answers/<int:criterion_pk>/", views.proposal_answer, name="answer"),
    path("<int:pk>/prices/", views.proposal_prices, name="prices"),
    path("<int:pk>/background-ip/", views.proposal_background_ip, name="background-ip"),
    path("<int:pk>/files/", views.proposal_files, name="files"),
    path("<int:pk>/files/<uuid:token>/", views.proposal_file_download, name="file"),
    path(
        "<int:pk>/files/<uuid:token>/remove/", views.proposal_file_remove_view, name="file-remove"
    ),
    path("<int:pk>/submit/", submission.proposal_submit_view, name="submit"),
    path("<int:pk>/receipts/<int:number>/", submission.proposal_receipt, name="receipt"),
    path("<int:pk>/withdraw/", submission.proposal_withdraw_view, name="withdraw"),
    path("<int:pk>/restart/", submission.proposal_restart_view, name="restart"),
    *urls_consents_supplier.urlpatterns,
    *urls_award_supplier.urlpatterns,
    *urls_partnerships_supplier.urlpatterns,
]
