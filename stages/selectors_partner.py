"""A partner's own run through the announced phases, for its people (RULES.md point 8; PCR
2015 reg. 31(7); PA 2023 s.20): every active partnership of the user's organisation, as the
lead organisation of the request or a consortium member (read-only), each phase in order with
its state, dates, aims and intermediate targets as announced, and what the partner must do
next.

Read in a constant number of queries whatever the number of partnerships and phases. A
supplier never sees another supplier's participations (RULES.md, permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q

from core.models import SupplierMembership, SupplierRole, User
from core.selectors.accounts import supplier_membership_get
from partners.models import Partnership, PartnershipStatus
from procurements.sections import uk_date_text

from .models import IntermediateTarget, ParticipationStatus, StageParticipation

NEXT_STEPS = {
    ParticipationStatus.NOT_STARTED: (
        "This phase starts only after the gate of the phase before it is passed."
    ),
    ParticipationStatus.IN_PROGRESS: (
        "Deliver the phase's intermediate targets, then submit the phase for review at its gate."
    ),
    ParticipationStatus.UNDER_REVIEW: (
        "Wait for the gate decision: the borough reviews the phase against its gate criteria."
    ),
    ParticipationStatus.PASSED: "Nothing: this phase passed its gate.",
    ParticipationStatus.TERMINATED: (
        "Nothing: the partnership was terminated at this phase on an announced condition."
    ),
}


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
    def next_step(self) -> str:
        return NEXT_STEPS[self.participation.status]

    @property
    def can_be_submitted(self) -> bool:
        return self.may_submit and self.participation.status == ParticipationStatus.IN_PROGRESS


@dataclass(frozen=True)
class PartnerPhases:
    """One active partnership of the user's organisation with its phases in order."""

    partnership: Partnership
    is_lead: bool
    phases: list[PhaseRow]


def _organisation_filter(membership: SupplierMembership, prefix: str = "") -> Q:
    organisation = membership.organisation_id
    return Q(**{f"{prefix}request__organisation_id": organisation}) | Q(
        **{f"{prefix}request__members__organisation_id": organisation}
    )


def _participations():
    return StageParticipation.objects.select_related("phase").prefetch_related(
        Prefetch("phase__targets", queryset=IntermediateTarget.objects.order_by("order", "pk"))
    )


def partner_phases_list(*, user: User) -> list[PartnerPhases]:
    """The user's organisation's active partnerships, each with its phases in order; only an
    administrator of the lead organisation may submit a phase (consortium members read)."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return []
    partnerships = list(
        Partnership.objects.filter(
            _organisation_filter(membership), status=PartnershipStatus.ACTIVE
        )
        .select_related("procurement__borough", "request__organisation")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=_participations().order_by("phase__order", "phase__pk"),
            )
        )
        .distinct()
        .order_by("-entered_at", "reference")
    )
    found = []
    for partnership in partnerships:
        is_lead = partnership.request.organisation_id == membership.organisation_id
        may_submit = is_lead and membership.role == SupplierRole.ADMIN
        rows = [PhaseRow(p, may_submit) for p in partnership.participations.all()]
        found.append(PartnerPhases(partnership, is_lead, rows))
    return found


def partner_participation_get(*, user: User, pk: int) -> StageParticipation | None:
    """One participation of an active partnership of the user's organisation, or None."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    return (
        _participations()
        .select_related("partnership__procurement", "partnership__request__organisation")
        .filter(
            _organisation_filter(membership, "partnership__"),
            partnership__status=PartnershipStatus.ACTIVE,
            pk=pk,
        )
        .distinct()
        .first()
    )
