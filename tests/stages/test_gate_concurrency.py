"""Two approvers deciding the same gate at the same moment, on real PostgreSQL connections:
exactly one decision is recorded and the other is told it is already decided."""

import pytest

from core.exceptions import ApplicationError
from core.models import AuditEvent, OfficerRole
from stages.models import GateDecision, GateOutcome, ParticipationStatus, StageParticipation
from stages.services_gate_decisions import gate_decide
from tests import factories
from tests.partners.test_tender_box_concurrency import at_once
from tests.stages.gate_samples import scored_and_moderated
from tests.stages.running_samples import running

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pass_and_a_termination_at_once_make_one_decision(personas, media_root, bank_holidays):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    second = factories.officer(personas.borough_a, OfficerRole.APPROVER, email="ap2@example.org")
    condition = participation.phase.termination_conditions.first()

    def decide(actor):
        terminate = actor.pk == second.pk
        try:
            return gate_decide(
                actor=actor,
                participation=participation,
                outcome=GateOutcome.TERMINATE if terminate else GateOutcome.PASS,
                reason="Decided.",
                condition=condition if terminate else None,
            ).pk
        except ApplicationError as refusal:
            return refusal.message

    results, refused, errors = at_once(decide, [personas.approver_a, second])

    assert errors == [] and refused == []
    decided = [value for _, value in results if isinstance(value, int)]
    told = [value for _, value in results if isinstance(value, str)]
    assert len(decided) == 1 and len(told) == 1
    assert told[0].startswith("This gate is already decided:")
    decision = GateDecision.objects.get()
    assert decision.pk == decided[0]
    assert AuditEvent.objects.filter(action="stages.gate_decided").count() == 1
    later = StageParticipation.objects.get(
        partnership__request__organisation=personas.org_a, phase=sample.phases[1]
    )
    expected = (
        ParticipationStatus.IN_PROGRESS
        if decision.outcome == GateOutcome.PASS
        else ParticipationStatus.TERMINATED
    )
    assert later.status == expected
