"""The phase plan pages: what officers see and do, and what everyone else cannot do."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from procurements.models import Procurement, ProcurementStatus, SectionStatus
from stages import services
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)
from tests.factories import ProcurementFactory
from tests.query_budget import assert_query_budget
from tests.stages.test_phase_plan_services import add_complete_phase, complete_plan


def plan_url(procurement):
    return reverse("stages:phase-plan", kwargs={"pk": procurement.pk})


def phase_url(phase, name="stages:phase-detail", **extra):
    return reverse(name, kwargs={"pk": phase.procurement_id, "phase_pk": phase.pk, **extra})


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# --- the overview ---------------------------------------------------------------------------


def test_the_overview_shows_each_phase_with_its_money_counts_and_actions(
    personas, procurement, officer
):
    phase = complete_plan(personas.officer_a, procurement)
    add_complete_phase(personas.officer_a, procurement, name="Prototype", kind="development")

    response = officer.get(plan_url(procurement))

    assert response.status_code == 200
    text = page_text(response)
    assert "Phase 1: Feasibility" in text
    assert "Phase 2: Prototype" in text
    assert "£50,000.00" in text
    assert "£100,000.00" in text  # both phases together, per partner
    assert "£900,000.00" in text
    assert "Battery life: 12 months" in text
    assert phase_url(phase) in text
    assert phase_url(phase, "stages:phase-remove") in text
    assert reverse("stages:phase-add", kwargs={"pk": procurement.pk}) in text
    assert "Have you completed this section?" in text


def test_an_empty_plan_invites_the_first_phase(procurement, officer):
    response = officer.get(plan_url(procurement))

    assert "You have not added any phases yet." in page_text(response)


def test_marking_an_empty_plan_complete_lists_every_gap_and_saves_nothing(procurement, officer):
    response = officer.post(plan_url(procurement), {"completed": "yes"})

    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "Add at least one phase to the plan" in text
    assert "Enter the maximum cost of the final purchase" in text
    procurement.refresh_from_db()
    assert "phase-plan" not in procurement.section_status


def test_marking_a_plan_with_a_thin_phase_complete_names_the_phase(personas, procurement, officer):
    complete_plan(personas.officer_a, procurement)
    services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="pilot", name="Pilot in homes"
    )

    response = officer.post(plan_url(procurement), {"completed": "yes"})

    assert "Add at least one gate criterion to Pilot in homes" in page_text(response)


def test_a_complete_plan_marked_complete_goes_back_to_the_task_list(personas, procurement, officer):
    complete_plan(personas.officer_a, procurement)

    response = officer.post(plan_url(procurement), {"completed": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    procurement.refresh_from_db()
    assert procurement.section_status["phase-plan"] == SectionStatus.COMPLETED


def test_a_half_finished_plan_saves_as_in_progress(procurement, officer):
    response = officer.post(plan_url(procurement), {"completed": "no"})

    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.section_status["phase-plan"] == SectionStatus.IN_PROGRESS


def test_the_completed_question_must_be_answered(procurement, officer):
    response = officer.post(plan_url(procurement), {})

    assert "Select whether you have completed this section" in page_text(response)


def test_the_overview_makes_the_same_number_of_queries_for_1_and_10_phases(
    personas, procurement, officer
):
    counter = iter(range(100))

    def add_phases(n):
        for _ in range(n):
            add_complete_phase(personas.officer_a, procurement, name=f"Phase {next(counter)}")

    assert_query_budget(officer, plan_url(procurement), add_rows=add_phases, most=20, sizes=(1, 10))


def test_the_phase_page_makes_the_same_number_of_queries_for_1_and_10_rows_of_each_kind(
    personas, procurement, officer
):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    def add_rows(n):
        for i in range(n):
            IntermediateTarget.objects.create(phase=phase, metric=f"M{i}", threshold="T")
            InstalmentScheduleItem.objects.create(phase=phase, share_percent=1, milestone=f"{i}")
            GateCriterion.objects.create(phase=phase, criterion=f"C{i}", threshold="T")
            TerminationCondition.objects.create(phase=phase, condition=f"If {i}")

    assert_query_budget(officer, phase_url(phase), add_rows=add_rows, most=20, sizes=(1, 10))


# --- phases ---------------------------------------------------------------------------------


def test_an_officer_adds_a_phase_and_lands_on_its_page(procurement, officer):
    response = officer.post(
        reverse("stages:phase-add", kwargs={"pk": procurement.pk}),
        {
            "kind": "development",
            "name": "Prototype",
            "duration_weeks": "20",
            "max_remuneration_per_partner": "120000.50",
            "aims": "Build it",
        },
    )

    phase = Phase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == phase_url(phase)
    assert phase.max_remuneration_per_partner == Decimal("120000.50")
    assert AuditEvent.objects.filter(action="stages.phase_added").exists()


def test_a_phase_with_only_a_kind_and_a_name_is_saved(procurement, officer):
    response = officer.post(
        reverse("stages:phase-add", kwargs={"pk": procurement.pk}),
        {"kind": "research", "name": "Discovery", "duration_weeks": "", "aims": ""},
    )

    assert response.status_code == 302
    assert Phase.objects.get().duration_weeks is None


def test_a_phase_with_errors_shows_them_and_keeps_what_was_typed(procurement, officer):
    response = officer.post(
        reverse("stages:phase-add", kwargs={"pk": procurement.pk}),
        {
            "kind": "",
            "name": "Prototype",
            "duration_weeks": "0",
            "max_remuneration_per_partner": "lots",
        },
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "Select what kind of phase it is" in text
    assert "Duration in weeks must be 1 or more" in text
    assert "Maximum remuneration per partner must be an amount of money" in text
    assert 'value="Prototype"' in text
    assert 'value="lots"' in text
    assert not Phase.objects.exists()


def test_an_officer_changes_a_phase(personas, procurement, officer):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )
    form = officer.get(phase_url(phase, "stages:phase-change"))
    assert 'value="Discovery"' in page_text(form)

    response = officer.post(
        phase_url(phase, "stages:phase-change"),
        {"kind": "research", "name": "Discovery", "duration_weeks": "6"},
    )

    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.duration_weeks == 6


def test_an_officer_confirms_before_a_phase_is_removed(personas, procurement, officer):
    phase = add_complete_phase(personas.officer_a, procurement)

    confirm = officer.get(phase_url(phase, "stages:phase-remove"))
    assert "Are you sure you want to remove Feasibility?" in page_text(confirm)
    assert Phase.objects.exists()

    response = officer.post(phase_url(phase, "stages:phase-remove"))

    assert response["Location"] == plan_url(procurement)
    assert not Phase.objects.exists()


def test_a_phase_of_another_procurement_is_not_found_under_this_one(personas, procurement, officer):
    other = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    phase = services.phase_add(
        actor=personas.officer_a, procurement=other, kind="research", name="Elsewhere"
    )
    url = reverse("stages:phase-detail", kwargs={"pk": procurement.pk, "phase_pk": phase.pk})

    assert officer.get(url).status_code == 404
    remove = reverse("stages:phase-remove", kwargs={"pk": procurement.pk, "phase_pk": phase.pk})
    assert officer.post(remove).status_code == 404
    assert Phase.objects.filter(pk=phase.pk).exists()


# --- a phase's rows -------------------------------------------------------------------------

ITEMS = [
    ("targets", {"metric": "Uptime", "threshold": "99%", "evidence": ""}, IntermediateTarget),
    ("instalments", {"share_percent": "50", "milestone": "", "weeks_after_start": "4"},
     InstalmentScheduleItem),
    ("gate-criteria", {"criterion": "Safety", "threshold": "Pass"}, GateCriterion),
    ("termination-conditions", {"condition": "Misses the safety test"}, TerminationCondition),
]  # fmt: skip


@pytest.mark.parametrize(("item", "data", "model"), ITEMS, ids=[i[0] for i in ITEMS])
def test_an_officer_adds_and_removes_each_kind_of_row_on_the_phase_page(
    personas, procurement, officer, item, data, model
):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    assert officer.get(phase_url(phase, "stages:phase-item-add", item=item)).status_code == 200
    added = officer.post(phase_url(phase, "stages:phase-item-add", item=item), data)

    assert added["Location"] == phase_url(phase)
    row = model.objects.get(phase=phase)
    assert officer.get(phase_url(phase)).status_code == 200

    removed = officer.post(phase_url(phase, "stages:phase-item-remove", item=item, item_pk=row.pk))

    assert removed["Location"] == phase_url(phase)
    assert not model.objects.exists()


def test_save_and_add_another_comes_back_to_an_empty_form(personas, procurement, officer):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )
    url = phase_url(phase, "stages:phase-item-add", item="targets")

    response = officer.post(url, {"metric": "Uptime", "threshold": "99%", "add_another": "1"})

    assert response["Location"] == url


def test_an_instalment_with_both_triggers_is_refused_with_a_message(personas, procurement, officer):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )

    response = officer.post(
        phase_url(phase, "stages:phase-item-add", item="instalments"),
        {"share_percent": "150", "milestone": "Kick-off", "weeks_after_start": "2"},
    )

    text = page_text(response)
    assert "The share must be 100% or less" in text
    assert "Give either a milestone or a number of weeks after the phase starts" in text
    assert 'value="Kick-off"' in text
    assert not InstalmentScheduleItem.objects.exists()


def test_the_phase_page_shows_what_the_instalments_add_up_to(personas, procurement, officer):
    phase = services.phase_add(
        actor=personas.officer_a, procurement=procurement, kind="research", name="Discovery"
    )
    services.instalment_add(
        actor=personas.officer_a, phase=phase, share_percent=Decimal("33.5"), milestone="Start"
    )

    assert "They add up to 33.5% now." in page_text(officer.get(phase_url(phase)))


# --- the final purchase ------------------------------------------------------------------------


def test_an_officer_saves_the_purchase_terms(procurement, officer):
    url = reverse("stages:purchase-terms", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"max_cost": "750000", "scope": "Up to 1,000 homes"})

    assert response["Location"] == plan_url(procurement)
    assert PurchaseTerms.objects.get().max_cost == Decimal("750000")


def test_a_purchase_cost_that_is_not_money_is_shown_as_an_error(procurement, officer):
    url = reverse("stages:purchase-terms", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"max_cost": "£0", "scope": "Some"})

    assert "Maximum cost of the final purchase must be an amount of money" in page_text(response)
    assert not PurchaseTerms.objects.exists()


def test_an_officer_adds_and_removes_a_performance_level(procurement, officer):
    add = reverse("stages:performance-level-add", kwargs={"pk": procurement.pk})

    officer.post(add, {"metric": "Accuracy", "level": "99%"})
    level = PerformanceLevel.objects.get()
    assert "Accuracy" in page_text(
        officer.get(reverse("stages:purchase-terms", kwargs={"pk": procurement.pk}))
    )
    remove = reverse(
        "stages:performance-level-remove", kwargs={"pk": procurement.pk, "level_pk": level.pk}
    )
    officer.post(remove)

    assert not PerformanceLevel.objects.exists()


# --- who may not ------------------------------------------------------------------------------


def _writes(procurement, phase):
    target = phase.targets.get()
    level = PerformanceLevel.objects.get()
    pk = procurement.pk
    return [
        (plan_url(procurement), {"completed": "no"}),
        (reverse("stages:phase-add", kwargs={"pk": pk}), {"kind": "pilot", "name": "X"}),
        (phase_url(phase, "stages:phase-change"), {"kind": "pilot", "name": "X"}),
        (phase_url(phase, "stages:phase-remove"), {}),
        (phase_url(phase, "stages:phase-item-add", item="targets"), {"metric": "M"}),
        (phase_url(phase, "stages:phase-item-remove", item="targets", item_pk=target.pk), {}),
        (reverse("stages:purchase-terms", kwargs={"pk": pk}), {"max_cost": "1", "scope": ""}),
        (reverse("stages:performance-level-add", kwargs={"pk": pk}), {"metric": "M", "level": "L"}),
        (reverse("stages:performance-level-remove", kwargs={"pk": pk, "level_pk": level.pk}), {}),
    ]  # fmt: skip


def _unchanged(procurement):
    return (
        AuditEvent.objects.filter(action__startswith="stages.").count(),
        Phase.objects.count(),
        IntermediateTarget.objects.count(),
        list(PurchaseTerms.objects.values_list("max_cost", flat=True)),
        PerformanceLevel.objects.count(),
        Procurement.objects.get(pk=procurement.pk).section_status,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_b", 404),
        ("supplier_a_admin", 404),
        ("superuser", 404),
        ("approver_a", 403),
        ("evaluator_a", 404),  # not named on it: evaluators are invited per procurement
    ],
)
def test_nobody_else_can_post_to_the_plan(personas, procurement, login, persona, status):
    phase = complete_plan(personas.officer_a, procurement)
    client = login(getattr(personas, persona))
    before = _unchanged(procurement)

    for url, data in _writes(procurement, phase):
        assert client.post(url, data).status_code == status, url

    assert _unchanged(procurement) == before


def test_nothing_can_be_posted_once_the_procurement_is_submitted(personas, procurement, officer):
    phase = complete_plan(personas.officer_a, procurement)
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)
    before = _unchanged(procurement)

    for url, data in _writes(procurement, phase):
        assert officer.post(url, data).status_code == 403, url
    assert officer.get(plan_url(procurement)).status_code == 403

    assert _unchanged(procurement) == before


def test_anonymous_people_are_sent_to_sign_in(personas, procurement, client):
    phase = complete_plan(personas.officer_a, procurement)

    for url, data in _writes(procurement, phase):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
