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

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.models import User
from core.permissions import is_organisation_admin
from partners.models import Partnership

from .models import (
    Deliverable,
    Instalment,
    InstalmentScheduleItem,
    ParticipationStatus,
    Phase,
    StageParticipation,
)
from .permissions import is_partner_admin

PENNY = Decimal("0.01")

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
    return is_partner_admin(user, participation.partnership)


def refuse_unless_partner_admin(
    actor: User, participation: StageParticipation, *, refused: str, why_not: Mapping[str, str]
) -> None:
    """Refuse anyone but an administrator of the partner's organisation while its contract
    is active (``refused``). The partner's own administrator whose contract has ended is told
    why in the phase's words (``why_not`` by the participation's state), not that they are
    not its administrator."""
    partnership = participation.partnership
    if is_partner_admin(actor, partnership):
        return
    if is_organisation_admin(actor, partnership.request.organisation):
        raise ApplicationError(
            why_not.get(participation.status)
            or f"{partnership.reference}'s contract has ended "
            f"({partnership.get_status_display().lower()}): nothing more can be submitted."
        )
    raise PermissionRefused(refused)


def _phase_entries(phases: Sequence[Phase], statuses: Sequence[str]) -> list[dict]:
    return [
        {"phase_id": phase.pk, "name": phase.name, "status": status}
        for phase, status in zip(phases, statuses, strict=True)
    ]


def agreed_phase_prices(partnership: Partnership, phases: Sequence[Phase]) -> list[Decimal | None]:
    """The price agreed in the contract for each phase, in the plan's order: the contract's
    phase prices are numbered as the ITT announced the phases (1, 2, ...)."""
    by_number = {
        int(entry["number"]): Decimal(entry["price"]) for entry in partnership.phase_prices
    }
    return [by_number.get(number) for number in range(1, len(phases) + 1)]


def instalment_amounts(price: Decimal | None, items: Sequence[InstalmentScheduleItem]) -> list:
    """Each instalment's share of the phase's agreed price, to the penny; the last takes what
    rounding left, so the instalments add up to the price exactly."""
    if price is None or not items:
        return [Decimal("0.00")] * len(items)
    amounts = [
        (price * item.share_percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
        for item in items[:-1]
    ]
    return [*amounts, price - sum(amounts, Decimal("0.00"))]


def participations_create(*, actor: User, partnerships: Sequence[Partnership]) -> None:
    """Every partner's participation in every announced phase, in the transaction that enters
    the contracts: the first phase in progress from the signing date, the others not started
    (RULES.md point 8), each with the phase's agreed price and its instalments scheduled. One
    audit event per partnership lists its phases."""
    if not partnerships:
        return
    phases = list(
        Phase.objects.filter(procurement_id=partnerships[0].procurement_id)
        .prefetch_related("instalments")
        .order_by("order", "pk")
    )
    if not phases:
        return
    statuses = [ParticipationStatus.IN_PROGRESS] + [ParticipationStatus.NOT_STARTED] * (
        len(phases) - 1
    )
    rows = []
    for partnership in partnerships:
        prices = agreed_phase_prices(partnership, phases)
        for number, (phase, status, price) in enumerate(zip(phases, statuses, prices, strict=True)):
            rows.append(
                StageParticipation(
                    partnership=partnership,
                    phase=phase,
                    status=status,
                    price=price,
                    started_on=partnership.signed_on if number == 0 else None,
                )
            )
    StageParticipation.objects.bulk_create(rows)
    instalments = []
    for participation in rows:
        items = list(participation.phase.instalments.all())
        for item, amount in zip(items, instalment_amounts(participation.price, items), strict=True):
            instalments.append(
                Instalment(participation=participation, schedule_item=item, amount=amount)
            )
    Instalment.objects.bulk_create(instalments)
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


def participation_to_review(
    *, actor: User, participation: StageParticipation, final_report: Deliverable | None = None
) -> StageParticipation:
    """Move a participation in progress to review at its gate and record it. The caller holds
    the participation's lock (``_lock``) and has checked the actor and the state: the
    partner's final report (``services_deliverables.deliverable_submit``) comes here, and the
    review is requested when the report was submitted."""
    at = final_report.submitted_at if final_report is not None else timezone.now()
    participation.submit_for_review(at=at)
    participation.full_clean(exclude=["status"])  # protected: only the transition sets it
    participation.save(update_fields=["status", "review_requested_at"])
    data = {
        "partnership": participation.partnership.reference,
        "phase_id": participation.phase_id,
        "phase": participation.phase.name,
        "review_requested_at": participation.review_requested_at.isoformat(),
    }
    if final_report is not None:
        data["final_report_id"] = final_report.pk
    audit_record(
        actor=actor,
        action="stages.participation_submitted_for_review",
        target=participation,
        data=data,
    )
    return participation


@transaction.atomic
def participation_submit_for_review(
    *, actor: User, participation: StageParticipation
) -> StageParticipation:
    """The partner's organisation administrator submits its phase in progress for review at
    the phase's gate (RULES.md point 9): refused for anyone else and from any other state.

    The partner's pages reach review only through the phase's final report
    (``services_deliverables.deliverable_submit``), which gives the measured values and
    evidence the gate judges and calls ``participation_to_review`` in its own transaction."""
    participation = _lock(participation)
    refuse_unless_partner_admin(
        actor,
        participation,
        refused="Only an administrator of the partner's organisation submits its phase for review.",
        why_not=NOT_SUBMITTABLE,
    )
    if participation.status != ParticipationStatus.IN_PROGRESS:
        raise ApplicationError(NOT_SUBMITTABLE[participation.status])
    return participation_to_review(actor=actor, participation=participation)
