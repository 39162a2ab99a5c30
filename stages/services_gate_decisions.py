"""The approver's decision at a participation's gate: pass to the next phase, or terminate
the partner on a condition the tender documents announced (RULES.md point 9; PCR 2015 reg.
31(2); PA 2023 s.20 and s.80).

An approver of the borough decides (the procurement's named approver, if one is named), never
the lead officer nor an assessor of that gate (four eyes), once the participation is under
review and every criterion is moderated. One decision per gate: the participation's row is
locked (after its partnership's and the procurement's) and the decision is one-to-one with
it, so two approvers deciding at once make one.

- A pass starts the partner's next phase the same day (London); after the last phase nothing
  starts: the partner awaits the purchase decision.
- A termination cites one of the phase's announced termination conditions and a reason: the
  partner's later phases and its contract end, the contract termination notice (UK11) is
  published under PA 2023 (s.80: within 30 days; none under PCR 2015), the procurement closes
  if no partnership remains active, and the partner is told in writing with the scores.

Both record the recommendation, an audit event with the reasons and scores, and request the
stage-gate reports, in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import SupplierRole, User
from partners.models import Partnership
from partners.services_common import procurement_lock, text_problem
from partners.submission import request_organisations
from procurements.sections import uk_date_text

from .documents_gate import gate_reports_request
from .models import (
    OPEN_STATES,
    GateDecision,
    GateOutcome,
    ParticipationStatus,
    StageParticipation,
    TerminationCondition,
)
from .notices import contract_termination_notice_publish
from .permissions_gates import can_decide_gate
from .services_closing import procurement_close_if_done
from .services_gates import (
    participation_lock,
    partner_name,
    recommendation_of,
    refuse_unless_under_review,
)

NOT_THE_APPROVER = (
    "Only an approver of the borough who is neither the lead officer nor an assessor of this "
    "gate decides it (the procurement's named approver, if it names one), while the "
    "procurement is active."
)


def already_decided(decision: GateDecision) -> str:
    by = decision.decided_by.get_full_name() or decision.decided_by.email
    on = uk_date_text(london_date(decision.decided_at))
    return (
        f"This gate is already decided: {decision.get_outcome_display().lower()} by {by} on {on}."
    )


def _refuse_unless_decidable(participation: StageParticipation) -> None:
    decision = GateDecision.objects.select_related("decided_by").filter(participation=participation)
    found = decision.first()
    if found is not None:
        raise ApplicationError(already_decided(found))
    refuse_unless_under_review(participation)


def _condition_or_refuse(
    participation: StageParticipation, outcome: str, condition: TerminationCondition | None
) -> TerminationCondition | None:
    """The announced condition a termination cites (RULES.md point 9); a pass cites none."""
    if outcome == GateOutcome.PASS:
        if condition is not None:
            raise ApplicationError(
                "A pass cites no termination condition: choose terminate, or no condition",
                extra={"errors": {"condition": "Choose no condition when the partner passes"}},
            )
        return None
    announced = participation.phase.termination_conditions.filter(
        pk=getattr(condition, "pk", None)
    ).first()
    if announced is None:
        problem = (
            "Choose the announced termination condition of "
            f"{participation.phase.name} the termination relies on"
            if condition is None
            else f"Only a termination condition announced for {participation.phase.name} can "
            "be cited"
        )
        raise ApplicationError(problem, extra={"errors": {"condition": problem}})
    return announced


@transaction.atomic
def gate_decide(
    *,
    actor: User,
    participation: StageParticipation,
    outcome: str,
    reason: str,
    condition: TerminationCondition | None = None,
) -> GateDecision:
    """The approver passes or terminates the partner at this participation's gate."""
    participation = _lock(participation.pk)
    if not can_decide_gate(actor, participation):
        raise PermissionRefused(NOT_THE_APPROVER)
    _refuse_unless_decidable(participation)
    criteria = list(participation.phase.gate_criteria.order_by("order", "pk"))
    consensus = list(participation.gate_consensus.select_related("criterion"))
    recommendation = recommendation_of(criteria, consensus)
    if not recommendation.complete:
        names = "; ".join(c.criterion for c in recommendation.missing)
        raise ApplicationError(
            f"Every criterion is moderated before the gate is decided: {names} still to do."
        )
    if outcome not in GateOutcome.values:
        problem = "Choose whether the partner passes or is terminated"
        raise ApplicationError(problem, extra={"errors": {"outcome": problem}})
    condition = _condition_or_refuse(participation, outcome, condition)
    problem = text_problem(reason, missing="Give the reasons for your decision")
    if problem:
        raise ApplicationError(problem, extra={"errors": {"reason": problem}})
    now = timezone.now()
    decision = GateDecision(
        participation=participation,
        outcome=outcome,
        recommendation_meets=recommendation.meets,
        condition=condition,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=now,
    )
    decision.full_clean()
    decision.save()
    started = None
    if outcome == GateOutcome.PASS:
        participation.pass_gate(at=now)
        _save(participation)
        started = _start_next(participation)
    else:
        participation.terminate(at=now)
        _save(participation)
        _end_the_contract(actor, decision, participation)
    _tell_the_partner(decision, participation, consensus, started)
    gate_reports_request(actor=actor, decision=decision)
    audit_record(
        actor=actor,
        action="stages.gate_decided",
        target=participation,
        data={
            "decision_id": decision.pk,
            "partnership": participation.partnership.reference,
            "phase": participation.phase.name,
            "outcome": outcome,
            "condition": condition.condition if condition else None,
            "reason": decision.reason,
            "recommendation": recommendation.text,
            "recommendation_meets": recommendation.meets,
            "scores": [
                {
                    "criterion": mark.criterion.criterion,
                    "score": mark.score,
                    "meets": mark.meets,
                    "reason": mark.reason,
                }
                for mark in consensus
            ],
            "next_phase_started": started.pk if started else None,
            "notice_id": decision.notice_id,
        },
    )
    return decision


def _lock(pk: int) -> StageParticipation:
    """The partnership, then the procurement, then the participation, locked in the order
    every service that ends a partnership takes them (a withdrawal, the purchase decision),
    so two of them never wait for each other in a circle."""
    partnership_id = StageParticipation.objects.values_list("partnership_id", flat=True).get(pk=pk)
    partnership = Partnership.objects.select_for_update(of=("self",)).get(pk=partnership_id)
    procurement_lock(partnership.procurement_id)
    return participation_lock(pk)


def _save(participation: StageParticipation) -> None:
    participation.full_clean(exclude=["status"])
    participation.save(update_fields=["status", "decided_at", "started_on"])


def _later(participation: StageParticipation):
    """The partner's participations in the phases after this one, in order, locked."""
    phase = participation.phase
    return (
        StageParticipation.objects.select_for_update(of=("self",))
        .select_related("phase")
        .filter(partnership_id=participation.partnership_id, phase__order__gt=phase.order)
        .order_by("phase__order", "phase__pk")
    )


def _start_next(participation: StageParticipation) -> StageParticipation | None:
    """The partner's next phase starts today (London), or nothing after the last phase."""
    following = _later(participation).first()
    if following is None or following.status != ParticipationStatus.NOT_STARTED:
        return None
    following.start(on=london_date(timezone.now()))
    _save(following)
    return following


def _end_the_contract(
    actor: User, decision: GateDecision, participation: StageParticipation
) -> None:
    """The partner's later phases and its contract end; the UK11 is published under PA 2023;
    the procurement closes if no partnership remains active."""
    now = decision.decided_at
    for later in _later(participation):
        if later.status in OPEN_STATES:
            later.end(at=now)
            _save(later)
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("procurement", "request__organisation")
        .get(pk=participation.partnership_id)
    )
    partnership.terminate()
    partnership.save(update_fields=["status"])
    participation.partnership = partnership
    ended_on = london_date(now)
    decision.notice = contract_termination_notice_publish(
        actor=actor,
        partnership=partnership,
        ended_on=ended_on,
        how=(
            f"Terminated at the gate of {participation.phase.name}, on the announced "
            f"condition: {decision.condition.condition}"
        ),
        reason=decision.reason,
    )
    if decision.notice is not None:
        decision.save(update_fields=["notice"])
    procurement_close_if_done(
        actor=actor,
        procurement_id=partnership.procurement_id,
        reason=f"{partnership.reference} was terminated at the gate of {participation.phase.name}; "
        "no partnership remains active.",
    )


def partner_admin_emails(partnership: Partnership) -> list[str]:
    """The administrators of the partner's organisation and of its consortium members."""
    emails = []
    for organisation in request_organisations(partnership.request):
        emails += list(
            organisation.memberships.filter(role=SupplierRole.ADMIN, user__is_active=True)
            .order_by("user__email")
            .values_list("user__email", flat=True)
        )
    return list(dict.fromkeys(emails))


def _tell_the_partner(decision, participation, consensus, started) -> None:
    send_after_commit(
        template="stages/gates/email/decided",
        context={
            "decision": decision,
            "participation": participation,
            "procurement": participation.phase.procurement,
            "partner": partner_name(participation),
            "consensus": consensus,
            "started": started,
            "url": absolute_url(reverse("stages:partner-gate", kwargs={"pk": participation.pk})),
        },
        recipients=partner_admin_emails(participation.partnership),
    )
