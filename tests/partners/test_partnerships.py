"""Entering the partnership contracts, through the service: never during standstill or while
the award is suspended, only by the lead officer; afterwards one ``Partnership`` per awarded
partner with the prices of its final tender and the terms announced, the contract details
notice (UK7, or the PCR 2015 contract award notice) published, the procurement active, the
partners told and the whole recorded (RULES.md points 8, 10 and 12; PA 2023 ss.51 and 53)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import AwardStatus, Partnership
from partners.services_award import award_resume, award_suspend
from partners.services_partnerships import contracts_enter
from procurements.models import Notice, NoticeKind, ProcurementStatus, PublicationVersion
from tests.partners.award_samples import in_standstill, standstill_over
from tests.partners.tender_samples import PHASE_PLAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PURCHASE = {
    "max_cost": "£900,000.00",
    "scope": "Sensors for every care home of the borough.",
    "performance_levels": [
        {"metric": "Falls detected", "level": "95% within a minute"},
        {"metric": "False alarms", "level": "Under 1 a week per home"},
    ],
}
IP_TERMS = {
    "foreground_owner": "The partner",
    "licence_scope": "Use across the borough's services",
    "licence_term": "Perpetual",
    "benefit_share": "A share of revenue",
    "benefit_percentage": "5%",
}


def announce_terms(procurement) -> None:
    """The latest publication version announces the final purchase and the IP terms."""
    latest = procurement.versions.order_by("-number").first()
    plan = {**PHASE_PLAN["content"], "purchase": PURCHASE}
    PublicationVersion.objects.filter(pk=latest.pk).update(
        content={
            "sections": [
                {"key": "phase-plan", "content": plan},
                {"key": "ip-terms", "content": IP_TERMS},
            ]
        }
    )


def today():
    return london_date(timezone.now())


@pytest.fixture
def decision(personas):
    decision = in_standstill(personas, max_partners=2)
    announce_terms(decision.procurement)
    return decision


def enter(personas, decision, signed_on=None):
    return contracts_enter(
        actor=personas.officer_a, decision=decision, signed_on=signed_on or today()
    )


# --- when ------------------------------------------------------------------------------------


def test_no_contract_is_entered_during_standstill(personas, decision):
    with pytest.raises(ApplicationError, match="standstill period runs until"):
        enter(personas, decision)

    assert not Partnership.objects.exists()
    decision.refresh_from_db()
    assert decision.status == AwardStatus.STANDSTILL
    assert not Notice.objects.filter(kind=NoticeKind.UK7).exists()


def test_no_contract_is_entered_while_the_award_is_suspended_and_can_be_once_resumed(
    personas, decision
):
    award_suspend(actor=personas.officer_a, decision=decision, reason="A challenge was filed.")
    decision = standstill_over(decision)

    with pytest.raises(ApplicationError, match="The award is suspended"):
        enter(personas, decision)
    assert not Partnership.objects.exists()

    award_resume(actor=personas.officer_a, decision=decision, reason="The challenge failed.")
    assert len(enter(personas, decision)) == 2


@pytest.mark.parametrize("who", ["approver_a", "officer_b", "supplier_a_admin"])
def test_only_the_lead_officer_enters_the_contracts(personas, decision, who):
    decision = standstill_over(decision)

    with pytest.raises(PermissionRefused):
        contracts_enter(actor=getattr(personas, who), decision=decision, signed_on=today())

    assert not Partnership.objects.exists()


def test_the_signing_date_must_follow_the_standstill_and_not_be_in_the_future(personas, decision):
    decision = standstill_over(decision)

    for signed_on, message in [
        (today() + timedelta(days=1), "today or in the past"),
        (decision.standstill_last_day, "after the standstill period"),
        (None, "Enter the date"),
    ]:
        with pytest.raises(ApplicationError, match=message) as refused:
            contracts_enter(actor=personas.officer_a, decision=decision, signed_on=signed_on)
        assert "signed_on" in refused.value.extra["errors"]
    assert not Partnership.objects.exists()


# --- what is entered -------------------------------------------------------------------------


def test_one_partnership_per_awarded_partner_with_its_agreed_terms(personas, decision):
    decision = standstill_over(decision)
    procurement = decision.procurement

    partnerships = enter(personas, decision)

    awarded = list(decision.entries.filter(awarded=True).order_by("rank"))
    assert len(awarded) == 2
    assert [p.award_entry for p in partnerships] == awarded
    assert [p.reference for p in partnerships] == [
        f"{procurement.reference}-P1",
        f"{procurement.reference}-P2",
    ]
    for partnership in partnerships:
        partnership.refresh_from_db()
        assert partnership.phase_prices == [
            {"number": 1, "name": "Research and prototype", "price": "75000.00"},
            {"number": 2, "name": "Pilot", "price": "150000.00"},
        ]
        assert partnership.total_price == Decimal("225000.00")
        assert partnership.purchase_max_cost == Decimal("900000.00")
        assert partnership.performance_levels == PURCHASE["performance_levels"]
        assert partnership.ip_terms == IP_TERMS
        assert partnership.background_ip == "Background IP: our sensor firmware."
        assert partnership.signed_on == today()
        assert partnership.entered_by == personas.officer_a
        assert partnership.request == partnership.award_entry.proposal.request


def test_the_award_is_contracted_and_the_procurement_active(personas, decision):
    decision = standstill_over(decision)

    enter(personas, decision)

    decision.refresh_from_db()
    decision.procurement.refresh_from_db()
    assert decision.status == AwardStatus.CONTRACTED
    assert decision.procurement.status == ProcurementStatus.ACTIVE
    with pytest.raises(PermissionRefused):
        enter(personas, decision)
    assert Partnership.objects.count() == 2


def test_the_uk7_contract_details_notice_is_composed(personas, decision):
    decision = standstill_over(decision)

    partnerships = enter(personas, decision)

    [notice] = Notice.objects.filter(procurement=decision.procurement, kind=NoticeKind.UK7)
    assert notice.content["title"].startswith("UK7 contract details notice")
    text = str(notice.content)
    for partnership in partnerships:
        assert partnership.reference in text
        assert partnership.request.organisation.name in text
    assert "£900,000.00" in text
    assert "Falls detected: 95% within a minute" in text


def test_under_pcr_2015_the_contract_award_notice_is_published(personas):
    decision = in_standstill(personas, max_partners=1, regime="pcr2015")
    announce_terms(decision.procurement)
    decision = standstill_over(decision)

    enter(personas, decision)

    kinds = list(
        Notice.objects.filter(procurement=decision.procurement).values_list("kind", flat=True)
    )
    assert NoticeKind.PCR_CONTRACT_AWARD in kinds
    assert NoticeKind.UK7 not in kinds


def test_the_partners_are_told_after_commit_and_the_entry_is_audited(
    personas, decision, django_capture_on_commit_callbacks
):
    decision = standstill_over(decision)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        partnerships = enter(personas, decision)

    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([personas.supplier_a_admin.email, personas.supplier_b_admin.email])
    [event] = AuditEvent.objects.filter(action="partners.contracts_entered")
    assert event.actor == personas.officer_a
    assert event.data["partnerships"] == [p.pk for p in partnerships]
    assert event.data["signed_on"] == today().isoformat()


def test_nothing_is_sent_when_the_entry_fails(
    personas, decision, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApplicationError),
    ):
        enter(personas, decision)

    assert callbacks == []
    assert mail.outbox == []
