"""The award decision, the assessment summaries, the contract award notice and standstill
(RULES.md point 5; PA 2023 ss.50-51; PCR 2015 reg. 86-87).

The lead officer proposes the best-ranked compliant tenderers (up to the maximum number of
partners announced) with reasons; an approver who did not propose it approves or returns it
(four eyes). Approval asks for an assessment summary per tenderer. Once every summary is
ready the lead officer sends them and publishes the contract award notice (UK6 under PA
2023), which starts the standstill period: 8 working days beginning with the notice (PA 2023
s.51). Under PCR 2015 the summaries are the standstill letters (reg. 86) and the period is
10 days from sending them (reg. 87); the contract award notice of reg. 50 follows the
contracts, so nothing is composed here. During standstill the award may be suspended and
resumed; before the contracts are entered an approver may reverse it with reasons, and the
evaluation then leads to a new proposal.

Every service locks the procurement row first (two people pressing the same button make one
decision), re-checks the permission predicates of ``partners.permissions_award``, writes and
records an audit event with the actor and the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from core.services.documents import document_request
from procurements.models import Notice, NoticeKind, Procurement, ProcurementStatus, Regime
from procurements.rules import REGIMES
from procurements.sections import pounds_text, uk_date_text
from procurements.services.notices import (
    authority_section,
    notice_field,
    notice_publish,
    notice_section,
    procurement_section,
)

from .debarment import debarment_refusal
from .documents_award import SUMMARY_KIND
from .evaluation_ranking import EvaluationRanking, evaluation_ranking
from .models import (
    AwardDecision,
    AwardEntry,
    AwardStatus,
    Evaluation,
    EvaluationPurpose,
    StandstillSuspension,
)
from .permissions_award import (
    can_decide_award,
    can_propose_award,
    can_publish_award_notice,
    can_reverse_award,
    can_suspend_award,
)
from .selectors_award import summaries, summaries_ready
from .services_common import (
    REASON_MAX_LENGTH,
    approver_emails,
    organisation_admin_emails,
    procurement_lock,
    written,
)

WAIT_FOR_SUMMARIES = (
    "Wait for the summaries: {ready} of {total} assessment summaries are ready. Send them once "
    "every summary is ready."
)
SUMMARIES_FIRST = (
    "Send every tenderer its assessment summary first: the contract award notice follows the "
    "summaries (PA 2023 s.50)."
)


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def decision_lock(decision: AwardDecision) -> AwardDecision:
    """The procurement locked first (as every award service does), then the decision."""
    procurement = procurement_lock(decision.procurement_id)
    locked = AwardDecision.objects.select_for_update().get(pk=decision.pk)
    locked.procurement = procurement
    return locked


# --- proposing ----------------------------------------------------------------------------------


def selection_problem(
    ranking: EvaluationRanking, awarded: set[int], max_partners: int | None
) -> str:
    """Why ``awarded`` (proposal ids) cannot be proposed, or "": at least one; only compliant,
    ranked tenders; no more than the maximum number of partners announced; and never a
    tender passed over for a worse-ranked one (tenders tied at the cut may be chosen among,
    up to the maximum)."""
    ranked = {row.tender.key: row for row in ranking.ranked}
    if not awarded:
        return "Choose at least one tenderer to award a partnership to"
    if awarded - set(ranked):
        return (
            "Only compliant, ranked tenders can be awarded: a tender whose price schedule was "
            "not accepted cannot"
        )
    if max_partners is not None and len(awarded) > max_partners:
        return (
            f"Choose no more than {max_partners} tenderer{'s' if max_partners != 1 else ''}: "
            "the maximum number of partners announced"
        )
    cut = max(ranked[key].rank for key in awarded)
    passed_over = [
        row.tender.name
        for row in ranking.ranked
        if row.rank < cut and row.tender.key not in awarded
    ]
    if passed_over:
        return (
            "Award the best-ranked tenders: "
            + ", ".join(passed_over)
            + " ranked better than a tenderer you chose"
        )
    return ""


def _entries(ranking: EvaluationRanking, awarded: set[int], reasons: Mapping[int, str]):
    entries = [
        AwardEntry(
            proposal_id=row.tender.key,
            compliant=True,
            rank=row.rank,
            quality_points=row.quality_points,
            price_points=row.price_points,
            total=row.total,
            price=row.tender.price,
            awarded=row.tender.key in awarded,
            reasons=(reasons.get(row.tender.key) or "").strip(),
        )
        for row in ranking.ranked
    ]
    entries += [
        AwardEntry(
            proposal_id=proposal.pk,
            compliant=False,
            awarded=False,
            reasons=(reasons.get(proposal.pk) or "").strip(),
        )
        for proposal in ranking.not_compliant
    ]
    return entries


def _ask_the_approver(procurement: Procurement, decision: AwardDecision) -> None:
    """E-mail the named approver, or else every approver of the borough but the proposer and
    the lead officer, once the proposal commits."""
    recipients = approver_emails(
        procurement, exclude=[decision.proposed_by_id, procurement.lead_officer_id]
    )
    send_after_commit(
        template="partners/award/email/proposed",
        context={
            "procurement": procurement,
            "decision": decision,
            "url": absolute_url(reverse("partners:award-decide", kwargs={"pk": procurement.pk})),
        },
        recipients=recipients,
    )


@transaction.atomic
def award_propose(
    *,
    actor: User,
    evaluation: Evaluation,
    awarded: list[int],
    reason: str,
    reasons: Mapping[int, str] | None = None,
) -> AwardDecision:
    """The lead officer proposes the award: which tenderers get a partnership, with the
    reasons, and a reason per tenderer if they wish. Refused until every tender is moderated
    on every criterion. Every tender evaluated gets an entry with its figures frozen now."""
    procurement = procurement_lock(evaluation.procurement_id)
    evaluation = Evaluation.objects.select_related("round").get(pk=evaluation.pk)
    evaluation.procurement = procurement
    if evaluation.purpose != EvaluationPurpose.AWARD:
        raise ApplicationError(
            "This evaluation reduces the tenderers between rounds: the award follows the "
            "evaluation of the final tenders."
        )
    if not can_propose_award(actor, evaluation):
        raise PermissionRefused(
            "Only the lead officer can propose the award, while the procurement is in "
            "evaluation and no award decision stands."
        )
    ranking = evaluation_ranking(evaluation)
    if not ranking.complete:
        names = ", ".join(p.request.organisation.name for p in ranking.unmoderated)
        raise ApplicationError(
            "Moderate every tender on every criterion before you propose the award"
            + (f": {names} still to do." if names else ".")
        )
    reasons = dict(reasons or {})
    errors = {}
    chosen = {int(pk) for pk in awarded}
    problem = selection_problem(ranking, chosen, procurement.max_partners) or debarment_refusal(
        [ranking.proposals[pk].request for pk in chosen if pk in ranking.proposals],
        on=london_date(timezone.now()),
    )
    if problem:
        errors["awarded"] = problem
    if not (reason or "").strip():
        errors["reason"] = "Give the reasons for this award"
    elif len(reason.strip()) > REASON_MAX_LENGTH:
        errors["reason"] = f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer"
    for pk, text in reasons.items():
        if len((text or "").strip()) > REASON_MAX_LENGTH:
            errors[f"reasons_{pk}"] = (
                f"Write the reasons in {REASON_MAX_LENGTH:,} characters or fewer"
            )
    if errors:
        raise ApplicationError("The award could not be proposed", extra={"errors": errors})
    decision = AwardDecision.objects.create(
        procurement=procurement, evaluation=evaluation, reason=reason.strip(), proposed_by=actor
    )
    entries = _entries(ranking, chosen, reasons)
    for entry in entries:
        entry.decision = decision
    AwardEntry.objects.bulk_create(entries)
    _ask_the_approver(procurement, decision)
    _audit(
        actor=actor,
        action="partners.award_proposed",
        target=procurement,
        decision_id=decision.pk,
        reason=decision.reason,
        awarded=sorted(chosen),
        not_awarded=sorted(e.proposal_id for e in entries if not e.awarded),
    )
    return decision


# --- deciding -----------------------------------------------------------------------------------


def _tell_the_lead_officer(procurement: Procurement, decision: AwardDecision) -> None:
    send_after_commit(
        template="partners/award/email/decided",
        context={
            "procurement": procurement,
            "decision": decision,
            "url": absolute_url(reverse("partners:award", kwargs={"pk": procurement.pk})),
        },
        recipients=[decision.proposed_by.email],
    )


@transaction.atomic
def award_decide(
    *, actor: User, decision: AwardDecision, approve: bool, reason: str
) -> AwardDecision:
    """The second approver approves the award (an assessment summary is then generated for
    every tenderer, in the background once this commits) or returns it with reasons."""
    decision = decision_lock(decision)
    procurement = decision.procurement
    if not can_decide_award(actor, decision):
        raise PermissionRefused(
            "Only an approver of the borough who did not propose the award and is not the lead "
            "officer can decide it, while it waits for a decision."
        )
    reason = written(
        reason,
        field="reason",
        missing="Give the reasons for returning the award",
        required=not approve,
    )
    if not approve:
        decision.return_to_officer(by=actor, reason=reason)
        decision.save()
        _tell_the_lead_officer(procurement, decision)
        _audit(
            actor=actor,
            action="partners.award_returned",
            target=procurement,
            decision_id=decision.pk,
            reason=reason,
        )
        return decision
    decision.approve(by=actor, reason=reason)
    decision.save()
    entries = list(decision.entries.select_related("proposal__request__organisation"))
    for entry in entries:
        entry.decision = decision
        document_request(kind=SUMMARY_KIND, target=entry, actor=actor)
    _tell_the_lead_officer(procurement, decision)
    _audit(
        actor=actor,
        action="partners.award_approved",
        target=procurement,
        decision_id=decision.pk,
        reason=reason,
        summaries=len(entries),
    )
    return decision


# --- the contract award notice and the start of standstill -------------------------------------


def award_notice_content(
    procurement: Procurement, entries: list[AwardEntry], *, last_day
) -> dict[str, Any]:
    """The UK6 contract award notice (PA 2023 s.50; Procurement Regulations 2024 reg. 27):
    the suppliers to be awarded, the value of each tender, and the standstill period."""
    awarded = [entry for entry in entries if entry.awarded]
    return {
        "title": f"{NoticeKind.UK6.label}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            procurement_section(procurement, notice_field("Tenders assessed", str(len(entries)))),
            notice_section(
                "Suppliers to be awarded a partnership",
                [
                    notice_field(
                        entry.proposal.request.organisation.name,
                        [
                            f"Rank {entry.rank}, {entry.total} out of 100",
                            f"Tendered price {pounds_text(entry.price)}",
                        ],
                    )
                    for entry in awarded
                ],
            ),
            notice_section(
                "Standstill period",
                [
                    notice_field(
                        "Standstill",
                        REGIMES[procurement.regime].standstill_source,
                    ),
                    notice_field("Last day of the standstill period", uk_date_text(last_day)),
                    notice_field(
                        "Contracts entered",
                        "No partnership contract is entered before the standstill period ends.",
                    ),
                ],
            ),
        ],
    }


def _tell_the_tenderers(
    procurement: Procurement, entries: list[AwardEntry], found: dict, template: str
) -> None:
    """E-mail the admins of each tender's lead organisation (a link to its outcome page) and
    of each consortium member (a link to the summary itself)."""
    for entry in entries:
        request = entry.proposal.request
        document = found.get(entry.pk)
        summary_url = (
            absolute_url(reverse("core:document-detail", kwargs={"pk": document.pk}))
            if document is not None
            else ""
        )
        outcome_url = absolute_url(reverse("tenders:award", kwargs={"pk": entry.proposal_id}))
        recipients = [(request.organisation, outcome_url)]
        recipients += [(member.organisation, summary_url) for member in request.members.all()]
        for organisation, url in recipients:
            send_after_commit(
                template=template,
                context={
                    "procurement": procurement,
                    "entry": entry,
                    "organisation": organisation,
                    "lead": request.organisation,
                    "url": url,
                },
                recipients=organisation_admin_emails(organisation),
            )


def _award_entries(decision: AwardDecision) -> list[AwardEntry]:
    return list(
        decision.entries.select_related("proposal__request__organisation").prefetch_related(
            "proposal__request__members__organisation"
        )
    )


def _start_standstill(
    actor: User, decision: AwardDecision, entries: list[AwardEntry], found: dict
) -> None:
    """The standstill period begins today: after the UK6 under PA 2023 (s.51), after the
    standstill letters under PCR 2015 (reg. 87)."""
    procurement = decision.procurement
    rules = REGIMES[procurement.regime]
    last_day = rules.standstill_last_day(london_date(timezone.now()))
    notice: Notice | None = None
    if procurement.regime == Regime.PA2023:
        notice = notice_publish(
            procurement=procurement,
            kind=NoticeKind.UK6,
            content=award_notice_content(procurement, entries, last_day=last_day),
            actor=actor,
            version=procurement.versions.order_by("-number").first(),
        )
    decision.start_standstill(last_day=last_day)
    decision.save()
    procurement.start_standstill()
    procurement.save(update_fields=["status", "updated_at"])
    _audit(
        actor=actor,
        action="partners.award_notice_published",
        target=procurement,
        decision_id=decision.pk,
        notice_id=notice.pk if notice is not None else None,
        standstill_letters=procurement.regime != Regime.PA2023,
        summaries=[found[e.pk].pk for e in entries],
        standstill_last_day=last_day.isoformat(),
        standstill_source=rules.standstill_source,
    )


@transaction.atomic
def award_summaries_send(*, actor: User, decision: AwardDecision) -> AwardDecision:
    """The lead officer sends every tenderer its assessment summary (PA 2023 s.50), once every
    summary is ready: each tenderer is e-mailed and may read its own from then on. Under PCR
    2015 the summaries are the standstill letters (reg. 86), so the standstill period begins
    at once; under PA 2023 it begins with the contract award notice, published next."""
    decision = decision_lock(decision)
    if not can_publish_award_notice(actor, decision) or decision.summaries_sent_at is not None:
        raise PermissionRefused(
            "Only the lead officer sends the assessment summaries, once the award is approved "
            "and before they are sent."
        )
    entries = _award_entries(decision)
    found = summaries(entry.pk for entry in entries)
    ready = summaries_ready(entries, found)
    if ready < len(entries):
        raise ApplicationError(WAIT_FOR_SUMMARIES.format(ready=ready, total=len(entries)))
    decision.summaries_sent_at = timezone.now()
    decision.save(update_fields=["summaries_sent_at"])
    _tell_the_tenderers(decision.procurement, entries, found, "partners/award/email/summary")
    _audit(
        actor=actor,
        action="partners.award_summaries_sent",
        target=decision.procurement,
        decision_id=decision.pk,
        summaries=[found[e.pk].pk for e in entries],
    )
    if decision.procurement.regime != Regime.PA2023:
        _start_standstill(actor, decision, entries, found)
    return decision


@transaction.atomic
def award_notice_publish(*, actor: User, decision: AwardDecision) -> AwardDecision:
    """The lead officer publishes the contract award notice (UK6) once every tenderer has
    been sent its assessment summary; the standstill period begins (PA 2023 ss.50-51)."""
    decision = decision_lock(decision)
    if not can_publish_award_notice(actor, decision):
        raise PermissionRefused(
            "Only the lead officer can publish the contract award notice, once the award is "
            "approved and before it is published."
        )
    if decision.summaries_sent_at is None:
        raise ApplicationError(SUMMARIES_FIRST)
    entries = _award_entries(decision)
    _start_standstill(actor, decision, entries, summaries(entry.pk for entry in entries))
    return decision


# --- standstill ---------------------------------------------------------------------------------


def _refuse_unless_suspending(actor: User, decision: AwardDecision) -> None:
    if not can_suspend_award(actor, decision):
        raise PermissionRefused(
            "Only the lead officer or an approver can suspend or resume the award, during "
            "standstill."
        )


def _audit_suspension(
    actor: User, action: str, suspension: StandstillSuspension, reason: str
) -> None:
    _audit(
        actor=actor,
        action=action,
        target=suspension.decision.procurement,
        decision_id=suspension.decision_id,
        suspension_id=suspension.pk,
        reason=reason,
    )


@transaction.atomic
def award_suspend(*, actor: User, decision: AwardDecision, reason: str) -> StandstillSuspension:
    """Suspend the award during standstill (for example on a challenge): no contract may be
    entered until it is resumed."""
    decision = decision_lock(decision)
    _refuse_unless_suspending(actor, decision)
    reason = written(reason, field="reason", missing="Give the reasons for suspending the award")
    if decision.suspensions.filter(resumed_at__isnull=True).exists():
        raise ApplicationError("The award is already suspended: resume it before suspending it.")
    suspension = StandstillSuspension.objects.create(
        decision=decision, reason=reason, suspended_by=actor
    )
    _audit_suspension(actor, "partners.award_suspended", suspension, reason)
    return suspension


@transaction.atomic
def award_resume(*, actor: User, decision: AwardDecision, reason: str) -> StandstillSuspension:
    """Lift the open suspension, with reasons. The standstill period keeps its last day."""
    decision = decision_lock(decision)
    _refuse_unless_suspending(actor, decision)
    reason = written(reason, field="reason", missing="Give the reasons for resuming the award")
    suspension = decision.suspensions.select_for_update().filter(resumed_at__isnull=True).first()
    if suspension is None:
        raise ApplicationError("The award is not suspended: there is nothing to resume.")
    suspension.decision = decision
    suspension.resumed_by = actor
    suspension.resumed_at = timezone.now()
    suspension.resume_reason = reason
    suspension.save(update_fields=["resumed_by", "resumed_at", "resume_reason"])
    _audit_suspension(actor, "partners.award_resumed", suspension, reason)
    return suspension


@transaction.atomic
def award_reverse(*, actor: User, decision: AwardDecision, reason: str) -> AwardDecision:
    """The second approver reverses an approved award before the contracts are entered, with
    reasons: the procurement returns to evaluation and a new award may be proposed. Both
    decisions stay on record. Tenderers already told the award are told it is reversed."""
    decision = decision_lock(decision)
    procurement = decision.procurement
    if not can_reverse_award(actor, decision):
        raise PermissionRefused(
            "Only an approver of the borough who did not propose the award and is not the lead "
            "officer can reverse it, before the contracts are entered."
        )
    reason = written(reason, field="reason", missing="Give the reasons for reversing the award")
    was_published = decision.notice_published_at is not None
    decision.reverse(by=actor, reason=reason)
    decision.save()
    if procurement.status == ProcurementStatus.STANDSTILL:
        procurement.reopen_evaluation()
        procurement.save(update_fields=["status", "updated_at"])
    if was_published:
        entries = list(
            decision.entries.select_related("proposal__request__organisation").prefetch_related(
                "proposal__request__members__organisation"
            )
        )
        _tell_the_tenderers(
            procurement, entries, summaries(e.pk for e in entries), "partners/award/email/reversed"
        )
    _audit(
        actor=actor,
        action="partners.award_reversed",
        target=procurement,
        decision_id=decision.pk,
        reason=reason,
        status=procurement.status,
    )
    return decision


def contracts_may_be_entered(decision: AwardDecision, now: datetime) -> str | None:
    """None when the partnership contracts may be entered at ``now`` (the server's clock);
    otherwise why not: the award is not in standstill, it is suspended, or the standstill
    period has not ended (contracts may be entered from the day after its last day, London
    time: PA 2023 s.51; PCR 2015 reg. 87)."""
    if decision.status != AwardStatus.STANDSTILL or decision.standstill_last_day is None:
        return (
            "The award is not in standstill: contracts may be entered only after the contract "
            "award notice and the standstill period."
        )
    if decision.suspensions.filter(resumed_at__isnull=True).exists():
        return "The award is suspended: resume it before entering any contract."
    last_day = decision.standstill_last_day
    if london_date(now) <= last_day:
        return (
            f"The standstill period runs until {uk_date_text(last_day)} inclusive: contracts "
            "may be entered from the day after."
        )
    return None
