"""Gate samples on top of ``tests.stages.running_samples.running``: a participation under
review, scored by the gate's assessors and moderated, then passed or terminated, all through
the services the pages call (the gate services) with the sample's personas:

- ``under_review(sample, organisation, number=1)``: the partner's organisation administrator
  submits phase ``number``'s final report (a value for every target and one small PDF), which
  moves it to review;
- ``assessors_named(personas, sample, number=1, people=None)``: officer A (the lead officer)
  names the gate's assessors (evaluator A by default), if none is named yet;
- ``scored_and_moderated(personas, sample, organisation, meets=True, number=1)``: under review,
  every assessor completes, officer A moderates (every criterion meets, or none does);
- ``passed(...)`` / ``terminated(...)``: approver A decides (terminate cites the phase's first
  announced condition unless ``condition`` is given).
"""

from __future__ import annotations

from core.models import SupplierRole
from stages.models import (
    DeliverableKind,
    GateDecision,
    GateOutcome,
    ParticipationStatus,
    StageParticipation,
)
from stages.services_deliverables import deliverable_submit
from stages.services_gate_decisions import gate_decide
from stages.services_gates import (
    GateMark,
    gate_assessors_name,
    gate_consensus_save,
    gate_marks_save,
)
from tests.stages.deliverable_samples import every_target, pdf


def fresh(participation: StageParticipation) -> StageParticipation:
    return StageParticipation.objects.select_related(
        "phase__procurement", "partnership__request__organisation"
    ).get(pk=participation.pk)


def partner_admin(organisation):
    """The organisation's first administrator: the person who submits its deliverables."""
    membership = (
        organisation.memberships.filter(role=SupplierRole.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user


def under_review(sample, organisation, number: int = 1) -> StageParticipation:
    """The phase's final report submitted through the service, as the partner's page does."""
    participation = sample.participation(organisation, number)
    if participation.status == ParticipationStatus.IN_PROGRESS:
        deliverable_submit(
            actor=partner_admin(organisation),
            participation=participation,
            kind=DeliverableKind.FINAL_REPORT,
            title=f"Final report of {participation.phase.name}",
            summary="Every intermediate target was measured; the evidence is attached.",
            measurements=every_target(participation),
            files=[pdf("final-report.pdf")],
        )
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
