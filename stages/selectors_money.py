"""The partners' money against the caps, per partner and per phase (RULES.md point 8; PA 2023
s.68): what is committed (the instalments' announced amounts), claimed (claims waiting for a
decision), approved (not yet paid), paid and withheld, against the phase's agreed price and
the contract's total, and the approved claims left unpaid for more than 30 days.

Read in a constant number of queries whatever the number of partners, phases and
instalments: the borough's view in three after the permission check, a supplier's in four
(its membership, its partnerships, their participations and their instalments).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from core.calendar import london_date
from core.models import AuditEvent, SupplierRole, User
from core.selectors.accounts import supplier_membership_get
from partners.models import Partnership, PartnershipStatus
from procurements.models import Procurement, Regime

from .models import (
    HELD_AGAINST_CAPS,
    Instalment,
    InstalmentStatus,
    ParticipationStatus,
    StageParticipation,
)
from .permissions import partner_people_filter
from .permissions_instalments import can_see_money

ZERO = Decimal("0.00")
PAYMENT_DAYS = 30  # PA 2023 s.68: invoices are paid within 30 days
CLAIMABLE = (InstalmentStatus.SCHEDULED, InstalmentStatus.WITHHELD)


def _sum(instalments: Iterable[Instalment], status: str) -> Decimal:
    return sum((i.claimed_amount or ZERO for i in instalments if i.status == status), ZERO)


@dataclass(frozen=True)
class Figures:
    """Money of some instalments against a cap (None when no price was agreed)."""

    committed: Decimal
    claimed: Decimal
    approved: Decimal
    paid: Decimal
    withheld: Decimal
    cap: Decimal | None

    @classmethod
    def of(cls, instalments: Iterable[Instalment], cap: Decimal | None) -> Figures:
        instalments = list(instalments)
        return cls(
            committed=sum((i.amount for i in instalments), ZERO),
            claimed=_sum(instalments, InstalmentStatus.CLAIMED),
            approved=_sum(instalments, InstalmentStatus.APPROVED),
            paid=_sum(instalments, InstalmentStatus.PAID),
            withheld=_sum(instalments, InstalmentStatus.WITHHELD),
            cap=cap,
        )

    @property
    def held(self) -> Decimal:
        """Claimed, approved or paid: the money held against the caps."""
        return self.claimed + self.approved + self.paid

    @property
    def remaining(self) -> Decimal | None:
        """What can still be claimed under the cap."""
        return None if self.cap is None else max(self.cap - self.held, ZERO)


def payment_rule(procurement: Procurement) -> str:
    """The provision that requires payment within 30 days under the procurement's law."""
    return "PA 2023 s.68" if procurement.regime == Regime.PA2023 else "PCR 2015 reg. 113"


@dataclass(frozen=True)
class UnpaidFlag:
    """An approved claim unpaid for more than 30 days after its approval."""

    instalment: Instalment
    days: int
    rule: str

    @property
    def text(self) -> str:
        return (
            f"Unpaid for {self.days} days: {self.rule} requires payment within {PAYMENT_DAYS} days"
        )


def unpaid_days(instalment: Instalment, today: date) -> int:
    """Days since an approved claim's approval (UK dates), 0 for any other instalment."""
    if instalment.status != InstalmentStatus.APPROVED or instalment.decided_at is None:
        return 0
    return (today - london_date(instalment.decided_at)).days


@dataclass(frozen=True)
class PhaseMoney:
    """One partner's money in one phase, against the phase's agreed price."""

    participation: StageParticipation
    instalments: list[Instalment]
    figures: Figures

    @property
    def phase(self):
        return self.participation.phase

    @property
    def started(self) -> bool:
        return self.participation.status != ParticipationStatus.NOT_STARTED


@dataclass(frozen=True)
class PartnerMoney:
    """One partner's money: each phase and the contract's totals, with the flags and the
    claims waiting for a decision."""

    partnership: Partnership
    phases: list[PhaseMoney]
    totals: Figures
    flags: list[UnpaidFlag]

    @property
    def name(self) -> str:
        return self.partnership.request.organisation.name

    @property
    def waiting(self) -> list[Instalment]:
        claimed = InstalmentStatus.CLAIMED
        return [i for row in self.phases for i in row.instalments if i.status == claimed]

    def most_claimable(self, row: PhaseMoney) -> Decimal:
        """The most that can still be claimed in ``row``'s phase: under both caps."""
        if row.figures.remaining is None or self.totals.remaining is None:
            return ZERO
        return min(row.figures.remaining, self.totals.remaining)


@dataclass(frozen=True)
class Money:
    """Every partner's money in one procurement, with the procurement's totals."""

    partners: list[PartnerMoney] = field(default_factory=list)

    @property
    def totals(self) -> Figures:
        instalments = [i for p in self.partners for row in p.phases for i in row.instalments]
        caps = [p.totals.cap for p in self.partners if p.totals.cap is not None]
        return Figures.of(instalments, sum(caps, ZERO))

    @property
    def flags(self) -> list[tuple[PartnerMoney, UnpaidFlag]]:
        return [(p, flag) for p in self.partners for flag in p.flags]

    @property
    def waiting(self) -> list[tuple[PartnerMoney, Instalment]]:
        return [(p, i) for p in self.partners for i in p.waiting]


def _instalments() -> QuerySet[Instalment]:
    return Instalment.objects.select_related("schedule_item", "claimed_by").order_by(
        "schedule_item__order", "schedule_item__pk"
    )


def _partnerships(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return partnerships.select_related(
        "procurement__borough", "request__organisation"
    ).prefetch_related(
        Prefetch(
            "participations",
            queryset=StageParticipation.objects.select_related("phase")
            .order_by("phase__order", "phase__pk")
            .prefetch_related(Prefetch("instalments", queryset=_instalments())),
        )
    )


def partner_money(partnership: Partnership, today: date) -> PartnerMoney:
    """``partnership``'s money, from its prefetched participations and instalments."""
    phases = []
    for participation in partnership.participations.all():
        instalments = list(participation.instalments.all())
        for instalment in instalments:
            instalment.participation = participation
        phases.append(
            PhaseMoney(participation, instalments, Figures.of(instalments, participation.price))
        )
    every = [i for row in phases for i in row.instalments]
    rule = payment_rule(partnership.procurement)
    flags = [
        UnpaidFlag(i, days, rule) for i in every if (days := unpaid_days(i, today)) > PAYMENT_DAYS
    ]
    return PartnerMoney(partnership, phases, Figures.of(every, partnership.total_price), flags)


def money_get(*, user: User, procurement: Procurement) -> Money:
    """Every partner's money in ``procurement`` (empty for anyone who may not see it), in
    three queries after the permission check; "today" is the server's clock in UK time."""
    if not can_see_money(user, procurement):
        return Money()
    today = london_date(timezone.now())
    partnerships = _partnerships(
        Partnership.objects.filter(procurement=procurement).order_by("reference")
    )
    return Money([partner_money(p, today) for p in partnerships])


# --- the supplier's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerMoneyEntry:
    """One partnership of the user's organisation: its money and whether the user claims."""

    money: PartnerMoney
    is_lead: bool
    may_claim: bool

    def claimable(self, row: PhaseMoney, instalment: Instalment) -> bool:
        return (
            self.may_claim
            and row.started
            and instalment.status in CLAIMABLE
            and self.money.most_claimable(row) > 0
        )

    @property
    def claimable_ids(self) -> set[int]:
        """The instalments the user may claim now, leading to their claim pages."""
        return {
            i.pk for row in self.money.phases for i in row.instalments if self.claimable(row, i)
        }


def partner_money_list(*, user: User) -> list[PartnerMoneyEntry]:
    """Every partnership of the user's organisation (as the lead organisation or a consortium
    member), whatever its state, with its money; only an administrator of the lead
    organisation claims, while the partnership is active."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return []
    today = london_date(timezone.now())
    organisation = membership.organisation_id
    ids = Partnership.objects.filter(partner_people_filter(organisation)).values("pk").distinct()
    partnerships = _partnerships(
        Partnership.objects.filter(pk__in=ids).order_by("-entered_at", "reference")
    )
    found = []
    for partnership in partnerships:
        is_lead = partnership.request.organisation_id == organisation
        may_claim = (
            is_lead
            and membership.role == SupplierRole.ADMIN
            and partnership.status == PartnershipStatus.ACTIVE
        )
        found.append(PartnerMoneyEntry(partner_money(partnership, today), is_lead, may_claim))
    return found


def partner_instalment_get(*, user: User, pk: int) -> Instalment | None:
    """One instalment of a partnership of the user's organisation, or None."""
    membership = supplier_membership_get(user=user)
    if membership is None:
        return None
    return (
        Instalment.objects.select_related(
            "schedule_item",
            "participation__phase",
            "participation__partnership__procurement__borough",
            "participation__partnership__request__organisation",
        )
        .filter(
            partner_people_filter(membership.organisation_id, "participation__partnership__"),
            pk=pk,
        )
        .distinct()
        .first()
    )


@dataclass(frozen=True)
class ClaimLimit:
    """What is held against both caps of one instalment's partner, and the most it can still
    claim on the instalment."""

    phase_cap: Decimal | None
    phase_held: Decimal
    contract_cap: Decimal
    contract_held: Decimal

    @property
    def most(self) -> Decimal:
        if self.phase_cap is None:
            return ZERO
        return max(
            min(self.phase_cap - self.phase_held, self.contract_cap - self.contract_held), ZERO
        )


def claim_limit(instalment: Instalment) -> ClaimLimit:
    """The caps of ``instalment`` (its participation and partnership loaded) and the money
    held against them by the partner's other instalments, in one query."""
    participation = instalment.participation
    found = (
        Instalment.objects.filter(
            participation__partnership_id=participation.partnership_id,
            status__in=HELD_AGAINST_CAPS,
        )
        .exclude(pk=instalment.pk)
        .aggregate(
            phase=Sum("claimed_amount", filter=Q(participation_id=participation.pk)),
            contract=Sum("claimed_amount"),
        )
    )
    return ClaimLimit(
        phase_cap=participation.price,
        phase_held=found["phase"] or ZERO,
        contract_cap=participation.partnership.total_price,
        contract_held=found["contract"] or ZERO,
    )


def claimable_deliverables(instalment: Instalment):
    """The deliverables of the instalment's phase, newest first: evidence a claim may cite."""
    return instalment.participation.deliverables.order_by("-submitted_at", "-pk")


# --- the officer's page for one instalment ----------------------------------------------------


def officer_instalment_get(*, procurement: Procurement, pk: int) -> Instalment | None:
    """One instalment of one of ``procurement``'s partners, with who claimed and decided."""
    return (
        Instalment.objects.select_related(
            "schedule_item",
            "deliverable",
            "claimed_by",
            "decided_by",
            "paid_recorded_by",
            "participation__phase",
            "participation__partnership__procurement",
            "participation__partnership__request__organisation",
        )
        .filter(participation__partnership__procurement=procurement, pk=pk)
        .first()
    )


def instalment_history(instalment: Instalment) -> list[AuditEvent]:
    """The audit trail's events about ``instalment``, oldest first."""
    return list(
        AuditEvent.objects.filter(
            target_type="stages.instalment",
            target_id=str(instalment.pk),
            action__startswith="stages.instalment_",
        ).order_by("id")
    )
