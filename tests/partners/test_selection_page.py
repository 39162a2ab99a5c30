"""The borough's page of requests to participate: a count before the deadline, then each
request received with its flags, from its frozen submission."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import DebarmentEntry, ExclusionDeclaration, ParticipationRequest
from partners.services_requests import request_submit
from partners.submission import exclusion_grounds
from procurements.models import Procurement
from procurements.services.closing import procurement_close_participation
from tests.partners.request_samples import a_request, answer_everything, open_call
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db


def submitted(personas, procurement, organisation, admin) -> ParticipationRequest:
    request = a_request(personas, procurement, organisation=organisation, created_by=admin)
    answer_everything(personas, request, text="Our secret method of detecting isolation.")
    ExclusionDeclaration.objects.filter(request=request).update(declared_by=admin)
    request_submit(actor=admin, request=request)
    return request


def close(procurement) -> None:
    Procurement.objects.filter(pk=procurement.pk).update(
        participation_deadline=timezone.now() - timedelta(seconds=1)
    )
    procurement_close_participation(pk=procurement.pk)


def page_of(client, procurement) -> str:
    response = client.get(reverse("partners:selection", kwargs={"pk": procurement.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_deadline_the_borough_sees_only_how_many_were_submitted(personas, login):
    procurement = open_call(personas)
    submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    a_request(
        personas, procurement, organisation=personas.org_b, created_by=personas.supplier_b_admin
    )

    page = page_of(login(personas.officer_a), procurement)

    assert "1 request to participate has been submitted so far" in page
    assert personas.org_a.name not in page
    assert personas.org_b.name not in page
    assert "Our secret method" not in page


def test_after_the_deadline_each_request_received_is_listed_from_its_submission(personas, login):
    procurement = open_call(personas)
    first = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    a_request(
        personas, procurement, organisation=personas.org_b, created_by=personas.supplier_b_admin
    )
    close(procurement)

    page = page_of(login(personas.approver_a), procurement)

    assert personas.org_a.name in page
    assert personas.org_b.name not in page  # a draft never submitted is not received
    assert first.submissions.get().sha256 in page
    assert "Nothing flagged" in page


def test_the_flags_debarment_a_mandatory_ground_and_a_conflict(personas, login):
    procurement = open_call(personas)
    request = a_request(personas, procurement)
    answer_everything(personas, request)
    mandatory = next(g for g in exclusion_grounds(procurement) if g.mandatory)
    ExclusionDeclaration.objects.filter(request=request, ground=mandatory.key).update(
        applies=True, details="A conviction in 2023.", self_cleaning="New board and audits."
    )
    ParticipationRequest.objects.filter(pk=request.pk).update(
        has_conflict=True, conflict_details="A director's spouse works for the borough."
    )
    request_submit(actor=personas.supplier_a_admin, request=request)
    DebarmentEntry.objects.create(
        supplier_name=personas.org_a.name.upper(), grounds="Fraud", debarred_on=date(2026, 1, 5)
    )
    DebarmentEntry.objects.create(
        supplier_name=personas.org_a.name,
        grounds="Expired",
        debarred_on=date(2020, 1, 1),
        expires_on=date(2021, 1, 1),
    )
    close(procurement)

    page = page_of(login(personas.officer_a), procurement)

    assert "On the debarment list" in page
    assert "Fraud (since 5 January 2026)" in page
    assert "Expired" not in page
    assert "Mandatory exclusion ground declared" in page
    assert f"{personas.org_a.name}: {mandatory.label}" in page
    assert "Conflict of interest declared" in page
    assert "Nothing flagged" not in page


def test_the_page_makes_the_same_number_of_queries_whatever_the_number_of_requests(personas, login):
    procurement = open_call(personas)
    close(procurement)
    Procurement.objects.filter(pk=procurement.pk).update(
        participation_deadline=timezone.now() + timedelta(days=1)
    )

    def add_requests(n):
        from core.models import SupplierRole
        from tests import factories

        Procurement.objects.filter(pk=procurement.pk).update(status="published")
        for _ in range(n):
            organisation = factories.SupplierOrganisationFactory()
            admin = factories.supplier(organisation, SupplierRole.ADMIN)
            submitted(personas, procurement, organisation, admin)
        Procurement.objects.filter(pk=procurement.pk).update(status="selection")

    assert_query_budget(
        login(personas.officer_a),
        reverse("partners:selection", kwargs={"pk": procurement.pk}),
        add_rows=add_requests,
        most=20,
    )


def test_the_task_list_links_the_page_once_published(personas, login):
    procurement = open_call(personas)
    client = login(personas.officer_a)
    task_list = client.get(reverse("procurements:task-list", kwargs={"pk": procurement.pk}))

    assert (
        reverse("partners:selection", kwargs={"pk": procurement.pk}) in task_list.content.decode()
    )
