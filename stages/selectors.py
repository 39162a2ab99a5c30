"""Reading a procurement's phase plan in a constant number of queries, and judging it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from procurements.models import Procurement

from .models import Phase, PurchaseTerms, percent

# What a phase brings with it; the task list prefetches these from the procurement.
PHASE_CHILDREN = ("targets", "instalments", "gate_criteria", "termination_conditions")
PROCUREMENT_PREFETCH = (
    *(f"phases__{child}" for child in PHASE_CHILDREN),
    "purchase_terms__performance_levels",
)


@dataclass(frozen=True)
class PhasePlan:
    """A procurement's phases (with their rows loaded) and its purchase terms."""

    procurement: Procurement
    phases: list[Phase]
    purchase_terms: PurchaseTerms | None

    @property
    def is_empty(self) -> bool:
        return not self.phases and self.purchase_terms is None

    @property
    def total_max_remuneration(self) -> Decimal | None:
        """The most one partner can be paid across every phase, if any phase says."""
        amounts = [p.max_remuneration_per_partner for p in self.phases]
        given = [amount for amount in amounts if amount is not None]
        return sum(given, Decimal("0")) if given else None

    @property
    def performance_levels(self) -> list:
        if self.purchase_terms is None:
            return []
        return list(self.purchase_terms.performance_levels.all())

    def problems(self) -> list[str]:
        """What stops the plan being complete, one message per gap, naming the phase.

        The ITT must announce phases with intermediate targets and remuneration in
        instalments (RULES.md point 8), the gate criteria and termination conditions
        (point 9), and the purchase's performance levels and maximum cost (point 10).
        """
        found = []
        if not self.phases:
            found.append("Add at least one phase to the plan")
        for phase in self.phases:
            found.extend(phase_problems(phase))
        if not self.performance_levels:
            found.append("Add at least one performance level the final purchase must meet")
        if self.purchase_terms is None or self.purchase_terms.max_cost is None:
            found.append("Enter the maximum cost of the final purchase")
        if self.procurement.estimated_value is None:
            found.append(
                "Enter the estimated total value: every R&D phase for every partner "
                "plus the final purchase"
            )
        return found


def instalment_share_total(phase: Phase) -> Decimal:
    return sum((item.share_percent for item in phase.instalments.all()), Decimal("0"))


def phase_problems(phase: Phase) -> list[str]:
    """What phase ``phase`` still lacks (its rows prefetched)."""
    name = phase.name
    found = []
    if phase.duration_weeks is None:
        found.append(f"Enter how many weeks {name} lasts")
    if phase.max_remuneration_per_partner is None:
        found.append(f"Enter the maximum remuneration per partner for {name}")
    if not phase.targets.all():
        found.append(f"Add at least one intermediate target to {name}")
    total = instalment_share_total(phase)
    if total != 100:
        found.append(
            f"The instalments of {name} add up to {percent(total)}%: "
            "change them so they add up to 100%"
        )
    if not phase.gate_criteria.all():
        found.append(f"Add at least one gate criterion to {name}")
    if not phase.termination_conditions.all():
        found.append(f"Add at least one condition on which a partner may be terminated in {name}")
    return found


def phase_list(*, procurement: Procurement):
    """The procurement's phases in order, each with its rows loaded (five queries)."""
    return Phase.objects.filter(procurement=procurement).prefetch_related(*PHASE_CHILDREN)


def purchase_terms_get(*, procurement: Procurement) -> PurchaseTerms | None:
    return (
        PurchaseTerms.objects.filter(procurement=procurement)
        .prefetch_related("performance_levels")
        .first()
    )


def phase_plan_get(*, procurement: Procurement) -> PhasePlan:
    """The plan, reusing what the caller prefetched (``PROCUREMENT_PREFETCH``) if it did."""
    cache = getattr(procurement, "_prefetched_objects_cache", {})
    if "phases" in cache:
        phases = list(procurement.phases.all())
    else:
        phases = list(phase_list(procurement=procurement))
    if Procurement.purchase_terms.is_cached(procurement):
        terms = getattr(procurement, "purchase_terms", None)
    else:
        terms = purchase_terms_get(procurement=procurement)
    return PhasePlan(procurement=procurement, phases=phases, purchase_terms=terms)


def phase_get(*, procurement: Procurement, pk: int) -> Phase | None:
    """One phase of ``procurement`` with its rows, or None."""
    return phase_list(procurement=procurement).filter(pk=pk).first()
