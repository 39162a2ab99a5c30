"""An active innovation partnership whose phases are running, for the tests of deliverables,
stage gates, instalments, stage-gate reports and the purchase.

``running(personas, partners=2)``: borough A's procurement awarded to ``partners``
organisations (A, B, then "Supplier 3 Ltd", ...), its plan announced as two phases (rows as the
builder leaves them at publication, matching the published plan the tenders priced):

- phase 1 "Research and prototype" (max £80,000 a partner), phase 2 "Pilot" (max £200,000);
- each with two intermediate targets, two instalments (40% on "Interim report accepted",
  60% on "Final report accepted"), two gate criteria and two termination conditions;
- the final purchase: maximum cost £900,000 and two performance levels (``PURCHASE``).

The contracts are entered today by officer A through the service: every partner is in phase 1
(in progress, from today), phase 2 not started, and every instalment scheduled. Each partner's
agreed price is the final tender's: £75,000 for phase 1 and £150,000 for phase 2 (see
``tests.partners.evaluation_samples``), so phase 1's instalments are £30,000 and £45,000.

Returns a ``Running``. Everything goes through the services, as the pages would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.calendar import london_date
from partners.models import ConsortiumMember, ParticipationRequest, Partnership
from partners.services_partnerships import contracts_enter
from procurements.models import Procurement
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PhaseKind,
    PurchaseTerms,
    StageParticipation,
    TerminationCondition,
)
from tests.partners.award_samples import in_standstill, standstill_over
from tests.partners.test_partnerships import PURCHASE, announce_terms

PLAN = (
    ("Research and prototype", PhaseKind.RESEARCH, Decimal("80000")),
    ("Pilot", PhaseKind.PILOT, Decimal("200000")),
)
# Further phases for larger samples (benchmarks): the tenders priced only the first two, so
# these have no agreed price and their instalments are scheduled at nothing.
MORE = (
    ("Development", PhaseKind.DEVELOPMENT, Decimal("150000")),
    ("Scale-up pilot", PhaseKind.PILOT, Decimal("250000")),
)
TARGETS = (
    ("Homes monitored", "At least 20", "The monitoring log"),
    ("Falls detected within a minute", "90% or more", "The incident report"),
)
INSTALMENTS = (("Interim report accepted", Decimal("40")), ("Final report accepted", Decimal("60")))
CRITERIA = (
    ("Targets met", "Every intermediate target met: 6 or more out of 10"),
    ("Readiness for the next phase", "A credible plan: 5 or more out of 10"),
)
CONDITIONS = (
    "An intermediate target of the phase is not met",
    "The partner's solution cannot meet the performance levels of the final purchase",
)


@dataclass
class Running:
    procurement: Procurement
    phases: list[Phase]
    partnerships: list[Partnership]

    def partnership_of(self, organisation) -> Partnership:
        return next(p for p in self.partnerships if p.request.organisation_id == organisation.pk)

    def participation(self, organisation, number: int = 1) -> StageParticipation:
        """``organisation``'s participation in phase ``number`` (1 = the first), fresh."""
        return StageParticipation.objects.select_related("partnership", "phase").get(
            partnership=self.partnership_of(organisation), phase=self.phases[number - 1]
        )


def member_c_joins(personas, request) -> None:
    """Organisation C is a confirmed member of the consortium ``request`` (a partnership's
    request to participate) leads, as if it had been so since the request."""
    ParticipationRequest.objects.filter(pk=request.pk).update(is_consortium=True)
    ConsortiumMember.objects.create(
        request=request,
        organisation=personas.org_c,
        role="Sensors",
        share_of_work=30,
        confirmed_at=timezone.now(),
    )


def announce_plan(procurement: Procurement, count: int = 2) -> list[Phase]:
    """The plan's rows (``count`` phases), as the builder left them at publication."""
    phases = []
    for order, (name, kind, maximum) in enumerate((*PLAN, *MORE)[:count], 1):
        phase = Phase.objects.create(
            procurement=procurement,
            kind=kind,
            name=name,
            order=order,
            duration_weeks=12 * order,
            max_remuneration_per_partner=maximum,
            aims=f"The aims of {name.lower()}.",
        )
        for number, (metric, threshold, evidence) in enumerate(TARGETS, 1):
            IntermediateTarget.objects.create(
                phase=phase, metric=metric, threshold=threshold, evidence=evidence, order=number
            )
        for number, (milestone, share) in enumerate(INSTALMENTS, 1):
            InstalmentScheduleItem.objects.create(
                phase=phase, milestone=milestone, share_percent=share, order=number
            )
        for number, (criterion, threshold) in enumerate(CRITERIA, 1):
            GateCriterion.objects.create(
                phase=phase, criterion=criterion, threshold=threshold, order=number
            )
        for number, condition in enumerate(CONDITIONS, 1):
            TerminationCondition.objects.create(phase=phase, condition=condition, order=number)
        phases.append(phase)
    terms = PurchaseTerms.objects.create(
        procurement=procurement, max_cost=Decimal("900000"), scope=PURCHASE["scope"]
    )
    for number, level in enumerate(PURCHASE["performance_levels"], 1):
        PerformanceLevel.objects.create(
            purchase_terms=terms, metric=level["metric"], level=level["level"], order=number
        )
    return phases


def running(personas, *, partners: int = 2, phases: int = 2) -> Running:
    decision = in_standstill(personas, tenderers=partners, max_partners=partners)
    announce_terms(decision.procurement)
    plan = announce_plan(decision.procurement, phases)
    partnerships = contracts_enter(
        actor=personas.officer_a,
        decision=standstill_over(decision),
        signed_on=london_date(timezone.now()),
    )
    procurement = Procurement.objects.get(pk=decision.procurement.pk)
    return Running(procurement=procurement, phases=plan, partnerships=list(partnerships))
