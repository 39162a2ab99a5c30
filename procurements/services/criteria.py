"""Writes to a procurement's award criteria, sub-criteria and award settings.

Award is on the best price-quality ratio only (PCR 2015 reg. 31(6) and 67; PA
2023 s.19, the most advantageous tender), with the weighted criteria published
in the documents and never negotiated (RULES.md points 5 and 7). The award
basis is therefore not changed here. Saving never requires the weights to add
up to 100, so a half-finished section saves; marking the section completed does,
and the publication rules check it again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User
from procurements.models import (
    AwardCriterion,
    AwardSubCriterion,
    CriterionKind,
    Procurement,
)
from procurements.services.sections import (
    full_clean_or_refuse,
    next_order,
    procurement_for_update,
    procurement_section_mark,
    procurement_section_reopen_if_broken,
)

SECTION_KEY = "award-criteria"
NO_PRICE_CRITERION = "Add at least one price criterion"
NO_QUALITY_CRITERION = "Add at least one quality criterion"
CRITERION_FIELDS = ("kind", "name", "description", "weight")


def weights_total_problem(total: int) -> str:
    return f"The weights add up to {total}%. Change them so they add up to 100%"


def award_criteria_problems(criteria: list[AwardCriterion]) -> list[str]:
    """Why the award criteria cannot be marked completed yet (none when they can)."""
    kinds = {criterion.kind for criterion in criteria}
    problems = []
    if CriterionKind.PRICE not in kinds:
        problems.append(NO_PRICE_CRITERION)
    if CriterionKind.QUALITY not in kinds:
        problems.append(NO_QUALITY_CRITERION)
    total = sum(criterion.weight for criterion in criteria)
    if total != 100:
        problems.append(weights_total_problem(total))
    return problems


def _weights(procurement: Procurement) -> list[int]:
    return list(procurement.award_criteria.values_list("weight", flat=True))


def _reopen_if_broken(*, actor: User, procurement: Procurement) -> None:
    procurement_section_reopen_if_broken(
        actor=actor,
        procurement=procurement,
        key=SECTION_KEY,
        problems=lambda: award_criteria_problems(list(procurement.award_criteria.all())),
    )


def _criterion_for_update(*, actor: User, criterion: AwardCriterion) -> AwardCriterion:
    procurement = procurement_for_update(actor=actor, pk=criterion.procurement_id)
    locked = procurement.award_criteria.filter(pk=criterion.pk).first()
    if locked is None:
        raise ApplicationError("This award criterion has already been removed.")
    locked.procurement = procurement
    return locked


@transaction.atomic
def procurement_criterion_add(
    *,
    actor: User,
    procurement: Procurement,
    kind: str,
    name: str,
    weight: int,
    description: str = "",
) -> AwardCriterion:
    procurement = procurement_for_update(actor=actor, pk=procurement.pk)
    criterion = AwardCriterion(
        procurement=procurement,
        kind=kind,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        order=next_order(procurement.award_criteria),
    )
    full_clean_or_refuse(criterion)
    criterion.save()
    audit_record(
        actor=actor,
        action="procurement.criterion_added",
        target=procurement,
        data={
            "criterion": criterion.pk,
            "kind": criterion.kind,
            "name": criterion.name,
            "weight": criterion.weight,
            "weights": _weights(procurement),
        },
    )
    _reopen_if_broken(actor=actor, procurement=procurement)
    return criterion


@transaction.atomic
def procurement_criterion_change(
    *,
    actor: User,
    criterion: AwardCriterion,
    kind: str,
    name: str,
    weight: int,
    description: str = "",
) -> AwardCriterion:
    criterion = _criterion_for_update(actor=actor, criterion=criterion)
    before = {field: getattr(criterion, field) for field in CRITERION_FIELDS}
    criterion.kind, criterion.name = kind, name.strip()
    criterion.description, criterion.weight = description.strip(), weight
    changed = [field for field in CRITERION_FIELDS if getattr(criterion, field) != before[field]]
    full_clean_or_refuse(criterion)
    criterion.save(update_fields=list(CRITERION_FIELDS))
    audit_record(
        actor=actor,
        action="procurement.criterion_changed",
        target=criterion.procurement,
        data={
            "criterion": criterion.pk,
            "changed": changed,
            "kind": criterion.kind,
            "name": criterion.name,
            "weight": criterion.weight,
            "previous_weight": before["weight"],
            "weights": _weights(criterion.procurement),
        },
    )
    _reopen_if_broken(actor=actor, procurement=criterion.procurement)
    return criterion


@transaction.atomic
def procurement_criterion_remove(*, actor: User, criterion: AwardCriterion) -> None:
    """Remove a criterion and its sub-criteria."""
    criterion = _criterion_for_update(actor=actor, criterion=criterion)
    procurement = criterion.procurement
    data = {"criterion": criterion.pk, "name": criterion.name, "weight": criterion.weight}
    criterion.delete()
    audit_record(
        actor=actor,
        action="procurement.criterion_removed",
        target=procurement,
        data={**data, "weights": _weights(procurement)},
    )
    _reopen_if_broken(actor=actor, procurement=procurement)


@transaction.atomic
def procurement_subcriterion_add(
    *, actor: User, criterion: AwardCriterion, name: str, description: str = ""
) -> AwardSubCriterion:
    criterion = _criterion_for_update(actor=actor, criterion=criterion)
    sub_criterion = AwardSubCriterion(
        criterion=criterion,
        name=name.strip(),
        description=description.strip(),
        order=next_order(criterion.sub_criteria),
    )
    full_clean_or_refuse(sub_criterion)
    sub_criterion.save()
    audit_record(
        actor=actor,
        action="procurement.subcriterion_added",
        target=criterion.procurement,
        data={
            "criterion": criterion.pk,
            "subcriterion": sub_criterion.pk,
            "name": sub_criterion.name,
        },
    )
    return sub_criterion


@transaction.atomic
def procurement_subcriterion_remove(*, actor: User, subcriterion: AwardSubCriterion) -> None:
    criterion = _criterion_for_update(actor=actor, criterion=subcriterion.criterion)
    locked = criterion.sub_criteria.filter(pk=subcriterion.pk).first()
    if locked is None:
        raise ApplicationError("This sub-criterion has already been removed.")
    data = {"criterion": criterion.pk, "subcriterion": locked.pk, "name": locked.name}
    locked.delete()
    audit_record(
        actor=actor,
        action="procurement.subcriterion_removed",
        target=criterion.procurement,
        data=data,
    )


@transaction.atomic
def procurement_award_settings_save(
    *,
    actor: User,
    procurement: Procurement,
    scoring_scale: str,
    price_formula: str,
    reduce_between_rounds: bool | None = None,
    completed: bool = False,
) -> Procurement:
    """Save the scoring scale and price formula, whether the tenderers may be reduced between
    rounds of negotiation by applying the award criteria (announced in the ITT or not at all:
    RULES.md point 7; PCR 2015 reg. 31; ``None`` leaves it as it is), and answer "Have you
    completed this section?".

    Completed needs a price and a quality criterion and weights adding up to
    exactly 100; if any is missing, nothing is saved and every problem is given.
    """
    procurement = procurement_for_update(actor=actor, pk=procurement.pk)
    if completed:
        problems = award_criteria_problems(list(procurement.award_criteria.all()))
        if problems:
            raise ApplicationError(problems[0], extra={"field": "completed", "problems": problems})
    values: dict[str, Any] = {"scoring_scale": scoring_scale, "price_formula": price_formula}
    if reduce_between_rounds is not None:
        values["reduce_between_rounds"] = reduce_between_rounds
    changed = [field for field, value in values.items() if getattr(procurement, field) != value]
    for field, value in values.items():
        setattr(procurement, field, value)
    full_clean_or_refuse(procurement, only=tuple(values))
    procurement.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=actor,
        action="procurement.award_settings_saved",
        target=procurement,
        data={"changed": changed, **values},
    )
    return procurement_section_mark(
        actor=actor, procurement=procurement, key=SECTION_KEY, completed=completed
    )
