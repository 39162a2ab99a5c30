"""Creating a procurement: its reference, its lead, the audit event, and who may."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import PermissionRefused
from core.models import AuditEvent, OfficerMembership, OfficerRole
from procurements.models import Procurement, ProcurementStatus
from procurements.services.builder import procurement_create
from tests import factories

pytestmark = pytest.mark.django_db
CREATE = reverse("procurements:create")


def test_an_officer_creates_a_draft_led_by_them_and_lands_on_its_task_list(personas, login):
    response = login(personas.officer_a).post(CREATE, {"title": "Falls at home"})

    procurement = Procurement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurements:task-list", kwargs={"pk": procurement.pk})
    assert procurement.title == "Falls at home"
    assert procurement.borough == personas.borough_a
    assert procurement.status == ProcurementStatus.DRAFT
    assert procurement.lead_officer == personas.officer_a
    assert procurement.created_by == personas.officer_a


def test_references_run_in_sequence_per_borough_and_year_and_never_repeat(personas):
    year = timezone.localdate().year
    first = procurement_create(actor=personas.officer_a, borough=personas.borough_a, title="One")
    second = procurement_create(actor=personas.officer_a, borough=personas.borough_a, title="Two")
    other = procurement_create(actor=personas.officer_b, borough=personas.borough_b, title="B")

    assert first.reference == f"ALDGATE-{year}-0001"
    assert second.reference == f"ALDGATE-{year}-0002"
    assert other.reference == f"BOWFIELD-{year}-0001"


def test_a_reference_follows_the_highest_in_use_even_after_a_gap(personas):
    year = timezone.localdate().year
    factories.ProcurementFactory(
        borough=personas.borough_a,
        reference=f"ALDGATE-{year}-0007",
        lead_officer=personas.officer_a,
    )

    created = procurement_create(actor=personas.officer_a, borough=personas.borough_a, title="X")

    assert created.reference == f"ALDGATE-{year}-0008"


def test_creation_is_audited_with_the_reference(personas):
    procurement = procurement_create(
        actor=personas.officer_a, borough=personas.borough_a, title="Falls at home"
    )

    event = AuditEvent.objects.get(action="procurement.created")
    assert event.actor == personas.officer_a
    assert event.target_id == str(procurement.pk)
    assert event.data["reference"] == procurement.reference
    assert event.data["title"] == "Falls at home"


def test_a_blank_title_is_refused_with_a_message_and_nothing_is_created(personas, login):
    response = login(personas.officer_a).post(CREATE, {"title": "   "})

    assert response.status_code == 200
    assert "Enter a title for the procurement" in response.content.decode()
    assert not Procurement.objects.exists()
    assert not AuditEvent.objects.filter(action="procurement.created").exists()


def test_an_officer_of_one_borough_is_not_asked_which_borough(personas, login):
    html = login(personas.officer_a).get(CREATE).content.decode()

    assert 'name="borough"' not in html
    assert personas.borough_a.name in html


def test_an_officer_of_two_boroughs_chooses_one_of_them(personas, login):
    OfficerMembership.objects.create(
        user=personas.officer_a, borough=personas.borough_b, role=OfficerRole.OFFICER
    )
    client = login(personas.officer_a)

    html = client.get(CREATE).content.decode()
    missing = client.post(CREATE, {"title": "Falls"}).content.decode()
    client.post(CREATE, {"title": "Falls", "borough": personas.borough_b.pk})

    assert html.count('name="borough"') == 2
    assert "Select the borough that runs this procurement" in missing
    assert Procurement.objects.get().borough == personas.borough_b


def test_a_borough_where_the_officer_is_only_an_evaluator_cannot_be_chosen(personas, login):
    OfficerMembership.objects.create(
        user=personas.officer_a, borough=personas.borough_b, role=OfficerRole.EVALUATOR
    )
    client = login(personas.officer_a)

    client.post(CREATE, {"title": "Falls", "borough": personas.borough_b.pk})

    assert Procurement.objects.get().borough == personas.borough_a


@pytest.mark.parametrize("persona", ["approver_a", "evaluator_a", "borough_admin_a"])
def test_officers_without_the_procurement_officer_role_cannot_create(personas, login, persona):
    client = login(getattr(personas, persona))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"title": "Falls"}).status_code == 403
    assert not Procurement.objects.exists()


def test_suppliers_cannot_create_and_anonymous_people_are_sent_to_sign_in(personas, login, client):
    assert client.get(CREATE).status_code == 302
    assert login(personas.supplier_a_admin).post(CREATE, {"title": "X"}).status_code == 403
    assert not Procurement.objects.exists()


def test_the_service_refuses_a_borough_the_actor_is_not_an_officer_of(personas):
    with pytest.raises(PermissionRefused):
        procurement_create(actor=personas.officer_b, borough=personas.borough_a, title="X")

    assert not Procurement.objects.exists()
