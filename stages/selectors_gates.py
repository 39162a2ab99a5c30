"""What the gate pages read (RULES.md point 9): the officer's gate page of a phase, an
assessor's scoring of one participation, the lead officer's moderation, the approver's
decision and the partner's own gate result.

Each reads in a constant number of queries whatever the number of partners, assessors and
criteria. Marks are blind: an assessor sees no other assessor's marks until their own review
is complete, and the moderation shows none until every assessor of the gate has completed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.models import User
from core.selectors.accounts import supplier_membership_get
from procurements.models import Procurement

from .models import (
    Deliverable,
    GateAssessor,
    GateConsensus,
    GateCriterion,
    GateDecision,
    GateReview,
    GateScore,
    IntermediateTarget,
    ParticipationStatus,
    Phase,
    StageParticipation,
)
from .permissions import partner_people_filter
from .permissions_gates import (
    can_decide_gate,
    can_moderate_gate,
    can_name_assessors,
)
from .services_gates import Recommendation, recommendation_of


def gate_phase_get(*, procurement: Procurement, pk: int) -> Phase | None:
    """One phase of ``procurement``, with the procurement attached, or None."""
    phase = Phase.objects.filter(procurement=procurement, pk=pk).first()
    if phase is not None:
        phase.procurement = procurement
    return phase


def _participations(phase: Phase):
    return (
        StageParticipation.objects.filter(phase=phase)
        .select_related(
            "partnership__request__organisation",
            "gate_decision__decided_by",
            "gate_decision__condition",
            "gate_decision__notice",
        )
        .prefetch_related(
            Prefetch("gate_reviews", queryset=GateReview.objects.order_by("pk")),
            Prefetch(
                "gate_consensus",
                queryset=GateConsensus.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__pk"
                ),
            ),
        )
        .order_by("partnership__request__organisation__name", "pk")
    )


def decision_of(participation: StageParticipation) -> GateDecision | None:
    try:
        return participation.gate_decision
    except GateDecision.DoesNotExist:
        return None


@dataclass
class GateRow:
    """One participation at the gate, as the gate page shows it."""

    participation: StageParticipation
    completed: int
    assessors: int
    moderated: int
    criteria: int
    recommendation: Recommendation
    decision: GateDecision | None
    my_review: GateReview | None

    @property
    def name(self) -> str:
        return self.participation.partnership.request.organisation.name

    @property
    def under_review(self) -> bool:
        return self.participation.status == ParticipationStatus.UNDER_REVIEW

    @property
    def scored(self) -> bool:
        return self.assessors > 0 and self.completed == self.assessors

    @property
    def my_status(self) -> str:
        if self.my_review is None:
            return "Not started"
        return "Completed" if self.my_review.completed_at else "In progress"


@dataclass
class GatePage:
    procurement: Procurement
    phase: Phase
    phases: list[Phase]
    criteria: list[GateCriterion]
    seats: list[GateAssessor]
    rows: list[GateRow]
    is_assessor: bool
    may_name: bool
    may_moderate: bool
    may_decide: bool


def gate_page_get(*, user: User, phase: Phase) -> GatePage:
    """Everything the gate page of ``phase`` shows ``user`` (who may see it)."""
    procurement = phase.procurement
    criteria = list(phase.gate_criteria.order_by("order", "pk"))
    seats = list(phase.gate_assessors.select_related("user").order_by("named_at", "pk"))
    seat_ids = {seat.user_id for seat in seats}
    participations = list(_participations(phase))
    rows = []
    for participation in participations:
        participation.phase = phase
        reviews = list(participation.gate_reviews.all())
        consensus = list(participation.gate_consensus.all())
        rows.append(
            GateRow(
                participation=participation,
                completed=sum(1 for r in reviews if r.completed_at and r.assessor_id in seat_ids),
                assessors=len(seats),
                moderated=len(consensus),
                criteria=len(criteria),
                recommendation=recommendation_of(criteria, consensus),
                decision=decision_of(participation),
                my_review=next((r for r in reviews if r.assessor_id == user.pk), None),
            )
        )
    sample = participations[0] if participations else StageParticipation(phase=phase)
    return GatePage(
        procurement=procurement,
        phase=phase,
        phases=list(procurement.phases.order_by("order", "pk")),
        criteria=criteria,
        seats=seats,
        rows=rows,
        is_assessor=user.pk in seat_ids,
        may_name=can_name_assessors(user, phase),
        may_moderate=can_moderate_gate(user, sample),
        may_decide=can_decide_gate(user, sample),
    )


def gate_participation_get(*, phase: Phase, pk: int) -> StageParticipation | None:
    """One participation at ``phase``'s gate, with its partner and decision, or None."""
    participation = _participations(phase).filter(pk=pk).first()
    if participation is not None:
        participation.phase = phase
    return participation


# --- the assessor's scoring -------------------------------------------------------------------


@dataclass
class OtherMark:
    assessor: User
    mark: GateScore | None


@dataclass
class CriterionMarks:
    criterion: GateCriterion
    mine: GateScore | None = None
    others: list[OtherMark] = field(default_factory=list)
    consensus: GateConsensus | None = None


@dataclass
class Scoring:
    participation: StageParticipation
    review: GateReview | None
    targets: list[IntermediateTarget]
    deliverables: list[Deliverable]
    criteria: list[CriterionMarks]

    @property
    def completed(self) -> bool:
        return self.review is not None and self.review.completed_at is not None

    @property
    def my_marks(self) -> dict[int, GateScore]:
        return {row.criterion.pk: row.mine for row in self.criteria if row.mine}


def _deliverables(participation: StageParticipation) -> list[Deliverable]:
    return list(
        participation.deliverables.select_related("submitted_by")
        .prefetch_related("files", "measurements__target")
        .order_by("submitted_at", "pk")
    )


def _side_by_side(marks: dict, criterion: GateCriterion, seats: list[GateAssessor]):
    return [OtherMark(seat.user, marks.get((criterion.pk, seat.user_id))) for seat in seats]


def scoring_get(*, user: User, participation: StageParticipation) -> Scoring:
    """``user``'s marks of ``participation``, with the partner's targets and deliverables;
    the other assessors' marks only once ``user``'s review is complete (blind scoring)."""
    phase = participation.phase
    criteria = list(phase.gate_criteria.order_by("order", "pk"))
    review = GateReview.objects.filter(participation=participation, assessor_id=user.pk).first()
    completed = review is not None and review.completed_at is not None
    scores = GateScore.objects.filter(participation=participation)
    if not completed:
        scores = scores.filter(assessor_id=user.pk)
    marks = {(s.criterion_id, s.assessor_id): s for s in scores}
    seats = list(phase.gate_assessors.select_related("user").order_by("named_at", "pk"))
    others = [seat for seat in seats if seat.user_id != user.pk] if completed else []
    rows = [
        CriterionMarks(
            criterion=criterion,
            mine=marks.get((criterion.pk, user.pk)),
            others=_side_by_side(marks, criterion, others),
        )
        for criterion in criteria
    ]
    return Scoring(
        participation=participation,
        review=review,
        targets=list(phase.targets.order_by("order", "pk")),
        deliverables=_deliverables(participation),
        criteria=rows,
    )


# --- moderation and decision ------------------------------------------------------------------


@dataclass
class Moderation:
    participation: StageParticipation
    ready: bool
    seats: list[GateAssessor]
    outstanding: list[User]
    criteria: list[CriterionMarks]
    recommendation: Recommendation


def moderation_get(*, participation: StageParticipation) -> Moderation:
    """The assessors' marks side by side per criterion, and the consensus so far; no marks at
    all until every named assessor of the gate has completed ``participation``."""
    phase = participation.phase
    criteria = list(phase.gate_criteria.order_by("order", "pk"))
    seats = list(phase.gate_assessors.select_related("user").order_by("named_at", "pk"))
    done = {
        review.assessor_id
        for review in participation.gate_reviews.all()
        if review.completed_at is not None
    }
    outstanding = [seat.user for seat in seats if seat.user_id not in done]
    ready = bool(seats) and not outstanding
    consensus = {mark.criterion_id: mark for mark in participation.gate_consensus.all()}
    scores = GateScore.objects.filter(participation=participation) if ready else []
    marks = {(s.criterion_id, s.assessor_id): s for s in scores}
    rows = [
        CriterionMarks(
            criterion=criterion,
            others=_side_by_side(marks, criterion, seats) if ready else [],
            consensus=consensus.get(criterion.pk),
        )
        for criterion in criteria
    ]
    return Moderation(
        participation=participation,
        ready=ready,
        seats=seats,
        outstanding=outstanding,
        criteria=rows,
        recommendation=recommendation_of(criteria, consensus.values()),
    )


# --- the partner's gate result ----------------------------------------------------------------


def partner_gate_get(*, user: User, pk: int) -> StageParticipation | None:
    """A decided participation of the user's organisation (lead or consortium member), with
    its decision and consensus marks, whatever its partnership's state now; else None."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    organisation = membership.organisation_id
    return (
        StageParticipation.objects.filter(
            partner_people_filter(organisation, "partnership__"),
            pk=pk,
            gate_decision__isnull=False,
        )
        .select_related(
            "phase",
            "partnership__procurement",
            "partnership__request__organisation",
            "gate_decision__condition",
        )
        .prefetch_related(
            Prefetch(
                "gate_consensus",
                queryset=GateConsensus.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__pk"
                ),
            )
        )
        .distinct()
        .first()
    )
