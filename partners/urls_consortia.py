"""URLs of the supplier pages: consortia, subcontractors and exclusion declarations
(included by partners/urls_supplier.py, namespace ``requests``)."""

from django.urls import path

from . import views_consortia as views

urlpatterns = [
    path("<int:pk>/consortium/", views.consortium, name="consortium"),
    path(
        "<int:pk>/consortium/members/add/",
        views.consortium_member_add_view,
        name="consortium-member-add",
    ),
    path(
        "<int:pk>/consortium/members/<int:member_pk>/change/",
        views.consortium_member_change_view,
        name="consortium-member-change",
    ),
    path(
        "<int:pk>/consortium/members/<int:member_pk>/remove/",
        views.consortium_member_remove_view,
        name="consortium-member-remove",
    ),
    path(
        "<int:pk>/consortium/subcontractors/add/",
        views.subcontractor_add_view,
        name="subcontractor-add",
    ),
    path(
        "<int:pk>/consortium/subcontractors/<int:subcontractor_pk>/remove/",
        views.subcontractor_remove_view,
        name="subcontractor-remove",
    ),
    path(
        "consortium-invitations/",
        views.consortium_invitations,
        name="consortium-invitations",
    ),
    path(
        "consortium-invitations/<int:pk>/confirm/",
        views.consortium_invitation_confirm,
        name="consortium-invitation-confirm",
    ),
    path(
        "consortium-invitations/<int:pk>/decline/",
        views.consortium_invitation_decline,
        name="consortium-invitation-decline",
    ),
    path(
        "<int:pk>/exclusions/<int:organisation_pk>/",
        views.exclusions,
        name="exclusions",
    ),
]
