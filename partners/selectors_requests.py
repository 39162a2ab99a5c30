"""Reads of requests to participate, scoped to the signed-in supplier's organisation.

A supplier sees its own organisation's requests and nothing else: any other id gives None,
and the page answers 404, so nobody can tell another organisation's request from one that
does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import SupplierOrganisation, User
from core.selectors.accounts import supplier_membership_get
from procurements.models import Procurement

from .models import ParticipationRequest, RequestAnswer, RequestSubmission


def _organisation_of(user: User) -> SupplierOrganisation | None:
    membership = supplier_membership_get(user=user)
    return membership.organisation if membership is not None else None


def request_list(*, user: User) -> QuerySet[ParticipationRequest]:
    """The requests the user's organisation leads, newest first, with their procurements."""
    organisation = _organisation_of(user)
    if organisation is None:
        return ParticipationRequest.objects.none()
    return (
        ParticipationRequest.objects.filter(organisation=organisation)
        .select_related("procurement__borough", "organisation")
        .order_by("-created_at", "-pk")
    )


def request_get(*, user: User, pk: int) -> ParticipationRequest | None:
    """Request ``pk`` if the user's organisation leads it, else None."""
    return request_list(user=user).filter(pk=pk).first()


def request_for_procurement(*, user: User, procurement: Procurement) -> ParticipationRequest | None:
    """The user's organisation's request for ``procurement``, if it has one (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ParticipationRequest.objects.filter(
            procurement=procurement, organisation__memberships__user=user
        )
        .select_related("procurement", "organisation")
        .first()
    )


def answer_map(*, request: ParticipationRequest) -> dict[int, RequestAnswer]:
    """The request's answers by question id."""
    return {answer.question_id: answer for answer in request.answers.all()}


def submission_latest(*, request: ParticipationRequest) -> RequestSubmission | None:
    """The request's latest submission: the one the borough assesses unless withdrawn."""
    return request.submissions.select_related("submitted_by").order_by("-number").first()


def submission_get(*, request: ParticipationRequest, number: int) -> RequestSubmission | None:
    return request.submissions.select_related("submitted_by").filter(number=number).first()
