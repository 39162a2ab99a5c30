"""A partner's own run through the announced phases, for its people (RULES.md point 8; PCR
2015 reg. 31(7); PA 2023 s.20): every partnership of the user's organisation, whatever its
state (an ended one keeps its gate results and payments), as the lead organisation of the
request or a consortium member (read-only), each phase in order with its state, dates, aims
and intermediate targets as announced, its gate decision, and what the partner must do next.

Read in a constant number of queries whatever the number of partnerships and phases. A
supplier never sees another supplier's participations (RULES.md, permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Prefetch, When

from core.models import SupplierRole, User
from core.selectors.accounts import supplier_membership_get
from partners.models import Partnership, PartnershipStatus
from procurements.sections import uk_date_text

from .models import (
    GateDecision,
    IntermediateTarget,
    ParticipationStatus,
    PartnerWithdrawal,
    PurchaseDecision,
    StageParticipation,
)
from .permissions import partner_people_filter
from .selectors_gates import decision_of
from .selectors_purchase import withdrawal_of

NEXT_STEPS = {
    ParticipationStatus.NOT_STARTED: (
        "This phase starts only after the gate of the phase before it is passed."
    ),
    ParticipationStatus.IN_PROGRESS: (
        "Report your progress and submit deliverables with the values you measured against "
        "the intermediate targets; once the targets are delivered, submit the final report: "
        "it submits the phase for review at its gate."
    ),
    ParticipationStatus.UNDER_REVIEW: (
        "Wait for the gate decision: the borough reviews the phase against its gate criteria, "
        "and may ask you for more evidence."
    ),
    ParticipationStatus.PASSED: "Nothing: this phase passed its gate.",
}
TERMINATED_AT_GATE = (
    "Nothing: you were terminated at this phase's gate on an announced condition (see the "
    "gate result)."
)
ENDED = "Nothing: this phase ended with your partnership contract."


@dataclass(frozen=True)
class PhaseRow:
    """One phase of one partnership as its partner sees it."""

    participation: StageParticipation
    may_submit: bool

    @property
    def phase(self):
        return self.participation.phase

    @property
    def targets(self) -> list[IntermediateTarget]:
        return list(self.participation.phase.targets.all())

    @property
    def started_on(self) -> str:
        return uk_date_text(self.participation.started_on)

    @property
    def expected_end(self) -> date | None:
        """The start plus the phase's announced duration; unknown until it starts."""
        started, weeks = self.participation.started_on, self.participation.phase.duration_weeks
        if started is None or not weeks:
            return None
        return started + timedelta(weeks=weeks)

    @property
    def expected_end_text(self) -> str:
        return uk_date_text(self.expected_end)

    @property
    def decision(self) -> GateDecision | None:
        return decision_of(self.participation)

    @property
    def next_step(self) -> str:
        status = self.participation.status
        if status == ParticipationStatus.TERMINATED:
            return TERMINATED_AT_GATE if self.decision is not None else ENDED
        return NEXT_STEPS[status]

    @property
    def can_be_submitted(self) -> bool:
        return self.may_submit and self.participation.status == ParticipationStatus.IN_PROGRESS


@dataclass(frozen=True)
class PartnerPhases:
    """One partnership of the user's organisation with its phases in order."""

    partnership: Partnership
    is_lead: bool
    phases: list[PhaseRow]

    @property
    def may_act(self) -> bool:
        """The user acts for the partner (its lead organisation's admin, contract active)."""
        return bool(self.phases) and self.phases[0].may_submit

    @property
    def withdrawal(self) -> PartnerWithdrawal | None:
        return withdrawal_of(self.partnership)

    def next_step(self, purchase: PurchaseDecision | None) -> str:
        """What the partner must do next in this partnership, in one sentence."""
        status = self.partnership.status
        if purchase is not None:
            outcome = purchase.get_outcome_display().lower()
            return f"Nothing: the borough's purchase decision is made: {outcome}."
        if status != PartnershipStatus.ACTIVE:
            if self.withdrawal is not None:
                return "Nothing: you withdrew from this partnership and its contract has ended."
            return "Nothing: this partnership contract has ended."
        current = next(
            (
                row
                for row in self.phases
                if row.participation.status
                in (ParticipationStatus.IN_PROGRESS, ParticipationStatus.UNDER_REVIEW)
            ),
            None,
        )
        if current is not None:
            return f"{current.phase.name}: {current.next_step}"
        if self.phases and all(
            row.participation.status == ParticipationStatus.PASSED for row in self.phases
        ):
            return (
                "Every phase has passed its gate: the borough now decides whether to buy the "
                "result at the agreed performance levels and maximum cost (it has no "
                "obligation to buy)."
            )
        return "Nothing for now."


def _participations():
    return StageParticipation.objects.select_related(
        "phase", "gate_decision__condition"
    ).prefetch_related(
        Prefetch("phase__targets", queryset=IntermediateTarget.objects.order_by("order", "pk"))
    )


def partner_phases_list(*, user: User) -> list[PartnerPhases]:
    """The user's organisation's partnerships, active ones first, each with its phases in
    order; only an administrator of the lead organisation acts, while its partnership is
    active (consortium members read)."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return []
    partnerships = list(
        Partnership.objects.filter(partner_people_filter(membership.organisation_id))
        .select_related("procurement__borough", "request__organisation", "withdrawal")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=_participations().order_by("phase__order", "phase__pk"),
            )
        )
        .distinct()
        .order_by(
            Case(When(status=PartnershipStatus.ACTIVE, then=0), default=1),
            "-entered_at",
            "reference",
        )
    )
    found = []
    for partnership in partnerships:
        is_lead = partnership.request.organisation_id == membership.organisation_id
        may_submit = (
            is_lead
            and membership.role == SupplierRole.ADMIN
            and partnership.status == PartnershipStatus.ACTIVE
        )
        rows = [PhaseRow(p, may_submit) for p in partnership.participations.all()]
        found.append(PartnerPhases(partnership, is_lead, rows))
    return found


def partner_participation_get(*, user: User, pk: int) -> StageParticipation | None:
    """One participation of a partnership of the user's organisation, or None: readable
    whatever the partnership's state; the services refuse acting on an ended one."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    return (
        _participations()
        .select_related("partnership__procurement", "partnership__request__organisation")
        .filter(
            partner_people_filter(membership.organisation_id, "partnership__"),
            pk=pk,
        )
        .distinct()
        .first()
    )
