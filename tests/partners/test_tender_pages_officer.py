"""The borough's tender box pages: only the count before opening, opening by two different
authorised officers, reading what was opened, the opening date, and the record of every
attempt and access (RULES.md, Annex IV)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.calendar import LONDON
from core.models import AuditEvent
from partners.models import ProposalFile, RoundStatus, TenderRound
from partners.services_tenders import (
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
)
from partners.tender_content import answerable_criteria
from tests.partners.tender_samples import CANARY, pass_the_deadline, round_opened, tendering
from tests.query_budget import assert_query_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def submit(tender, tender_round, request, *, secret: str = CANARY):
    """The organisation of ``request`` submits a complete proposal (``secret`` in its answer,
    background IP and file) through the services."""
    admin = request.created_by
    proposal = proposal_start(actor=admin, tender_round=tender_round)
    criterion = answerable_criteria(tender.procurement)[0]
    proposal_save(
        actor=admin,
        proposal=proposal,
        answers={str(criterion.pk): f"Our answer: {secret}"},
        prices={"1": "75,000", "2": "150000.50"},
        background_ip=f"Our background IP: {secret}",
    )
    upload = SimpleUploadedFile(
        "design-notes.txt", f"Sensor design: {secret}\n".encode(), content_type="text/plain"
    )
    proposal_file_add(actor=admin, proposal=proposal, upload=upload)
    proposal_submit(actor=admin, proposal=proposal)
    return proposal


def tenders_url(procurement) -> str:
    return reverse("partners:tenders", kwargs={"pk": procurement.pk})


def proposal_url(proposal) -> str:
    return reverse(
        "partners:tenders-proposal",
        kwargs={"pk": proposal.round.procurement_id, "proposal_pk": proposal.pk},
    )


def file_url(proposal) -> str:
    record = ProposalFile.objects.get(proposal=proposal)
    return reverse(
        "partners:tenders-file",
        kwargs={
            "pk": proposal.round.procurement_id,
            "proposal_pk": proposal.pk,
            "token": record.token,
        },
    )


def open_url(tender_round) -> str:
    return reverse(
        "partners:tenders-open",
        kwargs={"pk": tender_round.procurement_id, "round_pk": tender_round.pk},
    )


def opening_date_url(tender_round) -> str:
    return reverse(
        "partners:tenders-opening-date",
        kwargs={"pk": tender_round.procurement_id, "round_pk": tender_round.pk},
    )


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def opened_by_two(personas, login, tender_round) -> None:
    login(personas.officer_a).post(open_url(tender_round))
    login(personas.approver_a).post(open_url(tender_round))
    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPENED


def date_fields(name: str, moment) -> dict[str, str]:
    local = moment.astimezone(LONDON)
    return {
        f"{name}_day": str(local.day),
        f"{name}_month": str(local.month),
        f"{name}_year": str(local.year),
        f"{name}_time": local.strftime("%H:%M"),
    }


def refusals(action: str, actor) -> int:
    return AuditEvent.objects.filter(action=action, actor=actor).count()


# --- before opening ---------------------------------------------------------------------------


def test_before_the_deadline_the_borough_sees_only_how_many_were_submitted(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    first = submit(tender, tender_round, tender.invited[0])
    submit(tender, tender_round, tender.invited[1])
    proposal_start(actor=tender.invited[2].created_by, tender_round=tender_round)  # a draft

    for persona in (personas.officer_a, personas.approver_a):
        text = page(login(persona), tenders_url(tender.procurement))
        assert "2 proposals submitted so far" in text
        assert CANARY not in text
        for request in tender.invited:
            assert request.organisation.name not in text
        assert proposal_url(first) not in text
        assert "Ask to open the tender box" not in text

    text = page(login(personas.superuser), tenders_url(tender.procurement), 404)
    assert CANARY not in text


def test_a_box_officer_is_refused_before_opening_and_the_attempt_is_recorded(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = submit(tender, tender_round, tender.invited[0])
    client = login(personas.approver_a)

    text = page(client, proposal_url(proposal), 403)
    assert "The tender box is sealed" in text
    assert CANARY not in text
    assert CANARY.encode() not in client.get(file_url(proposal)).content
    assert refusals("tenders.read_refused", personas.approver_a) == 2

    text = page(client, tenders_url(tender.procurement))
    assert "Tried to read a sealed proposal" in text
    assert "Refused" in text
    assert "approver-a@example.org" in text
    assert proposal.request.organisation.name not in text
    assert "An invited supplier" in text  # the supplier's own events, not named
    assert proposal.request.created_by.email not in text


@pytest.mark.parametrize("name", ["superuser", "officer_b", "evaluator_a"])
def test_people_outside_the_box_never_read_it_even_after_opening(personas, login, name):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = submit(tender, tender_round, tender.invited[0])
    pass_the_deadline(tender_round)
    opened_by_two(personas, login, tender_round)
    client = login(getattr(personas, name))

    # The evaluator may know the procurement, not the box: 403 on the page, 404 for reading.
    text = page(client, tenders_url(tender.procurement), 403 if name == "evaluator_a" else 404)
    assert CANARY not in text
    text = page(client, proposal_url(proposal), 404)
    assert CANARY not in text
    response = client.get(file_url(proposal))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(
        action__in=["tenders.proposal_read", "tenders.file_read"], actor=getattr(personas, name)
    ).exists()


def test_the_evaluators_attempt_is_recorded(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = submit(tender, tender_round, tender.invited[0])
    pass_the_deadline(tender_round)
    opened_by_two(personas, login, tender_round)

    page(login(personas.evaluator_a), proposal_url(proposal), 404)

    assert refusals("tenders.read_refused", personas.evaluator_a) == 1


# --- opening -----------------------------------------------------------------------------------


def test_opening_is_refused_before_the_opening_date_and_the_attempt_is_shown(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    client = login(personas.approver_a)

    response = client.post(open_url(tender_round), follow=True)

    assert "cannot be opened before its opening date" in response.content.decode()
    tender_round.refresh_from_db()
    assert tender_round.opening_requested_by is None
    assert refusals("tenders.opening_refused", personas.approver_a) == 1
    text = page(client, tenders_url(tender.procurement))
    assert "Tried to open round 1" in text
    assert "Refused" in text


def test_one_person_cannot_open_the_box_alone(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    submit(tender, tender_round, tender.invited[0])
    pass_the_deadline(tender_round)
    client = login(personas.officer_a)

    text = page(client, tenders_url(tender.procurement))
    assert "Ask to open the tender box" in text
    client.post(open_url(tender_round))
    text = page(client, tenders_url(tender.procurement))
    assert "Confirm and open" not in text
    assert "Another authorised officer must confirm it" in text

    response = client.post(open_url(tender_round), follow=True)

    text = response.content.decode()
    assert "Opening needs two different people" in text
    assert CANARY not in text
    assert tender.invited[0].organisation.name not in text
    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPEN
    assert refusals("tenders.opening_refused", personas.officer_a) == 1
    assert "Tried to open round 1" in text


def test_two_officers_open_the_box_and_then_read_what_was_submitted(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = submit(tender, tender_round, tender.invited[0])
    submit(tender, tender_round, tender.invited[1], secret="the other one")
    pass_the_deadline(tender_round)

    login(personas.officer_a).post(open_url(tender_round))
    assert "Confirm and open" in page(login(personas.approver_a), tenders_url(tender.procurement))
    login(personas.approver_a).post(open_url(tender_round))

    tender_round.refresh_from_db()
    assert tender_round.status == RoundStatus.OPENED
    assert tender_round.opened_by == personas.approver_a
    for persona in (personas.officer_a, personas.approver_a):
        client = login(persona)
        text = page(client, tenders_url(tender.procurement))
        assert CANARY not in text  # the list names the proposals, it does not open them
        assert tender.invited[0].organisation.name in text
        assert proposal.submissions.get().sha256 in text
        assert proposal_url(proposal) in text
        text = page(client, proposal_url(proposal))
        assert f"Our answer: {CANARY}" in text
        assert f"Our background IP: {CANARY}" in text
        assert "Quality of the solution" in text
        assert "£75,000.00" in text
        assert "£225,000.50" in text
        assert "design-notes.txt" in text
        assert "the other one" not in text
    assert refusals("tenders.proposal_read", personas.officer_a) == 1


def test_an_opened_file_is_an_attachment_and_its_reading_is_recorded(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    proposal = submit(tender, tender_round, tender.invited[0])
    pass_the_deadline(tender_round)
    opened_by_two(personas, login, tender_round)

    response = login(personas.officer_a).get(file_url(proposal))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"Sensor design: {CANARY}\n".encode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "design-notes.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert refusals("tenders.file_read", personas.officer_a) == 1
    text = page(login(personas.approver_a), tenders_url(tender.procurement))
    assert f"Downloaded a file of the proposal of {tender.invited[0].organisation.name}" in text


# --- the lead officer's round and opening date --------------------------------------------


def test_the_lead_officer_opens_round_1_within_the_rules(personas, login):
    tender = tendering(personas)
    client = login(personas.officer_a)
    text = page(client, tenders_url(tender.procurement))
    assert "The earliest allowed is" in text

    soon = timezone.now() + timedelta(days=2)
    response = client.post(
        tenders_url(tender.procurement),
        {**date_fields("deadline", soon), **date_fields("opens_at", soon)},
    )

    assert response.status_code == 200
    assert "The deadline for tenders must be on or after" in response.content.decode()
    assert 'href="#id_deadline_0"' in response.content.decode()
    assert not TenderRound.objects.filter(procurement=tender.procurement).exists()

    far = (timezone.now() + timedelta(days=40)).replace(second=0, microsecond=0)
    response = client.post(
        tenders_url(tender.procurement),
        {**date_fields("deadline", far), **date_fields("opens_at", far + timedelta(hours=2))},
    )

    assert response.status_code == 302
    tender_round = TenderRound.objects.get(procurement=tender.procurement)
    assert tender_round.deadline == far
    assert tender_round.opens_at == far + timedelta(hours=2)
    assert "Invite the initial tenders" not in page(client, tenders_url(tender.procurement))


def test_only_the_lead_officer_opens_a_round(personas, login):
    tender = tendering(personas)
    client = login(personas.approver_a)
    assert "Invite the initial tenders" not in page(client, tenders_url(tender.procurement))
    far = timezone.now() + timedelta(days=40)

    response = client.post(
        tenders_url(tender.procurement),
        {**date_fields("deadline", far), **date_fields("opens_at", far)},
    )

    assert response.status_code == 403
    assert not TenderRound.objects.filter(procurement=tender.procurement).exists()


def test_the_lead_officer_changes_the_opening_date_before_the_deadline(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    client = login(personas.officer_a)
    assert opening_date_url(tender_round) in page(client, tenders_url(tender.procurement))
    later = (tender_round.deadline + timedelta(days=2)).replace(second=0, microsecond=0)

    response = client.post(opening_date_url(tender_round), date_fields("opens_at", later))

    assert response.status_code == 302
    tender_round.refresh_from_db()
    assert tender_round.opens_at == later
    assert AuditEvent.objects.filter(
        action="tenders.opening_date_changed", actor=personas.officer_a
    ).exists()
    assert "Changed the opening date of round 1" in page(client, tenders_url(tender.procurement))


def test_the_opening_date_cannot_be_before_the_deadline(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    earlier = tender_round.deadline - timedelta(days=1)

    response = login(personas.officer_a).post(
        opening_date_url(tender_round), date_fields("opens_at", earlier)
    )

    assert response.status_code == 200
    assert "The opening date must be at or after the deadline" in response.content.decode()
    opens_at = tender_round.opens_at
    tender_round.refresh_from_db()
    assert tender_round.opens_at == opens_at


def test_the_opening_date_is_refused_after_the_deadline_and_recorded(personas, login):
    tender = tendering(personas)
    tender_round = pass_the_deadline(round_opened(personas, tender))
    opens_at = tender_round.opens_at
    client = login(personas.officer_a)
    assert opening_date_url(tender_round) not in page(client, tenders_url(tender.procurement))

    response = client.post(
        opening_date_url(tender_round),
        date_fields("opens_at", opens_at + timedelta(days=3)),
        follow=True,
    )

    assert "the opening date can no longer change" in response.content.decode()
    tender_round.refresh_from_db()
    assert tender_round.opens_at == opens_at
    assert refusals("tenders.opening_date_refused", personas.officer_a) == 1


def test_an_officer_who_does_not_lead_cannot_change_the_opening_date(personas, login):
    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    opens_at = tender_round.opens_at
    client = login(personas.approver_a)
    assert opening_date_url(tender_round) not in page(client, tenders_url(tender.procurement))
    assert 'id="cannot-change"' in page(client, opening_date_url(tender_round))

    response = client.post(
        opening_date_url(tender_round),
        date_fields("opens_at", opens_at + timedelta(days=3)),
        follow=True,
    )

    assert "Only the lead officer sets or changes the opening date" in response.content.decode()
    tender_round.refresh_from_db()
    assert tender_round.opens_at == opens_at
    assert refusals("tenders.opening_date_refused", personas.approver_a) == 1


# --- queries -----------------------------------------------------------------------------------


def test_the_tenders_page_makes_the_same_queries_whatever_the_number_of_proposals(personas, login):
    """Measured after opening, where the page lists each proposal and its events."""
    tender = tendering(personas, requests=3)
    tender_round = round_opened(personas, tender)
    pass_the_deadline(tender_round)
    opened_by_two(personas, login, tender_round)
    waiting = list(tender.invited)
    client = login(personas.officer_a)

    def add_proposals(count: int) -> None:
        # Each proposal is submitted through the services while the round takes tenders;
        # then the round is as the two officers left it, opened.
        future = timezone.now() + timedelta(days=1)
        TenderRound.objects.filter(pk=tender_round.pk).update(
            status=RoundStatus.OPEN, deadline=future, opens_at=future
        )
        tender_round.refresh_from_db()
        added = [submit(tender, tender_round, waiting.pop(0)) for _ in range(count)]
        past = timezone.now() - timedelta(seconds=1)
        TenderRound.objects.filter(pk=tender_round.pk).update(
            status=RoundStatus.OPENED, deadline=past, opens_at=past
        )
        for proposal in added:
            assert client.get(proposal_url(proposal)).status_code == 200  # a recorded reading

    assert_query_budget(
        client, tenders_url(tender.procurement), add_rows=add_proposals, most=25, sizes=(1, 3)
    )
    assert page(client, tenders_url(tender.procurement)).count('id="proposal-') == 3


def test_an_attempt_on_a_proposal_never_submitted_is_refused_and_recorded(personas, login):
    from core.models import AuditEvent
    from partners.services_tenders import proposal_start
    from tests.partners.tender_samples import round_opened, tendering

    tender = tendering(personas)
    tender_round = round_opened(personas, tender)
    draft = proposal_start(actor=personas.supplier_b_admin, tender_round=tender_round)
    url = reverse(
        "partners:tenders-proposal",
        kwargs={"pk": tender.procurement.pk, "proposal_pk": draft.pk},
    )

    assert login(personas.officer_a).get(url).status_code == 403
    event = AuditEvent.objects.filter(action="tenders.read_refused").get()
    assert event.actor == personas.officer_a
    assert event.target_id == str(draft.pk)
