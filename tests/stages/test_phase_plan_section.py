"""The phase plan's row in the task list: status, check-your-answers rows and rule facts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import prefetch_related_objects

from procurements.models import SectionStatus
from procurements.registry import builder_section_get, builder_sections
from procurements.services.sections import section_status
from stages import services
from stages.models import Phase
from stages.sections import phase_dates
from tests.stages.test_phase_plan_services import add_complete_phase, complete_plan


@pytest.fixture
def section():
    return builder_section_get("phase-plan")


def test_the_phase_plan_is_registered_after_the_challenge_requirements_and_criteria():
    section = builder_section_get("phase-plan")
    keys = [s.key for s in builder_sections()]

    assert section.group == "Plan the partnership"
    assert section.url_name == "stages:phase-plan"
    before = ["challenge", "market-gap", "minimum-requirements", "award-criteria"]
    assert all(keys.index(key) < keys.index("phase-plan") for key in before if key in keys)


def test_a_new_procurement_has_not_started_its_phase_plan(personas, procurement, section):
    assert not section.has_content(procurement)
    assert section_status(procurement, "phase-plan") == SectionStatus.NOT_STARTED


def test_one_phase_puts_the_plan_in_progress(personas, procurement, section):
    services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    assert section.has_content(procurement)
    assert section_status(procurement, "phase-plan") == SectionStatus.IN_PROGRESS


def test_purchase_terms_alone_put_the_plan_in_progress(personas, procurement, section):
    services.purchase_terms_save(
        actor=personas.officer_a, procurement=procurement, max_cost=None, scope="Some devices"
    )

    assert section.has_content(procurement)


def test_facts_give_each_phase_in_order_and_the_purchase_maximum_cost(
    personas, procurement, section
):
    complete_plan(personas.officer_a, procurement)
    pilot = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="pilot", name="Pilot in homes"
    )
    services.gate_criterion_add(
        actor=personas.officer_a, phase=pilot, criterion="Adoption", threshold="60%"
    )
    procurement.refresh_from_db()  # the services saved the estimated value on their own copy

    assert section.facts(procurement) == {
        "estimated_value": Decimal("2500000.00"),
        "phases": [
            {
                "name": "Feasibility",
                "kind": "research",
                "gate_criteria_count": 1,
                "termination_condition_count": 1,
                "max_remuneration_per_partner": Decimal("50000.00"),
            },
            {
                "name": "Pilot in homes",
                "kind": "pilot",
                "gate_criteria_count": 1,
                "termination_condition_count": 0,
                "max_remuneration_per_partner": None,
            },
        ],
        "purchase_max_cost": Decimal("900000.00"),
    }


def test_facts_of_an_empty_plan(procurement, section):
    assert section.facts(procurement) == {
        "estimated_value": None,
        "phases": [],
        "purchase_max_cost": None,
    }


def test_the_summary_shows_each_phase_with_its_money_and_counts(personas, procurement, section):
    complete_plan(personas.officer_a, procurement)
    add_complete_phase(personas.officer_a, procurement, name="Prototype", kind="development")
    procurement.refresh_from_db()  # the services saved the estimated value on their own copy

    assert section.summary(procurement) == [
        (
            "Phase 1: Feasibility",
            "Research, 12 weeks, up to £50,000.00 per partner; 1 intermediate target, "
            "1 gate criterion, 1 termination condition",
        ),
        (
            "Phase 2: Prototype",
            "Development (prototype), 12 weeks, up to £50,000.00 per partner; "
            "1 intermediate target, 1 gate criterion, 1 termination condition",
        ),
        ("Maximum remuneration per partner, all phases", "£100,000.00"),
        ("Final purchase: maximum cost", "£900,000.00"),
        ("Estimated total value", "£2,500,000.00"),
        ("Final purchase: performance levels", "Battery life: 12 months"),
    ]


def test_the_summary_of_an_empty_plan_says_nothing_is_there_yet(procurement, section):
    assert section.summary(procurement) == [
        ("Phases", "None yet"),
        ("Maximum remuneration per partner, all phases", "Not given"),
        ("Final purchase: maximum cost", "Not given"),
        ("Estimated total value", "Not given"),
        ("Final purchase: performance levels", "None yet"),
    ]


@pytest.mark.parametrize("phases", [1, 6])
def test_once_prefetched_the_section_answers_without_a_query(
    personas, procurement, section, phases, django_assert_num_queries
):
    complete_plan(personas.officer_a, procurement)
    for number in range(phases - 1):
        add_complete_phase(personas.officer_a, procurement, name=f"Phase {number}")
    prefetch_related_objects([procurement], *section.prefetch)

    with django_assert_num_queries(0):
        facts = section.facts(procurement)
        section.summary(procurement)
        section.has_content(procurement)

    assert len(facts["phases"]) == phases


def test_without_purchase_terms_the_prefetched_section_still_answers_without_a_query(
    personas, procurement, section, django_assert_num_queries
):
    add_complete_phase(personas.officer_a, procurement)
    prefetch_related_objects([procurement], *section.prefetch)

    with django_assert_num_queries(0):
        facts = section.facts(procurement)

    assert facts["purchase_max_cost"] is None


# --- each phase's indicative dates, for the regime and timetable section ---------------------


def test_phases_follow_one_another_from_the_indicative_start():
    # 13 weeks from Tuesday 1 June 2027 end on Monday 30 August; the next phase starts the day
    # after.
    assert phase_dates(date(2027, 6, 1), [13, 4, 1]) == [
        (date(2027, 6, 1), date(2027, 8, 30)),
        (date(2027, 8, 31), date(2027, 9, 27)),
        (date(2027, 9, 28), date(2027, 10, 4)),
    ]


def test_a_phase_without_a_duration_and_every_phase_after_it_have_no_dates():
    assert phase_dates(date(2027, 6, 1), [13, None, 6]) == [
        (date(2027, 6, 1), date(2027, 8, 30)),
        None,
        None,
    ]


def test_without_a_start_no_phase_has_dates():
    assert phase_dates(None, [13, 4]) == [None, None]


def _phase(procurement, order, name, weeks):
    return Phase.objects.create(
        procurement=procurement, order=order, kind="research", name=name, duration_weeks=weeks
    )


def test_the_section_gives_the_timetable_each_phase_in_order_with_its_dates(procurement, section):
    _phase(procurement, 2, "Pilot", 8)
    _phase(procurement, 0, "Research", 13)
    _phase(procurement, 1, "Prototype", None)
    procurement.indicative_start_date = date(2027, 6, 1)

    assert section.timetable_rows(procurement) == [
        ("Phase 1: Research", "1 June 2027 to 30 August 2027"),
        ("Phase 2: Prototype", "Dates to be set"),
        ("Phase 3: Pilot", "Dates to be set"),
    ]


def test_without_an_indicative_start_the_section_gives_the_timetable_no_rows(procurement, section):
    _phase(procurement, 0, "Research", 13)

    assert procurement.indicative_start_date is None
    assert section.timetable_rows(procurement) == []


@pytest.mark.parametrize("phases", [1, 6])
def test_once_prefetched_the_timetable_rows_need_no_query(
    procurement, section, phases, django_assert_num_queries
):
    for order in range(phases):
        _phase(procurement, order, f"Phase {order}", 4)
    procurement.indicative_start_date = date(2027, 6, 1)
    prefetch_related_objects([procurement], *section.prefetch)

    with django_assert_num_queries(0):
        rows = section.timetable_rows(procurement)

    assert len(rows) == phases
