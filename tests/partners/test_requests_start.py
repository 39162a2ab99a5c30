"""Starting a request to participate: from the opportunity's page, by a verified supplier,
once per organisation, while participation is open."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import PermissionRefused
from core.models import AuditEvent
from partners.models import ParticipationRequest, RequestStatus
from partners.permissions import can_start_request
from partners.services_requests import ParticipationClosed, RequestExists, request_start
from procurements.models import InterestRegistration, ProcurementStatus
from tests import factories

from .request_samples import a_request, open_call

pytestmark = pytest.mark.django_db


def start_url(procurement) -> str:
    return reverse("requests:start", kwargs={"procurement_pk": procurement.pk})


def detail_url(procurement) -> str:
    return reverse("opportunities:detail", kwargs={"pk": procurement.pk})


def test_a_member_starts_the_organisations_request_which_then_follows_the_opportunity(
    personas, login
):
    procurement = open_call(personas)
    client = login(personas.supplier_a_member)

    response = client.post(start_url(procurement))

    request = ParticipationRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("requests:detail", kwargs={"pk": request.pk})
    assert (request.procurement, request.organisation) == (procurement, personas.org_a)
    assert request.status == RequestStatus.DRAFT
    assert request.created_by == personas.supplier_a_member
    assert InterestRegistration.objects.filter(
        procurement=procurement, organisation=personas.org_a
    ).exists()
    event = AuditEvent.objects.get(action="partners.request_started")
    assert event.data == {
        "request_id": request.pk,
        "procurement_id": procurement.pk,
        "organisation_id": personas.org_a.pk,
        "status": "draft",
    }


def test_starting_again_sends_the_supplier_to_the_request_it_already_has(personas, login):
    procurement = open_call(personas)
    existing = a_request(personas, procurement)
    client = login(personas.supplier_a_member)

    response = client.post(start_url(procurement), follow=True)

    assert ParticipationRequest.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("requests:detail", kwargs={"pk": existing.pk})
    assert "already has a request to participate" in response.content.decode()
    with pytest.raises(RequestExists) as refused:
        request_start(actor=personas.supplier_a_admin, procurement=procurement)
    assert refused.value.extra == {"request_id": existing.pk}


def test_another_organisation_starts_its_own_request(personas):
    procurement = open_call(personas)
    a_request(personas, procurement)

    request = request_start(actor=personas.supplier_b_member, procurement=procurement)

    assert request.organisation == personas.org_b
    assert ParticipationRequest.objects.count() == 2


def test_no_request_can_be_started_after_the_deadline(personas, login, clock):
    deadline = timezone.now() + timedelta(days=3)
    procurement = open_call(personas, closes=deadline)
    clock(deadline + timedelta(seconds=1))
    client = login(personas.supplier_a_admin)

    response = client.post(start_url(procurement), follow=True)

    assert not ParticipationRequest.objects.exists()
    assert response.redirect_chain[-1][0] == detail_url(procurement)
    assert "Requests to participate closed at" in response.content.decode()
    with pytest.raises(ParticipationClosed):
        request_start(actor=personas.supplier_a_admin, procurement=procurement)


def test_a_request_can_be_started_one_second_before_the_deadline(personas, clock):
    deadline = timezone.now() + timedelta(days=3)
    procurement = open_call(personas, closes=deadline)
    clock(deadline - timedelta(seconds=1))

    assert request_start(actor=personas.supplier_a_admin, procurement=procurement).pk


@pytest.mark.parametrize("persona", ["officer_a", "superuser"])
def test_only_suppliers_start_requests(personas, login, persona):
    procurement = open_call(personas)
    client = login(getattr(personas, persona))

    assert client.post(start_url(procurement)).status_code == 403
    assert not ParticipationRequest.objects.exists()


def test_a_supplier_whose_email_is_not_confirmed_cannot_start_one(personas, login):
    procurement = open_call(personas)
    unverified = factories.supplier(personas.org_a, email="new@example.org", verified=False)

    assert login(unverified).post(start_url(procurement)).status_code == 403
    with pytest.raises(PermissionRefused):
        request_start(actor=unverified, procurement=procurement)
    assert not ParticipationRequest.objects.exists()


def test_a_procurement_that_is_not_public_gives_404(personas, login):
    draft = factories.ProcurementFactory(borough=personas.borough_a)

    response = login(personas.supplier_a_admin).post(start_url(draft))

    assert response.status_code == 404
    assert not ParticipationRequest.objects.exists()


def test_starting_is_a_post(personas, login):
    procurement = open_call(personas)

    assert login(personas.supplier_a_admin).get(start_url(procurement)).status_code == 405


# --- the opportunity's page ---------------------------------------------------------------------


def test_the_opportunity_page_offers_a_verified_supplier_the_button(personas, login):
    procurement = open_call(personas)

    page = login(personas.supplier_a_member).get(detail_url(procurement)).content.decode()

    assert f'action="{start_url(procurement)}"' in page
    assert "Request to participate</button>" in page


def test_the_opportunity_page_links_to_the_request_the_organisation_has(personas, login):
    procurement = open_call(personas)
    request = a_request(personas, procurement)

    page = login(personas.supplier_a_member).get(detail_url(procurement)).content.decode()

    assert reverse("requests:detail", kwargs={"pk": request.pk}) in page
    assert start_url(procurement) not in page
    # Another organisation still gets the button, and no link to A's request.
    other = login(personas.supplier_b_member).get(detail_url(procurement)).content.decode()
    assert start_url(procurement) in other
    assert reverse("requests:detail", kwargs={"pk": request.pk}) not in other


def test_no_button_for_an_unverified_supplier_an_officer_or_anyone_signed_out(
    personas, login, client
):
    procurement = open_call(personas)
    unverified = factories.supplier(personas.org_b, email="new@example.org", verified=False)

    assert start_url(procurement) not in client.get(detail_url(procurement)).content.decode()
    for user in (unverified, personas.officer_a):
        page = login(user).get(detail_url(procurement)).content.decode()
        assert start_url(procurement) not in page


def test_no_button_once_the_deadline_has_passed(personas, login, clock):
    deadline = timezone.now() + timedelta(days=3)
    procurement = open_call(personas, closes=deadline)
    clock(deadline + timedelta(seconds=1))

    page = login(personas.supplier_a_member).get(detail_url(procurement)).content.decode()

    assert start_url(procurement) not in page
    assert not can_start_request(personas.supplier_a_member, procurement)


def test_can_start_request_needs_a_published_call(personas):
    procurement = open_call(personas)
    assert can_start_request(personas.supplier_a_member, procurement)
    procurement.close_participation()
    procurement.save()
    assert procurement.status == ProcurementStatus.SELECTION
    assert not can_start_request(personas.supplier_a_member, procurement)
