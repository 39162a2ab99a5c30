"""Remuneration in instalments: the partner's organisation administrator claims with evidence;
the lead officer approves or withholds with reasons and records the payment; nobody else,
from no other state; never above the phase's agreed price or the contract's total (RULES.md
point 8; PA 2023 s.68).

Sample (``running``): phase 1 agreed at £75,000 (instalments £30,000 and £45,000), phase 2 at
£150,000 (£60,000 and £90,000), the contract's total £225,000.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import Partnership, PartnershipStatus
from procurements.models import Procurement, ProcurementStatus
from stages.models import InstalmentStatus, StageParticipation
from stages.services_instalments import (
    instalment_approve,
    instalment_claim,
    instalment_mark_paid,
    instalment_withhold,
)
from tests.stages.deliverable_samples import progress_report
from tests.stages.gate_samples import terminated
from tests.stages.instalment_samples import (
    EVIDENCE,
    approved,
    claimed,
    events,
    fresh,
    in_state,
    instalments_of,
    paid,
    start_phase_two,
    withheld,
)
from tests.stages.running_samples import member_c_joins

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


# --- claiming ---------------------------------------------------------------------------------


def test_the_partners_admin_claims_a_scheduled_instalment_and_the_lead_officer_is_told(
    personas, sample, mailoutbox, django_capture_on_commit_callbacks
):
    first, _ = instalments_of(sample, personas.org_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        instalment_claim(
            actor=personas.supplier_a_admin,
            instalment=first,
            amount=Decimal("29999.50"),
            evidence=f"  {EVIDENCE}  ",
        )
    assert mailoutbox == []  # nothing sent before the claim commits
    for callback in callbacks:
        callback()

    found = fresh(first)
    assert found.status == InstalmentStatus.CLAIMED
    assert found.claimed_amount == Decimal("29999.50")
    assert found.evidence == EVIDENCE
    assert found.claimed_by == personas.supplier_a_admin
    assert found.claimed_at is not None
    [event] = events("claimed", found)
    assert event.actor == personas.supplier_a_admin
    assert event.data["claimed_amount"] == "29999.50"
    assert event.data["committed"] == "30000.00"
    assert event.data["milestone"] == "Interim report accepted"
    assert event.data["evidence"] == EVIDENCE
    [message] = mailoutbox
    assert message.to == [personas.officer_a.email]
    assert "£29,999.50" in message.body
    assert f"/stages/money/instalments/{found.pk}/" in message.body


def test_a_withheld_instalment_is_claimed_again_with_new_evidence(personas, sample):
    first = withheld(personas, instalments_of(sample, personas.org_a)[0])

    again = instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=first,
        amount=Decimal("30000"),
        evidence="The report now covers the 20 homes monitored.",
    )

    found = fresh(again)
    assert found.status == InstalmentStatus.CLAIMED
    assert found.evidence == "The report now covers the 20 homes monitored."
    assert found.decided_by is None and found.decision_reason == ""
    assert len(events("claimed", found)) == 2


@pytest.mark.parametrize(
    "state", [InstalmentStatus.CLAIMED, InstalmentStatus.APPROVED, InstalmentStatus.PAID]
)
def test_a_claim_is_refused_from_any_other_state(personas, sample, state):
    instalment = in_state(personas, instalments_of(sample, personas.org_a)[0], state)

    with pytest.raises(ApplicationError) as refused:
        claimed(personas, instalment)

    assert "claim" in refused.value.message or "paid" in refused.value.message
    assert fresh(instalment).status == state
    assert len(events("claimed", instalment)) == (0 if state == "scheduled" else 1)


@pytest.mark.parametrize(
    "persona",
    ["supplier_a_member", "supplier_b_admin", "consortium_member", "officer_a", "approver_a"],
)
def test_only_the_partners_admin_may_claim(personas, sample, persona):
    first = instalments_of(sample, personas.org_a)[0]
    member_c_joins(personas, sample.partnership_of(personas.org_a).request)

    with pytest.raises(PermissionRefused):
        instalment_claim(
            actor=getattr(personas, persona), instalment=first, amount=first.amount, evidence="x"
        )

    assert fresh(first).status == InstalmentStatus.SCHEDULED
    assert events("claimed", first) == []


def test_an_instalment_of_a_phase_not_started_is_refused(personas, sample):
    first = instalments_of(sample, personas.org_a, 2)[0]

    with pytest.raises(ApplicationError, match="Pilot has not started"):
        claimed(personas, first)

    assert fresh(first).status == InstalmentStatus.SCHEDULED


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "The amount must be more than £0"),
        (Decimal("-5"), "The amount must be more than £0"),
        (Decimal("100.001"), "no more than 2 decimal places"),
        (None, "Enter the amount you claim"),
    ],
)
def test_an_amount_that_is_not_money_is_refused_on_the_amount(personas, sample, amount, message):
    first = instalments_of(sample, personas.org_a)[0]

    with pytest.raises(ApplicationError) as refused:
        instalment_claim(
            actor=personas.supplier_a_admin, instalment=first, amount=amount, evidence=EVIDENCE
        )

    assert message in refused.value.extra["errors"]["amount"]
    assert fresh(first).status == InstalmentStatus.SCHEDULED


def test_evidence_is_required(personas, sample):
    first = instalments_of(sample, personas.org_a)[0]

    with pytest.raises(ApplicationError) as refused:
        instalment_claim(
            actor=personas.supplier_a_admin, instalment=first, amount=first.amount, evidence="  "
        )

    assert refused.value.extra["errors"] == {
        "evidence": "Describe the evidence that the milestone is reached"
    }


def test_a_claim_above_the_phases_agreed_price_says_the_cap_what_is_held_and_the_most(
    personas, sample
):
    first, second = instalments_of(sample, personas.org_a)
    claimed(personas, first)  # £30,000 of £75,000

    with pytest.raises(ApplicationError) as refused:
        claimed(personas, second, "45000.01")

    message = refused.value.message
    assert "above the phase's maximum" in message
    assert "£75,000.00" in message
    assert "£30,000.00 is already claimed, approved or paid" in message
    assert "at most £45,000.00 can still be claimed" in message
    assert refused.value.extra["errors"]["amount"] == message
    assert fresh(second).status == InstalmentStatus.SCHEDULED
    assert claimed(personas, second, "45000.00").status == InstalmentStatus.CLAIMED


def test_a_claim_above_the_contracts_total_is_refused(personas, sample):
    partnership = sample.partnership_of(personas.org_a)
    Partnership.objects.filter(pk=partnership.pk).update(total_price=Decimal("100000"))
    paid(personas, instalments_of(sample, personas.org_a)[0])  # £30,000
    approved(personas, instalments_of(sample, personas.org_a)[1])  # £45,000
    start_phase_two(personas, sample, personas.org_a)
    pilot = instalments_of(sample, personas.org_a, 2)[0]

    with pytest.raises(ApplicationError) as refused:
        claimed(personas, pilot, "25000.01")

    message = refused.value.message
    assert "above the contract's total" in message
    assert "£100,000.00" in message and "£75,000.00 is already claimed, approved or paid" in message
    assert "at most £25,000.00" in message
    assert claimed(personas, pilot, "25000").status == InstalmentStatus.CLAIMED


def test_withheld_money_does_not_count_against_the_caps(personas, sample):
    first, second = instalments_of(sample, personas.org_a)
    withheld(personas, first)

    assert claimed(personas, second, "75000").status == InstalmentStatus.CLAIMED


def test_another_partners_money_does_not_count(personas, sample):
    for instalment in instalments_of(sample, personas.org_b):
        instalment_claim(
            actor=personas.supplier_b_admin,
            instalment=instalment,
            amount=instalment.amount,
            evidence=EVIDENCE,
        )

    assert claimed(personas, instalments_of(sample, personas.org_a)[0], "75000").claimed_amount


def test_a_deliverable_of_the_phase_may_be_cited_and_of_another_is_refused(personas, sample):
    first = instalments_of(sample, personas.org_a)[0]
    own = progress_report(
        sample.participation(personas.org_a),
        by=personas.supplier_a_admin,
        title="Interim report",
        summary="Twenty homes monitored.",
    )
    other = progress_report(
        sample.participation(personas.org_b),
        by=personas.supplier_b_admin,
        title="B's report",
        summary="Theirs.",
    )

    with pytest.raises(ApplicationError) as refused:
        instalment_claim(
            actor=personas.supplier_a_admin,
            instalment=first,
            amount=first.amount,
            evidence=EVIDENCE,
            deliverable=other,
        )
    assert "deliverable" in refused.value.extra["errors"]

    done = instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=first,
        amount=first.amount,
        evidence=EVIDENCE,
        deliverable=own,
    )
    assert fresh(done).deliverable == own
    assert events("claimed", done)[0].data["deliverable_id"] == own.pk


def test_once_the_partnership_ended_no_claim_is_made_but_an_open_claim_is_decided(personas, sample):
    first, second = instalments_of(sample, personas.org_a)
    claimed(personas, first)
    terminated(personas, sample, personas.org_a)  # at phase 1's gate: the contract ends
    partnership = Partnership.objects.get(pk=sample.partnership_of(personas.org_a).pk)

    with pytest.raises(ApplicationError, match="no new claim can be made"):
        claimed(personas, second)

    assert instalment_approve(actor=personas.officer_a, instalment=first).status == "approved"
    assert partnership.status == PartnershipStatus.TERMINATED


def test_a_claim_rolled_back_sends_nothing(
    personas, sample, mailoutbox, django_capture_on_commit_callbacks
):
    first = instalments_of(sample, personas.org_a)[0]

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        claimed(personas, first)
        raise RuntimeError("the page failed after the claim")

    assert callbacks == [] and mailoutbox == []
    assert fresh(first).status == InstalmentStatus.SCHEDULED
    assert events("claimed", first) == []


# --- approving and withholding ----------------------------------------------------------------


def test_the_lead_officer_approves_a_claim_and_the_partner_is_told(
    personas, sample, mailoutbox, django_capture_on_commit_callbacks
):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        instalment_approve(actor=personas.officer_a, instalment=first, reason="Report accepted.")
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    found = fresh(first)
    assert found.status == InstalmentStatus.APPROVED
    assert found.decided_by == personas.officer_a
    assert found.decision_reason == "Report accepted."
    [event] = events("approved", found)
    assert event.actor == personas.officer_a
    assert event.data["reason"] == "Report accepted."
    assert event.data["claimed_amount"] == "30000.00"
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]
    assert "approved your claim of £30,000.00" in message.body
    assert "s.68" in message.body


def test_the_lead_officer_withholds_a_claim_with_reasons_and_the_partner_is_told(
    personas, sample, mailoutbox, django_capture_on_commit_callbacks
):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    with django_capture_on_commit_callbacks(execute=True):
        instalment_withhold(
            actor=personas.officer_a, instalment=first, reason="The homes are not listed."
        )

    found = fresh(first)
    assert found.status == InstalmentStatus.WITHHELD
    assert found.decision_reason == "The homes are not listed."
    [event] = events("withheld", found)
    assert event.data["reason"] == "The homes are not listed."
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]
    assert "The homes are not listed." in message.body


def test_withholding_needs_reasons(personas, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    with pytest.raises(ApplicationError) as refused:
        instalment_withhold(actor=personas.officer_a, instalment=first, reason=" ")

    assert refused.value.extra["errors"] == {"reason": "Give the reasons for withholding the claim"}
    assert fresh(first).status == InstalmentStatus.CLAIMED


@pytest.mark.parametrize(
    "state",
    [
        InstalmentStatus.SCHEDULED,
        InstalmentStatus.APPROVED,
        InstalmentStatus.PAID,
        InstalmentStatus.WITHHELD,
    ],
)
@pytest.mark.parametrize("decide", [instalment_approve, instalment_withhold])
def test_only_a_claim_is_decided(personas, sample, state, decide):
    instalment = in_state(personas, instalments_of(sample, personas.org_a)[0], state)
    before = AuditEvent.objects.count()

    with pytest.raises(ApplicationError):
        decide(actor=personas.officer_a, instalment=instalment, reason="Reasons.")

    assert fresh(instalment).status == state
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "persona", ["approver_a", "borough_admin_a", "evaluator_a", "officer_b", "supplier_a_admin"]
)
@pytest.mark.parametrize("decide", [instalment_approve, instalment_withhold])
def test_only_the_lead_officer_decides_a_claim(personas, sample, persona, decide):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])

    with pytest.raises(PermissionRefused):
        decide(actor=getattr(personas, persona), instalment=first, reason="Reasons.")

    assert fresh(first).status == InstalmentStatus.CLAIMED


def test_the_lead_officer_still_decides_and_pays_once_the_procurement_is_closed(personas, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])
    Procurement.objects.filter(pk=sample.procurement.pk).update(status=ProcurementStatus.CLOSED)

    done = instalment_approve(actor=personas.officer_a, instalment=first)
    instalment_mark_paid(
        actor=personas.officer_a, instalment=done, paid_on=london_date(timezone.now())
    )

    assert fresh(first).status == InstalmentStatus.PAID


def test_an_approval_rechecks_the_phase_cap_against_approved_and_paid_money(personas, sample):
    first, second = instalments_of(sample, personas.org_a)
    approved(personas, first)  # £30,000 approved
    second = claimed(personas, second)  # £45,000 claimed
    # The phase's agreed price is lowered (a contract change) after the claim.
    StageParticipation.objects.filter(pk=first.participation_id).update(price=Decimal("60000"))

    with pytest.raises(ApplicationError) as refused:
        instalment_approve(actor=personas.officer_a, instalment=second)

    message = refused.value.message
    assert "above the phase's maximum" in message
    assert "£30,000.00 is already approved or paid" in message
    assert "at most £30,000.00 can still be approved" in message
    assert fresh(second).status == InstalmentStatus.CLAIMED


def test_an_approval_rechecks_the_contracts_total(personas, sample):
    first = claimed(personas, instalments_of(sample, personas.org_a)[0])
    Partnership.objects.filter(pk=sample.partnership_of(personas.org_a).pk).update(
        total_price=Decimal("20000")
    )

    with pytest.raises(ApplicationError, match="above the contract's total"):
        instalment_approve(actor=personas.officer_a, instalment=first)


# --- paying -----------------------------------------------------------------------------------


def test_the_lead_officer_records_the_payment_and_the_partner_is_told(
    personas, sample, mailoutbox, django_capture_on_commit_callbacks
):
    first = approved(personas, instalments_of(sample, personas.org_a)[0])
    today = london_date(timezone.now())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        instalment_mark_paid(actor=personas.officer_a, instalment=first, paid_on=today)
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    found = fresh(first)
    assert found.status == InstalmentStatus.PAID
    assert found.paid_on == today
    assert found.paid_recorded_by == personas.officer_a
    [event] = events("paid", found)
    assert event.data["paid_on"] == today.isoformat()
    assert event.data["claimed_amount"] == "30000.00"
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]
    assert "recorded the payment" in message.body


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "today or in the past"), (-1, "on or after the approval of the claim")],
)
def test_a_payment_date_in_the_future_or_before_the_approval_is_refused(
    personas, sample, days, message
):
    first = approved(personas, instalments_of(sample, personas.org_a)[0])

    with pytest.raises(ApplicationError) as refused:
        instalment_mark_paid(
            actor=personas.officer_a,
            instalment=first,
            paid_on=london_date(timezone.now()) + timedelta(days=days),
        )

    assert message in refused.value.extra["errors"]["paid_on"]
    assert fresh(first).status == InstalmentStatus.APPROVED


@pytest.mark.parametrize(
    "state",
    [
        InstalmentStatus.SCHEDULED,
        InstalmentStatus.CLAIMED,
        InstalmentStatus.PAID,
        InstalmentStatus.WITHHELD,
    ],
)
def test_only_an_approved_claim_is_paid(personas, sample, state):
    instalment = in_state(personas, instalments_of(sample, personas.org_a)[0], state)

    with pytest.raises(ApplicationError):
        instalment_mark_paid(
            actor=personas.officer_a, instalment=instalment, paid_on=london_date(timezone.now())
        )

    assert fresh(instalment).status == state
    assert len(events("paid", instalment)) == (1 if state == InstalmentStatus.PAID else 0)


@pytest.mark.parametrize("persona", ["approver_a", "borough_admin_a", "supplier_a_admin"])
def test_only_the_lead_officer_records_a_payment(personas, sample, persona):
    first = approved(personas, instalments_of(sample, personas.org_a)[0])

    with pytest.raises(PermissionRefused):
        instalment_mark_paid(
            actor=getattr(personas, persona),
            instalment=first,
            paid_on=london_date(timezone.now()),
        )

    assert fresh(first).status == InstalmentStatus.APPROVED
    assert events("paid", first) == []
