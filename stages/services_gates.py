"""A phase's gate up to the decision: its assessors, their blind marks, the lead officer's
moderation and the recommendation the system computes (RULES.md point 9; PCR 2015 reg.
31(2); PA 2023 s.20).

The lead officer names the gate's assessors among the borough's evaluators and procurement
officers (more may be named later). Each assessor marks every participation under review at
that gate against every announced gate criterion: a score out of 10, whether the announced
threshold is met, the reason and where the evidence is. Saving keeps the review open; it is
complete once every criterion is marked and the assessor says so. The lead officer moderates
each criterion to a consensus mark once every assessor has completed; the recommendation is
"meets the announced thresholds" when every consensus mark meets its threshold. Every
decision is recorded with its reasons (PCR 2015 reg. 84).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import OfficerRole, User
from core.permissions import has_role
from partners.services_common import REASON_MAX_LENGTH, procurement_lock

from .models import (
    SCORE_MAXIMUM,
    GateAssessor,
    GateConsensus,
    GateCriterion,
    GateReview,
    GateScore,
    ParticipationStatus,
    Phase,
    StageParticipation,
)
from .permissions_gates import (
    can_moderate_gate,
    can_name_assessors,
    can_score_gate,
    may_assess,
)

EVIDENCE_MAX_LENGTH = 300

NOT_UNDER_REVIEW = {
    ParticipationStatus.NOT_STARTED: (
        "{partner} has not started {phase}: there is nothing to assess."
    ),
    ParticipationStatus.IN_PROGRESS: (
        "{partner}'s {phase} is in progress: the partner has not submitted its final report."
    ),
    ParticipationStatus.PASSED: "{partner}'s {phase} gate is decided: it passed.",
    ParticipationStatus.TERMINATED: "{partner}'s {phase} has ended: it was terminated.",
}


@dataclass(frozen=True)
class GateMark:
    """What someone wrote against one criterion: any part may be missing until it is saved."""

    score: int | None = None
    meets: bool | None = None
    reason: str = ""
    evidence_reference: str = ""

    @property
    def empty(self) -> bool:
        return (
            self.score is None
            and self.meets is None
            and not (self.reason or "").strip()
            and not (self.evidence_reference or "").strip()
        )


@dataclass(frozen=True)
class Recommendation:
    """What the consensus marks say: ``complete`` once every criterion is moderated;
    ``meets`` when every criterion's consensus meets its announced threshold; ``failing`` the
    criteria whose consensus does not."""

    complete: bool
    meets: bool
    failing: list[GateCriterion]
    missing: list[GateCriterion]

    @property
    def text(self) -> str:
        if not self.complete:
            return "No recommendation until every criterion is moderated"
        if self.meets:
            return "Meets the announced thresholds"
        names = "; ".join(criterion.criterion for criterion in self.failing)
        return f"Does not meet the announced thresholds: {names}"


def recommendation_of(
    criteria: Iterable[GateCriterion], consensus: Iterable[GateConsensus]
) -> Recommendation:
    """The recommendation from the consensus marks (RULES.md point 9)."""
    criteria = list(criteria)
    by_criterion = {mark.criterion_id: mark for mark in consensus}
    missing = [c for c in criteria if c.pk not in by_criterion]
    failing = [c for c in criteria if c.pk in by_criterion and not by_criterion[c.pk].meets]
    return Recommendation(
        complete=not missing, meets=not missing and not failing, failing=failing, missing=missing
    )


def partner_name(participation: StageParticipation) -> str:
    return participation.partnership.request.organisation.name


def refuse_unless_under_review(participation: StageParticipation) -> None:
    if participation.status != ParticipationStatus.UNDER_REVIEW:
        raise ApplicationError(
            NOT_UNDER_REVIEW[participation.status].format(
                partner=partner_name(participation), phase=participation.phase.name
            )
        )


def participation_lock(pk: int) -> StageParticipation:
    """The participation with its phase, procurement and partner, its row locked."""
    return (
        StageParticipation.objects.select_for_update(of=("self",))
        .select_related(
            "phase__procurement__borough",
            "partnership__request__organisation",
            "partnership__procurement",
        )
        .get(pk=pk)
    )


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _criteria(phase: Phase) -> list[GateCriterion]:
    return list(phase.gate_criteria.order_by("order", "pk"))


# --- the assessors ----------------------------------------------------------------------------


@transaction.atomic
def gate_assessors_name(
    *, actor: User, phase: Phase, assessors: Iterable[User]
) -> list[GateAssessor]:
    """The lead officer names (more) assessors of ``phase``'s gate among the borough's
    evaluators and procurement officers; each is told by e-mail. The procurement's named
    approver is not named: they decide the gate, and an assessor may not (four eyes)."""
    procurement = procurement_lock(phase.procurement_id)
    phase = Phase.objects.get(pk=phase.pk)
    phase.procurement = procurement
    if not can_name_assessors(actor, phase):
        raise PermissionRefused(
            "Only the lead officer names the assessors of a gate, while the procurement is active."
        )
    chosen = list(dict.fromkeys(assessors))
    named = set(phase.gate_assessors.values_list("user_id", flat=True))
    new = [person for person in chosen if person.pk not in named]
    problem = ""
    if not new:
        problem = "Choose at least one person who is not already an assessor of this gate"
    elif any(not may_assess(person, procurement) for person in new):
        problem = "Choose assessors among the borough's evaluators and procurement officers"
    elif procurement.approver_id is not None and procurement.approver_id in {p.pk for p in new}:
        problem = (
            "The procurement's named approver decides the gate, so cannot assess it: choose "
            "someone else"
        )
    if problem:
        raise ApplicationError(problem, extra={"errors": {"assessors": problem}})
    seats = GateAssessor.objects.bulk_create(
        [GateAssessor(phase=phase, user=person, named_by=actor) for person in new]
    )
    # An evaluator named here is named on the procurement, so its pages are theirs to see.
    evaluators = [p for p in new if has_role(p, procurement.borough, OfficerRole.EVALUATOR)]
    procurement.evaluators.add(*evaluators)
    url = absolute_url(reverse("stages:gate", kwargs={"pk": procurement.pk, "phase_pk": phase.pk}))
    for person in new:
        send_after_commit(
            template="stages/gates/email/assessor_named",
            context={"procurement": procurement, "phase": phase, "url": url},
            recipients=[person.email],
        )
    _audit(
        actor=actor,
        action="stages.gate_assessors_named",
        target=phase,
        procurement_id=procurement.pk,
        phase=phase.name,
        named=[p.pk for p in new],
        already_named=sorted(named),
    )
    return seats


# --- marks ------------------------------------------------------------------------------------


def mark_problems(
    criteria: list[GateCriterion], marks: Mapping[int, GateMark], *, every: bool, prefix: str
) -> dict[str, str]:
    """The fields refused in ``marks`` (field name ``<prefix>_<criterion id>_<part>``): a
    criterion is left empty or marked whole (score 0 to 10, meets or not, reason and evidence
    reference); with ``every`` no criterion may be left empty."""
    errors: dict[str, str] = {}
    for criterion in criteria:
        mark = marks.get(criterion.pk) or GateMark()
        if mark.empty and not every:
            continue
        field = f"{prefix}_{criterion.pk}"
        name = criterion.criterion
        if mark.score is None:
            errors[f"{field}_score"] = f"Choose a score from 0 to {SCORE_MAXIMUM} for {name}"
        elif not 0 <= mark.score <= SCORE_MAXIMUM:
            errors[f"{field}_score"] = f"The score for {name} must be from 0 to {SCORE_MAXIMUM}"
        if mark.meets is None:
            errors[f"{field}_meets"] = f"Say whether {name} meets its announced threshold"
        reason = (mark.reason or "").strip()
        if not reason:
            errors[f"{field}_reason"] = f"Give the reason for your mark on {name}"
        elif len(reason) > REASON_MAX_LENGTH:
            errors[f"{field}_reason"] = (
                f"Write the reason in {REASON_MAX_LENGTH:,} characters or fewer"
            )
        evidence = (mark.evidence_reference or "").strip()
        if not evidence:
            errors[f"{field}_evidence_reference"] = (
                f"Say where the evidence for {name} is: the deliverable, file and page"
            )
        elif len(evidence) > EVIDENCE_MAX_LENGTH:
            errors[f"{field}_evidence_reference"] = (
                f"Write the evidence reference in {EVIDENCE_MAX_LENGTH} characters or fewer"
            )
    return errors


def _write(model, *, criteria, marks, identity: dict, also: dict | None = None) -> list[dict]:
    """Create or update the row of ``model`` (``identity`` its owner) for every criterion
    marked, setting ``also`` on each; the marks written, for the audit."""
    existing = {row.criterion_id: row for row in model.objects.filter(**identity)}
    now = timezone.now()
    written = []
    for criterion in criteria:
        mark = marks.get(criterion.pk)
        if mark is None or mark.empty:
            continue
        row = existing.get(criterion.pk) or model(criterion=criterion, **identity)
        row.score = mark.score
        row.meets = mark.meets
        row.reason = mark.reason.strip()
        row.evidence_reference = mark.evidence_reference.strip()
        row.updated_at = now
        for name, value in (also or {}).items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        written.append(
            {
                "criterion": criterion.criterion,
                "score": row.score,
                "meets": row.meets,
                "reason": row.reason,
                "evidence_reference": row.evidence_reference,
            }
        )
    return written


@transaction.atomic
def gate_marks_save(
    *,
    actor: User,
    participation: StageParticipation,
    marks: Mapping[int, GateMark],
    complete: bool = False,
) -> GateReview:
    """An assessor saves their marks of a participation under review (the review stays open),
    or completes the review: then every criterion must be marked, and nothing changes after.
    Once every assessor of the gate has completed, the lead officer is told to moderate."""
    participation = participation_lock(participation.pk)
    if not can_score_gate(actor, participation):
        raise PermissionRefused("Only the assessors of this gate score it.")
    refuse_unless_under_review(participation)
    review, _ = GateReview.objects.get_or_create(participation=participation, assessor=actor)
    if review.completed_at is not None:
        raise ApplicationError(
            f"You completed your scoring of {partner_name(participation)} on "
            f"{timezone.localtime(review.completed_at):%-d %B %Y}: it can no longer change."
        )
    criteria = _criteria(participation.phase)
    errors = mark_problems(criteria, marks, every=complete, prefix="criterion")
    if errors:
        raise ApplicationError(
            "Your marks could not be saved" if not complete else "Mark every criterion to complete",
            extra={"errors": errors},
        )
    written = _write(
        GateScore,
        criteria=criteria,
        marks=marks,
        identity={"participation": participation, "assessor": actor},
    )
    if complete:
        review.completed_at = timezone.now()
        review.save(update_fields=["completed_at"])
        if not outstanding_assessors(participation):
            _ask_to_moderate(participation)
    _audit(
        actor=actor,
        action="stages.gate_review_completed" if complete else "stages.gate_marks_saved",
        target=participation,
        review_id=review.pk,
        marks=written,
    )
    return review


def outstanding_assessors(participation: StageParticipation) -> list[User]:
    """The gate's assessors who have not completed their review of ``participation``."""
    done = set(
        GateReview.objects.filter(
            participation=participation, completed_at__isnull=False
        ).values_list("assessor_id", flat=True)
    )
    seats = GateAssessor.objects.filter(phase_id=participation.phase_id).select_related("user")
    return [seat.user for seat in seats if seat.user_id not in done]


def moderation_ready(participation: StageParticipation) -> bool:
    """Every named assessor of the gate (at least one) has completed this participation."""
    has_assessors = GateAssessor.objects.filter(phase_id=participation.phase_id).exists()
    return has_assessors and not outstanding_assessors(participation)


def _ask_to_moderate(participation: StageParticipation) -> None:
    procurement = participation.phase.procurement
    send_after_commit(
        template="stages/gates/email/ready_to_moderate",
        context={
            "procurement": procurement,
            "participation": participation,
            "partner": partner_name(participation),
            "url": absolute_url(
                reverse(
                    "stages:gate-moderate",
                    kwargs={
                        "pk": procurement.pk,
                        "phase_pk": participation.phase_id,
                        "participation_pk": participation.pk,
                    },
                )
            ),
        },
        recipients=[procurement.lead_officer.email] if procurement.lead_officer_id else [],
    )


# --- moderation -------------------------------------------------------------------------------


@transaction.atomic
def gate_consensus_save(
    *, actor: User, participation: StageParticipation, marks: Mapping[int, GateMark]
) -> Recommendation:
    """The lead officer records the consensus mark of each criterion, once every assessor of
    the gate has completed this participation and before it is decided. Returns the
    recommendation the consensus now gives."""
    participation = participation_lock(participation.pk)
    if not can_moderate_gate(actor, participation):
        raise PermissionRefused(
            "Only the lead officer moderates a gate, while the procurement is active."
        )
    refuse_unless_under_review(participation)
    if not moderation_ready(participation):
        outstanding = outstanding_assessors(participation)
        names = ", ".join(p.get_full_name() or p.email for p in outstanding)
        raise ApplicationError(
            "Every assessor of this gate completes their scoring before it is moderated"
            + (f": {names} still to do." if names else ": name the gate's assessors first.")
        )
    criteria = _criteria(participation.phase)
    errors = mark_problems(criteria, marks, every=False, prefix="criterion")
    if errors:
        raise ApplicationError("The consensus could not be saved", extra={"errors": errors})
    written = _write(
        GateConsensus,
        criteria=criteria,
        marks=marks,
        identity={"participation": participation},
        also={"moderated_by": actor},
    )
    recommendation = recommendation_of(criteria, participation.gate_consensus.all())
    _audit(
        actor=actor,
        action="stages.gate_moderated",
        target=participation,
        marks=written,
        recommendation=recommendation.text,
    )
    return recommendation
