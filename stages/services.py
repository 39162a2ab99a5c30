"""Writing a draft procurement's phase plan. Every change is locked, checked and audited.

Each service locks the procurement with ``procurement_for_update`` (which refuses
anyone who may not edit it, and any procurement that is no longer a draft: what
is announced is frozen at publication), validates with ``full_clean``, saves and
records an audit event on the procurement. A change that leaves a plan marked
complete with a gap sets the section back to "in progress".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Max

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User
from procurements.models import Procurement
from procurements.services.sections import (
    procurement_for_update,
    procurement_section_mark,
    procurement_section_reopen_if_broken,
)

from .models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)
from .selectors import phase_plan_get

SECTION_KEY = "phase-plan"
PHASE_FIELDS = ("kind", "name", "duration_weeks", "max_remuneration_per_partner", "aims")
PURCHASE_FIELDS = ("max_cost", "scope")


class PhasePlanIncomplete(ApplicationError):
    """The plan cannot be marked complete; ``problems`` says each gap."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0], extra={"problems": problems})
        self.problems = problems


def _next_order(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(most=Max("order"))["most"] or 0) + 1


def _keep_status_honest(*, actor: User, procurement: Procurement) -> None:
    """A plan marked complete that a change left with a gap goes back to "in progress"."""
    procurement_section_reopen_if_broken(
        actor=actor,
        procurement=procurement,
        key=SECTION_KEY,
        problems=lambda: phase_plan_get(procurement=procurement).problems(),
    )


def _record(*, actor: User, procurement: Procurement, action: str, data: dict[str, Any]) -> None:
    audit_record(actor=actor, action=f"stages.{action}", target=procurement, data=data)
    _keep_status_honest(actor=actor, procurement=procurement)


def _lock_phase(*, actor: User, phase: Phase) -> tuple[Procurement, Phase]:
    procurement = procurement_for_update(actor=actor, pk=phase.procurement_id, section=SECTION_KEY)
    return procurement, Phase.objects.get(pk=phase.pk, procurement=procurement)


# --- phases ------------------------------------------------------------------------------


@transaction.atomic
def phase_add(
    *,
    actor: User,
    procurement: Procurement,
    kind: str,
    name: str,
    duration_weeks: int | None = None,
    max_remuneration_per_partner: Decimal | None = None,
    aims: str = "",
) -> Phase:
    """Add a phase after the existing ones (RULES.md point 8)."""
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=SECTION_KEY)
    phase = Phase(
        procurement=procurement,
        kind=kind,
        name=name,
        duration_weeks=duration_weeks,
        max_remuneration_per_partner=max_remuneration_per_partner,
        aims=aims,
        order=_next_order(procurement.phases.all()),
    )
    phase.full_clean()
    phase.save()
    _record(
        actor=actor,
        procurement=procurement,
        action="phase_added",
        data={"phase": phase.pk, "name": phase.name, "kind": phase.kind},
    )
    return phase


@transaction.atomic
def phase_change(*, actor: User, phase: Phase, **changes: Any) -> Phase:
    """Change any of ``PHASE_FIELDS``; records the names of the fields that changed."""
    unknown = set(changes) - set(PHASE_FIELDS)
    if unknown:
        raise TypeError(f"phase_change() got unexpected fields {sorted(unknown)}")
    procurement, phase = _lock_phase(actor=actor, phase=phase)
    changed = [name for name, value in changes.items() if getattr(phase, name) != value]
    for name in changed:
        setattr(phase, name, changes[name])
    phase.full_clean()
    if not changed:
        return phase
    phase.save(update_fields=changed)
    _record(
        actor=actor,
        procurement=procurement,
        action="phase_changed",
        data={"phase": phase.pk, "name": phase.name, "fields": sorted(changed)},
    )
    return phase


@transaction.atomic
def phase_remove(*, actor: User, phase: Phase) -> None:
    """Remove a phase with its targets, instalments, gate criteria and conditions."""
    procurement, phase = _lock_phase(actor=actor, phase=phase)
    data = {"phase": phase.pk, "name": phase.name, "kind": phase.kind}
    phase.delete()
    _record(actor=actor, procurement=procurement, action="phase_removed", data=data)


# --- a phase's rows ------------------------------------------------------------------------


def _row_add(*, actor: User, phase: Phase, model: type[models.Model], action: str, **fields):
    procurement, phase = _lock_phase(actor=actor, phase=phase)
    row = model(phase=phase, order=_next_order(model.objects.filter(phase=phase)), **fields)
    row.full_clean()
    row.save()
    _record(
        actor=actor,
        procurement=procurement,
        action=action,
        data={"phase": phase.pk, "id": row.pk, "text": str(row)[:200]},
    )
    return row


def _row_remove(*, actor: User, row: models.Model, action: str) -> None:
    procurement = procurement_for_update(
        actor=actor, pk=row.phase.procurement_id, section=SECTION_KEY
    )
    row = type(row).objects.select_related("phase").get(pk=row.pk, phase__procurement=procurement)
    data = {"phase": row.phase_id, "id": row.pk, "text": str(row)[:200]}
    row.delete()
    _record(actor=actor, procurement=procurement, action=action, data=data)


@transaction.atomic
def target_add(
    *, actor: User, phase: Phase, metric: str, threshold: str, evidence: str = ""
) -> IntermediateTarget:
    """An intermediate target of the phase (RULES.md point 8)."""
    return _row_add(
        actor=actor,
        phase=phase,
        model=IntermediateTarget,
        action="target_added",
        metric=metric,
        threshold=threshold,
        evidence=evidence,
    )


@transaction.atomic
def target_remove(*, actor: User, target: IntermediateTarget) -> None:
    _row_remove(actor=actor, row=target, action="target_removed")


@transaction.atomic
def instalment_add(
    *,
    actor: User,
    phase: Phase,
    share_percent: Decimal,
    milestone: str = "",
    weeks_after_start: int | None = None,
) -> InstalmentScheduleItem:
    """An instalment of the phase's remuneration, due on a milestone or after some weeks."""
    return _row_add(
        actor=actor,
        phase=phase,
        model=InstalmentScheduleItem,
        action="instalment_added",
        share_percent=share_percent,
        milestone=milestone,
        weeks_after_start=weeks_after_start,
    )


@transaction.atomic
def instalment_remove(*, actor: User, instalment: InstalmentScheduleItem) -> None:
    _row_remove(actor=actor, row=instalment, action="instalment_removed")


@transaction.atomic
def gate_criterion_add(
    *, actor: User, phase: Phase, criterion: str, threshold: str
) -> GateCriterion:
    """A criterion the stage gate at the end of the phase judges (RULES.md point 9)."""
    return _row_add(
        actor=actor,
        phase=phase,
        model=GateCriterion,
        action="gate_criterion_added",
        criterion=criterion,
        threshold=threshold,
    )


@transaction.atomic
def gate_criterion_remove(*, actor: User, criterion: GateCriterion) -> None:
    _row_remove(actor=actor, row=criterion, action="gate_criterion_removed")


@transaction.atomic
def termination_condition_add(*, actor: User, phase: Phase, condition: str) -> TerminationCondition:
    """A condition on which a partner may be terminated in the phase (RULES.md point 9)."""
    return _row_add(
        actor=actor,
        phase=phase,
        model=TerminationCondition,
        action="termination_condition_added",
        condition=condition,
    )


@transaction.atomic
def termination_condition_remove(*, actor: User, condition: TerminationCondition) -> None:
    _row_remove(actor=actor, row=condition, action="termination_condition_removed")


# --- the final purchase ----------------------------------------------------------------------


@transaction.atomic
def purchase_terms_save(
    *,
    actor: User,
    procurement: Procurement,
    max_cost: Decimal | None,
    scope: str,
    estimated_value: Decimal | None = None,
) -> PurchaseTerms:
    """The final purchase's maximum cost and scope, and the procurement's estimated value.

    The estimated value is all R&D phases plus the final purchase (RULES.md
    points 10 and 11); the publication rules check the phases fit inside it.
    """
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=SECTION_KEY)
    terms, created = PurchaseTerms.objects.get_or_create(procurement=procurement)
    values = {"max_cost": max_cost, "scope": scope}
    changed = [name for name, value in values.items() if getattr(terms, name) != value]
    for name in changed:
        setattr(terms, name, values[name])
    terms.full_clean()
    if procurement.estimated_value != estimated_value:
        procurement.estimated_value = estimated_value
        procurement.save(update_fields=["estimated_value", "updated_at"])
        changed.append("estimated_value")
    if not changed and not created:
        return terms
    terms.save()
    _record(
        actor=actor,
        procurement=procurement,
        action="purchase_terms_saved",
        data={"fields": sorted(changed)},
    )
    return terms


@transaction.atomic
def performance_level_add(
    *, actor: User, procurement: Procurement, metric: str, level: str
) -> PerformanceLevel:
    """A performance level the result must meet before it is bought (RULES.md point 10)."""
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=SECTION_KEY)
    terms, _ = PurchaseTerms.objects.get_or_create(procurement=procurement)
    row = PerformanceLevel(
        purchase_terms=terms,
        metric=metric,
        level=level,
        order=_next_order(terms.performance_levels.all()),
    )
    row.full_clean()
    row.save()
    _record(
        actor=actor,
        procurement=procurement,
        action="performance_level_added",
        data={"id": row.pk, "text": str(row)[:200]},
    )
    return row


@transaction.atomic
def performance_level_remove(*, actor: User, level: PerformanceLevel) -> None:
    procurement_id = PurchaseTerms.objects.values_list("procurement_id", flat=True).get(
        pk=level.purchase_terms_id
    )
    procurement = procurement_for_update(actor=actor, pk=procurement_id, section=SECTION_KEY)
    level = PerformanceLevel.objects.get(pk=level.pk, purchase_terms__procurement=procurement)
    data = {"id": level.pk, "text": str(level)[:200]}
    level.delete()
    _record(actor=actor, procurement=procurement, action="performance_level_removed", data=data)


# --- "Have you completed this section?" --------------------------------------------------------


@transaction.atomic
def phase_plan_mark(*, actor: User, procurement: Procurement, completed: bool) -> Procurement:
    """Record the officer's answer; "completed" only for a plan with no gaps.

    Raises ``PhasePlanIncomplete`` listing every gap (RULES.md points 8-10).
    Saving it as still in progress is always allowed.
    """
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=SECTION_KEY)
    if completed:
        problems = phase_plan_get(procurement=procurement).problems()
        if problems:
            raise PhasePlanIncomplete(problems)
    return procurement_section_mark(
        actor=actor, procurement=procurement, key=SECTION_KEY, completed=completed
    )
