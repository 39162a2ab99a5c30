"""Who may see and enter the partnership contracts. Each predicate takes the user first and
never raises.

- The borough's officers, approvers and administrators see the procurement's partnerships.
- The lead officer enters the contracts, once the award is in standstill (the standstill's
  own rules, ``services_award.contracts_may_be_entered``, decide when).
- A partner's people (its lead organisation and its consortium members) see its own
  partnership, and nobody else's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procurements.models import ProcurementStatus
from procurements.permissions import is_lead_officer

from .models import AwardStatus
from .permissions_award import can_see_award

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import AwardDecision


def can_see_partnerships(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return can_see_award(user, procurement)


def can_enter_contracts(user: User, decision: AwardDecision) -> bool:
    """The lead officer, while the award and the procurement are in standstill."""
    procurement = decision.procurement
    return (
        decision.status == AwardStatus.STANDSTILL
        and procurement.status == ProcurementStatus.STANDSTILL
        and is_lead_officer(user, procurement)
    )
