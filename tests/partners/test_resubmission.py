"""A proposal in a later round starts as a copy of the tenderer's own submission that stands in
the round before: answers, prices, background IP and files, all still sealed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from partners.models import ProposalFile
from partners.services_negotiation import round_next
from partners.services_resubmission import proposal_start_from_previous
from partners.services_tenders import (
    file_read,
    proposal_content,
    proposal_file_add,
    proposal_save,
    proposal_start,
    proposal_submit,
)
from partners.tender_content import answerable_criteria
from tests.partners.tender_samples import (
    CANARY,
    PRICES_WITHIN,
    opened_by_two,
    round_opened,
    tendering,
    text_file,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def _round_two(personas):
    tender = tendering(personas)
    round_one = round_opened(personas, tender)
    admin = personas.supplier_a_admin
    proposal = proposal_start(actor=admin, tender_round=round_one)
    criterion = answerable_criteria(tender.procurement)[0]
    proposal_save(
        actor=admin,
        proposal=proposal,
        answers={str(criterion.pk): f"Our method: {CANARY}."},
        prices=dict(PRICES_WITHIN),
        background_ip="Our sensor firmware.",
    )
    proposal_file_add(actor=admin, proposal=proposal, upload=text_file("method.txt", b"Method."))
    proposal_submit(actor=admin, proposal=proposal)
    opened_by_two(personas, round_one)
    later = timezone.now() + timedelta(days=30)
    round_two = round_next(
        actor=personas.officer_a,
        procurement=tender.procurement,
        kind="negotiation",
        deadline=later,
        opens_at=later,
    )
    return proposal, round_two, criterion


def test_a_later_round_starts_from_the_submission_that_stands(personas):
    previous, round_two, criterion = _round_two(personas)

    proposal, copied = proposal_start_from_previous(
        actor=personas.supplier_a_admin, tender_round=round_two
    )

    assert copied
    content = proposal_content(proposal)
    assert content["answers"] == {str(criterion.pk): f"Our method: {CANARY}."}
    assert content["prices"] == {"1": "75000.00", "2": "150000.00"}
    assert content["background_ip"] == "Our sensor firmware."
    (copy,) = ProposalFile.objects.filter(proposal=proposal)
    (original,) = ProposalFile.objects.filter(proposal=previous)
    assert copy.token != original.token
    assert (copy.sha256, copy.size) == (original.sha256, original.size)
    assert [f["token"] for f in content["files"]] == [str(copy.token)]
    name, chunks = file_read(actor=personas.supplier_a_admin, record=copy)
    assert (name, b"".join(chunks)) == ("method.txt", b"Method.")
    # Still sealed: the copied answer is nowhere in the clear.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM partners_proposal WHERE position(%s in encode(sealed_draft, "
            "'escape')) > 0",
            [CANARY],
        )
        assert cursor.fetchone()[0] == 0
    event = AuditEvent.objects.get(action="tenders.proposal_carried_over")
    assert event.data == {
        "from_proposal": previous.pk,
        "from_submission": 1,
        "not_copied": [],
    }


def test_a_proposal_already_started_is_not_copied_again(personas):
    _previous, round_two, _criterion = _round_two(personas)
    proposal, _ = proposal_start_from_previous(
        actor=personas.supplier_a_admin, tender_round=round_two
    )
    proposal_save(actor=personas.supplier_a_admin, proposal=proposal, background_ip="Changed.")

    again, copied = proposal_start_from_previous(
        actor=personas.supplier_a_admin, tender_round=round_two
    )

    assert again == proposal and not copied
    assert proposal_content(again)["background_ip"] == "Changed."
    assert ProposalFile.objects.filter(proposal=proposal).count() == 1


def test_the_first_round_starts_empty(personas):
    tender = tendering(personas)
    round_one = round_opened(personas, tender)

    proposal, copied = proposal_start_from_previous(
        actor=personas.supplier_a_admin, tender_round=round_one
    )

    assert not copied
    assert proposal_content(proposal)["answers"] == {}
