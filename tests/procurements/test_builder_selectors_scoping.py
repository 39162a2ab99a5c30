"""The builder's lists show only what the person may open: the procurement list agrees with
``can_view_procurement``, the awaiting-approval list with ``can_review_procurement``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.models import OfficerMembership, OfficerRole
from procurements.models import Procurement, ProcurementStatus
from procurements.permissions import can_review_procurement, can_view_procurement
from procurements.selectors import procurement_list, procurement_list_awaiting_approval
from procurements.services.builder import procurement_market_gap_save
from tests import factories

pytestmark = pytest.mark.django_db


def _awaiting(procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)
    procurement.refresh_from_db()
    return procurement


def test_an_approver_who_edited_a_procurement_does_not_find_it_awaiting_their_approval(
    personas, login
):
    both = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    edited = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )
    procurement_market_gap_save(
        actor=both,
        procurement=edited,
        completed=False,
        market_gap="Nothing on the market detects falls at night without cameras.",
        market_engagement_evidence="",
    )
    edited = _awaiting(edited)
    untouched = _awaiting(
        factories.ProcurementFactory(
            borough=personas.borough_a, lead_officer=personas.officer_a, title="Cooler schools"
        )
    )

    assert list(procurement_list_awaiting_approval(user=both)) == [untouched]
    assert not can_review_procurement(both, edited)
    assert can_review_procurement(both, untouched)
    html = login(both).get(reverse("procurements:awaiting-approval")).content.decode()
    assert reverse("procurements:review", kwargs={"pk": untouched.pk}) in html
    assert edited.reference not in html


def test_the_awaiting_approval_list_is_empty_for_someone_signed_out(personas):
    _awaiting(factories.ProcurementFactory(borough=personas.borough_a))

    assert list(procurement_list_awaiting_approval(user=AnonymousUser())) == []


def test_an_evaluator_named_on_a_procurement_no_longer_sees_it_once_their_role_ends(
    personas, login
):
    named = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )
    named.evaluators.add(personas.evaluator_a)
    assert list(procurement_list(user=personas.evaluator_a)) == [named]

    OfficerMembership.objects.filter(
        user=personas.evaluator_a, borough=personas.borough_a, role=OfficerRole.EVALUATOR
    ).delete()

    assert not can_view_procurement(personas.evaluator_a, named)
    assert list(procurement_list(user=personas.evaluator_a)) == []


def test_an_evaluator_of_one_borough_named_on_anothers_procurement_does_not_see_it(personas):
    elsewhere = factories.ProcurementFactory(borough=personas.borough_b, title="Bowfield bins")
    elsewhere.evaluators.add(personas.evaluator_a)

    assert not can_view_procurement(personas.evaluator_a, elsewhere)
    assert elsewhere not in procurement_list(user=personas.evaluator_a)


def test_every_listed_procurement_opens_for_each_builder_persona(personas):
    mine = factories.ProcurementFactory(borough=personas.borough_a)
    mine.evaluators.add(personas.evaluator_a)
    factories.ProcurementFactory(borough=personas.borough_a)
    factories.ProcurementFactory(borough=personas.borough_b)

    for name in ("officer_a", "approver_a", "evaluator_a", "borough_admin_a", "officer_b"):
        user = getattr(personas, name)
        listed = list(procurement_list(user=user))
        assert listed, name
        visible = [p for p in Procurement.objects.all() if can_view_procurement(user, p)]
        assert sorted(p.pk for p in listed) == sorted(p.pk for p in visible), name
