"""Who may do what at a phase's gate (RULES.md point 9; PCR 2015 reg. 31(2); PA 2023 s.20).

- The lead officer names the gate's assessors (the borough's evaluators and procurement
  officers) and moderates their marks into the consensus the decision relies on.
- Each assessor scores the participations under review at that gate, blind to the others.
- An approver of the borough decides each participation's gate (the procurement's named
  approver, if it names one), never the lead officer nor an assessor of that gate: four eyes.
- The borough's officers, approvers and administrators see the gate page, and so do its
  assessors; the partner's people see their own gate result once it is decided.

Each predicate takes the user first and never raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import officer_roles
from procurements.models import ProcurementStatus

from .permissions import can_see_stages, is_running_officer

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement

    from .models import Phase, StageParticipation

# The roles from which the lead officer names a gate's assessors.
ASSESSOR_ROLES = {OfficerRole.EVALUATOR, OfficerRole.OFFICER}


def may_assess(user: User, procurement: Procurement) -> bool:
    """An evaluator or procurement officer of the procurement's borough."""
    return bool(user.is_active and officer_roles(user, procurement.borough) & ASSESSOR_ROLES)


def can_name_assessors(user: User, phase: Phase) -> bool:
    """The lead officer, while the procurement is active."""
    return is_running_officer(user, phase.procurement)


def is_gate_assessor(user: User, phase: Phase) -> bool:
    """Someone the lead officer named to score at ``phase``'s gate."""
    if user.pk is None:
        return False
    return phase.gate_assessors.filter(user_id=user.pk).exists()


def can_see_gate(user: User, phase: Phase) -> bool:
    """The borough's officers, approvers and administrators, and the gate's assessors."""
    return can_see_stages(user, phase.procurement) or is_gate_assessor(user, phase)


def can_score_gate(user: User, participation: StageParticipation) -> bool:
    """An assessor of the participation's gate, while the procurement is active."""
    phase = participation.phase
    return phase.procurement.status == ProcurementStatus.ACTIVE and is_gate_assessor(user, phase)


def can_moderate_gate(user: User, participation: StageParticipation) -> bool:
    """The lead officer, while the procurement is active."""
    return is_running_officer(user, participation.phase.procurement)


def is_gate_approver(user: User, participation: StageParticipation) -> bool:
    """An approver of the borough (the procurement's named approver, if it names one) who is
    neither its lead officer nor an assessor of this gate (four eyes)."""
    procurement = participation.phase.procurement
    if user.pk is None or not user.is_active or user.pk == procurement.lead_officer_id:
        return False
    if procurement.approver_id is not None and procurement.approver_id != user.pk:
        return False
    if OfficerRole.APPROVER not in officer_roles(user, procurement.borough):
        return False
    return not is_gate_assessor(user, participation.phase)


def can_decide_gate(user: User, participation: StageParticipation) -> bool:
    """The gate's approver, while the procurement is active."""
    procurement = participation.phase.procurement
    return procurement.status == ProcurementStatus.ACTIVE and is_gate_approver(user, participation)
