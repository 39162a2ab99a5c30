"""A section marked completed goes back to in progress when a later change breaks it."""

import pytest

from core.models import AuditEvent
from procurements.models import AwardCriterion, MinimumRequirement, SectionStatus
from procurements.services.criteria import (
    procurement_award_settings_save,
    procurement_criterion_add,
    procurement_criterion_change,
)
from procurements.services.requirements import (
    procurement_requirement_add,
    procurement_requirement_remove,
    procurement_requirements_mark,
)

pytestmark = pytest.mark.django_db


def _status(procurement, key):
    procurement.refresh_from_db()
    return procurement.section_status.get(key)


def test_removing_the_last_minimum_requirement_reopens_the_section(personas, procurement):
    actor = personas.officer_a
    procurement_requirement_add(actor=actor, procurement=procurement, text="Works offline")
    procurement_requirements_mark(actor=actor, procurement=procurement, completed=True)
    assert _status(procurement, "minimum-requirements") == SectionStatus.COMPLETED

    procurement_requirement_remove(actor=actor, requirement=MinimumRequirement.objects.get())

    assert _status(procurement, "minimum-requirements") == SectionStatus.IN_PROGRESS
    marked = AuditEvent.objects.filter(action="procurement.section_marked").last()
    assert marked.data == {"section": "minimum-requirements", "status": "in_progress"}
    assert marked.actor == actor


def test_a_weight_change_that_breaks_the_total_reopens_the_award_criteria(personas, procurement):
    actor = personas.officer_a
    procurement_criterion_add(
        actor=actor, procurement=procurement, kind="quality", name="Approach", weight=70
    )
    procurement_criterion_add(
        actor=actor, procurement=procurement, kind="price", name="Price", weight=30
    )
    procurement_award_settings_save(
        actor=actor,
        procurement=procurement,
        scoring_scale="0-5",
        price_formula="lowest_over_price",
        completed=True,
    )
    assert _status(procurement, "award-criteria") == SectionStatus.COMPLETED

    quality = AwardCriterion.objects.get(kind="quality")
    procurement_criterion_change(
        actor=actor, criterion=quality, kind="quality", name="Approach", weight=60
    )

    assert _status(procurement, "award-criteria") == SectionStatus.IN_PROGRESS


def test_a_change_that_keeps_the_section_whole_leaves_it_completed(personas, procurement):
    actor = personas.officer_a
    procurement_requirement_add(actor=actor, procurement=procurement, text="Works offline")
    procurement_requirement_add(actor=actor, procurement=procurement, text="No cameras")
    procurement_requirements_mark(actor=actor, procurement=procurement, completed=True)

    procurement_requirement_remove(actor=actor, requirement=MinimumRequirement.objects.first())

    assert _status(procurement, "minimum-requirements") == SectionStatus.COMPLETED
