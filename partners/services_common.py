"""What the services of requests to participate share: locking a request, the window and
state a change needs, an organisation's admins (who are told by e-mail), and the approvers
a proposed decision goes to."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import OfficerMembership, OfficerRole, SupplierOrganisation, SupplierRole
from procurements.models import Procurement

from .models import CHANGEABLE, ParticipationRequest, RequestStatus
from .submission import participation_closed_message, participation_open

# The longest reason, note or justification a decision records.
REASON_MAX_LENGTH = 5000

WITHDRAWN = (
    "This request has been withdrawn. Start it again from the request's page before you "
    "change or submit it."
)


class ParticipationClosed(ApplicationError):
    """The procurement takes no requests now (the deadline has passed or the call is not
    published); the message says since when."""


def request_lock(pk: int) -> ParticipationRequest:
    """The request with its procurement and organisation, its row locked until the
    transaction ends."""
    return (
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("procurement__borough", "organisation")
        .get(pk=pk)
    )


def refuse_unless_open(request: ParticipationRequest, now: datetime | None = None) -> None:
    if not participation_open(request.procurement, now=now or timezone.now()):
        raise ParticipationClosed(participation_closed_message(request.procurement))


def refuse_unless_changeable(request: ParticipationRequest, now: datetime | None = None) -> None:
    """A draft or submitted request, while participation is open (the server's clock)."""
    refuse_unless_open(request, now)
    if request.status == RequestStatus.WITHDRAWN:
        raise ApplicationError(WITHDRAWN)
    if request.status not in CHANGEABLE:
        raise ApplicationError(
            f"This request is {request.get_status_display().lower()}: it can no longer change."
        )


def organisation_admin_emails(organisation: SupplierOrganisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=SupplierRole.ADMIN, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def approver_emails(procurement: Procurement, *, exclude: list[int | None]) -> list[str]:
    """Who is asked to decide what an officer proposed: the procurement's named approver, or
    else every active approver of the borough but the people in ``exclude`` (the proposer,
    and the lead officer where four eyes need it)."""
    if procurement.approver_id is not None:
        return [procurement.approver.email]
    return list(
        OfficerMembership.objects.filter(
            borough=procurement.borough, role=OfficerRole.APPROVER, user__is_active=True
        )
        .exclude(user__in=[pk for pk in exclude if pk is not None])
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def procurement_lock(pk: int) -> Procurement:
    """The procurement with its borough, its row locked until the transaction ends: every
    service that decides something about a procurement's suppliers locks it first, so two
    requests never wait for each other in a circle."""
    return Procurement.objects.select_for_update(of=("self",)).select_related("borough").get(pk=pk)


def text_problem(
    text: str, *, missing: str, what: str = "Write the reasons", required: bool = True
) -> str:
    """Why written ``text`` is refused ("" if it is not): empty when ``required`` (the
    ``missing`` message), or longer than ``REASON_MAX_LENGTH`` ("``what`` in 5,000
    characters or fewer")."""
    text = (text or "").strip()
    if required and not text:
        return missing
    if len(text) > REASON_MAX_LENGTH:
        return f"{what} in {REASON_MAX_LENGTH:,} characters or fewer"
    return ""


def written(
    text: str, *, field: str, missing: str, what: str = "Write the reasons", required: bool = True
) -> str:
    """``text`` stripped, or an ``ApplicationError`` naming ``field`` (see ``text_problem``)."""
    problem = text_problem(text, missing=missing, what=what, required=required)
    if problem:
        raise ApplicationError(problem, extra={"errors": {field: problem}})
    return (text or "").strip()
