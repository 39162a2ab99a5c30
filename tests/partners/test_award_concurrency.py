"""Two approvers deciding the same award at the same moment, on real PostgreSQL
connections: exactly one decision is recorded."""

import pytest

from core.models import AuditEvent, OfficerRole
from partners.models import AwardDecision, AwardStatus
from partners.services_award import award_decide
from tests import factories
from tests.partners.award_samples import evaluated, proposed
from tests.partners.test_tender_box_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvers_approving_at_once_make_one_decision(personas, media_root, bank_holidays):
    decision = proposed(personas, evaluated(personas))
    second = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="ap2@example.org")

    results, refused, errors = at_once(
        lambda actor: award_decide(actor=actor, decision=decision, approve=True, reason="").pk,
        [personas.approver_a, second],
    )

    assert errors == []
    assert len(results) == 1 and len(refused) == 1
    decision = AwardDecision.objects.get()
    assert decision.status == AwardStatus.APPROVED
    assert decision.decided_by_id == results[0][0]
    assert AuditEvent.objects.filter(action="partners.award_approved").count() == 1


def test_an_approval_and_a_return_at_once_make_one_decision(personas, media_root, bank_holidays):
    decision = proposed(personas, evaluated(personas))
    second = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="ap2@example.org")

    def decide(actor):
        approve = actor.pk == personas.approver_a.pk
        return award_decide(actor=actor, decision=decision, approve=approve, reason="No.").pk

    results, refused, errors = at_once(decide, [personas.approver_a, second])

    assert errors == []
    assert len(results) == 1 and len(refused) == 1
    decided = AwardDecision.objects.get()
    assert decided.decided_by_id == results[0][0]
    expected = AwardStatus.APPROVED if results[0][0] == personas.approver_a.pk else "returned"
    assert decided.status == expected
    events = AuditEvent.objects.filter(
        action__in=["partners.award_approved", "partners.award_returned"]
    )
    assert events.count() == 1
