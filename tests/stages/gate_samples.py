"""Gate samples on top of ``tests.stages.running_samples.running``: a participation under
review, scored by the gate's assessors and moderated, then passed or terminated, all through
the services the pages call (the gate services) with the sample's personas:

- ``under_review(sample, organisation, number=1)``: the partner's phase ``number`` moves to
  review (by the model transition, as the final report would);
- ``assessors_named(personas, sample, number=1, people=None)``: officer A (the lead officer)
  names the gate's assessors (evaluator A by default), if none is named yet;
- ``scored_and_moderated(personas, sample, organisation, meets=True, number=1)``: under review,
  every assessor completes, officer A moderates (every criterion meets, or none does);
- ``passed(...)`` / ``terminated(...)``: approver A decides (terminate cites the phase's first
  announced condition unless ``condition`` is given).
"""

from __future__ import annotations

from django.utils import timezone

from stages.models import (
    GateDecision,
    GateOutcome,
    ParticipationStatus,
    StageParticipation,
)
from stages.services_gate_decisions import gate_decide
from stages.services_gates import (
    GateMark,
    gate_assessors_name,
    gate_consensus_save,
    gate_marks_save,
)


def fresh(participation: StageParticipation) -> StageParticipation:
    return StageParticipation.objects.select_related(
        "phase__procurement", "partnership__request__organisation"
    ).get(pk=participation.pk)


def under_review(sample, organisation, number: int = 1) -> StageParticipation:
    participation = sample.participation(organisation, number)
    if participation.status == ParticipationStatus.IN_PROGRESS:
        participation.submit_for_review(at=timezone.now())
        participation.save(update_fields=["status", "review_requested_at"])
    return fresh(participation)


def marks_for(phase, *, meets: bool, score: int | None = None, reason: str = "As evidenced."):
    """A whole mark for every criterion of ``phase``."""
    return {
        criterion.pk: GateMark(
            score=score if score is not None else (7 if meets else 3),
            meets=meets,
            reason=f"{reason} ({criterion.criterion})",
            evidence_reference="Final report, section 2, page 4",
        )
        for criterion in phase.gate_criteria.all()
    }


def assessors_named(personas, sample, number: int = 1, people=None):
    phase = sample.phases[number - 1]
    if not phase.gate_assessors.exists():
        gate_assessors_name(
            actor=personas.officer_a, phase=phase, assessors=people or [personas.evaluator_a]
        )
    return [seat.user for seat in phase.gate_assessors.select_related("user")]


def scored(personas, sample, organisation, *, meets: bool = True, number: int = 1):
    participation = under_review(sample, organisation, number)
    for person in assessors_named(personas, sample, number):
        gate_marks_save(
            actor=person,
            participation=participation,
            marks=marks_for(participation.phase, meets=meets),
            complete=True,
        )
    return fresh(participation)


def scored_and_moderated(
    personas, sample, organisation, meets: bool = True, number: int = 1
) -> StageParticipation:
    participation = scored(personas, sample, organisation, meets=meets, number=number)
    gate_consensus_save(
        actor=personas.officer_a,
        participation=participation,
        marks=marks_for(participation.phase, meets=meets, reason="Agreed"),
    )
    return fresh(participation)


def passed(personas, sample, organisation, number: int = 1) -> GateDecision:
    participation = scored_and_moderated(personas, sample, organisation, True, number)
    return gate_decide(
        actor=personas.approver_a,
        participation=participation,
        outcome=GateOutcome.PASS,
        reason="Every announced threshold is met.",
    )


def terminated(personas, sample, organisation, number: int = 1, condition=None) -> GateDecision:
    participation = scored_and_moderated(personas, sample, organisation, False, number)
    condition = condition or participation.phase.termination_conditions.order_by("order").first()
    return gate_decide(
        actor=personas.approver_a,
        participation=participation,
        outcome=GateOutcome.TERMINATE,
        reason="The targets were not met.",
        condition=condition,
    )
