"""The sealed tender box, through its services: nothing a supplier writes is stored in the
clear, the deadline by the server's clock, opening by two different authorised officers after
the opening date, reading only what was opened, prices within the announced maximums, no box
without a master key, and every refused attempt on the box recorded (RULES.md, Annex IV)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from core.sealing import SealingUnavailable
from partners.models import (
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposalSubmission,
    RoundStatus,
    TenderBox,
    TenderRound,
)
from partners.services_tenders import (
    ProposalIncomplete,
    RoundClosed,
    TenderBoxRefused,
    file_read,
    opening_confirm,
    opening_request,
    proposal_content,
    proposal_file_add,
    proposal_file_remove,
    proposal_restart,
    proposal_save,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
    round_open,
    round_opening_date_set,
    submission_read,
)
from partners.tender_content import answerable_criteria
from procurements.rules import REGIMES
from procurements.sections import uk_date_text, uk_datetime_text

from .tender_samples import (
    CANARY,
    pass_the_deadline,
    proposal_completed,
    proposal_started,
    round_opened,
    tendering,
    text_file,
)

pytestmark = pytest.mark.django_db

NOT_BOX_OFFICERS = ["supplier_a_admin", "evaluator_a", "officer_b", "superuser"]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def tender(personas, media_root):
    return tendering(personas)


@pytest.fixture
def tender_round(personas, tender):
    return round_opened(personas, tender)


@pytest.fixture
def proposal(personas, tender_round):
    return proposal_started(personas, tender_round)


@pytest.fixture
def submitted(personas, proposal):
    proposal_completed(personas, proposal)
    return proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)


def content_of(proposal: Proposal) -> dict:
    """The working content as stored now (not as the instance in hand holds it)."""
    return proposal_content(Proposal.objects.get(pk=proposal.pk))


def opened(personas, tender_round: TenderRound) -> TenderRound:
    """Past the deadline and opened by officer A and approver A."""
    pass_the_deadline(tender_round)
    opening_request(actor=personas.officer_a, tender_round=tender_round)
    return opening_confirm(actor=personas.approver_a, tender_round=tender_round)


# --- the canary: nothing in the clear before opening -----------------------------------------


def tables_holding(marker: str) -> list[str]:
    """Every table (and bytea column) of the database in which ``marker`` appears in the
    clear: each row cast to text, and each binary column read as bytes."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')
            if any(marker in row for (row,) in cursor.fetchall()):
                found.append(table)
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() AND data_type = 'bytea'",
                [table],
            )
            for (column,) in cursor.fetchall():
                cursor.execute(f'SELECT "{column}" FROM "{table}"')
                values = [bytes(value) for (value,) in cursor.fetchall() if value is not None]
                if any(marker.encode() in value for value in values):
                    found.append(f"{table}.{column}")
    return found


def stored_files(root) -> dict[str, bytes]:
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            files[str(path)] = path.read_bytes()
    return files


def files_holding(marker: str, root) -> list[str]:
    return [path for path, data in stored_files(root).items() if marker.encode() in data]


def a_proposal_with_the_canary(personas, proposal: Proposal) -> ProposalFile:
    procurement = proposal.round.procurement
    proposal_save(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        answers={str(c.pk): f"We answer: {CANARY}" for c in answerable_criteria(procurement)},
        prices={"1": "80000", "2": "199999.99"},
        background_ip=f"We bring {CANARY}",
    )
    return proposal_file_add(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        upload=text_file(f"{CANARY}.txt", f"The design: {CANARY}\n".encode()),
    )


def test_the_canary_is_nowhere_in_the_clear_until_two_officers_open_the_box(
    personas, tender_round, proposal
):
    record = a_proposal_with_the_canary(personas, proposal)
    submission = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    assert tables_holding(CANARY) == []
    files = stored_files(settings.MEDIA_ROOT)
    assert record.file.path in files  # the walk reads the sealed file itself
    assert files_holding(CANARY, settings.MEDIA_ROOT) == []

    opened(personas, tender_round)

    for opener in (personas.officer_a, personas.approver_a):
        content = submission_read(actor=opener, submission=submission)
        assert CANARY in content["background_ip"]
        assert all(CANARY in answer for answer in content["answers"].values())
        assert content["files"][0]["name"] == f"{CANARY}.txt"
        name, chunks = file_read(actor=opener, record=record)
        assert name == f"{CANARY}.txt"
        assert b"".join(chunks) == f"The design: {CANARY}\n".encode()
    assert [e.actor_id for e in events("tenders.proposal_read")] == [
        personas.officer_a.pk,
        personas.approver_a.pk,
    ]
    # Opening and reading leave nothing in the clear either.
    assert tables_holding(CANARY) == []


def test_the_search_for_the_canary_finds_it_where_it_is_in_the_clear(personas, proposal):
    """The sweep above can fail: a canary in a text column, a binary column or a file is
    found."""
    Proposal.objects.filter(pk=proposal.pk).update(sealed_draft=CANARY.encode())
    proposal.request.__class__.objects.filter(pk=proposal.request_id).update(
        conflict_details=CANARY
    )
    leak = Path(settings.MEDIA_ROOT) / "somewhere" / "leak.bin"
    leak.parent.mkdir(parents=True)
    leak.write_bytes(b"..." + CANARY.encode())

    assert tables_holding(CANARY) == [
        "partners_participationrequest",
        "partners_proposal.sealed_draft",
    ]
    assert files_holding(CANARY, settings.MEDIA_ROOT) == [str(leak)]


# --- the deadline, by the server's clock -----------------------------------------------------


def deadline_in(tender_round: TenderRound, seconds: int, clock) -> None:
    """Stop the clock now and put the round's deadline ``seconds`` from it."""
    now = timezone.now()
    clock(now)
    moment = now + timedelta(seconds=seconds)
    TenderRound.objects.filter(pk=tender_round.pk).update(deadline=moment, opens_at=moment)


def test_a_proposal_submitted_one_second_before_the_deadline_is_accepted(
    personas, tender_round, proposal, clock
):
    proposal_completed(personas, proposal)
    deadline_in(tender_round, 1, clock)

    submission = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    assert submission.submitted_at == timezone.now()
    assert submission.submitted_at == TenderRound.objects.get().deadline - timedelta(seconds=1)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("after", [0, 1], ids=["at-the-deadline", "one-second-after"])
def test_a_proposal_submitted_at_or_after_the_deadline_is_refused_and_nothing_is_stored(
    personas, tender_round, proposal, clock, after
):
    proposal_completed(personas, proposal)
    deadline_in(tender_round, -after, clock)

    with pytest.raises(RoundClosed, match="Tenders for this round closed at"):
        proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    with pytest.raises(RoundClosed):
        proposal_save(actor=personas.supplier_a_admin, proposal=proposal, background_ip="Late")

    assert not ProposalSubmission.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert content_of(proposal)["background_ip"] == "Background IP: Our answer."


# --- opening ---------------------------------------------------------------------------------


def test_two_different_officers_open_the_box_after_its_opening_date(personas, tender_round):
    pass_the_deadline(tender_round)

    opening_request(actor=personas.officer_a, tender_round=tender_round)
    opening_confirm(actor=personas.approver_a, tender_round=tender_round)

    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPENED
    assert tender_round.opening_requested_by == personas.officer_a
    assert tender_round.opened_by == personas.approver_a
    [event] = events("tenders.round_opened_by_two")
    assert (event.actor_id, event.data["first"]) == (personas.approver_a.pk, personas.officer_a.pk)
    assert events("tenders.opening_refused") == []


def test_opening_before_the_opening_date_is_refused_and_recorded(personas, tender_round):
    past = timezone.now() - timedelta(seconds=1)
    TenderRound.objects.filter(pk=tender_round.pk).update(
        deadline=past, opens_at=past + timedelta(hours=1)
    )

    with pytest.raises(TenderBoxRefused, match="cannot be opened before its opening date"):
        opening_request(actor=personas.officer_a, tender_round=tender_round)

    [event] = events("tenders.opening_refused")
    assert event.actor_id == personas.officer_a.pk
    assert "opening date" in event.data["reason"]
    tender_round.refresh_from_db()
    assert tender_round.opening_requested_by is None
    assert tender_round.status == RoundStatus.OPEN


def test_opening_before_the_deadline_is_refused_and_recorded(personas, tender_round):
    with pytest.raises(TenderBoxRefused):
        opening_request(actor=personas.officer_a, tender_round=tender_round)

    assert [e.actor_id for e in events("tenders.opening_refused")] == [personas.officer_a.pk]


def test_one_person_cannot_open_the_box_alone(personas, tender_round):
    pass_the_deadline(tender_round)
    opening_request(actor=personas.officer_a, tender_round=tender_round)

    with pytest.raises(TenderBoxRefused, match="two different people"):
        opening_confirm(actor=personas.officer_a, tender_round=tender_round)
    with pytest.raises(TenderBoxRefused):
        opening_request(actor=personas.officer_a, tender_round=tender_round)

    assert [e.actor_id for e in events("tenders.opening_refused")] == [personas.officer_a.pk] * 2
    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPEN
    assert tender_round.opened_by is None
    assert events("tenders.round_opened_by_two") == []


@pytest.mark.parametrize("name", NOT_BOX_OFFICERS)
def test_only_the_boroughs_officers_and_approvers_open_the_box(personas, tender_round, name):
    outsider = getattr(personas, name)
    pass_the_deadline(tender_round)

    with pytest.raises(TenderBoxRefused):
        opening_request(actor=outsider, tender_round=tender_round)
    opening_request(actor=personas.officer_a, tender_round=tender_round)
    with pytest.raises(TenderBoxRefused, match="procurement officers and approvers"):
        opening_confirm(actor=outsider, tender_round=tender_round)

    assert [e.actor_id for e in events("tenders.opening_refused")] == [outsider.pk] * 2
    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPEN
    assert tender_round.opening_requested_by == personas.officer_a


def test_an_opened_round_cannot_be_opened_again(personas, tender_round):
    opened(personas, tender_round)

    with pytest.raises(TenderBoxRefused, match="already open"):
        opening_request(actor=personas.officer_a, tender_round=tender_round)

    assert len(events("tenders.round_opened_by_two")) == 1
    assert len(events("tenders.opening_refused")) == 1


# --- the opening date ------------------------------------------------------------------------


def test_the_lead_officer_changes_the_opening_date_and_the_invited_suppliers_are_told(
    personas, tender, tender_round, django_capture_on_commit_callbacks
):
    later = tender_round.opens_at + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        round_opening_date_set(actor=personas.officer_a, tender_round=tender_round, opens_at=later)

    tender_round.refresh_from_db()
    assert tender_round.opens_at == later
    [event] = events("tenders.opening_date_changed")
    assert event.actor_id == personas.officer_a.pk
    assert event.data["after"] == later.isoformat()
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "a-admin@example.org",
        "b-admin@example.org",
        "s3-admin@example.org",
    ]
    for message in mail.outbox:
        assert f"may now be opened from: {uk_datetime_text(later)}" in message.body, message.body


@pytest.mark.parametrize("name", ["approver_a", "evaluator_a", "officer_b", "supplier_a_admin"])
def test_only_the_lead_officer_changes_the_opening_date(
    personas, tender_round, name, django_capture_on_commit_callbacks
):
    actor = getattr(personas, name)
    before = tender_round.opens_at

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TenderBoxRefused):
        round_opening_date_set(
            actor=actor, tender_round=tender_round, opens_at=before + timedelta(days=1)
        )

    tender_round.refresh_from_db()
    assert tender_round.opens_at == before
    assert [e.actor_id for e in events("tenders.opening_date_refused")] == [actor.pk]
    assert events("tenders.opening_date_changed") == []
    assert mail.outbox == []


def test_the_opening_date_cannot_change_after_the_deadline(personas, tender_round):
    pass_the_deadline(tender_round)
    before = tender_round.opens_at

    with pytest.raises(TenderBoxRefused, match="deadline for tenders has passed"):
        round_opening_date_set(
            actor=personas.officer_a,
            tender_round=tender_round,
            opens_at=before + timedelta(days=1),
        )

    tender_round.refresh_from_db()
    assert tender_round.opens_at == before
    assert [e.actor_id for e in events("tenders.opening_date_refused")] == [personas.officer_a.pk]


def test_the_opening_date_cannot_be_before_the_deadline(personas, tender_round):
    with pytest.raises(ApplicationError) as refused:
        round_opening_date_set(
            actor=personas.officer_a,
            tender_round=tender_round,
            opens_at=tender_round.deadline - timedelta(minutes=1),
        )

    assert "opens_at" in refused.value.extra["errors"]
    assert events("tenders.opening_date_changed") == []


# --- reading what was opened -----------------------------------------------------------------


def test_reading_a_submission_before_opening_is_refused_and_recorded(
    personas, tender_round, submitted
):
    pass_the_deadline(tender_round)

    with pytest.raises(TenderBoxRefused, match="sealed"):
        submission_read(actor=personas.officer_a, submission=submitted)

    [event] = events("tenders.read_refused")
    assert event.actor_id == personas.officer_a.pk
    assert events("tenders.proposal_read") == []


def test_a_box_officer_reads_an_opened_submission_and_the_reading_is_recorded(
    personas, tender_round, submitted
):
    opened(personas, tender_round)

    content = submission_read(actor=personas.officer_a, submission=submitted)

    assert content["background_ip"] == "Background IP: Our answer."
    assert content["prices"] == {"1": "75000.00", "2": "150000.00"}
    [event] = events("tenders.proposal_read")
    assert (event.actor_id, event.data["submission"]) == (personas.officer_a.pk, 1)


@pytest.mark.parametrize("name", NOT_BOX_OFFICERS)
def test_nobody_else_reads_an_opened_submission(personas, tender_round, submitted, name):
    reader = getattr(personas, name)
    opened(personas, tender_round)

    with pytest.raises(TenderBoxRefused):
        submission_read(actor=reader, submission=submitted)

    assert [e.actor_id for e in events("tenders.read_refused")] == [reader.pk]
    assert events("tenders.proposal_read") == []


# --- prices ----------------------------------------------------------------------------------


def test_a_price_above_the_announced_maximum_is_refused_with_the_maximum(personas, proposal):
    with pytest.raises(ApplicationError) as refused:
        proposal_save(actor=personas.supplier_a_admin, proposal=proposal, prices={"1": "80000.01"})

    assert "£80,000.00" in refused.value.extra["errors"]["price_1"]
    assert content_of(proposal)["prices"] == {}


def test_a_malformed_price_is_refused(personas, proposal):
    with pytest.raises(ApplicationError) as refused:
        proposal_save(
            actor=personas.supplier_a_admin, proposal=proposal, prices={"2": "eighty thousand"}
        )

    assert list(refused.value.extra["errors"]) == ["price_2"]
    assert "Enter the price for phase 2 in pounds" in refused.value.extra["errors"]["price_2"]
    assert content_of(proposal)["prices"] == {}


def test_a_price_within_the_maximum_is_saved(personas, proposal):
    proposal_save(
        actor=personas.supplier_a_admin, proposal=proposal, prices={"1": "£80,000.00", "2": "1"}
    )

    assert content_of(proposal)["prices"] == {"1": "80000.00", "2": "1.00"}
    assert len(events("tenders.proposal_saved")) == 1


# --- no master key, no box -------------------------------------------------------------------


def test_without_a_master_key_no_round_opens_and_nothing_is_written(personas, tender, settings):
    settings.SEALING_MASTER_KEY = ""
    far = timezone.now() + timedelta(days=30)

    with pytest.raises(SealingUnavailable):
        round_open(
            actor=personas.officer_a, procurement=tender.procurement, deadline=far, opens_at=far
        )

    assert not TenderBox.objects.exists()
    assert not TenderRound.objects.exists()
    assert events("tenders.round_opened") == []


def test_without_a_master_key_no_proposal_is_started_or_saved(personas, tender_round, settings):
    settings.SEALING_MASTER_KEY = ""

    with pytest.raises(SealingUnavailable):
        proposal_start(actor=personas.supplier_a_admin, tender_round=tender_round)

    assert not Proposal.objects.exists()
    assert events("tenders.proposal_started") == []


def test_without_a_master_key_a_started_proposal_is_not_saved(personas, proposal, settings):
    sealed = bytes(Proposal.objects.get().sealed_draft)
    settings.SEALING_MASTER_KEY = ""

    with pytest.raises(SealingUnavailable):
        proposal_save(actor=personas.supplier_a_admin, proposal=proposal, background_ip=CANARY)

    assert bytes(Proposal.objects.get().sealed_draft) == sealed
    assert events("tenders.proposal_saved") == []
    assert tables_holding(CANARY) == []


# --- opening a round -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approver_a", "evaluator_a", "officer_b", "supplier_a_admin"])
def test_only_the_lead_officer_opens_a_round(personas, tender, name):
    far = timezone.now() + timedelta(days=30)

    with pytest.raises(PermissionRefused):
        round_open(
            actor=getattr(personas, name),
            procurement=tender.procurement,
            deadline=far,
            opens_at=far,
        )

    assert not TenderRound.objects.exists()
    assert not TenderBox.objects.exists()


def test_a_deadline_before_the_regimes_minimum_is_refused_naming_the_earliest_date(
    personas, tender
):
    rules = REGIMES[tender.procurement.regime]
    assert rules.min_tender_days == 25
    earliest = rules.earliest_tender_deadline(london_date(timezone.now()))
    soon = timezone.now() + timedelta(days=10)

    with pytest.raises(ApplicationError) as refused:
        round_open(
            actor=personas.officer_a, procurement=tender.procurement, deadline=soon, opens_at=soon
        )

    message = refused.value.extra["errors"]["deadline"]
    assert uk_date_text(earliest) in message
    assert "at least 25 days" in message
    assert not TenderRound.objects.exists()


def test_an_opening_date_before_the_deadline_is_refused(personas, tender):
    far = timezone.now() + timedelta(days=30)

    with pytest.raises(ApplicationError) as refused:
        round_open(
            actor=personas.officer_a,
            procurement=tender.procurement,
            deadline=far,
            opens_at=far - timedelta(hours=1),
        )

    assert list(refused.value.extra["errors"]) == ["opens_at"]
    assert not TenderRound.objects.exists()


def test_the_lead_officer_opens_the_round_and_the_box(personas, tender):
    far = timezone.now() + timedelta(days=30)

    tender_round = round_open(
        actor=personas.officer_a, procurement=tender.procurement, deadline=far, opens_at=far
    )

    assert (tender_round.number, tender_round.status) == (1, RoundStatus.OPEN)
    assert TenderBox.objects.filter(procurement=tender.procurement).exists()
    assert [e.actor_id for e in events("tenders.round_opened")] == [personas.officer_a.pk]


# --- another organisation's proposal ---------------------------------------------------------


def test_another_supplier_cannot_touch_a_proposal_that_is_not_its_own(personas, proposal):
    proposal_completed(personas, proposal)
    record = proposal_file_add(
        actor=personas.supplier_a_admin,
        proposal=proposal,
        upload=text_file("design.txt", b"Our design\n"),
    )
    other = personas.supplier_b_admin
    sealed = bytes(Proposal.objects.get(pk=proposal.pk).sealed_draft)

    with pytest.raises(PermissionRefused):
        proposal_save(actor=other, proposal=proposal, background_ip="Taken over")
    with pytest.raises(PermissionRefused):
        proposal_file_add(actor=other, proposal=proposal, upload=text_file("x.txt", b"x\n"))
    with pytest.raises(PermissionRefused):
        proposal_submit(actor=other, proposal=proposal)
    with pytest.raises(PermissionRefused):
        proposal_withdraw(actor=other, proposal=proposal)
    with pytest.raises(PermissionRefused):
        proposal_file_remove(actor=other, record=record)
    with pytest.raises(TenderBoxRefused):
        file_read(actor=other, record=record)

    assert bytes(Proposal.objects.get(pk=proposal.pk).sealed_draft) == sealed
    assert ProposalFile.objects.count() == 1
    assert not ProposalSubmission.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT
    assert [e.actor_id for e in events("tenders.read_refused")] == [other.pk]
    name, chunks = file_read(actor=personas.supplier_a_member, record=record)
    assert (name, b"".join(chunks)) == ("design.txt", b"Our design\n")


def test_a_supplier_that_was_not_invited_cannot_start_a_proposal(personas, tender_round):
    with pytest.raises(PermissionRefused, match="Only the suppliers invited"):
        proposal_start(actor=personas.consortium_member, tender_round=tender_round)

    assert not Proposal.objects.exists()


def test_each_invited_supplier_starts_its_own_proposal_once(personas, tender_round):
    first = proposal_start(actor=personas.supplier_a_admin, tender_round=tender_round)
    again = proposal_start(actor=personas.supplier_a_member, tender_round=tender_round)
    other = proposal_start(actor=personas.supplier_b_admin, tender_round=tender_round)

    assert again.pk == first.pk
    assert other.pk != first.pk
    assert other.request.organisation == personas.org_b
    assert Proposal.objects.count() == 2


# --- submitting ------------------------------------------------------------------------------


def test_an_incomplete_proposal_is_refused_with_each_problem(personas, tender, proposal):
    [criterion] = answerable_criteria(tender.procurement)

    with pytest.raises(ProposalIncomplete) as refused:
        proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    assert [what for what, _ in refused.value.extra["problems"]] == [
        f"answer:{criterion.pk}",
        "price:1",
        "price:2",
        "background_ip",
    ]
    assert "4 things still to do" in refused.value.message
    assert not ProposalSubmission.objects.exists()
    assert Proposal.objects.get().status == ProposalStatus.DRAFT


def test_a_complete_proposal_is_submitted_with_the_sha256_of_its_content(personas, proposal):
    from partners.submission import content_sha256

    content = proposal_completed(personas, proposal)

    submission = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    assert submission.number == 1
    assert submission.sha256 == content_sha256(content)
    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED
    [event] = events("tenders.proposal_submitted")
    assert event.data["sha256"] == submission.sha256


def test_submitting_again_with_nothing_changed_returns_the_same_submission(personas, submitted):
    again = proposal_submit(actor=personas.supplier_a_admin, proposal=submitted.proposal)

    assert again.pk == submitted.pk
    assert again.number == 1
    assert ProposalSubmission.objects.count() == 1
    assert len(events("tenders.proposal_submitted")) == 1


def test_a_changed_proposal_submitted_again_is_submission_2(personas, submitted):
    proposal_save(
        actor=personas.supplier_a_admin, proposal=submitted.proposal, background_ip="None."
    )

    second = proposal_submit(actor=personas.supplier_a_admin, proposal=submitted.proposal)

    assert second.number == 2
    assert second.sha256 != submitted.sha256


def test_a_withdrawn_proposal_is_started_again_and_submitted(personas, submitted):
    proposal = submitted.proposal

    proposal_withdraw(actor=personas.supplier_a_admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    with pytest.raises(ApplicationError, match="withdrawn"):
        proposal_save(actor=personas.supplier_a_admin, proposal=proposal, background_ip="x")
    with pytest.raises(ApplicationError, match="withdrawn"):
        proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    proposal_restart(actor=personas.supplier_a_admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.withdrawn_at is None
    again = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)

    # Withdrawn and submitted again: a new submission, even with the same content.
    assert again.number == 2
    assert again.sha256 == submitted.sha256
    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED
    actions = AuditEvent.objects.filter(action__startswith="tenders.proposal_").exclude(
        action="tenders.proposal_saved"
    )
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "tenders.proposal_started",
        "tenders.proposal_submitted",
        "tenders.proposal_withdrawn",
        "tenders.proposal_restarted",
        "tenders.proposal_submitted",
    ]


def test_a_member_who_is_not_an_admin_cannot_submit_or_withdraw(personas, proposal):
    proposal_completed(personas, proposal)

    with pytest.raises(PermissionRefused, match="Only an organisation admin of Alpha Robotics"):
        proposal_submit(actor=personas.supplier_a_member, proposal=proposal)
    with pytest.raises(PermissionRefused):
        proposal_withdraw(actor=personas.supplier_a_member, proposal=proposal)

    assert not ProposalSubmission.objects.exists()
    assert Proposal.objects.get().status == ProposalStatus.DRAFT
    # A member does work on the proposal.
    proposal_save(actor=personas.supplier_a_member, proposal=proposal, background_ip="None.")
    assert content_of(proposal)["background_ip"] == "None."
