"""Standstill: its last day (PA 2023 s.51: 8 working days beginning with the contract award
notice, across bank holidays; PCR 2015 reg. 87: 10 days, to the next working day), when
contracts may be entered, suspending and resuming, and reversing the award."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.calendar import LONDON
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from partners.models import AwardDecision, AwardStatus, StandstillSuspension
from partners.services_award import (
    award_resume,
    award_reverse,
    award_suspend,
    contracts_may_be_entered,
)
from procurements.models import ProcurementStatus
from tests import factories
from tests.partners.award_samples import (
    Evaluated,
    approved,
    evaluated,
    in_standstill,
    proposed,
    standstill_over,
    summaries_sent_then_notice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents(media_root):
    """The assessment summaries are rendered to a throw-away directory."""


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def published_on(personas, clock, day: date, **options) -> AwardDecision:
    """The award approved now, its notice published at noon on ``day``."""
    decision = approved(personas, proposed(personas, evaluated(personas, **options)))
    clock(at_noon(day))
    return summaries_sent_then_notice(personas, decision)


# --- the last day -------------------------------------------------------------------------------


def test_pa_standstill_is_eight_working_days_across_a_bank_holiday(personas, bank_holidays, clock):
    # Thursday 26 August 2027; Monday 30 August is the summer bank holiday in England.
    decision = published_on(personas, clock, date(2027, 8, 26))
    # 26, 27, 31 August, 1, 2, 3, 6, 7 September.
    assert decision.standstill_last_day == date(2027, 9, 7)


def test_pcr_standstill_is_ten_days_running_to_the_next_working_day(personas, bank_holidays, clock):
    # Wednesday 15 December 2027 + 10 days = Saturday 25 December; Monday 27 and Tuesday 28
    # are the bank holidays for Christmas and Boxing Day.
    decision = published_on(personas, clock, date(2027, 12, 15), regime="pcr2015")
    assert decision.standstill_last_day == date(2027, 12, 29)


def test_pcr_standstill_ending_on_a_working_day_is_ten_calendar_days(
    personas, bank_holidays, clock
):
    decision = published_on(personas, clock, date(2027, 9, 6), regime="pcr2015")
    assert decision.standstill_last_day == date(2027, 9, 16)


# --- when contracts may be entered --------------------------------------------------------------


def test_contracts_wait_for_the_end_of_standstill_inclusive(personas, bank_holidays, clock):
    decision = published_on(personas, clock, date(2027, 8, 26))
    last_day = at_noon(date(2027, 9, 7))
    assert contracts_may_be_entered(decision, last_day) == (
        "The standstill period runs until 7 September 2027 inclusive: contracts may be "
        "entered from the day after."
    )
    late_on_last_day = datetime(2027, 9, 7, 23, 59, tzinfo=LONDON)
    assert contracts_may_be_entered(decision, late_on_last_day) is not None
    assert contracts_may_be_entered(decision, datetime(2027, 9, 8, 0, 1, tzinfo=LONDON)) is None


def test_contracts_may_be_entered_once_standstill_is_over(personas, bank_holidays):
    decision = standstill_over(in_standstill(personas))
    assert contracts_may_be_entered(decision, timezone.now()) is None


def test_no_contract_before_standstill_nor_while_suspended(personas, bank_holidays):
    sample = evaluated(personas)
    decision = approved(personas, proposed(personas, sample))
    assert contracts_may_be_entered(decision, timezone.now()).startswith(
        "The award is not in standstill"
    )
    decision = summaries_sent_then_notice(personas, decision)
    decision = standstill_over(decision)
    award_suspend(actor=personas.approver_a, decision=decision, reason="A challenge was filed.")
    assert contracts_may_be_entered(decision, timezone.now()) == (
        "The award is suspended: resume it before entering any contract."
    )
    award_resume(actor=personas.officer_a, decision=decision, reason="The challenge was dropped.")
    assert contracts_may_be_entered(decision, timezone.now()) is None


# --- suspending and resuming --------------------------------------------------------------------


def test_suspending_and_resuming_need_reasons_and_one_open_suspension(personas, bank_holidays):
    decision = in_standstill(personas)
    with pytest.raises(ApplicationError) as caught:
        award_suspend(actor=personas.officer_a, decision=decision, reason=" ")
    assert caught.value.extra["errors"] == {"reason": "Give the reasons for suspending the award"}
    with pytest.raises(ApplicationError) as caught:
        award_resume(actor=personas.officer_a, decision=decision, reason="Go on.")
    assert caught.value.message == "The award is not suspended: there is nothing to resume."

    award_suspend(actor=personas.officer_a, decision=decision, reason="A challenge was filed.")
    with pytest.raises(ApplicationError) as caught:
        award_suspend(actor=personas.approver_a, decision=decision, reason="Again.")
    assert caught.value.message.startswith("The award is already suspended")
    award_resume(actor=personas.approver_a, decision=decision, reason="Dismissed.")

    [suspension] = StandstillSuspension.objects.all()
    assert (suspension.suspended_by_id, suspension.reason) == (
        personas.officer_a.pk,
        "A challenge was filed.",
    )
    assert (suspension.resumed_by_id, suspension.resume_reason) == (
        personas.approver_a.pk,
        "Dismissed.",
    )
    suspended, resumed = (
        AuditEvent.objects.get(action="partners.award_suspended"),
        AuditEvent.objects.get(action="partners.award_resumed"),
    )
    assert suspended.data["reason"] == "A challenge was filed."
    assert resumed.actor_id == personas.approver_a.pk


def test_only_the_lead_officer_or_an_approver_suspends_during_standstill(personas, bank_holidays):
    decision = in_standstill(personas)
    other_officer = factories.officer(personas.borough_a, email="o2@example.org")
    for actor in (
        other_officer,
        personas.evaluator_a,
        personas.officer_b,
        personas.borough_admin_a,
    ):
        with pytest.raises(PermissionRefused):
            award_suspend(actor=actor, decision=decision, reason="Why not.")
    sample = evaluated(personas)
    before = approved(personas, proposed(personas, sample))
    with pytest.raises(PermissionRefused):
        award_suspend(actor=personas.officer_a, decision=before, reason="Too early.")


# --- reversing ----------------------------------------------------------------------------------


def test_an_approver_reverses_in_standstill_and_a_new_award_follows(
    personas, bank_holidays, django_capture_on_commit_callbacks
):
    decision = in_standstill(personas)
    for actor in (personas.officer_a, personas.evaluator_a):
        with pytest.raises(PermissionRefused):
            award_reverse(actor=actor, decision=decision, reason="Wrong.")
    with pytest.raises(ApplicationError) as caught:
        award_reverse(actor=personas.approver_a, decision=decision, reason="")
    assert caught.value.extra["errors"] == {"reason": "Give the reasons for reversing the award"}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        award_reverse(actor=personas.approver_a, decision=decision, reason="The price was misread.")

    decision.refresh_from_db()
    assert decision.status == AwardStatus.REVERSED
    assert (decision.reversed_by_id, decision.reversal_reason) == (
        personas.approver_a.pk,
        "The price was misread.",
    )
    decision.procurement.refresh_from_db()
    assert decision.procurement.status == ProcurementStatus.EVALUATION
    assert {m.to[0] for m in mail.outbox} == {
        personas.supplier_a_admin.email,
        personas.supplier_b_admin.email,
    }
    assert "has been reversed" in mail.outbox[0].body
    assert contracts_may_be_entered(decision, timezone.now()).startswith("The award is not in")

    sample = Evaluated(decision.procurement, decision.evaluation)
    again = proposed(personas, sample)
    assert AwardDecision.objects.count() == 2
    assert again.status == AwardStatus.PROPOSED
    actions = list(
        AuditEvent.objects.filter(action__startswith="partners.award_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "partners.award_proposed",
        "partners.award_approved",
        "partners.award_summaries_sent",
        "partners.award_notice_published",
        "partners.award_reversed",
        "partners.award_proposed",
    ]


def test_an_approved_award_may_be_reversed_before_its_notice(personas, bank_holidays):
    sample = evaluated(personas)
    decision = approved(personas, proposed(personas, sample))
    named = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="named@example.org")
    sample.procurement.approver = named
    sample.procurement.save(update_fields=["approver"])
    with pytest.raises(PermissionRefused):
        award_reverse(actor=personas.approver_a, decision=decision, reason="No.")
    award_reverse(actor=named, decision=decision, reason="The panel was conflicted.")
    decision.refresh_from_db()
    sample.procurement.refresh_from_db()
    assert decision.status == AwardStatus.REVERSED
    assert sample.procurement.status == ProcurementStatus.EVALUATION
