"""Who may do what with a request to participate, on the supplier's side.

Views, services, templates and tests ask these named predicates. Each takes the user first
and never raises: an anonymous user simply may not. A request belongs to its lead
organisation: any of its people may work on it, only its organisation admins submit or
withdraw it. Changes wait for nothing but the server's clock: while the call is published
and before the participation deadline (``partners.submission.participation_open``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from core.models import SupplierMembership
from core.permissions import is_organisation_admin, is_organisation_member
from procurements.permissions_market import has_verified_email

from .models import CHANGEABLE, ParticipationRequest, RequestStatus
from .submission import participation_open, request_organisations

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement


def request_organisation_member(user: User, request: ParticipationRequest) -> bool:
    """Belongs to the request's lead organisation: may see and work on the request."""
    return is_organisation_member(user, request.organisation)


def request_organisation_admin(user: User, request: ParticipationRequest) -> bool:
    """Administers the request's lead organisation: may submit and withdraw it."""
    return is_organisation_admin(user, request.organisation)


def request_is_changeable(request: ParticipationRequest, *, now: datetime | None = None) -> bool:
    """A draft or submitted request, while participation is open (server clock).

    PCR 2015 reg. 31(1) and PA 2023 s.54: nothing is accepted after the time limit for
    requests to participate."""
    return request.status in CHANGEABLE and participation_open(
        request.procurement, now=now or timezone.now()
    )


def can_change_request(
    user: User, request: ParticipationRequest, *, now: datetime | None = None
) -> bool:
    """Save answers, the conflicts declaration and how the organisation applies."""
    return request_is_changeable(request, now=now) and request_organisation_member(user, request)


def can_submit_request(
    user: User, request: ParticipationRequest, *, now: datetime | None = None
) -> bool:
    """Submit it, or submit it again to replace the last submission: organisation admins
    of the lead only."""
    return request_is_changeable(request, now=now) and request_organisation_admin(user, request)


def can_withdraw_request(
    user: User, request: ParticipationRequest, *, now: datetime | None = None
) -> bool:
    """Withdraw it before the deadline: organisation admins of the lead only."""
    return can_submit_request(user, request, now=now)


def can_restart_request(
    user: User, request: ParticipationRequest, *, now: datetime | None = None
) -> bool:
    """Make a withdrawn request a draft again, before the deadline: anyone in the lead."""
    return (
        request.status == RequestStatus.WITHDRAWN
        and participation_open(request.procurement, now=now or timezone.now())
        and request_organisation_member(user, request)
    )


def can_start_request(user: User, procurement: Procurement, *, now: datetime | None = None) -> bool:
    """A verified supplier (``is_verified_supplier``: a member of a supplier organisation
    whose e-mail address is confirmed) whose organisation has no request for
    ``procurement`` yet, while participation is open. Two queries at most: the public
    opportunity page asks it."""
    if not participation_open(procurement, now=now or timezone.now()):
        return False
    if not has_verified_email(user):
        return False
    return (
        SupplierMembership.objects.filter(user=user)
        .exclude(organisation__participation_requests__procurement=procurement)
        .exists()
    )


def is_request_person(user: User, request: ParticipationRequest) -> bool:
    """A person of the request's lead organisation or of one of its consortium members: they
    read what the borough sends the tenderer (letters, summaries, its partnership)."""
    return any(
        is_organisation_member(user, organisation)
        for organisation in request_organisations(request)
    )
