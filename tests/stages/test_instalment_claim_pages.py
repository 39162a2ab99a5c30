"""The partner's instalments (/procurements/my-money/) and the claim of one: its own
instalments with state, amounts and caps; a Claim action on each claimable one for its
organisation's administrator; nothing typed lost on bad input; read only for its other
people and consortium members; 404 for anyone else (RULES.md point 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stages.models import InstalmentStatus
from tests.partners.test_partnership_pages import queries
from tests.stages.deliverable_samples import progress_report
from tests.stages.instalment_samples import (
    EVIDENCE,
    claimed,
    events,
    fresh,
    instalments_of,
    start_phase_two,
)
from tests.stages.running_samples import member_c_joins

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PAGE = "stages:partner-money"


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


def page_url() -> str:
    return reverse(PAGE)


def claim_url(instalment) -> str:
    return reverse("stages:partner-instalment-claim", kwargs={"pk": instalment.pk})


def claim_links(html: str) -> int:
    return html.count("/procurements/my-money/instalments/")


def test_the_partner_page_lists_its_instalments_with_amounts_caps_and_claim_actions(
    personas, login, sample
):
    first, second = instalments_of(sample, personas.org_a)
    claimed(personas, first)

    html = login(personas.supplier_a_admin).get(page_url()).content.decode()

    assert sample.partnership_of(personas.org_a).reference in html
    assert sample.partnership_of(personas.org_b).reference not in html
    assert "Interim report accepted" in html and "Final report accepted" in html
    assert "£75,000.00" in html and "£45,000.00 remaining under it" in html
    assert "£225,000.00" in html
    assert "Claimed" in html
    assert claim_links(html) == 1  # the second of phase 1; phase 2 has not started
    assert claim_url(second) in html


def test_members_and_consortium_members_read_without_claiming(personas, login, sample):
    first = instalments_of(sample, personas.org_a)[0]
    member_c_joins(personas, sample.partnership_of(personas.org_a).request)
    for persona in ("supplier_a_member", "consortium_member"):
        client = login(getattr(personas, persona))
        html = client.get(page_url()).content.decode()
        assert "Interim report accepted" in html
        assert claim_links(html) == 0
        assert client.get(claim_url(first)).status_code == 403
        response = client.post(claim_url(first), {"amount": "30000", "evidence": EVIDENCE})
        assert response.status_code == 403
    assert "You are a consortium member" in html
    assert fresh(first).status == InstalmentStatus.SCHEDULED


def test_another_supplier_gets_404_and_officers_get_404(personas, login, sample):
    first = instalments_of(sample, personas.org_a)[0]

    client = login(personas.supplier_b_admin)
    assert client.get(claim_url(first)).status_code == 404
    assert client.post(claim_url(first), {"amount": "1", "evidence": "x"}).status_code == 404
    for persona in ("officer_a", "approver_a"):
        officer = login(getattr(personas, persona))
        assert officer.get(page_url()).status_code == 404
        assert officer.get(claim_url(first)).status_code == 404
    assert fresh(first).status == InstalmentStatus.SCHEDULED


def test_the_claim_form_offers_the_instalments_amount_and_the_phases_deliverables(
    personas, login, sample
):
    first = instalments_of(sample, personas.org_a)[0]
    progress_report(
        sample.participation(personas.org_a),
        by=personas.supplier_a_admin,
        title="Interim monitoring report",
        summary="Twenty homes.",
    )
    progress_report(
        sample.participation(personas.org_b),
        by=personas.supplier_b_admin,
        title="Their report",
        summary="Not ours.",
    )

    html = login(personas.supplier_a_admin).get(claim_url(first)).content.decode()

    assert 'value="30000.00"' in html
    assert "Interim monitoring report" in html
    assert "Their report" not in html
    assert 'id="most"' in html and "£75,000.00" in html


def test_the_admin_claims_through_the_page(personas, login, sample):
    first = instalments_of(sample, personas.org_a)[0]
    deliverable = progress_report(
        sample.participation(personas.org_a),
        by=personas.supplier_a_admin,
        title="Interim monitoring report",
        summary="Twenty homes.",
    )
    client = login(personas.supplier_a_admin)

    response = client.post(
        claim_url(first),
        {"amount": "30000.00", "evidence": EVIDENCE, "deliverable": deliverable.pk},
    )

    assert response.status_code == 302 and response.url == page_url()
    found = fresh(first)
    assert found.status == InstalmentStatus.CLAIMED and found.deliverable == deliverable
    assert len(events("claimed", found)) == 1
    html = client.get(page_url()).content.decode()
    assert "Your claim of £30,000.00 for Interim report accepted is sent to the borough." in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"amount": "", "evidence": EVIDENCE}, "Enter the amount you claim"),
        ({"amount": "0", "evidence": EVIDENCE}, "The amount must be more than £0"),
        ({"amount": "12.345", "evidence": EVIDENCE}, "no more than 2 decimal places"),
        ({"amount": "lots", "evidence": EVIDENCE}, "Enter the amount as a number of pounds"),
        ({"amount": "75000.01", "evidence": EVIDENCE}, "at most £75,000.00 can still be claimed"),
        ({"amount": "30000", "evidence": " "}, "Describe the evidence that the milestone"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_typed_is_lost(
    personas, login, sample, data, error
):
    first = instalments_of(sample, personas.org_a)[0]

    response = login(personas.supplier_a_admin).post(claim_url(first), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert error in html
    if data["amount"]:
        assert f'value="{data["amount"]}"' in html
    if data["evidence"].strip():
        assert EVIDENCE in html
    assert fresh(first).status == InstalmentStatus.SCHEDULED


def test_an_instalment_already_claimed_shows_why_it_cannot_be_claimed(personas, login, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])
    client = login(personas.supplier_a_admin)

    html = client.get(claim_url(first)).content.decode()
    assert "already claimed" in html and "Send the claim" not in html
    response = client.post(claim_url(first), {"amount": "1", "evidence": EVIDENCE})
    assert "already claimed" in response.content.decode()
    assert fresh(first).claimed_amount == first.claimed_amount


def test_the_partner_page_makes_as_many_queries_with_one_instalment_claimed_as_with_four(
    personas, login, sample
):
    client = login(personas.supplier_a_admin)
    first, second = instalments_of(sample, personas.org_a)
    claimed(personas, first)
    counts = {1: queries(client, page_url())}
    claimed(personas, second)
    start_phase_two(personas, sample, personas.org_a)
    for instalment in instalments_of(sample, personas.org_a, 2):
        claimed(personas, instalment)
    html = client.get(page_url()).content.decode()
    assert html.count('govuk-tag--yellow">Claimed<') == 4

    counts[4] = queries(client, page_url())

    print(f"Partner money page queries: {counts}")
    assert counts[1] == counts[4]
