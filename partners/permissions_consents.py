"""Who may do what with consent to share a tenderer's information (RULES.md point 6; PCR 2015
reg. 31(13)). Each predicate takes the user first and never raises.

- The lead officer asks, while the procurement is tendering or in negotiation.
- The borough's procurement officers and approvers see the procurement's consent requests.
- The tenderer's lead organisation sees the requests about itself; its organisation admins
  answer them. Nobody else sees them: another tenderer may not know that they exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import is_organisation_admin, is_organisation_member

from .models import ConsentStatus
from .permissions_tenders import can_manage_rounds, is_box_officer

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import ConsentRequest


def can_ask_consent(user: User, procurement: Procurement) -> bool:
    """The lead officer, while the procurement is tendering or in negotiation."""
    return can_manage_rounds(user, procurement)


def can_see_consents(user: User, procurement: Procurement) -> bool:
    """A procurement officer or approver of the procurement's borough."""
    return is_box_officer(user, procurement)


def consent_organisation_member(user: User, consent: ConsentRequest) -> bool:
    """Someone of the organisation whose information it is (the tenderer's lead)."""
    return is_organisation_member(user, consent.request.organisation)


def can_answer_consent(user: User, consent: ConsentRequest) -> bool:
    """An organisation admin of the tenderer's lead organisation, while it is asked."""
    return consent.status == ConsentStatus.ASKED and is_organisation_admin(
        user, consent.request.organisation
    )
