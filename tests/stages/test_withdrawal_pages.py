"""The partner's withdrawal page: its organisation administrator reads the consequences (its
contract ends, its open phases end, a contract termination notice is published under PA 2023)
and confirms with its reasons; a blank reason is refused with nothing lost; its other people
get 403 and everyone else 404 (RULES.md points 8 and 9; PA 2023 s.80)."""

from __future__ import annotations

import html as html_lib

import pytest
from django.urls import reverse

from core.exceptions import PermissionRefused
from partners.models import Partnership, PartnershipStatus
from procurements.models import Procurement, Regime
from stages.models import PartnerWithdrawal
from stages.services_withdrawal import partnership_withdraw
from tests.stages.running_samples import member_c_joins

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

NOTICE_LINE = "contract termination notice under the Procurement Act 2023"


def withdraw_url(partnership) -> str:
    return reverse("stages:partner-withdraw", kwargs={"pk": partnership.pk})


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def mine(personas, sample):
    return sample.partnership_of(personas.org_a)


def test_the_admin_reads_the_consequences_before_withdrawing(personas, login, mine):
    page = text(login(personas.supplier_a_admin).get(withdraw_url(mine)))
    assert "Withdraw from the partnership" in page
    assert f"your partnership contract {mine.reference} ends today" in page
    assert NOTICE_LINE in page
    assert 'name="reason"' in page


def test_under_pcr_2015_no_notice_is_promised(personas, login, sample, mine):
    Procurement.objects.filter(pk=sample.procurement.pk).update(regime=Regime.PCR2015)
    page = text(login(personas.supplier_a_admin).get(withdraw_url(mine)))
    assert NOTICE_LINE not in page
    assert 'name="reason"' in page


def test_the_admin_withdraws_through_the_page(personas, login, mine):
    client = login(personas.supplier_a_admin)
    response = client.post(withdraw_url(mine), {"reason": "Our funding ended."}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("stages:partner-phases")
    assert f"You have withdrawn from {mine.reference}" in text(response)
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.TERMINATED
    assert PartnerWithdrawal.objects.get(partnership=mine).reason == "Our funding ended."


def test_a_blank_reason_is_refused_on_the_form(personas, login, mine):
    response = login(personas.supplier_a_admin).post(withdraw_url(mine), {"reason": "  "})
    page = text(response)
    assert response.status_code == 200
    assert page.count("Give your reasons for withdrawing") == 2
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.ACTIVE


def test_after_the_contract_ended_the_page_says_so_and_takes_nothing(personas, login, mine):
    partnership_withdraw(actor=personas.supplier_a_admin, partnership=mine, reason="Done.")
    client = login(personas.supplier_a_admin)
    page = text(client.get(withdraw_url(mine)))
    assert "has already ended (terminated)" in page
    assert 'name="reason"' not in page
    client.post(withdraw_url(mine), {"reason": "Again."})
    assert PartnerWithdrawal.objects.get(partnership=mine).reason == "Done."


def test_a_member_who_is_not_an_admin_gets_403(personas, login, mine):
    client = login(personas.supplier_a_member)
    assert client.get(withdraw_url(mine)).status_code == 403
    assert client.post(withdraw_url(mine), {"reason": "Stop."}).status_code == 403
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.ACTIVE


@pytest.mark.parametrize(
    "persona", ["supplier_b_admin", "consortium_member", "officer_a", "approver_a", "superuser"]
)
def test_anyone_else_gets_404(personas, login, mine, persona):
    client = login(getattr(personas, persona))
    assert client.get(withdraw_url(mine)).status_code == 404
    assert client.post(withdraw_url(mine), {"reason": "Stop."}).status_code == 404
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.ACTIVE


def test_a_consortium_members_admin_gets_403_and_the_service_refuses_it(personas, login, mine):
    member_c_joins(personas, mine.request)
    client = login(personas.consortium_member)
    assert client.get(withdraw_url(mine)).status_code == 403
    assert client.post(withdraw_url(mine), {"reason": "Stop."}).status_code == 403
    with pytest.raises(PermissionRefused):
        partnership_withdraw(actor=personas.consortium_member, partnership=mine, reason="Stop.")
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.ACTIVE
