"""Reads of the evaluation: the rounds and their evaluations, the board of every member's
progress on every tender, a member's own list, and the marks shown once a member has
completed theirs. Each read makes a constant number of queries whatever the number of
tenders, criteria and panel members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import OfficerMembership, User
from procurements.models import AwardCriterion, CriterionKind, Procurement

from .evaluation_ranking import evaluated_proposals
from .models import (
    Evaluation,
    EvaluationPart,
    PanelMember,
    Proposal,
    RoundStatus,
    TenderConsensus,
    TenderReview,
    TenderRound,
    TenderScore,
)
from .permissions_evaluation import PANEL_ROLES


def opened_rounds(procurement: Procurement) -> list[TenderRound]:
    """The procurement's opened rounds, latest first, each with its evaluation if any."""
    return list(
        TenderRound.objects.filter(procurement=procurement, status=RoundStatus.OPENED)
        .select_related("evaluation")
        .order_by("-number")
    )


def evaluation_of(procurement: Procurement, round_pk: int) -> Evaluation | None:
    evaluation = (
        Evaluation.objects.filter(procurement=procurement, round_id=round_pk)
        .select_related("round", "started_by")
        .first()
    )
    if evaluation is not None:
        evaluation.procurement = procurement
        evaluation.round.procurement = procurement
    return evaluation


def eligible_people(procurement: Procurement, part: str) -> list[User]:
    """The borough's people who may evaluate ``part``, by e-mail."""
    return list(
        User.objects.filter(
            pk__in=OfficerMembership.objects.filter(
                borough_id=procurement.borough_id, role__in=PANEL_ROLES[part]
            ).values("user_id"),
            is_active=True,
        ).order_by("email")
    )


def seat_state(review: TenderReview | None, marked: int) -> tuple[str, str]:
    """A member's progress on one tender, as a GOV.UK tag (text, class)."""
    if review is None:
        return "Not declared", "govuk-tag--grey"
    if review.has_conflict:
        return "Conflict declared", "govuk-tag--red"
    if review.completed_at:
        return "Completed", "govuk-tag--green"
    if marked:
        return "In progress", "govuk-tag--light-blue"
    return "Not started", "govuk-tag--blue"


@dataclass
class Board:
    """Everything about an evaluation's progress, loaded at once."""

    evaluation: Evaluation
    criteria: list[AwardCriterion]
    tenders: list[Proposal]
    panel: list[PanelMember]
    reviews: dict[tuple[int, int, str], TenderReview] = field(default_factory=dict)
    scores: dict[tuple[int, int, int], TenderScore] = field(default_factory=dict)
    consensus: dict[tuple[int, int], TenderConsensus] = field(default_factory=dict)

    def criteria_of(self, part: str) -> list[AwardCriterion]:
        is_price = part == EvaluationPart.PRICE
        return [c for c in self.criteria if (c.kind == CriterionKind.PRICE) == is_price]

    def review(self, proposal: Proposal, seat: PanelMember) -> TenderReview | None:
        return self.reviews.get((proposal.pk, seat.evaluator_id, seat.part))

    def marks_of(self, proposal: Proposal, seat: PanelMember) -> list[TenderScore]:
        return [
            mark
            for c in self.criteria_of(seat.part)
            if (mark := self.scores.get((proposal.pk, seat.evaluator_id, c.pk))) is not None
        ]

    def waiting(self, proposal: Proposal) -> list[PanelMember]:
        """The seats still to declare or complete their marks for ``proposal``."""
        return [
            seat
            for seat in self.panel
            if (review := self.review(proposal, seat)) is None
            or (not review.has_conflict and review.completed_at is None)
        ]

    def ready_to_moderate(self, proposal: Proposal) -> bool:
        """Every member done, and each part marked by at least one member."""
        completed_parts = {
            seat.part
            for seat in self.panel
            if (review := self.review(proposal, seat)) is not None and review.completed_at
        }
        return not self.waiting(proposal) and completed_parts == set(EvaluationPart.values)

    def unmarkable_parts(self, proposal: Proposal) -> list[str]:
        """The parts whose every member declared a conflict with ``proposal``: the panel
        needs another member before it can be moderated."""
        return [
            EvaluationPart(part).label
            for part in EvaluationPart.values
            if all(
                (review := self.review(proposal, seat)) is not None and review.has_conflict
                for seat in self.panel
                if seat.part == part
            )
        ]

    def moderated(self, proposal: Proposal) -> bool:
        return all((proposal.pk, c.pk) in self.consensus for c in self.criteria)

    def rows(self) -> list[dict]:
        """Per tender: each seat's state and how many criteria it marked, the flags."""
        rows = []
        for proposal in self.tenders:
            seats = []
            for seat in self.panel:
                review = self.review(proposal, seat)
                marked = len(self.marks_of(proposal, seat))
                seats.append({"seat": seat, "review": review, "state": seat_state(review, marked)})
            rows.append(
                {
                    "proposal": proposal,
                    "seats": seats,
                    "conflicts": sum(1 for s in seats if s["review"] and s["review"].has_conflict),
                    "unmarkable": self.unmarkable_parts(proposal),
                    "ready": self.ready_to_moderate(proposal),
                    "moderated": self.moderated(proposal),
                }
            )
        return rows


def evaluation_board(evaluation: Evaluation, *, only: Proposal | None = None) -> Board:
    """The board of ``evaluation`` (of one tender with ``only``): six queries."""
    tenders = evaluated_proposals(evaluation)
    if only is not None:
        tenders = [p for p in tenders if p.pk == only.pk]
    ids = [p.pk for p in tenders]
    board = Board(
        evaluation=evaluation,
        criteria=list(
            AwardCriterion.objects.filter(procurement_id=evaluation.procurement_id).order_by(
                "order", "pk"
            )
        ),
        tenders=tenders,
        panel=list(
            evaluation.panel.select_related("evaluator").order_by("part", "evaluator__email")
        ),
    )
    for review in TenderReview.objects.filter(proposal_id__in=ids):
        board.reviews[(review.proposal_id, review.evaluator_id, review.part)] = review
    for score in TenderScore.objects.filter(proposal_id__in=ids):
        board.scores[(score.proposal_id, score.evaluator_id, score.criterion_id)] = score
    for mark in TenderConsensus.objects.filter(proposal_id__in=ids):
        board.consensus[(mark.proposal_id, mark.criterion_id)] = mark
    return board


def member_parts(user: User, evaluation: Evaluation) -> list[str]:
    """The parts ``user`` sits on, quality first."""
    parts = set(evaluation.panel.filter(evaluator_id=user.pk).values_list("part", flat=True))
    return [part for part in EvaluationPart.values if part in parts]


def member_rows(user: User, evaluation: Evaluation, parts: list[str]) -> dict[str, list[dict]]:
    """For each part ``user`` sits on, every tender with the member's review and progress:
    three queries."""
    tenders = evaluated_proposals(evaluation)
    ids = [p.pk for p in tenders]
    reviews = {
        (r.proposal_id, r.part): r
        for r in TenderReview.objects.filter(proposal_id__in=ids, evaluator_id=user.pk)
    }
    # Marks counted per part: the price criterion is the price part's, the others quality's.
    marked: dict[tuple[int, str], int] = {}
    for proposal_id, kind in TenderScore.objects.filter(
        proposal_id__in=ids, evaluator_id=user.pk
    ).values_list("proposal_id", "criterion__kind"):
        part = EvaluationPart.PRICE if kind == CriterionKind.PRICE else EvaluationPart.QUALITY
        marked[(proposal_id, part)] = marked.get((proposal_id, part), 0) + 1
    return {
        part: [
            {
                "proposal": proposal,
                "review": (review := reviews.get((proposal.pk, part))),
                "state": seat_state(review, marked.get((proposal.pk, part), 0)),
            }
            for proposal in tenders
        ]
        for part in parts
    }


def member_marks(user: User, proposal: Proposal) -> dict[int, TenderScore]:
    return {
        s.criterion_id: s for s in TenderScore.objects.filter(proposal=proposal, evaluator=user)
    }


def others_marks(user: User, proposal: Proposal, review: TenderReview | None) -> list[TenderScore]:
    """The other members' marks for the tender in the member's part: only once the member has
    completed their own (blind scoring, issue 5 point 4)."""
    if review is None or review.completed_at is None:
        return []
    return list(
        TenderScore.objects.filter(
            proposal=proposal,
            evaluator__in=TenderReview.objects.filter(
                proposal=proposal, part=review.part, completed_at__isnull=False
            ).values("evaluator_id"),
            criterion__in=AwardCriterion.objects.filter(
                procurement_id=proposal.round.procurement_id
            ).filter(kind=CriterionKind.PRICE)
            if review.part == EvaluationPart.PRICE
            else AwardCriterion.objects.filter(
                procurement_id=proposal.round.procurement_id
            ).exclude(kind=CriterionKind.PRICE),
        )
        .exclude(evaluator=user)
        .select_related("evaluator", "criterion")
        .order_by("criterion__order", "evaluator__email")
    )
