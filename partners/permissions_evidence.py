"""Who may do what with evidence: files of a request's answers and the evidence library.

Views, services, templates and tests ask these named predicates. Each takes the user
first and never raises: an anonymous user simply may not.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.permissions import is_organisation_member

from .models import CHANGEABLE
from .submission import participation_open

if TYPE_CHECKING:
    from core.models import SupplierOrganisation, User

    from .models import ParticipationRequest


def can_keep_evidence(user: User, organisation: SupplierOrganisation) -> bool:
    """Any member of a supplier organisation keeps its evidence library and reads its
    evidence files; nobody else, the borough's officers and administrators included."""
    return is_organisation_member(user, organisation)


def can_change_answer_evidence(user: User, request: ParticipationRequest, *, now: datetime) -> bool:
    """Members of the lead organisation attach and remove evidence while the request may
    change: a draft or submitted request, before the participation deadline (by the server
    clock)."""
    return (
        request.status in CHANGEABLE
        and participation_open(request.procurement, now=now)
        and is_organisation_member(user, request.organisation)
    )
