"""Who may reduce the tenderers between rounds, and when (RULES.md point 7; PCR 2015
reg. 31(3)-(4) with reg. 29(18)-(19); PA 2023 s.20(4)).

Tenders may be reduced in successive negotiation stages by applying the award criteria only
if the documents said so: only where the ITT announced it (``reduce_between_rounds``), on the
evaluation of a round that is not the final one, while it is still the latest round and once
every tender is moderated. The lead officer decides, once per round. The borough's officers,
approvers and administrators see the reduction; a tenderer's people see only its own letter.
Each predicate takes the user first and never raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.permissions import officer_roles
from procurements.permissions import BOROUGH_WIDE_ROLES, is_lead_officer

from .models import EvaluationPurpose, Reduction, RoundKind
from .permissions import is_request_person
from .permissions_tenders import TENDERING

if TYPE_CHECKING:
    from core.models import GeneratedDocument, User
    from procurements.models import Procurement

    from .models import Evaluation, ReductionEntry

NOT_ANNOUNCED = (
    "The invitation to tender did not announce that the tenderers may be reduced between "
    "rounds: every tenderer stays in the procedure until the final tenders."
)


def can_see_reduction(user: User, procurement: Procurement) -> bool:
    """The borough's officers, approvers and administrators."""
    return bool(officer_roles(user, procurement.borough) & BOROUGH_WIDE_ROLES)


def reduction_refusal(evaluation: Evaluation) -> str:
    """Why the tenderers of the evaluated round cannot be reduced now ("" when they can),
    whoever asks: announced in the ITT, an evaluation for reducing (not the final tenders'),
    the procurement still tendering, no reduction decided yet and no later round begun."""
    procurement = evaluation.procurement
    tender_round = evaluation.round
    if not procurement.reduce_between_rounds:
        return NOT_ANNOUNCED
    if evaluation.purpose != EvaluationPurpose.REDUCTION or tender_round.kind == RoundKind.FINAL:
        return "The final tenders are evaluated for the award, not to reduce the tenderers."
    if procurement.status not in TENDERING:
        return "The procurement is not in tendering or negotiation: no reduction can be decided."
    if Reduction.objects.filter(evaluation_id=evaluation.pk).exists():
        return f"The tenderers of round {tender_round.number} have already been reduced."
    if procurement.tender_rounds.filter(number__gt=tender_round.number).exists():
        return (
            f"Round {tender_round.number + 1} has begun: the tenderers of round "
            f"{tender_round.number} can no longer be reduced."
        )
    return ""


def can_decide_reduction(user: User, evaluation: Evaluation) -> bool:
    """The lead officer, while the reduction may be decided."""
    return is_lead_officer(user, evaluation.procurement) and not reduction_refusal(evaluation)


def can_request_reduction_letter(user: User, entry: ReductionEntry) -> bool:
    """The lead officer, for a tenderer that does not continue."""
    return not entry.continues and is_lead_officer(user, entry.reduction.evaluation.procurement)


def can_read_reduction_letter(user: User, document: GeneratedDocument) -> bool:
    """The people of the tenderer's lead organisation and of every consortium member, and
    the borough's officers, approvers and administrators."""
    entry = document.target
    if entry is None:
        return False
    request = entry.proposal.request
    return is_request_person(user, request) or can_see_reduction(user, request.procurement)
