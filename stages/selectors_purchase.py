"""Reads for the final purchase and the partner's withdrawal (RULES.md points 10 and 11; PCR
2015 reg. 31(2)).

- ``purchase_page_get``: every partner of a procurement, whether it has reached the purchase
  (every phase passed, contract active), the performance levels and maximum cost agreed in
  its contract, and the decision if made; in a constant number of queries.
- ``purchase_partnership_get``: one partnership of the procurement with what the forms need.
- ``purchase_for_partner``: the purchase decisions on the user's organisation's partnerships,
  for the partner's own page.
- ``withdrawal_partnership_get``: a partnership of the user's organisation, for withdrawing.

A supplier only ever gets its own organisation's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from core.models import SupplierRole, User
from core.selectors.accounts import supplier_membership_get
from partners.models import Partnership
from procurements.models import Procurement
from procurements.sections import pounds_text

from .models import (
    ParticipationStatus,
    PartnerWithdrawal,
    PurchaseDecision,
    StageParticipation,
)
from .permissions import partner_people_filter
from .services_purchase import (
    has_passed_every_phase,
    purchase_decision_of,
    purchase_state_problem,
)


@dataclass(frozen=True)
class PurchaseRow:
    """One partner as the purchase page shows it."""

    partnership: Partnership
    participations: list[StageParticipation]
    decision: PurchaseDecision | None
    withdrawal: PartnerWithdrawal | None

    @property
    def name(self) -> str:
        return self.partnership.request.organisation.name

    @property
    def levels(self) -> list[dict]:
        return list(self.partnership.performance_levels)

    @property
    def max_cost(self) -> str:
        maximum = self.partnership.purchase_max_cost
        return pounds_text(maximum) if maximum is not None else "None agreed"

    @property
    def passed_every_phase(self) -> bool:
        return has_passed_every_phase(self.participations)

    @property
    def reached(self) -> bool:
        """Ready for the purchase decision now."""
        return not self.problem

    @property
    def problem(self) -> str:
        return purchase_state_problem(self.partnership, self.participations)

    @property
    def phases_passed(self) -> int:
        return sum(1 for p in self.participations if p.status == ParticipationStatus.PASSED)

    @property
    def price(self) -> str:
        price = self.decision.price if self.decision is not None else None
        return pounds_text(price) if price is not None else ""


def withdrawal_of(partnership: Partnership) -> PartnerWithdrawal | None:
    try:
        return partnership.withdrawal
    except PartnerWithdrawal.DoesNotExist:
        return None


def _partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.select_related(
        "request__organisation", "purchase_decision__decided_by", "withdrawal"
    ).prefetch_related(
        Prefetch(
            "participations",
            queryset=StageParticipation.objects.select_related("phase").order_by(
                "phase__order", "phase__pk"
            ),
        )
    )


def _row(partnership: Partnership) -> PurchaseRow:
    return PurchaseRow(
        partnership=partnership,
        participations=list(partnership.participations.all()),
        decision=purchase_decision_of(partnership),
        withdrawal=withdrawal_of(partnership),
    )


def purchase_page_get(*, procurement: Procurement) -> list[PurchaseRow]:
    """Every partner of ``procurement`` with its phases, agreed terms and decision: two
    queries whatever the number of partners and phases."""
    return [
        _row(partnership)
        for partnership in _partnerships().filter(procurement=procurement).order_by("reference")
    ]


def purchase_partnership_get(*, procurement: Procurement, pk: int) -> PurchaseRow | None:
    """One partnership of ``procurement``, or None."""
    partnership = _partnerships().filter(procurement=procurement, pk=pk).first()
    if partnership is None:
        return None
    partnership.procurement = procurement
    return _row(partnership)


def purchase_for_partner(*, user: User) -> dict[int, PurchaseDecision]:
    """The purchase decisions on the partnerships of the user's organisation (as the lead or
    a consortium member), by partnership id: one query (two with the membership). Decisions
    on other suppliers' partnerships never appear."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return {}
    decisions = (
        PurchaseDecision.objects.filter(
            partner_people_filter(membership.organisation_id, "partnership__")
        )
        .select_related("partnership__procurement")
        .distinct()
    )
    return {decision.partnership_id: decision for decision in decisions}


@dataclass(frozen=True)
class WithdrawalTarget:
    """A partnership of the user's organisation and whether the user administers its lead."""

    partnership: Partnership
    is_lead_admin: bool


def withdrawal_partnership_get(*, user: User, pk: int) -> WithdrawalTarget | None:
    """A partnership of the user's organisation (the lead's or a consortium member's), with
    whether the user is an administrator of the lead organisation; None for anyone else."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    partnership = (
        _partnerships()
        .select_related("procurement__borough")
        .filter(partner_people_filter(membership.organisation_id), pk=pk)
        .distinct()
        .first()
    )
    if partnership is None:
        return None
    is_lead_admin = (
        partnership.request.organisation_id == membership.organisation_id
        and membership.role == SupplierRole.ADMIN
    )
    return WithdrawalTarget(partnership=partnership, is_lead_admin=is_lead_admin)
