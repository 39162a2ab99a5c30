"""The award criteria section: settings, criteria, sub-criteria, weights; who may and may not."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.exceptions import PermissionRefused
from core.models import AuditEvent
from procurements.models import (
    AwardBasis,
    AwardCriterion,
    AwardSubCriterion,
    MinimumRequirement,
    PriceFormula,
    Procurement,
    ProcurementStatus,
    ScoringScale,
)
from procurements.registry import builder_section_get
from procurements.services.criteria import (
    procurement_award_settings_save,
    procurement_criterion_add,
    procurement_criterion_change,
    procurement_criterion_remove,
    procurement_subcriterion_add,
    procurement_subcriterion_remove,
)
from tests.factories import ProcurementFactory
from tests.query_budget import assert_query_budget
from tests.signing_in import force_sign_in


def _criterion(procurement, kind="quality", name="Approach to research", weight=40, order=0):
    return AwardCriterion.objects.create(
        procurement=procurement, kind=kind, name=name, weight=weight, order=order
    )


def _sub(criterion, name="Methodology"):
    return AwardSubCriterion.objects.create(criterion=criterion, name=name)


def _submit(procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)


def _section_url(procurement):
    return reverse("procurements:award-criteria", kwargs={"pk": procurement.pk})


def _settings(completed="no", **overrides):
    return {
        "scoring_scale": "0-10",
        "price_formula": "lowest_over_price",
        "reduce_between_rounds": "no",
        "completed": completed,
    } | (overrides)


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _urls(procurement, criterion, sub):
    pk, criterion_pk = procurement.pk, criterion.pk
    return [
        _section_url(procurement),
        reverse("procurements:award-criterion-add", kwargs={"pk": pk}),
        reverse(
            "procurements:award-criterion-change", kwargs={"pk": pk, "criterion_pk": criterion_pk}
        ),
        reverse(
            "procurements:award-criterion-remove", kwargs={"pk": pk, "criterion_pk": criterion_pk}
        ),
        reverse(
            "procurements:award-subcriterion-add", kwargs={"pk": pk, "criterion_pk": criterion_pk}
        ),
        reverse(
            "procurements:award-subcriterion-remove",
            kwargs={"pk": pk, "criterion_pk": criterion_pk, "subcriterion_pk": sub.pk},
        ),
    ]


# --- criteria -------------------------------------------------------------------------


def test_officer_adds_a_criterion_and_the_weights_are_audited(procurement, officer, personas):
    _criterion(procurement, weight=60)
    url = reverse("procurements:award-criterion-add", kwargs={"pk": procurement.pk})

    response = officer.post(
        url, {"kind": "price", "name": "Price", "description": "Whole-life cost", "weight": "30"}
    )

    assert response.status_code == 302
    assert response["Location"] == _section_url(procurement)
    criterion = procurement.award_criteria.get(kind="price")
    assert (criterion.name, criterion.description, criterion.weight) == (
        "Price",
        "Whole-life cost",
        30,
    )
    (event,) = _events("procurement.criterion_added")
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data == {
        "criterion": criterion.pk,
        "kind": "price",
        "name": "Price",
        "weight": 30,
        "weights": [60, 30],
    }


def test_officer_changes_a_criterion_and_what_changed_is_audited(procurement, officer):
    criterion = _criterion(procurement, weight=40)
    url = reverse(
        "procurements:award-criterion-change",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
    )

    page = officer.get(url)
    response = officer.post(
        url, {"kind": "quality", "name": "Approach to research", "weight": "70"}
    )

    assert page.status_code == 200
    assert 'value="40"' in page.text
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == 70
    (event,) = _events("procurement.criterion_changed")
    assert event.data["changed"] == ["weight"]
    assert event.data["previous_weight"] == 40
    assert event.data["weights"] == [70]


def test_removing_a_criterion_asks_first_then_removes_it_with_its_sub_criteria(
    procurement, officer
):
    criterion = _criterion(procurement, name="Social value", kind="social_value", weight=10)
    _sub(criterion, "Local jobs")
    keep = _criterion(procurement, name="Price", kind="price", weight=30, order=1)
    url = reverse(
        "procurements:award-criterion-remove",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
    )

    page = officer.get(url)
    assert "Are you sure you want to remove this award criterion?" in page.text
    assert "Its sub-criteria will be removed too." in page.text
    assert procurement.award_criteria.count() == 2

    response = officer.post(url)

    assert response.status_code == 302
    assert list(procurement.award_criteria.all()) == [keep]
    assert not AwardSubCriterion.objects.exists()
    (event,) = _events("procurement.criterion_removed")
    assert event.data == {
        "criterion": criterion.pk,
        "name": "Social value",
        "weight": 10,
        "weights": [30],
    }


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("101", "The weight must be 100 or less"),
        ("-5", "The weight must be 0 or more"),
        ("thirty", "The weight must be a whole number, like 30"),
        ("", "Enter the weight, from 0 to 100"),
    ],
)
def test_a_bad_weight_is_refused_with_a_message_and_what_was_typed_is_kept(
    procurement, officer, weight, message
):
    url = reverse("procurements:award-criterion-add", kwargs={"pk": procurement.pk})

    response = officer.post(
        url,
        {
            "kind": "quality",
            "name": "Team and track record",
            "description": "Past R&D",
            "weight": weight,
        },
    )

    assert response.status_code == 200
    assert message in response.text
    assert 'href="#id_weight"' in response.text
    assert 'value="Team and track record"' in response.text
    assert "Past R&amp;D" in response.text
    assert not procurement.award_criteria.exists()


def test_a_criterion_needs_a_kind_and_a_name(procurement, officer):
    url = reverse("procurements:award-criterion-add", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"weight": "20"})

    assert response.status_code == 200
    assert "Select whether the criterion assesses quality, price or social value" in response.text
    assert 'href="#id_kind_0"' in response.text
    assert "Enter the name of the criterion" in response.text
    assert 'value="20"' in response.text


# --- sub-criteria ------------------------------------------------------------------------


def test_officer_adds_and_removes_a_sub_criterion_and_both_are_audited(procurement, officer):
    criterion = _criterion(procurement)
    add_url = reverse(
        "procurements:award-subcriterion-add",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
    )
    change_url = reverse(
        "procurements:award-criterion-change",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
    )

    added = officer.post(add_url, {"name": "Methodology", "description": "How the R&D is run"})

    assert added.status_code == 302
    assert added["Location"] == change_url
    sub = criterion.sub_criteria.get()
    assert (sub.name, sub.description) == ("Methodology", "How the R&D is run")
    assert "Methodology" in officer.get(change_url).text
    remove_url = reverse(
        "procurements:award-subcriterion-remove",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk, "subcriterion_pk": sub.pk},
    )
    assert "Are you sure you want to remove this sub-criterion?" in officer.get(remove_url).text

    removed = officer.post(remove_url)

    assert removed.status_code == 302
    assert not criterion.sub_criteria.exists()
    (added_event,) = _events("procurement.subcriterion_added")
    (removed_event,) = _events("procurement.subcriterion_removed")
    assert added_event.data == {
        "criterion": criterion.pk,
        "subcriterion": sub.pk,
        "name": "Methodology",
    }
    assert removed_event.data == added_event.data


def test_a_sub_criterion_needs_a_name(procurement, officer):
    criterion = _criterion(procurement)
    url = reverse(
        "procurements:award-subcriterion-add",
        kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
    )

    response = officer.post(url, {"description": "Kept"})

    assert response.status_code == 200
    assert "Enter the name of the sub-criterion" in response.text
    assert "Kept" in response.text
    assert not criterion.sub_criteria.exists()


def test_criteria_and_sub_criteria_of_another_procurement_cannot_be_reached(
    procurement, officer, personas
):
    other = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    foreign = _criterion(other, weight=25)
    foreign_sub = _sub(foreign)
    own = _criterion(procurement)

    change = officer.post(
        reverse(
            "procurements:award-criterion-change",
            kwargs={"pk": procurement.pk, "criterion_pk": foreign.pk},
        ),
        {"kind": "price", "name": "Hijacked", "weight": "1"},
    )
    remove_sub = officer.post(
        reverse(
            "procurements:award-subcriterion-remove",
            kwargs={
                "pk": procurement.pk,
                "criterion_pk": own.pk,
                "subcriterion_pk": foreign_sub.pk,
            },
        )
    )

    assert change.status_code == 404
    assert remove_sub.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.name, foreign.weight) == ("Approach to research", 25)
    assert foreign.sub_criteria.exists()


# --- the section page: award basis, scale, formula, weights and completion ---------------


def test_the_section_shows_the_fixed_award_basis_and_the_running_total_of_weights(
    procurement, officer
):
    _criterion(procurement, kind="quality", name="Approach to research", weight=65)
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)

    response = officer.get(_section_url(procurement))

    assert response.status_code == 200
    assert "Best price-quality ratio (most advantageous tender)" in response.text
    assert "Weights add up to 95%: they must add up to 100%" in response.text
    assert "govuk-tag" in response.text and "Approach to research" in response.text
    assert "0 to 10" in response.text
    assert "Lowest price ÷ tendered price × the price weight" in response.text


def test_weights_adding_up_to_100_are_confirmed_without_a_warning(procurement, officer):
    _criterion(procurement, kind="quality", weight=70)
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)

    response = officer.get(_section_url(procurement))

    assert "Weights add up to 100%." in response.text
    assert "they must add up to 100%" not in response.text


def test_an_unfinished_section_saves_whatever_the_weights_and_the_save_is_audited(
    procurement, officer
):
    _criterion(procurement, kind="quality", weight=65)

    response = officer.post(
        _section_url(procurement),
        _settings(scoring_scale="0-4", price_formula="difference_from_lowest"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    procurement.refresh_from_db()
    assert procurement.scoring_scale == ScoringScale.ZERO_TO_FOUR
    assert procurement.price_formula == PriceFormula.DIFFERENCE_FROM_LOWEST
    assert procurement.section_status == {"award-criteria": "in_progress"}
    (event,) = _events("procurement.award_settings_saved")
    assert event.data == {
        "changed": ["scoring_scale", "price_formula"],
        "scoring_scale": "0-4",
        "price_formula": "difference_from_lowest",
        "reduce_between_rounds": False,
    }


def test_the_award_basis_cannot_be_changed_from_the_page(procurement, officer):
    officer.post(_section_url(procurement), _settings(award_basis=AwardBasis.LOWEST_PRICE))

    procurement.refresh_from_db()
    assert procurement.award_basis == AwardBasis.PRICE_QUALITY


def test_weights_of_99_cannot_be_marked_completed_and_nothing_is_saved(procurement, officer):
    _criterion(procurement, kind="quality", weight=69)
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)

    response = officer.post(_section_url(procurement), _settings(completed="yes"))

    assert response.status_code == 200
    assert "The weights add up to 99%. Change them so they add up to 100%" in response.text
    assert 'href="#id_completed_0"' in response.text
    procurement.refresh_from_db()
    assert procurement.scoring_scale == ScoringScale.ZERO_TO_FIVE
    assert procurement.section_status == {}
    assert not _events("procurement.award_settings_saved")


def test_completion_needs_a_price_and_a_quality_criterion(procurement, officer):
    _criterion(procurement, kind="social_value", name="Local jobs", weight=100)

    response = officer.post(_section_url(procurement), _settings(completed="yes"))

    assert response.status_code == 200
    assert "Add at least one price criterion" in response.text
    assert "Add at least one quality criterion" in response.text
    assert "The weights add up to" not in response.text
    procurement.refresh_from_db()
    assert procurement.section_status == {}


def test_price_and_quality_weighing_100_can_be_marked_completed(procurement, officer):
    _criterion(procurement, kind="quality", weight=60)
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)
    _criterion(procurement, kind="social_value", name="Local jobs", weight=10, order=2)

    response = officer.post(_section_url(procurement), _settings(completed="yes"))

    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.section_status == {"award-criteria": "completed"}
    (event,) = _events("procurement.section_marked")
    assert event.data == {"section": "award-criteria", "status": "completed"}


def test_a_refused_section_form_keeps_the_choices_made(procurement, officer):
    response = officer.post(
        _section_url(procurement), _settings(completed="yes", scoring_scale="0-4")
    )

    assert response.status_code == 200
    assert re.search(r'value="0-4"[^>]*checked', response.text)
    assert not re.search(r'value="0-5"[^>]*checked', response.text)


def test_the_section_page_makes_the_same_number_of_queries_however_many_criteria(
    procurement, officer
):
    def add_rows(count):
        start = procurement.award_criteria.count()
        for order in range(start, start + count):
            _sub(_criterion(procurement, name=f"Criterion {order}", weight=1, order=order))

    assert_query_budget(officer, _section_url(procurement), add_rows=add_rows, most=20)


# --- who may not ----------------------------------------------------------------------


def test_after_submission_every_criteria_page_is_refused_and_nothing_changes(procurement, officer):
    criterion = _criterion(procurement, weight=40)
    sub = _sub(criterion)
    _submit(procurement)
    section, add, change, remove, sub_add, sub_remove = _urls(procurement, criterion, sub)

    gets = [
        officer.get(url).status_code for url in (section, add, change, remove, sub_add, sub_remove)
    ]
    posts = [
        officer.post(section, _settings()).status_code,
        officer.post(add, {"kind": "price", "name": "Price", "weight": "60"}).status_code,
        officer.post(change, {"kind": "quality", "name": "X", "weight": "100"}).status_code,
        officer.post(sub_add, {"name": "Late"}).status_code,
        officer.post(sub_remove).status_code,
        officer.post(remove).status_code,
    ]

    assert gets == [403] * 6
    assert posts == [403] * 6
    criterion.refresh_from_db()
    assert criterion.weight == 40
    assert list(criterion.sub_criteria.all()) == [sub]
    assert procurement.award_criteria.count() == 1


def test_the_services_refuse_a_submitted_procurement(procurement, personas):
    criterion = _criterion(procurement)
    sub = _sub(criterion)
    _submit(procurement)
    actor = personas.officer_a

    refused = [
        lambda: procurement_criterion_add(
            actor=actor, procurement=procurement, kind="price", name="Price", weight=60
        ),
        lambda: procurement_criterion_change(
            actor=actor, criterion=criterion, kind="quality", name="X", weight=100
        ),
        lambda: procurement_criterion_remove(actor=actor, criterion=criterion),
        lambda: procurement_subcriterion_add(actor=actor, criterion=criterion, name="Late"),
        lambda: procurement_subcriterion_remove(actor=actor, subcriterion=sub),
        lambda: procurement_award_settings_save(
            actor=actor,
            procurement=procurement,
            scoring_scale="0-4",
            price_formula="lowest_over_price",
        ),
    ]
    for call in refused:
        with pytest.raises(PermissionRefused):
            call()

    assert procurement.award_criteria.get().weight == 40
    assert criterion.sub_criteria.count() == 1


def test_the_services_refuse_an_officer_of_another_borough(procurement, personas):
    with pytest.raises(PermissionRefused):
        procurement_criterion_add(
            actor=personas.officer_b, procurement=procurement, kind="price", name="P", weight=1
        )
    assert not procurement.award_criteria.exists()


@pytest.mark.parametrize(
    "persona", ["officer_b", "supplier_a_admin", "supplier_b_member", "consortium_member"]
)
def test_people_outside_the_borough_are_told_the_pages_do_not_exist(procurement, personas, persona):
    criterion = _criterion(procurement, weight=40)
    sub = _sub(criterion)
    client = force_sign_in(Client(), getattr(personas, persona))
    section, add, change, remove, sub_add, sub_remove = _urls(procurement, criterion, sub)

    gets = [
        client.get(url).status_code for url in (section, add, change, remove, sub_add, sub_remove)
    ]
    posts = [
        client.post(section, _settings()).status_code,
        client.post(add, {"kind": "price", "name": "Price", "weight": "60"}).status_code,
        client.post(change, {"kind": "quality", "name": "X", "weight": "100"}).status_code,
        client.post(sub_remove).status_code,
        client.post(remove).status_code,
    ]

    assert gets == [404] * 6
    assert posts == [404] * 5
    assert procurement.award_criteria.get().weight == 40
    assert criterion.sub_criteria.count() == 1


def test_an_approver_of_the_borough_may_not_change_the_criteria(procurement, personas):
    client = force_sign_in(Client(), personas.approver_a)
    url = reverse("procurements:award-criterion-add", kwargs={"pk": procurement.pk})

    assert client.post(url, {"kind": "price", "name": "Price", "weight": "60"}).status_code == 403
    assert not procurement.award_criteria.exists()


def test_anonymous_people_are_sent_to_sign_in(procurement):
    response = Client().post(_section_url(procurement), _settings())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- what the section tells the task list, check your answers and the rules --------------


def test_the_section_gives_the_award_basis_and_the_weights_in_order_to_the_rules(procurement):
    section = builder_section_get("award-criteria")
    assert section.facts(procurement) == {
        "award_basis": "price_quality",
        "weights": [],
        "weights_by_kind": [],
    }
    _criterion(procurement, kind="quality", weight=69, order=0)
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)

    facts = section.facts(Procurement.objects.get(pk=procurement.pk))

    assert facts == {
        "award_basis": "price_quality",
        "weights": [69, 30],
        "weights_by_kind": [("quality", 69), ("price", 30)],
    }


def test_the_section_summarises_the_settings_and_each_criterion(procurement):
    section = builder_section_get("award-criteria")
    assert section.has_content(procurement) is False
    quality = _criterion(procurement, kind="quality", name="Approach", weight=70)
    _sub(quality, "Methodology")
    _sub(quality, "Team")
    _criterion(procurement, kind="price", name="Price", weight=30, order=1)
    fresh = Procurement.objects.get(pk=procurement.pk)

    assert section.has_content(fresh) is True
    assert section.summary(fresh) == [
        ("Award basis", "Best price-quality ratio (most advantageous tender)"),
        ("Scoring scale", "0 to 5"),
        ("Price-scoring formula", "Lowest price ÷ tendered price × the price weight"),
        (
            "Tenderers reduced between rounds",
            "No: every tenderer is invited to each round of negotiation",
        ),
        ("Quality: Approach", "70%. Sub-criteria: Methodology; Team"),
        ("Price: Price", "30%"),
        ("Weights add up to", "100%"),
    ]


def test_the_section_reads_only_what_was_prefetched(procurement, django_assert_num_queries):
    section = builder_section_get("award-criteria")
    for order in range(4):
        _sub(_criterion(procurement, name=f"Criterion {order}", weight=25, order=order))
    fresh = Procurement.objects.prefetch_related(*section.prefetch).get(pk=procurement.pk)

    with django_assert_num_queries(0):
        section.has_content(fresh)
        section.summary(fresh)
        section.facts(fresh)


def test_the_task_list_and_check_answers_make_the_same_queries_however_many_rows(
    procurement, officer
):
    def add_rows(count):
        start = procurement.award_criteria.count()
        for order in range(start, start + count):
            _sub(_criterion(procurement, name=f"Criterion {order}", weight=1, order=order))
            MinimumRequirement.objects.create(
                procurement=procurement, text=f"Requirement {order}", order=order
            )

    for name in ("procurements:task-list", "procurements:check-answers"):
        url = reverse(name, kwargs={"pk": procurement.pk})
        assert_query_budget(officer, url, add_rows=add_rows, most=40)
