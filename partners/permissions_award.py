"""Who may do what in the award, on the borough's side and the tenderer's.

The lead officer proposes the award once the final tenders are evaluated; an approver of the
borough who did not propose it and is not the lead officer (the named approver, if the
procurement names one) approves or returns it (four eyes, RULES.md). The lead officer then
sends the assessment summaries and publishes the contract award notice, which starts the
standstill period (PA 2023 ss.50-51; PCR 2015 reg. 86-87). During standstill the lead officer
or an approver may suspend and resume the award; only an approver (four eyes again) may
reverse it, before the contracts are entered. The borough's officers, approvers and
administrators see the award page. A tenderer's people see their own assessment summary once
the contract award notice is published, never before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role, officer_roles
from procurements.models import ProcurementStatus
from procurements.permissions import BOROUGH_WIDE_ROLES, is_lead_officer

from .models import LIVE_AWARD, AwardStatus, EvaluationPurpose
from .permissions import is_request_person

if TYPE_CHECKING:
    from core.models import GeneratedDocument, User
    from procurements.models import Procurement

    from .models import AwardDecision, AwardEntry, Evaluation

# The states in which the assessment summaries exist and may be asked for again.
SUMMARISED = (AwardStatus.APPROVED, AwardStatus.STANDSTILL, AwardStatus.CONTRACTED)


def in_evaluation(procurement: Procurement) -> bool:
    return procurement.status == ProcurementStatus.EVALUATION


def can_see_award(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return bool(officer_roles(user, procurement.borough) & BOROUGH_WIDE_ROLES)


def can_propose_award(
    user: User, evaluation: Evaluation, *, live: AwardDecision | bool | None = False
) -> bool:
    """The lead officer, for an evaluation of the final tenders, while the procurement is in
    evaluation and no award decision stands (``live``: the live decision when already read,
    ``False`` to ask)."""
    procurement = evaluation.procurement
    if evaluation.purpose != EvaluationPurpose.AWARD or not in_evaluation(procurement):
        return False
    if not is_lead_officer(user, procurement):
        return False
    if live is False:
        live = procurement.award_decisions.filter(status__in=LIVE_AWARD).exists()
    return not live


def is_second_approver(user: User, decision: AwardDecision) -> bool:
    """An approver of the borough who did not propose the award and is not the lead officer
    (the named approver if one is named): the second pair of eyes."""
    procurement = decision.procurement
    if user.pk is None or user.pk in {decision.proposed_by_id, procurement.lead_officer_id}:
        return False
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    return has_role(user, procurement.borough, OfficerRole.APPROVER)


def can_decide_award(user: User, decision: AwardDecision) -> bool:
    """The second approver, while the proposal waits and the procurement is in evaluation."""
    return (
        decision.status == AwardStatus.PROPOSED
        and in_evaluation(decision.procurement)
        and is_second_approver(user, decision)
    )


def can_publish_award_notice(user: User, decision: AwardDecision) -> bool:
    """The lead officer, once the award is approved and while in evaluation."""
    return (
        decision.status == AwardStatus.APPROVED
        and in_evaluation(decision.procurement)
        and is_lead_officer(user, decision.procurement)
    )


def can_suspend_award(user: User, decision: AwardDecision) -> bool:
    """Suspend or resume during standstill: the lead officer or an approver of the borough
    (the named approver if one is named)."""
    if decision.status != AwardStatus.STANDSTILL:
        return False
    procurement = decision.procurement
    if is_lead_officer(user, procurement):
        return True
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    return has_role(user, procurement.borough, OfficerRole.APPROVER)


def can_reverse_award(user: User, decision: AwardDecision) -> bool:
    """The second approver, once approved and before the contracts are entered."""
    return decision.status in (
        AwardStatus.APPROVED,
        AwardStatus.STANDSTILL,
    ) and is_second_approver(user, decision)


def can_request_summary(user: User, entry: AwardEntry) -> bool:
    """The borough's approvers and procurement officers, once the award is approved."""
    decision = entry.decision
    if decision.status not in SUMMARISED:
        return False
    borough = decision.procurement.borough
    return has_role(user, borough, OfficerRole.APPROVER) or has_role(
        user, borough, OfficerRole.OFFICER
    )


def is_tenderer_person(user: User, entry: AwardEntry) -> bool:
    """A person of the tender's lead organisation or of one of its consortium members."""
    return is_request_person(user, entry.proposal.request)


def can_read_summary(user: User, document: GeneratedDocument) -> bool:
    """The borough's officers, approvers and administrators; the tenderer's people (lead
    and consortium members) once the contract award notice is published."""
    entry = document.target
    if entry is None:
        return False
    if can_see_award(user, entry.decision.procurement):
        return True
    return entry.decision.summaries_sent_at is not None and is_tenderer_person(user, entry)
