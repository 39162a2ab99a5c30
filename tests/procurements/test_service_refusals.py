"""The services refuse what the pages only hide or forbid: whoever calls them, the rule holds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerMembership, OfficerRole
from procurements.models import (
    ClarificationQuestion,
    InterestRegistration,
    Procurement,
    ProcurementStatus,
)
from procurements.permissions_market import (
    can_answer_question,
    can_answer_questions,
    can_follow_procurement,
    is_open_to_interest,
)
from procurements.services.amendments import procurement_cancel
from procurements.services.approval import procurement_publish, procurement_submit_for_approval
from procurements.services.engagement import interest_register, interest_withdraw
from procurements.services.sections import procurement_lock
from tests import factories

pytestmark = pytest.mark.django_db


def published_call(personas, **fields):
    now = timezone.now()
    values = {
        "borough": personas.borough_a,
        "lead_officer": personas.officer_a,
        "status": ProcurementStatus.PUBLISHED,
        "published_at": now - timedelta(days=5),
        "question_deadline": now + timedelta(days=10),
        "participation_deadline": now + timedelta(days=40),
        **fields,
    }
    return factories.ProcurementFactory(**values)


# --- following an opportunity: the participation deadline -------------------------------------


def test_following_is_refused_once_the_participation_deadline_has_passed(personas, clock):
    procurement = published_call(personas)
    deadline = procurement.participation_deadline

    clock(deadline - timedelta(seconds=1))
    assert is_open_to_interest(procurement)
    assert can_follow_procurement(personas.supplier_a_admin, procurement)
    interest_register(actor=personas.supplier_a_admin, procurement=procurement)

    clock(deadline)
    assert not is_open_to_interest(procurement)
    assert not can_follow_procurement(personas.supplier_b_admin, procurement)
    with pytest.raises(ApplicationError, match="only while its market engagement or its call"):
        interest_register(actor=personas.supplier_b_admin, procurement=procurement)
    assert list(InterestRegistration.objects.values_list("organisation", flat=True)) == [
        personas.org_a.pk
    ]


def test_following_from_a_page_loaded_before_the_deadline_registers_nothing(personas, login):
    procurement = published_call(
        personas,
        question_deadline=timezone.now() - timedelta(days=3),
        participation_deadline=timezone.now() - timedelta(minutes=1),
    )
    url = reverse("opportunities:follow", kwargs={"pk": procurement.pk})

    response = login(personas.supplier_a_admin).post(url)

    assert response.status_code == 302
    assert not InterestRegistration.objects.exists()
    assert not AuditEvent.objects.filter(action="interest.registered").exists()


@pytest.mark.parametrize("who", ["officer_a", "approver_a", "anonymous"])
def test_only_suppliers_stop_following(personas, who):
    procurement = published_call(personas)
    with pytest.raises(PermissionRefused):
        interest_withdraw(actor=getattr(personas, who), procurement=procurement)


# --- answering questions -----------------------------------------------------------------------


def test_answering_questions_is_for_the_boroughs_officers_until_cancelled(personas):
    procurement = published_call(personas)
    question = ClarificationQuestion.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        asked_by=personas.supplier_a_admin,
        text="Can the solution run on residents' own phones?",
    )
    assert can_answer_questions(personas.officer_a, procurement)
    assert can_answer_question(personas.officer_a, question)
    for who in ("officer_b", "approver_a", "evaluator_a", "supplier_a_admin", "anonymous"):
        assert not can_answer_questions(getattr(personas, who), procurement), who
        assert not can_answer_question(getattr(personas, who), question), who

    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.CANCELLED)
    procurement.refresh_from_db()
    question.refresh_from_db()
    assert not can_answer_questions(personas.officer_a, procurement)
    assert not can_answer_question(personas.officer_a, question)


# --- the lead officer must still be a procurement officer -------------------------------------


def test_a_lead_officer_who_is_no_longer_an_officer_may_not_submit_publish_or_cancel(personas):
    draft = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a
    )
    approved = published_call(personas, status=ProcurementStatus.APPROVED, published_at=None)
    OfficerMembership.objects.filter(user=personas.officer_a, role=OfficerRole.OFFICER).delete()

    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_submit_for_approval(actor=personas.officer_a, procurement=draft)
    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_publish(actor=personas.officer_a, procurement=approved)
    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        procurement_cancel(actor=personas.officer_a, procurement=draft, reason="No budget.")
    statuses = set(Procurement.objects.values_list("status", flat=True))
    assert statuses == {ProcurementStatus.DRAFT, ProcurementStatus.APPROVED}


# --- locking -----------------------------------------------------------------------------------


def test_locking_a_procurement_loads_its_borough_with_it(personas, django_assert_num_queries):
    procurement = published_call(personas)
    with django_assert_num_queries(1):
        locked = procurement_lock(procurement.pk)
        assert locked.borough.name == personas.borough_a.name
