"""Who may do what while the phases run. Each predicate takes the user first and never raises.

- The borough's officers, approvers and administrators see every partner's phases, gates and
  money (``can_see_stages``); the lead officer runs them (``is_running_officer``).
- A partner's people (its lead organisation and its consortium members) see its own
  partnership's phases and nothing of another partner's (``is_partner_person``); its
  organisation administrators act for it (``is_partner_admin``), while its partnership is
  active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from core.permissions import is_organisation_admin
from partners.models import PartnershipStatus
from partners.permissions import is_request_person
from partners.permissions_partnerships import can_see_partnerships
from procurements.models import ProcurementStatus
from procurements.permissions import is_lead_officer

if TYPE_CHECKING:
    from core.models import User
    from partners.models import Partnership
    from procurements.models import Procurement


def partner_people_filter(organisation_id: int, prefix: str = "") -> Q:
    """The rows of the partnerships whose people include ``organisation_id`` (its lead
    organisation or a consortium member), for a queryset reaching the partnership through
    ``prefix`` ("" for partnerships themselves, "partnership__" for participations, ...).
    Querysets filtered by it need ``distinct()``: a request has several members."""
    return Q(**{f"{prefix}request__organisation_id": organisation_id}) | Q(
        **{f"{prefix}request__members__organisation_id": organisation_id}
    )


def can_see_stages(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return can_see_partnerships(user, procurement)


def is_running_officer(user: User, procurement: Procurement) -> bool:
    """The lead officer of an active procurement: runs the phases, gates and payments."""
    return procurement.status == ProcurementStatus.ACTIVE and is_lead_officer(user, procurement)


def is_partner_person(user: User, partnership: Partnership) -> bool:
    """A person of the partner's lead organisation or of one of its consortium members."""
    return is_request_person(user, partnership.request)


def is_partner_admin(user: User, partnership: Partnership) -> bool:
    """An administrator of the partner's (lead) organisation, while its contract is active."""
    return partnership.status == PartnershipStatus.ACTIVE and is_organisation_admin(
        user, partnership.request.organisation
    )
