"""Procurements ready to publish, with every section the ITT announces filled in.

The content is the demo's "Falls prevention at home" (the seed command's data), written
straight to the database; ``long_phases`` and friends make one long enough for an ITT of
more than 30 pages. ``at_noon``, ``today`` and ``lines`` are the small helpers the tests of
approval, publication and amendments share.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from core.calendar import LONDON, london_date, working_day_on_or_after
from core.models import DocumentStatus, GeneratedDocument
from ip_rights.demo.falls import (
    FALLS_CHALLENGE,
    FALLS_CRITERIA,
    FALLS_IP_TERMS,
    FALLS_MARKET_GAP,
    FALLS_PERFORMANCE,
    FALLS_PHASES,
    FALLS_PURCHASE,
    FALLS_REQUIREMENTS,
    FALLS_SELECTION,
)
from ip_rights.models import IPTerms
from partners.models import SelectionQuestion
from procurements.models import (
    AwardCriterion,
    AwardSubCriterion,
    MinimumRequirement,
    Notice,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
    Regime,
)
from stages.models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    PurchaseTerms,
    TerminationCondition,
)
from tests import factories

TITLE = "Falls prevention at home"
# A procedure under the Public Contracts Regulations 2015 must have begun before 24 February
# 2025 (``procurements.rules.rule_regime_applies``): the day its contract notice was sent.
PCR_PROCEDURE_BEGAN_ON = date(2025, 2, 3)
# The indicative start of the partnership, this many weeks after the invitation to tender.
WEEKS_FROM_TENDER_TO_START = 16


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LONDON)


def today() -> date:
    """Today in London, by the server clock."""
    return london_date(timezone.now())


def lines(notice: Notice, heading: str, label: str) -> list[str]:
    """The lines of one field of a published notice, found by its section heading and label."""
    [section] = [s for s in notice.content["sections"] if s["heading"] == heading]
    [found] = [item for item in section["fields"] if item["label"] == label]
    return found["lines"]


def timetable(today: date | None = None) -> dict:
    """Dates the publication rules of both regimes accept, counted from ``today``."""
    today = today or london_date(timezone.now())
    notice = working_day_on_or_after(today + timedelta(days=7))
    participation = working_day_on_or_after(notice + timedelta(days=40))
    tender = working_day_on_or_after(participation + timedelta(days=42))
    return {
        "notice_date": notice,
        "question_deadline": at_noon(working_day_on_or_after(participation - timedelta(days=10))),
        "participation_deadline": at_noon(participation),
        "indicative_tender_date": tender,
        "indicative_start_date": tender + timedelta(weeks=WEEKS_FROM_TENDER_TO_START),
    }


def ready_itt(version: PublicationVersion) -> GeneratedDocument:
    """A ready ITT of ``version`` with a small PDF file, as a worker would leave it."""
    document = GeneratedDocument(
        kind="itt", target=version, title=f"ITT {version.number}", status=DocumentStatus.READY
    )
    document.file.save(f"itt-test-{version.pk}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    document.save()
    return document


def published_opportunity(
    personas, borough=None, *, closes=None, questions_until=None, **fields
) -> Procurement:
    """A procurement of borough A (or ``borough``), led by officer A, whose call was published
    yesterday: requests close in ten days and questions in five unless ``closes`` and
    ``questions_until`` say otherwise. Only the row is written: no version, no notice."""
    now = timezone.now()
    procurement = factories.ProcurementFactory(
        borough=borough or personas.borough_a, lead_officer=personas.officer_a, **fields
    )
    Procurement.objects.filter(pk=procurement.pk).update(
        status=ProcurementStatus.PUBLISHED,
        published_at=now - timedelta(days=1),
        participation_deadline=closes or now + timedelta(days=10),
        question_deadline=questions_until or now + timedelta(days=5),
    )
    return Procurement.objects.get(pk=procurement.pk)


def long_phases(count: int = 8, rows: int = 8) -> list[dict]:
    """Many phases, each with many targets, instalments, gate criteria and conditions."""
    share = Decimal(100) / rows
    shares = [share.quantize(Decimal("0.01"))] * (rows - 1)
    shares.append(Decimal(100) - sum(shares))
    return [
        {
            "kind": FALLS_PHASES[number % 3]["kind"],
            "name": f"Phase {number + 1} of the long plan",
            "duration_weeks": 8 + number,
            "max_remuneration_per_partner": Decimal("50000") + number * 1000,
            "aims": " ".join([FALLS_PHASES[number % 3]["aims"]] * 3),
            "targets": [
                (f"Target {n + 1}: residents reached", f"At least {10 * (n + 1)}", "Logs")
                for n in range(rows)
            ],
            "instalments": [(f"Milestone {n + 1} accepted", None, shares[n]) for n in range(rows)],
            "gate": [
                (f"Gate criterion {n + 1}", "Pass: " + FALLS_PHASES[0]["gate"][0][1])
                for n in range(rows)
            ],
            "termination": [
                f"Condition {n + 1}: " + FALLS_PHASES[0]["termination"][0] for n in range(rows)
            ],
        }
        for number in range(count)
    ]


def announced_procurement(
    personas,
    *,
    status: str = ProcurementStatus.APPROVED,
    regime: str = Regime.PA2023,
    phases: list[dict] | None = None,
    requirements: list[str] | None = None,
    criteria: list | None = None,
    **fields,
) -> Procurement:
    """A procurement of borough A, led by officer A and approved by approver A, that keeps
    every publication rule, with the demo's content in every announced section. Under the
    Public Contracts Regulations 2015 its procedure began on ``PCR_PROCEDURE_BEGAN_ON``."""
    phases = FALLS_PHASES if phases is None else phases
    values = {
        "borough": personas.borough_a,
        "lead_officer": personas.officer_a,
        "approver": personas.approver_a,
        "status": status,
        "title": TITLE,
        "regime": regime,
        "procedure_began_on": PCR_PROCEDURE_BEGAN_ON if regime == Regime.PCR2015 else None,
        "max_partners": 3,
        "number_to_invite": 5,
        "estimated_value": FALLS_PURCHASE["estimated_value"],
        **FALLS_CHALLENGE,
        **FALLS_MARKET_GAP,
        **timetable(),
    }
    values.update(fields)
    procurement = factories.ProcurementFactory(**values)
    for order, text in enumerate(requirements or FALLS_REQUIREMENTS):
        MinimumRequirement.objects.create(procurement=procurement, text=text, order=order)
    for order, question in enumerate(FALLS_SELECTION):
        SelectionQuestion.objects.create(procurement=procurement, order=order, **question)
    for order, (kind, name, weight, description, subs) in enumerate(criteria or FALLS_CRITERIA):
        criterion = AwardCriterion.objects.create(
            procurement=procurement,
            kind=kind,
            name=name,
            weight=weight,
            description=description,
            order=order,
        )
        for sub_order, sub_name in enumerate(subs):
            AwardSubCriterion.objects.create(criterion=criterion, name=sub_name, order=sub_order)
    _phase_plan(procurement, phases)
    IPTerms.objects.create(procurement=procurement, **FALLS_IP_TERMS)
    return procurement


def _phase_plan(procurement: Procurement, phases: list[dict]) -> None:
    for order, plan in enumerate(phases):
        phase = Phase.objects.create(
            procurement=procurement,
            order=order,
            kind=plan["kind"],
            name=plan["name"],
            duration_weeks=plan["duration_weeks"],
            max_remuneration_per_partner=plan["max_remuneration_per_partner"],
            aims=plan["aims"],
        )
        for n, (metric, threshold, evidence) in enumerate(plan["targets"]):
            IntermediateTarget.objects.create(
                phase=phase, metric=metric, threshold=threshold, evidence=evidence, order=n
            )
        for n, (milestone, weeks, share) in enumerate(plan["instalments"]):
            InstalmentScheduleItem.objects.create(
                phase=phase,
                milestone=milestone,
                weeks_after_start=weeks,
                share_percent=Decimal(share),
                order=n,
            )
        for n, (criterion, threshold) in enumerate(plan["gate"]):
            GateCriterion.objects.create(
                phase=phase, criterion=criterion, threshold=threshold, order=n
            )
        for n, condition in enumerate(plan["termination"]):
            TerminationCondition.objects.create(phase=phase, condition=condition, order=n)
    terms = PurchaseTerms.objects.create(
        procurement=procurement,
        max_cost=FALLS_PURCHASE["max_cost"],
        scope=FALLS_PURCHASE["scope"],
    )
    for order, (metric, level) in enumerate(FALLS_PERFORMANCE):
        PerformanceLevel.objects.create(
            purchase_terms=terms, metric=metric, level=level, order=order
        )
