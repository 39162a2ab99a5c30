"""Who may do what in the evaluation of an opened round's tenders. Each predicate takes the
user first and never raises.

- The lead officer starts the evaluation of an opened round, names the panel and moderates.
- A panel member evaluates their part (quality or price) of the tenders, after declaring, for
  every tender, whether they have a conflict of interest (PA 2023 ss.81-83; RULES.md, other
  duties): a tender they have not declared for, or have a conflict with, stays closed to them.
- The borough's procurement officers and approvers see the evaluation's dashboard.
- Once an award or a reduction is decided on an evaluation, its marks and consensus stand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import officer_roles
from procurements.permissions import is_lead_officer

from .models import LIVE_AWARD, AwardDecision, EvaluationPart, Reduction, RoundKind, RoundStatus
from .permissions_tenders import TENDERING, is_box_officer

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import Evaluation, TenderReview, TenderRound

# Who may sit on each part of the panel: quality evaluators hold the evaluator role; price
# evaluators may be evaluators or procurement officers of the borough.
PANEL_ROLES = {
    EvaluationPart.QUALITY: {OfficerRole.EVALUATOR},
    EvaluationPart.PRICE: {OfficerRole.EVALUATOR, OfficerRole.OFFICER},
}


def may_sit_on(user: User, procurement: Procurement, part: str) -> bool:
    """Holds a role of the procurement's borough that may evaluate ``part``."""
    return bool(officer_roles(user, procurement.borough) & PANEL_ROLES[part])


def evaluation_purpose_refusal(tender_round: TenderRound) -> str:
    """Why the round's tenders cannot be evaluated now ("" when they can): the round must be
    opened; a final round is evaluated for the award; an earlier one only for reducing the
    tenderers, where the ITT announced it (RULES.md point 7), and only while it is the latest
    round."""
    procurement = tender_round.procurement
    if tender_round.status != RoundStatus.OPENED:
        return "The tenders of a round are evaluated once two officers have opened the round."
    if procurement.status not in TENDERING:
        return "The procurement is not in tendering or negotiation: no evaluation can start."
    if tender_round.kind == RoundKind.FINAL:
        return ""
    if not procurement.reduce_between_rounds:
        return (
            "Only the final tenders are evaluated: the invitation to tender did not announce "
            "that tenderers may be reduced between rounds."
        )
    if procurement.tender_rounds.filter(number__gt=tender_round.number).exists():
        return "A later round has begun: this round's tenders can no longer be reduced."
    return ""


def round_evaluated(tender_round: TenderRound) -> bool:
    """The round has its evaluation (one per round)."""
    return getattr(tender_round, "evaluation", None) is not None


def can_start_evaluation(user: User, tender_round: TenderRound) -> bool:
    return (
        is_lead_officer(user, tender_round.procurement)
        and not evaluation_purpose_refusal(tender_round)
        and not round_evaluated(tender_round)
    )


def can_see_evaluation(user: User, procurement: Procurement) -> bool:
    """The dashboard: the borough's procurement officers and approvers."""
    return is_box_officer(user, procurement)


def decision_taken(evaluation: Evaluation) -> bool:
    """An award decision that stands (proposed, approved, in standstill or contracted), or a
    reduction, rests on this evaluation: its consensus can no longer change."""
    return (
        AwardDecision.objects.filter(evaluation=evaluation, status__in=LIVE_AWARD).exists()
        or Reduction.objects.filter(evaluation=evaluation).exists()
    )


def is_panel_member(user: User, evaluation: Evaluation, part: str | None = None) -> bool:
    if user.pk is None:
        return False
    seats = evaluation.panel.filter(evaluator_id=user.pk)
    if part is not None:
        seats = seats.filter(part=part)
    return seats.exists()


def can_mark(user: User, review: TenderReview | None) -> bool:
    """Save marks on a tender: a declared review without a conflict, not yet completed."""
    return (
        review is not None
        and review.evaluator_id == user.pk
        and not review.has_conflict
        and review.completed_at is None
    )


def can_moderate(user: User, evaluation: Evaluation) -> bool:
    """The lead officer, until an award or reduction is decided on the evaluation."""
    return is_lead_officer(user, evaluation.procurement) and not decision_taken(evaluation)
