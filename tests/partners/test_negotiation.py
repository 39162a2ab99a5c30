"""Rounds after the initial tenders, through their services: negotiation notes only on an
opened round that is not the final one and only with a tenderer who submitted, each tenderer
reading only its own; change notices that never touch minimum requirements or award criteria,
leave the regime's time to resubmit and go to every remaining tenderer at once; later rounds
only after the previous one is opened, never after the final tenders, and only for those who
submitted before (RULES.md points 5 and 6)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.models import (
    ChangeNotice,
    NegotiationNote,
    NoteKind,
    ParticipationRequest,
    Proposal,
    RoundKind,
    RoundStatus,
    TenderRound,
)
from partners.services_negotiation import (
    change_notice_issue,
    negotiation_note_add,
    negotiation_notes_for,
    round_next,
    round_tenderers,
)
from partners.services_tenders import proposal_start
from procurements.models import ProcurementStatus
from procurements.rules import REGIMES

from .tender_samples import (
    initial_tenders_opened,
    opened_by_two,
    proposal_submitted,
    round_opened,
    tendering,
)

pytestmark = pytest.mark.django_db

TEXT = "We discussed the pilot sites and the data protection impact assessment."


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def far(days: int = 30):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def tender(personas, media_root):
    return tendering(personas)


@pytest.fixture
def round_1(personas, tender):
    return initial_tenders_opened(personas, tender)


def request_of(tender, organisation) -> ParticipationRequest:
    return next(r for r in tender.invited if r.organisation_id == organisation.pk)


def next_round(personas, tender, kind=RoundKind.NEGOTIATION) -> TenderRound:
    return round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind=kind,
        deadline=far(),
        opens_at=far(),
    )


# --- negotiation notes -----------------------------------------------------------------------


def test_a_note_with_a_tenderer_is_recorded_and_audited_without_its_text(personas, tender, round_1):
    note = negotiation_note_add(
        actor=personas.officer_a,
        tender_round=round_1,
        request=request_of(tender, personas.org_a),
        kind=NoteKind.MEETING_RECORD,
        text=TEXT,
        met_on=london_date(timezone.now()),
    )

    assert NegotiationNote.objects.get().pk == note.pk
    assert note.written_by == personas.officer_a
    [event] = events("tenders.negotiation_note_added")
    assert event.actor == personas.officer_a
    assert event.data["request_id"] == request_of(tender, personas.org_a).pk
    assert TEXT not in str(event.data)


def test_a_note_for_a_note_kind_keeps_no_meeting_date(personas, tender, round_1):
    note = negotiation_note_add(
        actor=personas.officer_a,
        tender_round=round_1,
        request=request_of(tender, personas.org_b),
        kind=NoteKind.NOTE,
        text=TEXT,
        met_on=date(2020, 1, 1),
    )

    assert note.met_on is None


def test_no_note_before_the_round_is_opened(personas, tender):
    tender_round = round_opened(personas, tender)
    proposal_submitted(personas, tender_round, personas.supplier_a_admin)

    with pytest.raises(ApplicationError, match="open the tender box first"):
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=tender_round,
            request=request_of(tender, personas.org_a),
            kind=NoteKind.NOTE,
            text=TEXT,
        )
    assert not NegotiationNote.objects.exists()


def test_the_final_round_cannot_be_negotiated(personas, tender, round_1):
    final = next_round(personas, tender, kind=RoundKind.FINAL)
    proposal_submitted(personas, final, personas.supplier_a_admin)
    opened_by_two(personas, final)

    with pytest.raises(ApplicationError, match="The final tender round cannot be negotiated"):
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=final,
            request=request_of(tender, personas.org_a),
            kind=NoteKind.NOTE,
            text=TEXT,
        )
    assert not NegotiationNote.objects.exists()


def test_notes_only_with_a_tenderer_who_submitted(personas, tender, round_1):
    third = tender.invited[2]
    assert third.organisation_id not in (personas.org_a.pk, personas.org_b.pk)

    with pytest.raises(ApplicationError, match="was submitted"):
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=round_1,
            request=third,
            kind=NoteKind.NOTE,
            text=TEXT,
        )
    assert not NegotiationNote.objects.exists()


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "officer_b", "supplier_a_admin"])
def test_only_the_boroughs_procurement_officers_negotiate(personas, tender, round_1, who):
    with pytest.raises(PermissionRefused):
        negotiation_note_add(
            actor=getattr(personas, who),
            tender_round=round_1,
            request=request_of(tender, personas.org_a),
            kind=NoteKind.NOTE,
            text=TEXT,
        )
    assert not NegotiationNote.objects.exists()


def test_a_note_needs_its_text_within_the_limit(personas, tender, round_1):
    for text, message in [("  ", "Enter the note"), ("x" * 10_001, "10,000 characters")]:
        with pytest.raises(ApplicationError) as refused:
            negotiation_note_add(
                actor=personas.officer_a,
                tender_round=round_1,
                request=request_of(tender, personas.org_a),
                kind=NoteKind.NOTE,
                text=text,
            )
        assert message in refused.value.extra["errors"]["text"]
    with pytest.raises(ApplicationError) as refused:
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=round_1,
            request=request_of(tender, personas.org_a),
            kind=NoteKind.MEETING_RECORD,
            text=TEXT,
        )
    assert "met_on" in refused.value.extra["errors"]
    assert not NegotiationNote.objects.exists()


def test_each_tenderer_reads_only_its_own_notes(personas, tender, round_1):
    for organisation, text in [(personas.org_a, "Note with A"), (personas.org_b, "Note with B")]:
        negotiation_note_add(
            actor=personas.officer_a,
            tender_round=round_1,
            request=request_of(tender, organisation),
            kind=NoteKind.NOTE,
            text=text,
        )

    assert [n.text for n in negotiation_notes_for(personas.supplier_a_admin, round_1)] == [
        "Note with A"
    ]
    assert [n.text for n in negotiation_notes_for(personas.supplier_a_member, round_1)] == [
        "Note with A"
    ]
    assert [n.text for n in negotiation_notes_for(personas.supplier_b_admin, round_1)] == [
        "Note with B"
    ]
    assert negotiation_notes_for(personas.officer_b, round_1) == []
    assert negotiation_notes_for(personas.consortium_member, round_1) == []
    assert {n.text for n in negotiation_notes_for(personas.officer_a, round_1)} == {
        "Note with A",
        "Note with B",
    }


# --- change notices --------------------------------------------------------------------------


@pytest.mark.parametrize("never", ["minimum_requirements", "award_criteria"])
def test_minimum_requirements_and_award_criteria_are_never_changed(
    personas, tender, round_1, never
):
    round_2 = next_round(personas, tender)
    with pytest.raises(ApplicationError, match=r"never negotiated \(RULES.md point 5\)"):
        change_notice_issue(
            actor=personas.officer_a,
            tender_round=round_2,
            parts=["specification", never],
            text="We change the scoring.",
        )
    assert not ChangeNotice.objects.exists()
    assert not events("tenders.change_notice_issued")


def test_a_change_notice_needs_the_time_to_resubmit(personas, tender, round_1):
    round_2 = next_round(personas, tender)
    rules = REGIMES[tender.procurement.regime]
    too_close = timezone.now() + timedelta(days=rules.min_resubmission_days - 3)
    TenderRound.objects.filter(pk=round_2.pk).update(deadline=too_close, opens_at=too_close)

    with pytest.raises(ApplicationError, match="Move the deadline first"):
        change_notice_issue(
            actor=personas.officer_a,
            tender_round=round_2,
            parts=["specification"],
            text="The pilot runs in two care homes.",
        )
    assert not ChangeNotice.objects.exists()


def test_a_change_notice_goes_to_every_remaining_tenderer_once(
    personas, tender, round_1, django_capture_on_commit_callbacks
):
    round_2 = next_round(personas, tender)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = change_notice_issue(
            actor=personas.officer_a,
            tender_round=round_2,
            parts=["specification", "timetable"],
            text="The pilot runs in two care homes, not three.",
        )

    recipients = sorted(to for message in mail.outbox for to in message.to)
    assert recipients == sorted([personas.supplier_a_admin.email, personas.supplier_b_admin.email])
    assert all("Change notice 1" in message.subject for message in mail.outbox)
    assert all("not three" in message.body for message in mail.outbox)
    assert first.number == 1

    second = change_notice_issue(
        actor=personas.officer_a,
        tender_round=round_2,
        parts=["other"],
        text="Meetings are held online.",
    )
    assert second.number == 2
    [*_, event] = events("tenders.change_notice_issued")
    assert event.actor == personas.officer_a
    assert event.data["number"] == 2
    assert event.data["parts"] == ["other"]


def test_a_change_notice_in_round_1_goes_to_every_invited_supplier(
    personas, tender, django_capture_on_commit_callbacks
):
    tender_round = round_opened(personas, tender)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change_notice_issue(
            actor=personas.officer_a,
            tender_round=tender_round,
            parts=["contract_terms"],
            text="The contract terms now name the data controller.",
        )

    assert len(mail.outbox) == 3


def test_only_the_lead_officer_issues_a_change_notice_for_the_latest_round(
    personas, tender, round_1
):
    round_2 = next_round(personas, tender)
    with pytest.raises(PermissionRefused):
        change_notice_issue(
            actor=personas.approver_a, tender_round=round_2, parts=["other"], text="A change."
        )
    with pytest.raises(ApplicationError, match="latest round"):
        change_notice_issue(
            actor=personas.officer_a, tender_round=round_1, parts=["other"], text="A change."
        )
    assert not ChangeNotice.objects.exists()


# --- later rounds ----------------------------------------------------------------------------


def test_the_next_round_moves_the_procurement_to_negotiation(
    personas, tender, round_1, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_2 = next_round(personas, tender)

    tender.procurement.refresh_from_db()
    assert tender.procurement.status == ProcurementStatus.NEGOTIATION
    assert (round_2.number, round_2.kind, round_2.status) == (
        2,
        RoundKind.NEGOTIATION,
        RoundStatus.OPEN,
    )
    assert [r.organisation for r in round_tenderers(round_1)] == [personas.org_a, personas.org_b]
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [personas.supplier_a_admin.email, personas.supplier_b_admin.email]
    )
    [*_, event] = events("tenders.round_opened")
    assert event.actor == personas.officer_a
    assert event.data["number"] == 2


def test_no_next_round_before_the_previous_one_is_opened(personas, tender):
    tender_round = round_opened(personas, tender)
    proposal_submitted(personas, tender_round, personas.supplier_a_admin)

    with pytest.raises(ApplicationError, match="must be opened before the next round"):
        next_round(personas, tender)
    assert tender.procurement.tender_rounds.count() == 1
    tender.procurement.refresh_from_db()
    assert tender.procurement.status == ProcurementStatus.TENDERING


def test_no_round_after_the_final_tenders(personas, tender, round_1):
    final = next_round(personas, tender, kind=RoundKind.FINAL)
    proposal_submitted(personas, final, personas.supplier_b_admin)
    opened_by_two(personas, final)

    with pytest.raises(ApplicationError, match="After the final tenders there is no further"):
        next_round(personas, tender)
    assert tender.procurement.tender_rounds.count() == 2


def test_the_next_round_needs_the_time_to_resubmit(personas, tender, round_1):
    rules = REGIMES[tender.procurement.regime]
    too_early = timezone.now() + timedelta(days=rules.min_resubmission_days - 3)

    with pytest.raises(ApplicationError) as refused:
        round_next(
            actor=personas.officer_a,
            procurement=tender.procurement,
            kind=RoundKind.NEGOTIATION,
            deadline=too_early,
            opens_at=too_early - timedelta(hours=1),
        )
    errors = refused.value.extra["errors"]
    assert f"at least {rules.min_resubmission_days} days" in errors["deadline"]
    assert "opens_at" in errors
    assert tender.procurement.tender_rounds.count() == 1


def test_only_the_lead_officer_opens_the_next_round(personas, tender, round_1):
    with pytest.raises(PermissionRefused):
        round_next(
            actor=personas.approver_a,
            procurement=tender.procurement,
            kind=RoundKind.NEGOTIATION,
            deadline=far(),
            opens_at=far(),
        )
    assert tender.procurement.tender_rounds.count() == 1


def test_a_supplier_who_did_not_submit_cannot_tender_in_the_next_round(personas, tender, round_1):
    round_2 = next_round(personas, tender)
    third = tender.invited[2]
    third_admin = third.organisation.memberships.get().user

    with pytest.raises(PermissionRefused, match="submitted a proposal in round 1"):
        proposal_start(actor=third_admin, tender_round=round_2)
    assert not Proposal.objects.filter(round=round_2).exists()

    proposal = proposal_start(actor=personas.supplier_b_admin, tender_round=round_2)
    assert proposal.request.organisation == personas.org_b
