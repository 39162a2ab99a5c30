"""The minimum requirements section: add, change, remove, complete; who may and may not."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.exceptions import PermissionRefused
from core.models import AuditEvent
from procurements.models import MinimumRequirement, Procurement, ProcurementStatus
from procurements.registry import builder_section_get
from procurements.services.requirements import (
    procurement_requirement_add,
    procurement_requirement_change,
    procurement_requirement_remove,
)
from tests.factories import ProcurementFactory
from tests.signing_in import force_sign_in

NO_REQUIREMENTS = (
    "Add at least one minimum requirement: an innovation partnership must say which "
    "elements are minimum requirements"
)


def _requirement(procurement, text="Residents' data stays in the UK", order=0):
    return MinimumRequirement.objects.create(procurement=procurement, text=text, order=order)


def _submit(procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)


def _urls(procurement, requirement):
    kwargs = {"pk": procurement.pk, "requirement_pk": requirement.pk}
    return [
        reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk}),
        reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk}),
        reverse("procurements:minimum-requirement-change", kwargs=kwargs),
        reverse("procurements:minimum-requirement-remove", kwargs=kwargs),
    ]


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- adding, changing, removing ----------------------------------------------------------


def test_officer_adds_a_minimum_requirement_and_the_addition_is_audited(
    procurement, officer, personas
):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"text": "  Works without a smartphone  "})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "procurements:minimum-requirements", kwargs={"pk": procurement.pk}
    )
    (requirement,) = procurement.minimum_requirements.all()
    assert requirement.text == "Works without a smartphone"
    (event,) = _events("procurement.requirement_added")
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data == {"requirement": requirement.pk, "text": "Works without a smartphone"}


def test_save_and_add_another_returns_to_an_empty_add_page(procurement, officer):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"text": "Works offline", "add_another": "1"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert procurement.minimum_requirements.count() == 1


def test_requirements_are_kept_in_the_order_they_were_added(procurement, officer):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})
    for text in ["First", "Second", "Third"]:
        officer.post(url, {"text": text})

    texts = list(procurement.minimum_requirements.values_list("text", flat=True))

    assert texts == ["First", "Second", "Third"]


def test_an_empty_requirement_is_refused_with_a_message_and_nothing_is_stored(procurement, officer):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"text": "   "})

    assert response.status_code == 200
    assert "Enter the minimum requirement" in response.text
    assert "govuk-error-summary" in response.text
    assert not procurement.minimum_requirements.exists()


def test_a_refused_requirement_keeps_what_was_typed(procurement, officer):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})
    too_long = "Keeps working in a power cut " + "x" * 2000

    response = officer.post(url, {"text": too_long})

    assert response.status_code == 200
    assert "The minimum requirement must be 2,000 characters or fewer" in response.text
    assert too_long in response.text
    assert not procurement.minimum_requirements.exists()


def test_officer_changes_a_requirement_and_the_old_and_new_text_are_audited(procurement, officer):
    requirement = _requirement(procurement, text="Old wording")
    url = reverse(
        "procurements:minimum-requirement-change",
        kwargs={"pk": procurement.pk, "requirement_pk": requirement.pk},
    )

    page = officer.get(url)
    response = officer.post(url, {"text": "New wording"})

    assert "Old wording" in page.text
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.text == "New wording"
    (event,) = _events("procurement.requirement_changed")
    assert event.data == {
        "requirement": requirement.pk,
        "text": "New wording",
        "previous_text": "Old wording",
    }


def test_removing_a_requirement_asks_first_and_removes_only_on_post(procurement, officer):
    requirement = _requirement(procurement, text="Accessible to screen readers")
    url = reverse(
        "procurements:minimum-requirement-remove",
        kwargs={"pk": procurement.pk, "requirement_pk": requirement.pk},
    )

    page = officer.get(url)
    assert page.status_code == 200
    assert "Are you sure you want to remove this minimum requirement?" in page.text
    assert procurement.minimum_requirements.count() == 1

    response = officer.post(url)

    assert response.status_code == 302
    assert not procurement.minimum_requirements.exists()
    (event,) = _events("procurement.requirement_removed")
    assert event.data == {"requirement": requirement.pk, "text": "Accessible to screen readers"}


def test_a_requirement_of_another_procurement_cannot_be_reached_through_this_one(
    procurement, officer, personas
):
    other = ProcurementFactory(borough=personas.borough_a, lead_officer=personas.officer_a)
    foreign = _requirement(other, text="Someone else's")
    kwargs = {"pk": procurement.pk, "requirement_pk": foreign.pk}

    change = officer.post(
        reverse("procurements:minimum-requirement-change", kwargs=kwargs), {"text": "Hijacked"}
    )
    remove = officer.post(reverse("procurements:minimum-requirement-remove", kwargs=kwargs))

    assert change.status_code == 404
    assert remove.status_code == 404
    foreign.refresh_from_db()
    assert foreign.text == "Someone else's"


# --- who may not ----------------------------------------------------------------------


def test_after_submission_every_requirement_page_is_refused_and_nothing_changes(
    procurement, officer
):
    requirement = _requirement(procurement, text="Unchanged")
    _submit(procurement)
    list_url, add_url, change_url, remove_url = _urls(procurement, requirement)

    assert [
        officer.get(url).status_code for url in (list_url, add_url, change_url, remove_url)
    ] == [403] * 4
    assert officer.post(add_url, {"text": "Late addition"}).status_code == 403
    assert officer.post(change_url, {"text": "Changed"}).status_code == 403
    assert officer.post(remove_url).status_code == 403
    assert officer.post(list_url, {"completed": "yes"}).status_code == 403

    assert list(procurement.minimum_requirements.values_list("text", flat=True)) == ["Unchanged"]
    assert not AuditEvent.objects.filter(action__startswith="procurement.requirement").exists()


def test_the_services_refuse_a_submitted_procurement(procurement, personas):
    requirement = _requirement(procurement)
    _submit(procurement)

    with pytest.raises(PermissionRefused):
        procurement_requirement_add(actor=personas.officer_a, procurement=procurement, text="x")
    with pytest.raises(PermissionRefused):
        procurement_requirement_change(actor=personas.officer_a, requirement=requirement, text="x")
    with pytest.raises(PermissionRefused):
        procurement_requirement_remove(actor=personas.officer_a, requirement=requirement)
    assert procurement.minimum_requirements.get().text == requirement.text


def test_the_services_refuse_an_officer_of_another_borough(procurement, personas):
    requirement = _requirement(procurement)

    with pytest.raises(PermissionRefused):
        procurement_requirement_add(actor=personas.officer_b, procurement=procurement, text="x")
    with pytest.raises(PermissionRefused):
        procurement_requirement_remove(actor=personas.officer_b, requirement=requirement)
    assert procurement.minimum_requirements.count() == 1


@pytest.mark.parametrize(
    "persona", ["officer_b", "supplier_a_admin", "supplier_b_member", "consortium_member"]
)
def test_people_outside_the_borough_are_told_the_pages_do_not_exist(procurement, personas, persona):
    requirement = _requirement(procurement, text="Unchanged")
    client = force_sign_in(Client(), getattr(personas, persona))
    list_url, add_url, change_url, remove_url = _urls(procurement, requirement)

    gets = [client.get(url).status_code for url in (list_url, add_url, change_url, remove_url)]
    posts = [
        client.post(add_url, {"text": "Mine"}).status_code,
        client.post(change_url, {"text": "Mine"}).status_code,
        client.post(remove_url).status_code,
    ]

    assert gets == [404] * 4
    assert posts == [404] * 3
    assert list(procurement.minimum_requirements.values_list("text", flat=True)) == ["Unchanged"]


@pytest.mark.parametrize("persona", ["approver_a", "evaluator_a"])
def test_borough_members_who_are_not_procurement_officers_may_not_change_requirements(
    procurement, personas, persona
):
    procurement.evaluators.add(personas.evaluator_a)  # an evaluator on its team
    client = force_sign_in(Client(), getattr(personas, persona))
    add_url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})

    assert client.post(add_url, {"text": "Mine"}).status_code == 403
    assert not procurement.minimum_requirements.exists()


def test_anonymous_people_are_sent_to_sign_in(procurement):
    url = reverse("procurements:minimum-requirement-add", kwargs={"pk": procurement.pk})

    response = Client().post(url, {"text": "Mine"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not procurement.minimum_requirements.exists()


# --- the list page and the completed question --------------------------------------------


def test_the_list_numbers_the_requirements_with_change_and_remove_links(procurement, officer):
    first = _requirement(procurement, text="Works offline", order=0)
    _requirement(procurement, text="Works in Welsh", order=1)

    response = officer.get(
        reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk})
    )

    assert response.status_code == 200
    text = response.text
    assert text.index("Minimum requirement 1") < text.index("Works offline")
    assert text.index("Minimum requirement 2") < text.index("Works in Welsh")
    assert "never negotiated" in text and "frozen" in text
    assert (
        reverse(
            "procurements:minimum-requirement-remove",
            kwargs={"pk": procurement.pk, "requirement_pk": first.pk},
        )
        in text
    )


def test_the_section_cannot_be_completed_without_a_requirement(procurement, officer):
    url = reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"completed": "yes"})

    assert response.status_code == 200
    assert NO_REQUIREMENTS in response.text
    assert 'href="#id_completed_0"' in response.text
    procurement.refresh_from_db()
    assert procurement.section_status == {}


def test_the_section_with_a_requirement_can_be_completed_and_the_answer_is_audited(
    procurement, officer
):
    _requirement(procurement)
    url = reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"completed": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    procurement.refresh_from_db()
    assert procurement.section_status == {"minimum-requirements": "completed"}
    (event,) = _events("procurement.section_marked")
    assert event.data == {"section": "minimum-requirements", "status": "completed"}
    # The answer is shown again next time.
    assert re.search(r'value="yes"[^>]*checked', officer.get(url).text)


def test_an_unfinished_section_saves_without_requirements(procurement, officer):
    url = reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk})

    response = officer.post(url, {"completed": "no"})

    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.section_status == {"minimum-requirements": "in_progress"}


def test_the_completed_question_must_be_answered(procurement, officer):
    url = reverse("procurements:minimum-requirements", kwargs={"pk": procurement.pk})

    response = officer.post(url, {})

    assert response.status_code == 200
    assert "Select whether you have completed this section" in response.text


# --- what the section tells the task list, check your answers and the rules --------------


def test_the_section_gives_the_number_of_requirements_to_the_publication_rules(procurement):
    section = builder_section_get("minimum-requirements")
    empty = section.facts(procurement)
    _requirement(procurement, text="One", order=0)
    _requirement(procurement, text="Two", order=1)

    assert empty == {"minimum_requirement_count": 0}
    assert section.facts(Procurement.objects.get(pk=procurement.pk)) == {
        "minimum_requirement_count": 2
    }


def test_the_section_summarises_each_requirement_and_has_content_once_one_exists(procurement):
    section = builder_section_get("minimum-requirements")
    assert section.has_content(procurement) is False
    _requirement(procurement, text="Works offline", order=0)
    _requirement(procurement, text="Works in Welsh", order=1)
    fresh = Procurement.objects.get(pk=procurement.pk)

    assert section.has_content(fresh) is True
    assert section.summary(fresh) == [
        ("Minimum requirement 1", "Works offline"),
        ("Minimum requirement 2", "Works in Welsh"),
    ]
    assert section.url_name == "procurements:minimum-requirements"


def test_the_section_reads_only_what_was_prefetched(procurement, django_assert_num_queries):
    section = builder_section_get("minimum-requirements")
    for order in range(5):
        _requirement(procurement, text=f"Requirement {order}", order=order)
    fresh = Procurement.objects.prefetch_related(*section.prefetch).get(pk=procurement.pk)

    with django_assert_num_queries(0):
        section.has_content(fresh)
        section.summary(fresh)
        section.facts(fresh)
