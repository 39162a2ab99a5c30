"""Each partner's run through the announced phases: created with the contracts, then moved
on by one service per transition (RULES.md points 8 and 9; PCR 2015 reg. 31(2) and (7); PA
2023 s.20).

When the partnership contracts are entered, every partner gets a participation in every
phase of the plan announced in the ITT (frozen since publication): the first phase in
progress from the day its contract was signed, the others not started, since a phase starts
only once the gate of the one before is passed. The partner's organisation administrator
submits a phase in progress for review at its gate.

Each service locks the row, checks the actor may act, refuses a wrong state with a message
saying why, transitions, saves and records an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.models import User
from core.permissions import is_organisation_admin
from partners.models import Partnership, PartnershipStatus

from .models import ParticipationStatus, Phase, StageParticipation

# Why a participation in each state cannot be submitted for review.
NOT_SUBMITTABLE = {
    ParticipationStatus.NOT_STARTED: (
        "This phase has not started: it starts only once the gate of the phase before it is passed."
    ),
    ParticipationStatus.UNDER_REVIEW: (
        "This phase has already been submitted for review: wait for the gate decision."
    ),
    ParticipationStatus.PASSED: "This phase has passed its gate: there is nothing to submit.",
    ParticipationStatus.TERMINATED: (
        "This partner's participation in this phase was terminated: it cannot be submitted "
        "for review."
    ),
}


def can_submit_for_review(user: User, participation: StageParticipation) -> bool:
    """An administrator of the partner's organisation, while its partnership is active."""
    partnership = participation.partnership
    return partnership.status == PartnershipStatus.ACTIVE and is_organisation_admin(
        user, partnership.request.organisation
    )


def _phase_entries(phases: Sequence[Phase], statuses: Sequence[str]) -> list[dict]:
    return [
        {"phase_id": phase.pk, "name": phase.name, "status": status}
        for phase, status in zip(phases, statuses, strict=True)
    ]


def participations_create(*, actor: User, partnerships: Sequence[Partnership]) -> None:
    """Every partner's participation in every announced phase, in the transaction that enters
    the contracts: the first phase in progress from the signing date, the others not started
    (RULES.md point 8). One audit event per partnership lists its phases."""
    if not partnerships:
        return
    phases = list(
        Phase.objects.filter(procurement_id=partnerships[0].procurement_id).order_by("order", "pk")
    )
    if not phases:
        return
    statuses = [ParticipationStatus.IN_PROGRESS] + [ParticipationStatus.NOT_STARTED] * (
        len(phases) - 1
    )
    rows = []
    for partnership in partnerships:
        for number, (phase, status) in enumerate(zip(phases, statuses, strict=True)):
            rows.append(
                StageParticipation(
                    partnership=partnership,
                    phase=phase,
                    status=status,
                    started_on=partnership.signed_on if number == 0 else None,
                )
            )
    StageParticipation.objects.bulk_create(rows)
    for partnership in partnerships:
        audit_record(
            actor=actor,
            action="stages.participations_created",
            target=partnership,
            data={
                "partnership": partnership.reference,
                "started_on": partnership.signed_on.isoformat(),
                "phases": _phase_entries(phases, statuses),
            },
        )


def _lock(participation: StageParticipation) -> StageParticipation:
    return (
        StageParticipation.objects.select_for_update(of=("self",))
        .select_related("partnership__request__organisation", "phase")
        .get(pk=participation.pk)
    )


@transaction.atomic
def participation_submit_for_review(
    *, actor: User, participation: StageParticipation
) -> StageParticipation:
    """The partner's organisation administrator submits its phase in progress for review at
    the phase's gate (RULES.md point 9): refused for anyone else and from any other state."""
    participation = _lock(participation)
    if not can_submit_for_review(actor, participation):
        raise PermissionRefused(
            "Only an administrator of the partner's organisation submits its phase for review."
        )
    if participation.status != ParticipationStatus.IN_PROGRESS:
        raise ApplicationError(NOT_SUBMITTABLE[participation.status])
    participation.submit_for_review(at=timezone.now())
    participation.full_clean(exclude=["status"])  # protected: only the transition sets it
    participation.save(update_fields=["status", "review_requested_at"])
    audit_record(
        actor=actor,
        action="stages.participation_submitted_for_review",
        target=participation,
        data={
            "partnership": participation.partnership.reference,
            "phase_id": participation.phase_id,
            "phase": participation.phase.name,
            "review_requested_at": participation.review_requested_at.isoformat(),
        },
    )
    return participation
