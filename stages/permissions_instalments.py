"""Who may do what with the partners' instalments (RULES.md point 8; PA 2023 s.68). Each
predicate takes the user first and never raises.

- The partner's organisation administrators claim its instalments while its partnership is
  active (``can_claim_instalments``); its other people and its consortium members read them.
- The borough's officers, approvers and administrators see every partner's money
  (``can_see_money``).
- The lead officer decides the claims and records the payments (``can_decide_instalments``),
  while the procurement is active and also once it is closed: a claim approved before the
  purchase decision closed the procurement must still be paid and recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procurements.models import ProcurementStatus
from procurements.permissions import is_lead_officer

from .permissions import can_see_stages, is_partner_admin

if TYPE_CHECKING:
    from core.models import User
    from partners.models import Partnership
    from procurements.models import Procurement

# The procurement states in which the lead officer decides claims and records payments.
DECIDING_STATES = (ProcurementStatus.ACTIVE, ProcurementStatus.CLOSED)


def can_see_money(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return can_see_stages(user, procurement)


def can_claim_instalments(user: User, partnership: Partnership) -> bool:
    """An administrator of the partner's (lead) organisation, while its contract is active."""
    return is_partner_admin(user, partnership)


def can_decide_instalments(user: User, procurement: Procurement) -> bool:
    """The lead officer, while the procurement is active or once it is closed."""
    return procurement.status in DECIDING_STATES and is_lead_officer(user, procurement)
