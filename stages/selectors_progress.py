"""Every partner's progress through every announced phase, read in a constant number of
queries (three, whatever the number of partners and phases), for the officer's Stages page.

Who may see it: the borough's officers, approvers and administrators, as for the
partnerships themselves (``partners.permissions_partnerships.can_see_partnerships``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import User
from partners.models import Partnership
from partners.permissions_partnerships import can_see_partnerships
from procurements.models import Procurement
from procurements.sections import uk_date_text, uk_datetime_text

from .models import ParticipationStatus, Phase, StageParticipation


def can_see_progress(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return can_see_partnerships(user, procurement)


@dataclass(frozen=True)
class ProgressCell:
    """One partner in one phase: its state and dates, or no participation at all."""

    phase: Phase
    participation: StageParticipation | None

    @property
    def status(self) -> str:
        return self.participation.status if self.participation else ""

    @property
    def status_label(self) -> str:
        return self.participation.get_status_display() if self.participation else "No record"

    @property
    def started_on(self) -> str:
        return uk_date_text(self.participation.started_on) if self.participation else ""

    @property
    def review_requested_at(self) -> str:
        if self.participation is None:
            return ""
        return uk_datetime_text(self.participation.review_requested_at)

    @property
    def decided_at(self) -> str:
        return uk_datetime_text(self.participation.decided_at) if self.participation else ""


@dataclass(frozen=True)
class PartnerProgress:
    partnership: Partnership
    cells: list[ProgressCell]

    @property
    def name(self) -> str:
        return self.partnership.request.organisation.name


@dataclass(frozen=True)
class FunnelStep:
    phase: Phase
    still_in: int


@dataclass(frozen=True)
class Progress:
    phases: list[Phase]
    partners: list[PartnerProgress] = field(default_factory=list)

    @property
    def funnel(self) -> list[FunnelStep]:
        """How many partners are still in each phase: those with a participation in it and
        terminated neither in it nor in any phase before it."""
        steps = []
        for index, phase in enumerate(self.phases):
            still_in = sum(
                1
                for partner in self.partners
                if partner.cells[index].participation is not None
                and not any(
                    cell.status == ParticipationStatus.TERMINATED
                    for cell in partner.cells[: index + 1]
                )
            )
            steps.append(FunnelStep(phase=phase, still_in=still_in))
        return steps


def progress_get(*, user: User, procurement: Procurement) -> Progress:
    """The procurement's phases in order and each partner's participation in each; empty for
    anyone who may not see it."""
    if not can_see_progress(user, procurement):
        return Progress(phases=[])
    phases = list(Phase.objects.filter(procurement=procurement).order_by("order", "pk"))
    partnerships = list(
        Partnership.objects.filter(procurement=procurement)
        .select_related("request__organisation")
        .order_by("reference")
    )
    found = {
        (p.partnership_id, p.phase_id): p
        for p in StageParticipation.objects.filter(partnership__procurement=procurement)
    }
    return Progress(
        phases=phases,
        partners=[
            PartnerProgress(
                partnership=partnership,
                cells=[
                    ProgressCell(phase=phase, participation=found.get((partnership.pk, phase.pk)))
                    for phase in phases
                ],
            )
            for partnership in partnerships
        ],
    )
