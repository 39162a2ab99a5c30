"""Writing the phase plan: each service saves, audits, and refuses whoever may not change it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import PermissionRefused
from core.models import AuditEvent
from procurements.models import Procurement, ProcurementStatus, SectionStatus
from stages import services
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PhaseKind,
    PurchaseTerms,
    TerminationCondition,
)


def add_complete_phase(actor, procurement, name="Feasibility", kind=PhaseKind.RESEARCH):
    phase = services.phase_add(
        actor=actor,
        procurement=procurement,
        kind=kind,
        name=name,
        duration_weeks=12,
        max_remuneration_per_partner=Decimal("50000"),
    )
    services.target_add(actor=actor, phase=phase, metric="Falls detected", threshold="95%")
    services.instalment_add(
        actor=actor, phase=phase, share_percent=Decimal("60"), milestone="Kick-off"
    )
    services.instalment_add(
        actor=actor, phase=phase, share_percent=Decimal("40"), weeks_after_start=12
    )
    services.gate_criterion_add(
        actor=actor, phase=phase, criterion="Reliability", threshold="3 or more out of 5"
    )
    services.termination_condition_add(
        actor=actor, phase=phase, condition="Scores below 3 at the gate"
    )
    return phase


def complete_plan(actor, procurement):
    phase = add_complete_phase(actor, procurement)
    services.purchase_terms_save(
        actor=actor,
        procurement=procurement,
        max_cost=Decimal("900000"),
        scope="2,000 devices",
        estimated_value=Decimal("2500000"),
    )
    services.performance_level_add(
        actor=actor, procurement=procurement, metric="Battery life", level="12 months"
    )
    return phase


ESTIMATED_VALUE_MISSING = (
    "Enter the estimated total value: every R&D phase for every partner plus the final purchase"
)


def events(action):
    return AuditEvent.objects.filter(action=action)


def status(procurement):
    procurement.refresh_from_db()
    return procurement.section_status.get(services.SECTION_KEY)


# --- phases --------------------------------------------------------------------------------


def test_adding_phases_puts_each_after_the_last_and_records_it(personas, procurement):
    first = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )
    second = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="pilot", name="Pilot in homes"
    )

    assert list(procurement.phases.all()) == [first, second]
    assert second.order > first.order
    event = events("stages.phase_added").last()
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data == {"phase": second.pk, "name": "Pilot in homes", "kind": "pilot"}


def test_a_phase_can_be_added_half_finished(personas, procurement):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    assert phase.duration_weeks is None
    assert phase.max_remuneration_per_partner is None


def test_a_phase_of_an_unknown_kind_is_refused_and_not_stored(personas, procurement):
    with pytest.raises(ValidationError):
        services.phase_add(
            actor=personas.officer_a, procurement=procurement, kind="marketing", name="Launch"
        )

    assert not Phase.objects.exists()
    assert not events("stages.phase_added").exists()


def test_changing_a_phase_records_the_names_of_the_fields_changed(personas, procurement):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    services.phase_change(
        actor=personas.officer_a,
        phase=phase,
        kind="research",
        name="Discovery",
        duration_weeks=8,
        max_remuneration_per_partner=Decimal("20000"),
        aims="",
    )

    phase.refresh_from_db()
    assert phase.duration_weeks == 8
    assert phase.max_remuneration_per_partner == Decimal("20000")
    event = events("stages.phase_changed").get()
    assert event.data["fields"] == ["duration_weeks", "max_remuneration_per_partner"]


def test_saving_a_phase_unchanged_records_nothing(personas, procurement):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    services.phase_change(actor=personas.officer_a, phase=phase, name="Discovery")

    assert not events("stages.phase_changed").exists()


def test_removing_a_phase_removes_its_rows_and_records_it(personas, procurement):
    phase = add_complete_phase(personas.officer_a, procurement)

    services.phase_remove(actor=personas.officer_a, phase=phase)

    assert not Phase.objects.exists()
    for model in (IntermediateTarget, InstalmentScheduleItem, GateCriterion, TerminationCondition):
        assert not model.objects.exists()
    assert events("stages.phase_removed").get().data["name"] == "Feasibility"


# --- a phase's rows ------------------------------------------------------------------------

ROWS = [
    (
        services.target_add,
        {"metric": "Response time", "threshold": "Under 2 minutes", "evidence": "Trial log"},
        IntermediateTarget,
        services.target_remove,
        "target",
    ),
    (
        services.instalment_add,
        {"share_percent": Decimal("25"), "milestone": "Prototype accepted"},
        InstalmentScheduleItem,
        services.instalment_remove,
        "instalment",
    ),
    (
        services.gate_criterion_add,
        {"criterion": "Usability", "threshold": "Pass or fail: 8 in 10 residents succeed"},
        GateCriterion,
        services.gate_criterion_remove,
        "criterion",
    ),
    (
        services.termination_condition_add,
        {"condition": "The prototype is not delivered by week 20"},
        TerminationCondition,
        services.termination_condition_remove,
        "condition",
    ),
]
ROW_IDS = ["target", "instalment", "gate_criterion", "termination_condition"]


@pytest.mark.parametrize(("add", "fields", "model", "remove", "argument"), ROWS, ids=ROW_IDS)
def test_a_row_is_added_to_a_phase_and_removed_with_an_audit_event_each(
    personas, procurement, add, fields, model, remove, argument
):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    row = add(actor=personas.officer_a, phase=phase, **fields)

    assert model.objects.get().phase == phase
    slug = add.__name__.removesuffix("_add")
    added = events(f"stages.{slug}_added").get()
    assert added.data["phase"] == phase.pk
    assert added.data["id"] == row.pk

    remove(actor=personas.officer_a, **{argument: row})

    assert not model.objects.exists()
    assert events(f"stages.{slug}_removed").get().data["id"] == row.pk


def test_an_instalment_with_neither_milestone_nor_weeks_is_refused(personas, procurement):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    with pytest.raises(ValidationError):
        services.instalment_add(actor=personas.officer_a, phase=phase, share_percent=Decimal(50))

    assert not InstalmentScheduleItem.objects.exists()


# --- the final purchase ----------------------------------------------------------------------


def test_purchase_terms_are_created_then_changed_with_the_changed_fields_recorded(
    personas, procurement
):
    services.purchase_terms_save(
        actor=personas.officer_a, procurement=procurement, max_cost=None, scope="Up to 500 units"
    )
    services.purchase_terms_save(
        actor=personas.officer_a,
        procurement=procurement,
        max_cost=Decimal("250000"),
        scope="Up to 500 units",
    )

    terms = PurchaseTerms.objects.get(procurement=procurement)
    assert terms.max_cost == Decimal("250000")
    recorded = [e.data["fields"] for e in events("stages.purchase_terms_saved").order_by("pk")]
    assert recorded == [["scope"], ["max_cost"]]


def test_a_performance_level_can_be_added_before_the_purchase_terms_exist(personas, procurement):
    level = services.performance_level_add(
        actor=personas.officer_a, procurement=procurement, metric="Accuracy", level="99%"
    )

    assert level.purchase_terms.procurement == procurement
    assert events("stages.performance_level_added").get().data["id"] == level.pk

    services.performance_level_remove(actor=personas.officer_a, level=level)

    assert not PerformanceLevel.objects.exists()
    assert events("stages.performance_level_removed").exists()


# --- who may ----------------------------------------------------------------------------------


def _every_write(personas, procurement, phase, target, level):
    """Each service once, as a callable taking the actor."""
    return {
        "phase_add": lambda actor: services.phase_add(
            actor=actor, procurement=procurement, kind="pilot", name="Pilot"
        ),
        "phase_change": lambda actor: services.phase_change(actor=actor, phase=phase, name="X"),
        "phase_remove": lambda actor: services.phase_remove(actor=actor, phase=phase),
        "target_add": lambda actor: services.target_add(
            actor=actor, phase=phase, metric="M", threshold="T"
        ),
        "target_remove": lambda actor: services.target_remove(actor=actor, target=target),
        "instalment_add": lambda actor: services.instalment_add(
            actor=actor, phase=phase, share_percent=Decimal(10), weeks_after_start=1
        ),
        "gate_criterion_add": lambda actor: services.gate_criterion_add(
            actor=actor, phase=phase, criterion="C", threshold="T"
        ),
        "termination_condition_add": lambda actor: services.termination_condition_add(
            actor=actor, phase=phase, condition="C"
        ),
        "purchase_terms_save": lambda actor: services.purchase_terms_save(
            actor=actor, procurement=procurement, max_cost=Decimal(1), scope="S"
        ),
        "performance_level_add": lambda actor: services.performance_level_add(
            actor=actor, procurement=procurement, metric="M", level="L"
        ),
        "performance_level_remove": lambda actor: services.performance_level_remove(
            actor=actor, level=level
        ),
        "phase_plan_mark": lambda actor: services.phase_plan_mark(
            actor=actor, procurement=procurement, completed=False
        ),
    }


WRITES = [
    "phase_add",
    "phase_change",
    "phase_remove",
    "target_add",
    "target_remove",
    "instalment_add",
    "gate_criterion_add",
    "termination_condition_add",
    "purchase_terms_save",
    "performance_level_add",
    "performance_level_remove",
    "phase_plan_mark",
]


@pytest.fixture
def plan(personas, procurement):
    phase = complete_plan(personas.officer_a, procurement)
    target = phase.targets.get()
    level = PerformanceLevel.objects.get()
    return _every_write(personas, procurement, phase, target, level)


def _snapshot():
    return (
        AuditEvent.objects.count(),
        list(Phase.objects.values_list("pk", "name")),
        IntermediateTarget.objects.count(),
        InstalmentScheduleItem.objects.count(),
        GateCriterion.objects.count(),
        TerminationCondition.objects.count(),
        list(PurchaseTerms.objects.values_list("max_cost", "scope")),
        PerformanceLevel.objects.count(),
    )


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize(
    "persona", ["officer_b", "approver_a", "evaluator_a", "supplier_a_admin", "superuser"]
)
def test_nobody_but_the_boroughs_officers_can_change_the_plan(personas, plan, write, persona):
    before = _snapshot()

    with pytest.raises(PermissionRefused):
        plan[write](getattr(personas, persona))

    assert _snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_the_plan_cannot_change_once_submitted_for_approval(personas, procurement, plan, write):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)
    before = _snapshot()

    with pytest.raises(PermissionRefused):
        plan[write](personas.officer_a)

    assert _snapshot() == before


def test_another_officer_of_the_borough_can_change_the_plan(personas, procurement):
    from core.models import OfficerRole
    from tests.factories import officer

    colleague = officer(personas.borough_a, OfficerRole.OFFICER)

    phase = services.phase_add(
        actor=colleague, procurement=procurement, kind="research", name="Discovery"
    )

    assert phase.procurement == procurement


# --- "Have you completed this section?" ---------------------------------------------------------


def test_an_empty_plan_cannot_be_marked_complete_and_says_what_is_missing(personas, procurement):
    with pytest.raises(services.PhasePlanIncomplete) as raised:
        services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    assert raised.value.problems == [
        "Add at least one phase to the plan",
        "Add at least one performance level the final purchase must meet",
        "Enter the maximum cost of the final purchase",
        ESTIMATED_VALUE_MISSING,
    ]
    assert status(procurement) is None
    assert not events("procurement.section_marked").exists()


def test_each_gap_in_a_phase_is_named_with_the_phase(personas, procurement):
    complete_plan(personas.officer_a, procurement)
    services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="pilot", name="Pilot in homes"
    )

    with pytest.raises(services.PhasePlanIncomplete) as raised:
        services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    assert raised.value.problems == [
        "Enter how many weeks Pilot in homes lasts",
        "Enter the maximum remuneration per partner for Pilot in homes",
        "Add at least one intermediate target to Pilot in homes",
        "The instalments of Pilot in homes add up to 0%: change them so they add up to 100%",
        "Add at least one gate criterion to Pilot in homes",
        "Add at least one condition on which a partner may be terminated in Pilot in homes",
    ]


def test_instalments_that_do_not_add_up_to_100_stop_completion(personas, procurement):
    phase = complete_plan(personas.officer_a, procurement)
    services.instalment_add(
        actor=personas.officer_a, phase=phase, share_percent=Decimal("0.5"), milestone="Extra"
    )

    with pytest.raises(services.PhasePlanIncomplete) as raised:
        services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    assert raised.value.problems == [
        "The instalments of Feasibility add up to 100.5%: change them so they add up to 100%"
    ]


def test_a_complete_plan_is_marked_complete_and_audited(personas, procurement):
    complete_plan(personas.officer_a, procurement)

    services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    assert status(procurement) == SectionStatus.COMPLETED
    event = events("procurement.section_marked").get()
    assert event.data == {"section": "phase-plan", "status": "completed"}


def test_a_half_finished_plan_can_always_be_saved_as_in_progress(personas, procurement):
    services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=False)

    assert status(procurement) == SectionStatus.IN_PROGRESS


def test_a_change_that_opens_a_gap_sets_a_completed_plan_back_in_progress(personas, procurement):
    phase = complete_plan(personas.officer_a, procurement)
    services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    services.gate_criterion_remove(actor=personas.officer_a, criterion=phase.gate_criteria.get())

    assert status(procurement) == SectionStatus.IN_PROGRESS
    assert events("procurement.section_marked").last().data["status"] == "in_progress"


def test_a_change_that_leaves_the_plan_whole_keeps_it_completed(personas, procurement):
    phase = complete_plan(personas.officer_a, procurement)
    services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)

    services.target_add(actor=personas.officer_a, phase=phase, metric="Uptime", threshold="99%")

    assert status(procurement) == SectionStatus.COMPLETED


def test_the_plan_needs_the_estimated_total_value_and_the_purchase_page_records_it(
    personas, procurement
):
    complete_plan(personas.officer_a, procurement)
    services.purchase_terms_save(
        actor=personas.officer_a,
        procurement=procurement,
        max_cost=Decimal("900000"),
        scope="2,000 devices",
        estimated_value=None,
    )

    with pytest.raises(services.PhasePlanIncomplete) as refused:
        services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)
    assert refused.value.problems == [ESTIMATED_VALUE_MISSING]

    services.purchase_terms_save(
        actor=personas.officer_a,
        procurement=procurement,
        max_cost=Decimal("900000"),
        scope="2,000 devices",
        estimated_value=Decimal("2500000"),
    )
    procurement.refresh_from_db()
    assert procurement.estimated_value == Decimal("2500000")
    event = events("stages.purchase_terms_saved").last()
    assert "estimated_value" in event.data["fields"]
    services.phase_plan_mark(actor=personas.officer_a, procurement=procurement, completed=True)
