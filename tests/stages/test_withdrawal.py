"""A partner's withdrawal from its partnership: its organisation administrator withdraws with
its reasons while the contract is active and no purchase decision is made; every phase still
open ends, the contract ends terminated, the contract termination notice (UK11) is published
under PA 2023 (none under PCR 2015), the lead officer is told, and the procurement closes when
no partnership remains active (RULES.md points 8 and 9, notices; PA 2023 s.80)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import Partnership, PartnershipStatus
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus, Regime
from stages.models import Instalment, ParticipationStatus, PartnerWithdrawal, StageParticipation
from stages.services_instalments import instalment_claim
from stages.services_purchase import purchase_decline
from stages.services_withdrawal import partnership_withdraw
from tests.stages.gate_samples import passed, under_review
from tests.stages.purchase_samples import all_phases_passed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

WITHDREW = "stages.partner_withdrew"
REASON = "Our funding ended."


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


def withdraw(actor, partnership, reason=REASON):
    return partnership_withdraw(actor=actor, partnership=partnership, reason=reason)


def statuses(partnership) -> list[str]:
    return list(
        StageParticipation.objects.filter(partnership=partnership)
        .order_by("phase__order")
        .values_list("status", flat=True)
    )


def instalments(partnership) -> list[tuple]:
    return list(
        Instalment.objects.filter(participation__partnership=partnership)
        .order_by("pk")
        .values_list("pk", "status", "amount", "claimed_amount")
    )


def nothing_withdrawn(partnership) -> None:
    assert not PartnerWithdrawal.objects.filter(partnership=partnership).exists()
    assert Partnership.objects.get(pk=partnership.pk).status == PartnershipStatus.ACTIVE
    assert not AuditEvent.objects.filter(action=WITHDREW).exists()


def test_the_partners_admin_withdraws_and_every_open_phase_ends(
    personas, sample, mine, mailoutbox, django_capture_on_commit_callbacks
):
    before = instalments(mine)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = withdraw(personas.supplier_a_admin, mine, reason="  Our funding ended.  ")

    assert withdrawal.reason == REASON
    assert withdrawal.withdrawn_by == personas.supplier_a_admin
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.TERMINATED
    assert statuses(mine) == [ParticipationStatus.TERMINATED, ParticipationStatus.TERMINATED]
    assert not StageParticipation.objects.filter(partnership=mine, decided_at=None).exists()
    # The phase that had not started ended without ever starting: no start date.
    assert list(
        StageParticipation.objects.filter(partnership=mine)
        .order_by("phase__order")
        .values_list("started_on", flat=True)
    ) == [sample.participation(personas.org_a, 1).started_on, None]
    assert instalments(mine) == before
    [event] = AuditEvent.objects.filter(action=WITHDREW, target_id=str(mine.pk))
    assert event.actor_id == personas.supplier_a_admin.pk
    assert event.data["reason"] == REASON
    assert [phase["phase"] for phase in event.data["phases_ended"]] == [
        "Research and prototype",
        "Pilot",
    ]
    [message] = mailoutbox
    assert message.to == [personas.officer_a.email]
    assert mine.reference in message.subject
    assert REASON in message.body
    assert "contract termination notice has been published" in message.body
    other = sample.partnership_of(personas.org_b)
    assert statuses(other) == [ParticipationStatus.IN_PROGRESS, ParticipationStatus.NOT_STARTED]


def test_under_pa_2023_the_contract_termination_notice_is_published_and_linked(
    personas, sample, mine
):
    assert sample.procurement.regime == Regime.PA2023
    withdrawal = withdraw(personas.supplier_a_admin, mine)
    [notice] = Notice.objects.filter(procurement=sample.procurement, kind=NoticeKind.UK11)
    assert withdrawal.notice == notice
    fields = {
        field["label"]: field["lines"]
        for section in notice.content["sections"]
        for field in section["fields"]
    }
    assert fields["How it ended"] == ["The partner withdrew"]
    assert fields["Reason"] == [REASON]
    assert fields["Contract"] == [mine.reference]
    assert notice.created_by == personas.supplier_a_admin


def test_under_pcr_2015_no_notice_is_published(personas, sample, mine):
    Procurement.objects.filter(pk=sample.procurement.pk).update(regime=Regime.PCR2015)
    withdrawal = withdraw(personas.supplier_a_admin, Partnership.objects.get(pk=mine.pk))
    assert withdrawal.notice is None
    assert not Notice.objects.filter(kind=NoticeKind.UK11).exists()
    assert Partnership.objects.get(pk=mine.pk).status == PartnershipStatus.TERMINATED


def test_a_phase_already_passed_stays_passed(personas, sample, mine):
    passed(personas, sample, personas.org_a, 1)  # which starts phase 2
    under_review(sample, personas.org_a, 2)
    withdraw(personas.supplier_a_admin, mine)
    assert statuses(mine) == [ParticipationStatus.PASSED, ParticipationStatus.TERMINATED]


def test_instalments_claimed_stay_as_they_are(personas, sample, mine):
    instalment = Instalment.objects.filter(participation__partnership=mine).order_by("pk").first()
    instalment_claim(
        actor=personas.supplier_a_admin,
        instalment=instalment,
        amount=Decimal("30000"),
        evidence="Done.",
    )
    before = instalments(mine)
    withdraw(personas.supplier_a_admin, mine)
    assert instalments(mine) == before


def test_a_partner_that_reached_the_purchase_may_still_withdraw(personas, sample):
    partnership = all_phases_passed(personas, sample, personas.org_a)
    withdraw(personas.supplier_a_admin, partnership)
    assert statuses(partnership) == [ParticipationStatus.PASSED, ParticipationStatus.PASSED]
    assert Partnership.objects.get(pk=partnership.pk).status == PartnershipStatus.TERMINATED


def test_the_procurement_closes_when_the_last_partner_withdraws(personas, sample, mine):
    withdraw(personas.supplier_a_admin, mine)
    assert Procurement.objects.get(pk=sample.procurement.pk).status == ProcurementStatus.ACTIVE
    withdraw(personas.supplier_b_admin, sample.partnership_of(personas.org_b), reason="Us too.")
    assert Procurement.objects.get(pk=sample.procurement.pk).status == ProcurementStatus.CLOSED
    assert AuditEvent.objects.filter(action="procurement.closed").count() == 1


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "supplier_a_member",
        "supplier_b_admin",
        "consortium_member",
        "officer_a",
        "approver_a",
        "borough_admin_a",
        "superuser",
    ],
)
def test_nobody_but_the_partners_admin_withdraws_it(personas, mine, persona):
    with pytest.raises(PermissionRefused):
        withdraw(getattr(personas, persona), mine)
    nothing_withdrawn(mine)
    assert statuses(mine) == [ParticipationStatus.IN_PROGRESS, ParticipationStatus.NOT_STARTED]


def test_a_blank_reason_is_refused_and_nothing_is_sent(
    personas, mine, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApplicationError) as refused,
    ):
        withdraw(personas.supplier_a_admin, mine, reason="  ")
    assert refused.value.extra["errors"] == {"reason": "Give your reasons for withdrawing"}
    nothing_withdrawn(mine)
    assert callbacks == []
    assert mailoutbox == []
    assert not Notice.objects.filter(kind=NoticeKind.UK11).exists()


def test_nothing_is_sent_before_the_withdrawal_commits(
    personas, mine, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdraw(personas.supplier_a_admin, mine)
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_a_partner_cannot_withdraw_twice(personas, mine):
    withdraw(personas.supplier_a_admin, mine)
    with pytest.raises(ApplicationError) as refused:
        withdraw(personas.supplier_a_admin, mine)
    assert refused.value.message == (
        f"{mine.reference}'s contract has already ended (terminated): there is nothing to "
        "withdraw from."
    )
    assert PartnerWithdrawal.objects.filter(partnership=mine).count() == 1


def test_a_partner_cannot_withdraw_after_the_purchase_decision(personas, sample):
    partnership = all_phases_passed(personas, sample, personas.org_a)
    purchase_decline(actor=personas.officer_a, partnership=partnership, reason="Too dear.")
    with pytest.raises(ApplicationError) as refused:
        withdraw(personas.supplier_a_admin, partnership)
    assert refused.value.message.startswith(
        f"The purchase decision on {partnership.reference} has been made (not bought)"
    )
    assert not PartnerWithdrawal.objects.exists()
