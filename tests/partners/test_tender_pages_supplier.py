"""The supplier's pages of the sealed tender box, through the test client and the real
services: invitations, the task list, answers, prices within the announced maximums,
background IP, sealed files, submitting with a receipt, withdrawing and starting again;
another supplier or an officer finds nothing (404); after the deadline nothing changes."""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Proposal, ProposalFile, ProposalStatus, ProposalSubmission
from partners.services_tenders import (
    proposal_content,
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
)
from partners.tender_content import answerable_criteria
from procurements.sections import uk_datetime_text

from .tender_samples import CANARY, pass_the_deadline, round_opened, tendering

pytestmark = pytest.mark.django_db

PLAN = b"Work plan: month 1 prototype, month 2 trial in two care homes.\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def url(name: str, proposal: Proposal, **kwargs) -> str:
    return reverse(f"tenders:{name}", kwargs={"pk": proposal.pk, **kwargs})


@pytest.fixture
def tender(personas):
    tender = tendering(personas)
    round_opened(personas, tender)
    return tender


def started(personas, tender) -> Proposal:
    return proposal_start(actor=personas.supplier_a_admin, tender_round=tender.round())


def complete(personas, tender, *, with_file: bool = True) -> Proposal:
    """Organisation A's proposal with everything it needs (and a text file), not submitted."""
    proposal = started(personas, tender)
    criterion = answerable_criteria(tender.procurement)[0]
    proposal_save(
        actor=personas.supplier_a_member,
        proposal=proposal,
        answers={str(criterion.pk): f"Our sensors. {CANARY}"},
        prices={"1": "75000", "2": "150000"},
        background_ip="Our sensor firmware, owned by us.",
    )
    if with_file:
        proposal_file_add(
            actor=personas.supplier_a_member,
            proposal=proposal,
            upload=SimpleUploadedFile("plan.txt", PLAN, content_type="text/plain"),
        )
    return proposal


def content_of(proposal: Proposal) -> dict:
    """The working content as stored now."""
    return proposal_content(Proposal.objects.get(pk=proposal.pk))


def page(response) -> str:
    return response.content.decode()


# --- the whole path --------------------------------------------------------------------------


def test_start_answer_price_ip_file_submit_and_receipt(personas, login, tender):
    client = login(personas.supplier_a_admin)
    tender_round = tender.round()

    invitations = client.get(reverse("tenders:list"))
    assert invitations.status_code == 200
    assert "Start your proposal" in page(invitations)
    assert uk_datetime_text(tender_round.deadline) in page(invitations)
    start_url = reverse("tenders:start", kwargs={"round_pk": tender_round.pk})
    assert f'action="{start_url}"' in page(invitations)

    response = client.post(start_url)
    proposal = Proposal.objects.get(round=tender_round, request__organisation=personas.org_a)
    assert response.status_code == 302
    assert response["Location"] == url("proposal", proposal)

    tasks = page(client.get(url("proposal", proposal)))
    criterion = answerable_criteria(tender.procurement)[0]
    assert "Criterion 1: Quality of the solution" in tasks
    assert "Prices per phase" in tasks
    assert "Cannot start yet" in tasks
    assert "You have completed 0 of 3 tasks." in tasks
    assert uk_datetime_text(tender_round.deadline) in tasks

    answer_url = url("answer", proposal, criterion_pk=criterion.pk)
    response = client.post(
        answer_url, {f"answer_{criterion.pk}": f"Our sensors. {CANARY}", "action": "later"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert CANARY.encode() not in bytes(proposal.sealed_draft)
    assert CANARY in page(client.get(answer_url))

    # A price above the announced maximum is refused on its field, as typed, with the maximum.
    response = client.post(url("prices", proposal), {"price_1": "90,000", "price_2": "150000"})
    assert response.status_code == 200
    text = page(response)
    assert "There is a problem" in text
    assert "The price for phase 1 must be no more than the maximum announced, £80,000.00" in text
    assert 'href="#id_price_1"' in text
    assert 'value="90,000"' in text
    assert content_of(proposal)["prices"] == {}

    response = client.post(url("prices", proposal), {"price_1": "£75,000", "price_2": "150000"})
    assert response.status_code == 302
    assert content_of(proposal)["prices"] == {"1": "75000.00", "2": "150000.00"}
    assert 'value="75,000.00"' in page(client.get(url("prices", proposal)))

    response = client.post(url("background-ip", proposal), {"background_ip": "None brought."})
    assert response.status_code == 302

    # Files: a text file is taken; a PNG called .pdf is refused with the reason.
    response = client.post(
        url("files", proposal),
        {"file": SimpleUploadedFile("plan.txt", PLAN, content_type="text/plain")},
    )
    assert response.status_code == 302
    record = ProposalFile.objects.get(proposal=proposal)
    assert PLAN not in bytes(record.file.open("rb").read())
    files_page = page(client.get(url("files", proposal)))
    assert "plan.txt" in files_page
    assert url("file", proposal, token=record.token) in files_page
    assert url("file-remove", proposal, token=record.token) in files_page

    response = client.post(
        url("files", proposal),
        {"file": SimpleUploadedFile("report.pdf", png_bytes(), content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "The file is called report.pdf but it is not a PDF: it is a PNG image." in page(response)
    assert ProposalFile.objects.filter(proposal=proposal).count() == 1

    download = client.get(url("file", proposal, token=record.token))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PLAN
    assert download["Content-Disposition"].startswith("attachment")
    assert "plan.txt" in download["Content-Disposition"]
    assert download["Content-Type"].startswith("text/plain")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]

    check = page(client.get(url("submit", proposal)))
    assert "Check your proposal before you submit it" in check
    assert CANARY in check
    assert "£75,000.00" in check
    assert "Submit the proposal" in check

    response = client.post(url("submit", proposal))
    submission = ProposalSubmission.objects.get(proposal=proposal)
    assert response.status_code == 302
    assert response["Location"] == url("receipt", proposal, number=1)
    receipt = page(client.get(response["Location"]))
    assert "Proposal received" in receipt
    assert len(submission.sha256) == 64
    assert submission.sha256 in receipt
    assert uk_datetime_text(submission.submitted_at) in receipt
    assert CANARY in receipt
    assert "plan.txt" in receipt
    assert CANARY.encode() not in bytes(submission.sealed_content)

    tasks = page(client.get(url("proposal", proposal)))
    assert url("receipt", proposal, number=1) in tasks
    assert "Submitted" in tasks
    invitations = page(client.get(reverse("tenders:list")))
    assert "Start your proposal" not in invitations
    assert url("proposal", proposal) in invitations


def test_an_incomplete_proposal_is_refused_with_each_problem_linking_to_its_page(
    personas, login, tender
):
    proposal = started(personas, tender)
    criterion = answerable_criteria(tender.procurement)[0]

    response = login(personas.supplier_a_admin).post(url("submit", proposal))

    assert response.status_code == 200
    text = page(response)
    assert "You cannot submit the proposal yet" in text
    for link, message in [
        (url("answer", proposal, criterion_pk=criterion.pk), "Answer criterion 1"),
        (url("prices", proposal) + "#id_price_1", "Give your price for phase 1"),
        (url("prices", proposal) + "#id_price_2", "Give your price for phase 2"),
        (url("background-ip", proposal), "Declare the background IP"),
    ]:
        assert f'<a href="{link}">{message}' in text
    assert not ProposalSubmission.objects.exists()


def test_a_file_can_be_removed(personas, login, tender):
    proposal = complete(personas, tender)
    record = ProposalFile.objects.get(proposal=proposal)
    client = login(personas.supplier_a_member)

    assert client.get(url("file-remove", proposal, token=record.token)).status_code == 405
    response = client.post(url("file-remove", proposal, token=record.token))

    assert response.status_code == 302
    assert not ProposalFile.objects.filter(pk=record.pk).exists()
    assert content_of(proposal)["files"] == []
    assert "plan.txt" not in page(client.get(url("files", proposal)))


# --- who sees what ---------------------------------------------------------------------------


def _proposal_urls(proposal: Proposal, record: ProposalFile, criterion_pk: int) -> list[str]:
    return [
        url("proposal", proposal),
        url("answer", proposal, criterion_pk=criterion_pk),
        url("prices", proposal),
        url("background-ip", proposal),
        url("files", proposal),
        url("file", proposal, token=record.token),
        url("submit", proposal),
        url("receipt", proposal, number=1),
        url("withdraw", proposal),
    ]


@pytest.mark.parametrize("persona", ["supplier_b_admin", "consortium_member", "officer_a"])
def test_anyone_outside_the_organisation_finds_nothing(personas, login, tender, persona):
    proposal = complete(personas, tender)
    proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    record = ProposalFile.objects.get(proposal=proposal)
    criterion = answerable_criteria(tender.procurement)[0]
    client = login(getattr(personas, persona))

    for address in _proposal_urls(proposal, record, criterion.pk):
        assert client.get(address).status_code == 404, address
    for address in [
        url("file-remove", proposal, token=record.token),
        url("submit", proposal),
        url("withdraw", proposal),
        url("restart", proposal),
        url("prices", proposal),
    ]:
        assert client.post(address, {"price_1": "1"}).status_code == 404, address
    assert ProposalFile.objects.filter(pk=record.pk).exists()
    assert content_of(proposal)["prices"] == {"1": "75000.00", "2": "150000.00"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_supplier_b_sees_its_own_invitation_not_a_proposal_of_a(personas, login, tender):
    proposal = complete(personas, tender)
    client = login(personas.supplier_b_admin)

    text = page(client.get(reverse("tenders:list")))

    assert "Start your proposal" in text
    assert url("proposal", proposal) not in text


def test_officers_find_no_supplier_pages(personas, login, tender):
    client = login(personas.officer_a)

    assert client.get(reverse("tenders:list")).status_code == 404
    start = reverse("tenders:start", kwargs={"round_pk": tender.round().pk})
    assert client.post(start).status_code == 404
    assert not Proposal.objects.exists()


def test_a_supplier_not_invited_cannot_start(personas, login):
    tender = tendering(personas, requests=1)
    round_opened(personas, tender)
    start = reverse("tenders:start", kwargs={"round_pk": tender.round().pk})

    assert login(personas.supplier_b_admin).post(start).status_code == 404
    assert not Proposal.objects.exists()


# --- after the deadline ----------------------------------------------------------------------


def test_after_the_deadline_the_pages_say_closed_and_nothing_changes(personas, login, tender):
    proposal = complete(personas, tender)
    tender_round = pass_the_deadline(tender.round())
    criterion = answerable_criteria(tender.procurement)[0]
    client = login(personas.supplier_a_admin)
    closed = f"Tenders for this round closed at {uk_datetime_text(tender_round.deadline)}"

    for address in [
        url("proposal", proposal),
        url("answer", proposal, criterion_pk=criterion.pk),
        url("prices", proposal),
        url("files", proposal),
        url("submit", proposal),
    ]:
        text = page(client.get(address))
        assert closed in text, address
        assert "Submit the proposal" not in text
        assert "Upload the file" not in text
        assert "Save and continue" not in text

    response = client.post(
        url("answer", proposal, criterion_pk=criterion.pk),
        {f"answer_{criterion.pk}": "Changed after the deadline"},
    )
    assert response.status_code == 200
    assert "Nothing can be changed, submitted or withdrawn after the deadline" in page(response)
    assert CANARY in content_of(proposal)["answers"][str(criterion.pk)]

    response = client.post(
        url("files", proposal),
        {"file": SimpleUploadedFile("late.txt", b"late words\n", content_type="text/plain")},
    )
    assert response.status_code == 200
    assert ProposalFile.objects.filter(proposal=proposal).count() == 1

    response = client.post(url("submit", proposal))
    assert response.status_code == 200
    assert "Nothing can be changed, submitted or withdrawn" in page(response)
    assert not ProposalSubmission.objects.exists()

    client.post(url("withdraw", proposal))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT

    invitations = page(client.get(reverse("tenders:list")))
    assert "Closed" in invitations


def test_after_the_deadline_a_supplier_cannot_start(personas, login, tender):
    pass_the_deadline(tender.round())
    client = login(personas.supplier_b_admin)
    start = reverse("tenders:start", kwargs={"round_pk": tender.round().pk})

    assert "Start your proposal" not in page(client.get(reverse("tenders:list")))
    response = client.post(start, follow=True)
    assert "closed at" in page(response)
    assert not Proposal.objects.exists()


# --- who submits, withdrawing and starting again ---------------------------------------------


def test_a_member_who_is_not_an_admin_cannot_submit(personas, login, tender):
    proposal = complete(personas, tender)
    client = login(personas.supplier_a_member)

    text = page(client.get(url("submit", proposal)))
    assert "Submit the proposal" not in text
    assert "Only an organisation admin of Alpha Robotics Ltd can submit the proposal" in text

    assert client.post(url("submit", proposal)).status_code == 403
    assert not ProposalSubmission.objects.exists()
    assert client.post(url("withdraw", proposal)).status_code == 403


def test_withdraw_then_start_again(personas, login, tender):
    proposal = complete(personas, tender)
    proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    client = login(personas.supplier_a_admin)

    confirm = page(client.get(url("withdraw", proposal)))
    assert "Submission 1 will not be evaluated" in confirm
    assert client.post(url("withdraw", proposal)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    tasks = page(client.get(url("proposal", proposal)))
    assert "Start the proposal again" in tasks
    assert "This proposal has been withdrawn" in tasks

    assert client.get(url("restart", proposal)).status_code == 405
    assert client.post(url("restart", proposal)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert (
        CANARY
        in content_of(proposal)["answers"][str(answerable_criteria(tender.procurement)[0].pk)]
    )


def test_a_second_submission_keeps_the_first_receipt_readable(personas, login, tender):
    proposal = complete(personas, tender)
    first = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    proposal_save(actor=personas.supplier_a_admin, proposal=proposal, background_ip="Changed.")
    second = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    client = login(personas.supplier_a_member)

    old = page(client.get(url("receipt", proposal, number=1)))
    assert first.sha256 in old
    assert "Our sensor firmware, owned by us." in old
    assert "Submission 2 has replaced this one" in old
    assert second.sha256 in page(client.get(url("receipt", proposal, number=2)))
    assert client.get(url("receipt", proposal, number=3)).status_code == 404


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("tenders:list"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_a_constant_number_of_queries(personas, login, tender):
    complete(personas, tender, with_file=False)
    client = login(personas.supplier_a_admin)
    client.get(reverse("tenders:list"))  # warm the session
    one = _list_queries(client)

    second = tendering(personas, requests=2)
    round_opened(personas, second)
    proposal_submit(actor=personas.supplier_a_admin, proposal=complete(personas, tender))
    started_second = proposal_start(actor=personas.supplier_a_admin, tender_round=second.round())
    text = page(client.get(reverse("tenders:list")))
    assert url("proposal", started_second) in text
    assert "Submission 1" in text

    assert _list_queries(client) == one


# --- the e-mails -----------------------------------------------------------------------------


def test_the_emails_render_with_what_the_services_give(personas, tender):
    proposal = complete(personas, tender)
    submission = proposal_submit(actor=personas.supplier_a_admin, proposal=proposal)
    tender_round = tender.round()
    procurement = tender.procurement
    common = {"procurement": procurement, "organisation": personas.org_a, "url": "https://x/t"}

    opened = render_to_string(
        "partners/tenders/email/round_opened_message.txt",
        {**common, "tender_round": tender_round, "deadline": "1 May 2027 at 12pm"},
    )
    assert "Deadline for proposals: 1 May 2027 at 12pm (UK time" in opened
    assert procurement.reference in opened
    changed = render_to_string(
        "partners/tenders/email/opening_date_changed_message.txt",
        {**common, "tender_round": tender_round, "opens_at": "2 May 2027 at 9am"},
    )
    assert "2 May 2027 at 9am" in changed
    receipt = render_to_string(
        "partners/tenders/email/receipt_message.txt",
        {
            "proposal": proposal,
            "procurement": procurement,
            "submission": submission,
            "received": "3 April 2027 at 10:15am",
            "deadline": "1 May 2027 at 12pm",
            "url": "https://x/p",
        },
    )
    assert submission.sha256 in receipt
    assert "Submission number: 1" in receipt
    assert CANARY not in receipt
    subject = render_to_string(
        "partners/tenders/email/receipt_subject.txt",
        {"procurement": procurement, "submission": submission},
    )
    assert "submission 1" in subject
    assert hashlib.sha256(PLAN).hexdigest() == ProposalFile.objects.get().sha256


def test_a_later_round_is_offered_only_to_the_suppliers_who_submitted_before(personas, login):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import User
    from partners.services_negotiation import round_next
    from tests.partners.tender_samples import initial_tenders_opened, tendering

    tender = tendering(personas)
    initial_tenders_opened(personas, tender)  # A and B submitted; the third did not
    later = timezone.now() + timedelta(days=15)
    round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind="negotiation",
        deadline=later,
        opens_at=later,
    )
    listed = reverse("tenders:list")

    submitted = login(personas.supplier_a_admin).get(listed).content.decode()
    absent = login(User.objects.get(email="s3-admin@example.org")).get(listed).content.decode()

    assert "round 2" in submitted
    assert "round 1" in absent
    assert "round 2" not in absent
