"""Two people pressing the same button on the tender box at the same moment, on real
PostgreSQL connections: one submission of a proposal, and one opening of a round."""

import threading

import pytest
from django.db import connection

from core.exceptions import PermissionRefused
from core.models import AuditEvent, OfficerRole, SupplierRole
from partners.models import ProposalStatus, ProposalSubmission, RoundStatus, TenderRound
from partners.services_tenders import (
    TenderBoxRefused,
    opening_confirm,
    opening_request,
    proposal_submit,
)
from tests import factories

from .tender_samples import (
    pass_the_deadline,
    proposal_completed,
    proposal_started,
    round_opened,
    tendering,
)

pytestmark = pytest.mark.django_db(transaction=True)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def at_once(action, actors) -> tuple[list, list, list]:
    """Run ``action(actor)`` for each actor in its own thread and connection, released
    together; return what came back, the refusals and any other error."""
    barrier = threading.Barrier(len(actors))
    results, refused, errors = [], [], []

    def run(actor):
        try:
            barrier.wait(timeout=10)
            results.append((actor.pk, action(actor)))
        except PermissionRefused as refusal:
            refused.append((actor.pk, refusal))
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, refused, errors


def test_two_admins_submitting_the_same_proposal_at_once_make_one_submission(
    personas, media_root, bank_holidays, mailoutbox
):
    tender_round = round_opened(personas, tendering(personas))
    proposal = proposal_started(personas, tender_round)
    proposal_completed(personas, proposal)
    second_admin = factories.supplier(personas.org_a, SupplierRole.ADMIN, email="a2@example.org")
    mailoutbox.clear()

    results, refused, errors = at_once(
        lambda actor: proposal_submit(actor=actor, proposal=proposal).pk,
        [personas.supplier_a_admin, second_admin],
    )

    assert errors == [] and refused == []
    assert len(results) == 2
    assert results[0][1] == results[1][1]
    [submission] = ProposalSubmission.objects.all()
    assert submission.number == 1
    assert len(events("tenders.proposal_submitted")) == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    # One receipt, to the one who submitted and the organisation's admins, once each.
    assert sorted(to for message in mailoutbox for to in message.to) == [
        "a-admin@example.org",
        "a2@example.org",
    ]


def test_two_officers_confirming_one_request_at_once_open_the_round_once(
    personas, media_root, bank_holidays
):
    tender_round = pass_the_deadline(round_opened(personas, tendering(personas)))
    other_approver = factories.officer(
        personas.borough_a, OfficerRole.APPROVER, email="approver-a2@example.org"
    )
    opening_request(actor=personas.officer_a, tender_round=tender_round)

    results, refused, errors = at_once(
        lambda actor: opening_confirm(actor=actor, tender_round=tender_round).opened_by_id,
        [personas.approver_a, other_approver],
    )

    assert errors == []
    assert len(results) == 1 and len(refused) == 1
    [(opener, opened_by)] = results
    [(other, refusal)] = refused
    assert opened_by == opener
    assert isinstance(refusal, TenderBoxRefused)
    assert "already open" in refusal.message
    tender_round = TenderRound.objects.get(pk=tender_round.pk)
    assert tender_round.status == RoundStatus.OPENED
    assert tender_round.opened_by_id == opener
    assert tender_round.opening_requested_by_id == personas.officer_a.pk
    [event] = events("tenders.round_opened_by_two")
    assert event.actor_id == opener
    assert [e.actor_id for e in events("tenders.opening_refused")] == [other]
