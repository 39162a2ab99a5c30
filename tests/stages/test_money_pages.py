"""The borough's Money page and one instalment's page: every partner's money per phase
against the caps, the flags and the claims waiting; the lead officer approves or withholds a
claim and records its payment; nothing typed is lost on bad input (RULES.md point 8; PA 2023
s.68). For the borough's officers, approvers and administrators (403 for its other people,
404 for anyone else); a decision by anyone but the lead officer gets 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.calendar import london_date
from stages.models import Instalment, InstalmentStatus, StageParticipation
from stages.services_instalments import instalment_claim
from tests.partners.test_partnership_pages import queries
from tests.stages.deliverable_samples import progress_report
from tests.stages.instalment_samples import (
    EVIDENCE,
    approved,
    claimed,
    events,
    fresh,
    instalments_of,
)
from tests.stages.running_samples import running

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


def money_url(sample) -> str:
    return reverse("stages:money", kwargs={"pk": sample.procurement.pk})


def instalment_url(sample, instalment) -> str:
    return reverse(
        "stages:instalment",
        kwargs={"pk": sample.procurement.pk, "instalment_pk": instalment.pk},
    )


# --- the Money page ---------------------------------------------------------------------------


def test_the_money_page_shows_each_partner_per_phase_totals_and_waiting_claims(
    personas, login, sample
):
    first, second = instalments_of(sample, personas.org_a)
    approved(personas, first)
    claimed(personas, second, "40000")

    html = login(personas.officer_a).get(money_url(sample)).content.decode()

    assert "Alpha Robotics Ltd" in html
    assert "Research and prototype" in html and "Pilot" in html
    assert "£75,000.00" in html  # phase 1's agreed price
    assert "£225,000.00" in html  # the contract's total
    assert "£40,000.00" in html  # claimed
    assert "£5,000.00" in html  # remaining under phase 1's cap
    assert 'id="waiting"' in html
    assert instalment_url(sample, second) in html
    assert "No claim is waiting" not in html
    assert 'id="unpaid-flags"' not in html


def test_the_money_page_flags_a_claim_approved_31_days_ago_and_unpaid(personas, login, sample):
    first = approved(personas, instalments_of(sample, personas.org_a)[0])
    # Only the clock is moved: the approval happened 31 days ago.
    Instalment.objects.filter(pk=first.pk).update(decided_at=timezone.now() - timedelta(days=31))

    html = login(personas.approver_a).get(money_url(sample)).content.decode()

    assert 'id="unpaid-flags"' in html
    assert "Unpaid for 31 days: PA 2023 s.68 requires payment within 30 days" in html
    assert "No claim is waiting for a decision." in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a", 200),
        ("approver_a", 200),
        ("borough_admin_a", 200),
        ("evaluator_a", 403),
        ("officer_b", 404),
        ("supplier_a_admin", 404),
    ],
)
def test_who_sees_the_money_and_an_instalment(personas, login, sample, persona, status):
    client = login(getattr(personas, persona))
    first = instalments_of(sample, personas.org_a)[0]

    assert client.get(money_url(sample)).status_code == status
    assert client.get(instalment_url(sample, first)).status_code == status


def test_the_money_page_makes_as_many_queries_for_two_partners_as_for_six(personas, login):
    client = login(personas.officer_a)
    counts = {}
    for partners in (2, 6):
        sample = running(personas, partners=partners)
        first, second = instalments_of(sample, personas.org_a)
        approved(personas, first)
        claimed(personas, second)
        # Only the clock is moved: the approval happened 40 days ago.
        Instalment.objects.filter(pk=first.pk).update(
            decided_at=timezone.now() - timedelta(days=40)
        )
        html = client.get(money_url(sample)).content.decode()
        assert html.count('data-phase="') == 2 * partners
        counts[partners] = queries(client, money_url(sample))

    print(f"Money page queries: {counts}")
    assert counts[2] == counts[6]


# --- one instalment ---------------------------------------------------------------------------


def test_the_instalment_page_shows_the_claim_evidence_history_and_the_lead_officers_forms(
    personas, login, sample
):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    html = login(personas.officer_a).get(instalment_url(sample, first)).content.decode()

    assert "Interim report accepted" in html
    assert EVIDENCE in html
    assert "£30,000.00" in html
    assert "Approve the claim" in html and "Withhold the claim" in html
    assert 'id="history"' in html and "claimed £30000.00" in html


def test_the_instalment_page_links_the_deliverable_cited(personas, login, sample):
    first = instalments_of(sample, personas.org_a)[0]
    deliverable = progress_report(
        first.participation,
        by=personas.supplier_a_admin,
        title="Interim monitoring report",
        summary="Twenty homes.",
    )
    instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=first,
        amount=first.amount,
        evidence=EVIDENCE,
        deliverable=deliverable,
    )

    html = login(personas.officer_a).get(instalment_url(sample, first)).content.decode()

    participation = reverse(
        "stages:participation",
        kwargs={"pk": sample.procurement.pk, "participation_pk": first.participation_id},
    )
    assert f'href="{participation}#deliverable-{deliverable.pk}"' in html
    assert "Interim monitoring report" in html


def test_other_borough_people_read_the_instalment_without_the_forms(personas, login, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])
    client = login(personas.approver_a)

    html = client.get(instalment_url(sample, first)).content.decode()

    assert "Approve the claim" not in html
    assert "The procurement's lead officer decides the claim" in html
    for action in ("approve", "withhold", "paid"):
        response = client.post(instalment_url(sample, first), {"action": action})
        assert response.status_code == 403
    assert fresh(first).status == InstalmentStatus.CLAIMED


def test_an_instalment_of_another_procurement_is_not_found(personas, login, sample):
    other = running(personas)
    first = instalments_of(other, personas.org_a)[0]

    response = login(personas.officer_a).get(instalment_url(sample, first))

    assert response.status_code == 404


def test_the_lead_officer_approves_then_records_the_payment_through_the_page(
    personas, login, sample
):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])
    client = login(personas.officer_a)
    url = instalment_url(sample, first)

    response = client.post(url, {"action": "approve", "approve-reason": "Accepted."})
    assert response.status_code == 302 and response.url == url
    assert fresh(first).status == InstalmentStatus.APPROVED
    html = client.get(url).content.decode()
    assert "Record the payment" in html

    today = london_date(timezone.now())
    response = client.post(
        url,
        {
            "action": "paid",
            "paid-paid_on_day": today.day,
            "paid-paid_on_month": today.month,
            "paid-paid_on_year": today.year,
        },
    )
    assert response.status_code == 302
    found = fresh(first)
    assert found.status == InstalmentStatus.PAID and found.paid_on == today
    assert len(events("paid", found)) == 1


def test_withholding_without_reasons_shows_the_error_and_keeps_nothing_changed(
    personas, login, sample
):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    response = login(personas.officer_a).post(
        instalment_url(sample, first), {"action": "withhold", "withhold-reason": "  "}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Give the reasons for withholding the claim" in html
    assert fresh(first).status == InstalmentStatus.CLAIMED


def test_a_payment_date_in_the_future_is_refused_and_the_typed_date_is_kept(
    personas, login, sample
):
    first = approved(personas, instalments_of(sample, personas.org_a)[0])
    tomorrow = london_date(timezone.now()) + timedelta(days=1)

    response = login(personas.officer_a).post(
        instalment_url(sample, first),
        {
            "action": "paid",
            "paid-paid_on_day": tomorrow.day,
            "paid-paid_on_month": tomorrow.month,
            "paid-paid_on_year": tomorrow.year,
        },
    )

    html = response.content.decode()
    assert "The date of payment must be today or in the past" in html
    assert f'value="{tomorrow.year}"' in html
    assert fresh(first).status == InstalmentStatus.APPROVED


def test_an_approval_above_the_cap_is_refused_on_the_page_with_the_figures(personas, login, sample):
    first, second = instalments_of(sample, personas.org_a)
    approved(personas, first)
    second = claimed(personas, second)
    StageParticipation.objects.filter(pk=first.participation_id).update(price=60000)

    response = login(personas.officer_a).post(
        instalment_url(sample, second), {"action": "approve", "approve-reason": "Kept reason"}
    )

    html = response.content.decode()
    assert "There is a problem" in html
    assert "at most £30,000.00 can still be approved" in html
    assert "Kept reason" in html
    assert fresh(second).status == InstalmentStatus.CLAIMED


def test_an_unknown_action_is_a_bad_request(personas, login, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    response = login(personas.officer_a).post(instalment_url(sample, first), {"action": "x"})

    assert response.status_code == 400
