from django.urls import path

from .views import accounts, documents

app_name = "core"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("dashboard/", accounts.dashboard, name="dashboard"),
    path("officer/", accounts.officer_home, name="officer-home"),
    path("supplier/", accounts.supplier_home, name="supplier-home"),
    path("organisation/", accounts.organisation_profile, name="organisation-profile"),
    path("organisation/change/", accounts.organisation_edit, name="organisation-edit"),
    path("organisation/members/", accounts.organisation_members, name="organisation-members"),
    path("organisation/members/invite/", accounts.organisation_invite, name="organisation-invite"),
    path(
        "organisation/members/invitations/<int:pk>/send-again/",
        accounts.organisation_invitation_send_again,
        name="organisation-invitation-send-again",
    ),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation-accept"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path("documents/<int:pk>/download/", documents.document_download, name="document-download"),
    path("documents/<int:pk>/status.json", documents.document_status, name="document-status"),
    path(
        "documents/audit-extract/<slug:borough_slug>/",
        documents.audit_extract_request,
        name="audit-extract-request",
    ),
]
