"""A phase's gate up to the decision: naming assessors, blind marks, moderation and the
recommendation (RULES.md point 9; PCR 2015 reg. 31(2); PA 2023 s.20)."""

import pytest
from django.core import mail

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from stages.models import GateAssessor, GateConsensus, GateReview, GateScore
from stages.selectors_gates import moderation_get, scoring_get
from stages.services_gates import (
    GateMark,
    gate_assessors_name,
    gate_consensus_save,
    gate_marks_save,
)
from tests import factories
from tests.stages.gate_samples import (
    assessors_named,
    fresh,
    marks_for,
    passed,
    scored,
    under_review,
)

pytestmark = pytest.mark.usefixtures("media_root", "bank_holidays")


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def second(personas):
    return factories.officer(personas.borough_a, OfficerRole.OFFICER, email="o2@example.org")


# --- assessors ------------------------------------------------------------------------------


def test_the_lead_officer_names_assessors_who_are_told_after_commit(
    personas, sample, django_capture_on_commit_callbacks
):
    phase = sample.phases[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        gate_assessors_name(actor=personas.officer_a, phase=phase, assessors=[personas.evaluator_a])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["evaluator-a@example.org"]]
    assert list(phase.gate_assessors.values_list("user", flat=True)) == [personas.evaluator_a.pk]
    assert sample.procurement.evaluators.filter(pk=personas.evaluator_a.pk).exists()
    event = AuditEvent.objects.get(action="stages.gate_assessors_named")
    assert event.data["named"] == [personas.evaluator_a.pk]


def test_more_assessors_can_be_named_later_but_not_twice(personas, sample, second):
    phase = sample.phases[0]
    gate_assessors_name(actor=personas.officer_a, phase=phase, assessors=[personas.evaluator_a])
    gate_assessors_name(
        actor=personas.officer_a, phase=phase, assessors=[personas.evaluator_a, second]
    )
    assert phase.gate_assessors.count() == 2
    with pytest.raises(ApplicationError, match="not already an assessor"):
        gate_assessors_name(actor=personas.officer_a, phase=phase, assessors=[second])


@pytest.mark.parametrize("who", ["approver_a", "borough_admin_a", "supplier_a_admin", "officer_b"])
def test_assessors_are_the_boroughs_evaluators_and_officers(personas, sample, who):
    with pytest.raises(ApplicationError, match="evaluators and procurement officers") as refused:
        gate_assessors_name(
            actor=personas.officer_a, phase=sample.phases[0], assessors=[getattr(personas, who)]
        )
    assert "assessors" in refused.value.extra["errors"]
    assert not GateAssessor.objects.exists()


def test_the_named_approver_cannot_be_an_assessor(personas, sample):
    both = factories.officer(
        personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER, email="b@example.org"
    )
    type(sample.procurement).objects.filter(pk=sample.procurement.pk).update(approver=both)
    with pytest.raises(ApplicationError, match="named approver decides the gate"):
        gate_assessors_name(actor=personas.officer_a, phase=sample.phases[0], assessors=[both])


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b"])
def test_only_the_lead_officer_names_assessors(personas, sample, who):
    with pytest.raises(PermissionRefused):
        gate_assessors_name(
            actor=getattr(personas, who), phase=sample.phases[0], assessors=[personas.evaluator_a]
        )


# --- marks ------------------------------------------------------------------------------------


def test_saving_keeps_the_review_open_and_completing_needs_every_criterion(personas, sample):
    assessors_named(personas, sample)
    participation = under_review(sample, personas.org_a)
    first, last = participation.phase.gate_criteria.order_by("order")
    partial = {first.pk: marks_for(participation.phase, meets=True)[first.pk]}
    review = gate_marks_save(actor=personas.evaluator_a, participation=participation, marks=partial)
    assert review.completed_at is None
    assert GateScore.objects.count() == 1
    assert AuditEvent.objects.filter(action="stages.gate_marks_saved").count() == 1

    with pytest.raises(ApplicationError) as refused:
        gate_marks_save(
            actor=personas.evaluator_a, participation=participation, marks=partial, complete=True
        )
    errors = refused.value.extra["errors"]
    assert set(errors) == {
        f"criterion_{last.pk}_{part}" for part in ("score", "meets", "reason", "evidence_reference")
    }
    review = gate_marks_save(
        actor=personas.evaluator_a,
        participation=participation,
        marks=marks_for(participation.phase, meets=True),
        complete=True,
    )
    assert review.completed_at is not None
    assert AuditEvent.objects.filter(action="stages.gate_review_completed").count() == 1


def test_a_mark_needs_a_reason_and_an_evidence_reference_and_a_score_in_scale(personas, sample):
    assessors_named(personas, sample)
    participation = under_review(sample, personas.org_a)
    criterion = participation.phase.gate_criteria.first()
    mark = GateMark(score=11, meets=True, reason=" ", evidence_reference="")
    with pytest.raises(ApplicationError) as refused:
        gate_marks_save(
            actor=personas.evaluator_a, participation=participation, marks={criterion.pk: mark}
        )
    assert set(refused.value.extra["errors"]) == {
        f"criterion_{criterion.pk}_score",
        f"criterion_{criterion.pk}_reason",
        f"criterion_{criterion.pk}_evidence_reference",
    }
    assert not GateScore.objects.exists()


def test_completed_marks_cannot_change(personas, sample):
    participation = scored(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="can no longer change"):
        gate_marks_save(
            actor=personas.evaluator_a,
            participation=participation,
            marks=marks_for(participation.phase, meets=False),
        )
    assert set(GateScore.objects.values_list("score", flat=True)) == {7}


def test_a_phase_in_progress_or_decided_cannot_be_scored(personas, sample):
    assessors_named(personas, sample)
    participation = sample.participation(personas.org_b)
    marks = marks_for(participation.phase, meets=True)
    with pytest.raises(ApplicationError, match="in progress: the partner has not submitted"):
        gate_marks_save(actor=personas.evaluator_a, participation=participation, marks=marks)
    decision = passed(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="gate is decided: it passed"):
        gate_marks_save(
            actor=personas.evaluator_a, participation=decision.participation, marks=marks
        )


@pytest.mark.parametrize("who", ["officer_a", "approver_a", "borough_admin_a", "supplier_a_admin"])
def test_only_the_gates_assessors_score(personas, sample, who):
    assessors_named(personas, sample)
    participation = under_review(sample, personas.org_a)
    with pytest.raises(PermissionRefused):
        gate_marks_save(
            actor=getattr(personas, who),
            participation=participation,
            marks=marks_for(participation.phase, meets=True),
        )
    assert not GateReview.objects.exists()


def test_scoring_is_blind_until_ones_own_review_is_complete(personas, sample, second):
    assessors_named(personas, sample, people=[personas.evaluator_a, second])
    participation = under_review(sample, personas.org_a)
    marks = marks_for(participation.phase, meets=True)
    gate_marks_save(actor=second, participation=participation, marks=marks, complete=True)
    gate_marks_save(actor=personas.evaluator_a, participation=participation, marks=marks)

    before = scoring_get(user=personas.evaluator_a, participation=fresh(participation))
    assert all(row.others == [] for row in before.criteria)
    assert all(row.mine is not None for row in before.criteria)
    assert not moderation_get(participation=fresh(participation)).ready
    assert all(
        row.others == [] for row in moderation_get(participation=fresh(participation)).criteria
    )

    gate_marks_save(
        actor=personas.evaluator_a, participation=participation, marks=marks, complete=True
    )
    after = scoring_get(user=personas.evaluator_a, participation=fresh(participation))
    assert [o.assessor for o in after.criteria[0].others] == [second]
    assert after.criteria[0].others[0].mark.score == 7
    moderation = moderation_get(participation=fresh(participation))
    assert moderation.ready
    assert [o.assessor for o in moderation.criteria[0].others] == [personas.evaluator_a, second]


def test_the_lead_officer_is_asked_to_moderate_when_the_last_assessor_completes(
    personas, sample, second, django_capture_on_commit_callbacks
):
    assessors_named(personas, sample, people=[personas.evaluator_a, second])
    participation = under_review(sample, personas.org_a)
    marks = marks_for(participation.phase, meets=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gate_marks_save(actor=second, participation=participation, marks=marks, complete=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        gate_marks_save(
            actor=personas.evaluator_a, participation=participation, marks=marks, complete=True
        )
    assert [m.to for m in mail.outbox] == [["officer-a@example.org"]]
    assert "Ready to moderate" in mail.outbox[0].subject


# --- moderation -------------------------------------------------------------------------------


def test_moderation_waits_for_every_assessor(personas, sample, second):
    assessors_named(personas, sample, people=[personas.evaluator_a, second])
    participation = under_review(sample, personas.org_a)
    marks = marks_for(participation.phase, meets=True)
    gate_marks_save(actor=second, participation=participation, marks=marks, complete=True)
    with pytest.raises(ApplicationError, match="still to do"):
        gate_consensus_save(actor=personas.officer_a, participation=participation, marks=marks)
    assert not GateConsensus.objects.exists()


def test_the_recommendation_names_the_criteria_that_do_not_meet(personas, sample):
    participation = scored(personas, sample, personas.org_a)
    last = participation.phase.gate_criteria.order_by("order").last()
    marks = marks_for(participation.phase, meets=True)
    marks[last.pk] = GateMark(score=2, meets=False, reason="Weak plan.", evidence_reference="p. 9")
    recommendation = gate_consensus_save(
        actor=personas.officer_a, participation=participation, marks=marks
    )
    assert recommendation.complete and not recommendation.meets
    assert recommendation.text == f"Does not meet the announced thresholds: {last.criterion}"
    event = AuditEvent.objects.get(action="stages.gate_moderated")
    assert event.data["recommendation"] == recommendation.text

    marks[last.pk] = GateMark(score=6, meets=True, reason="Fine.", evidence_reference="p. 9")
    recommendation = gate_consensus_save(
        actor=personas.officer_a, participation=participation, marks=marks
    )
    assert recommendation.text == "Meets the announced thresholds"
    assert GateConsensus.objects.count() == 2


def test_a_partial_consensus_gives_no_recommendation(personas, sample):
    participation = scored(personas, sample, personas.org_a)
    first = participation.phase.gate_criteria.order_by("order").first()
    recommendation = gate_consensus_save(
        actor=personas.officer_a,
        participation=participation,
        marks={first.pk: marks_for(participation.phase, meets=True)[first.pk]},
    )
    assert not recommendation.complete and not recommendation.meets


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b"])
def test_only_the_lead_officer_moderates(personas, sample, who):
    participation = scored(personas, sample, personas.org_a)
    with pytest.raises(PermissionRefused):
        gate_consensus_save(
            actor=getattr(personas, who),
            participation=participation,
            marks=marks_for(participation.phase, meets=True),
        )


def test_a_decided_gate_cannot_be_moderated(personas, sample):
    decision = passed(personas, sample, personas.org_a)
    with pytest.raises(ApplicationError, match="gate is decided"):
        gate_consensus_save(
            actor=personas.officer_a,
            participation=decision.participation,
            marks=marks_for(decision.participation.phase, meets=False),
        )
