"""Who may do what with the tender box. Each predicate takes the user first and never
raises; the server's clock (``now``) decides deadlines and opening dates, never the page.

- A proposal belongs to the lead organisation of a shortlisted request: its people work on
  it, its organisation admins submit and withdraw it, while the round takes proposals.
- The lead officer opens rounds and sets the opening date (before the deadline).
- The borough's procurement officers and approvers are the box's authorised officers: two
  different ones open a round after its opening date, and only they read what was opened.
  Once the round's evaluation has started, the people on its panel read the tenders only
  through the evaluation (their part, after declaring their conflicts), and nobody reads a
  tender they have declared a conflict with.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import is_organisation_admin, is_organisation_member, officer_roles
from procurements.models import ProcurementStatus
from procurements.permissions import is_lead_officer

from .models import PanelMember, RoundStatus, TenderReview

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import Proposal, TenderRound

BOX_OFFICER_ROLES = {OfficerRole.OFFICER, OfficerRole.APPROVER}
TENDERING = (ProcurementStatus.TENDERING, ProcurementStatus.NEGOTIATION)


def proposal_organisation_member(user: User, proposal: Proposal) -> bool:
    return is_organisation_member(user, proposal.request.organisation)


def proposal_organisation_admin(user: User, proposal: Proposal) -> bool:
    return is_organisation_admin(user, proposal.request.organisation)


def round_takes_proposals(tender_round: TenderRound, *, now: datetime) -> bool:
    """Open, the procurement tendering, and ``now`` strictly before the deadline: one second
    after it nothing is accepted."""
    return (
        tender_round.status == RoundStatus.OPEN
        and tender_round.procurement.status in TENDERING
        and now < tender_round.deadline
    )


def can_manage_rounds(user: User, procurement: Procurement) -> bool:
    """The lead officer, while the procurement is tendering."""
    return procurement.status in TENDERING and is_lead_officer(user, procurement)


def is_box_officer(user: User, procurement: Procurement) -> bool:
    """A procurement officer or approver of the procurement's borough."""
    return bool(officer_roles(user, procurement.borough) & BOX_OFFICER_ROLES)


def _may_open(user: User, tender_round: TenderRound, now: datetime) -> bool:
    return (
        tender_round.status == RoundStatus.OPEN
        and now >= tender_round.opens_at
        and now >= tender_round.deadline
        and is_box_officer(user, tender_round.procurement)
    )


def can_request_opening(user: User, tender_round: TenderRound, *, now: datetime) -> bool:
    """The first of the two: after the opening date, nobody has asked yet."""
    return tender_round.opening_requested_by_id is None and _may_open(user, tender_round, now)


def can_confirm_opening(user: User, tender_round: TenderRound, *, now: datetime) -> bool:
    """The second: someone else has asked."""
    return (
        tender_round.opening_requested_by_id is not None
        and tender_round.opening_requested_by_id != user.pk
        and _may_open(user, tender_round, now)
    )


def can_read_opened(user: User, tender_round: TenderRound) -> bool:
    return tender_round.status == RoundStatus.OPENED and is_box_officer(
        user, tender_round.procurement
    )


def can_read_opened_proposal(user: User, proposal: Proposal) -> bool:
    """``can_read_opened`` for one tender, and, once its round's evaluation has started, not
    a member of the panel (they read through the evaluation pages, their part only) and not
    someone who has declared a conflict of interest with this tender."""
    if not can_read_opened(user, proposal.round):
        return False
    on_panel = PanelMember.objects.filter(
        evaluation__round_id=proposal.round_id, evaluator_id=user.pk
    ).exists()
    conflicted = TenderReview.objects.filter(
        proposal=proposal, evaluator_id=user.pk, has_conflict=True
    ).exists()
    return not (on_panel or conflicted)
