"""Four eyes: nobody who wrote any part of a procurement may approve it, and the
builder's pages stay with the borough whatever the procurement's state."""

import pytest
from django.urls import reverse

from core.exceptions import PermissionRefused
from core.models import OfficerRole
from procurements.models import Procurement, ProcurementStatus
from procurements.permissions import can_review_procurement, is_author
from procurements.services.approval import procurement_approve
from procurements.services.builder import procurement_market_gap_save
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def procurement(personas):
    return factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, title="Falls at home"
    )


def _submitted(procurement):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)
    procurement.refresh_from_db()
    return procurement


def test_an_approver_who_edited_a_section_may_not_approve_it(personas, procurement):
    both = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    procurement_market_gap_save(
        actor=both,
        procurement=procurement,
        completed=False,
        market_gap="Nothing on the market detects falls at night without cameras.",
        market_engagement_evidence="",
    )
    procurement = _submitted(procurement)

    assert is_author(both, procurement)
    assert not can_review_procurement(both, procurement)
    # Refused for writing it, before any rule is checked (this draft breaks many).
    with pytest.raises(PermissionRefused, match="four eyes"):
        procurement_approve(actor=both, procurement=procurement, comments="Looks fine")
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.AWAITING_APPROVAL


def test_a_lead_officer_who_handed_over_the_lead_is_still_an_author(personas, procurement):
    both = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    procurement_market_gap_save(
        actor=both,
        procurement=procurement,
        completed=False,
        market_gap="Written while leading it.",
        market_engagement_evidence="",
    )
    Procurement.objects.filter(pk=procurement.pk).update(
        lead_officer=personas.officer_a, approver=both
    )
    procurement = _submitted(procurement)

    assert not can_review_procurement(both, procurement)
    with pytest.raises(PermissionRefused, match="four eyes"):
        procurement_approve(actor=both, procurement=procurement, comments="Looks fine")


def test_an_approver_who_never_touched_it_may_approve(personas, procurement):
    procurement = _submitted(procurement)

    assert can_review_procurement(personas.approver_a, procurement)


@pytest.mark.parametrize("state", [ProcurementStatus.PUBLISHED, ProcurementStatus.CANCELLED])
@pytest.mark.parametrize("persona", ["officer_b", "supplier_a_member", "evaluator_a"])
def test_the_builder_pages_of_a_published_procurement_stay_with_the_borough(
    personas, login, procurement, state, persona
):
    Procurement.objects.filter(pk=procurement.pk).update(status=state)
    client = login(getattr(personas, persona))

    for name in ("procurements:task-list", "procurements:check-answers"):
        assert client.get(reverse(name, kwargs={"pk": procurement.pk})).status_code == 404
