"""The phase plan's row in the procurement builder's task list (registered from ``ready()``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from procurements.models import Procurement
from procurements.registry import BuilderSection, register_builder_section
from procurements.sections import pounds_text, uk_date_text

from .models import Phase
from .selectors import PROCUREMENT_PREFETCH, phase_plan_get
from .services import SECTION_KEY

DATES_TO_BE_SET = "Dates to be set"


def pounds(amount: Decimal | None) -> str:
    return pounds_text(amount) or "Not given"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _weeks(number: int | None) -> str:
    return "" if number is None else _count(number, "week", "weeks")


def has_content(procurement: Procurement) -> bool:
    return not phase_plan_get(procurement=procurement).is_empty


def summary(procurement: Procurement) -> list[tuple[str, Any]]:
    """Check your answers: one row per phase, the total, then the final purchase."""
    plan = phase_plan_get(procurement=procurement)
    rows: list[tuple[str, Any]] = []
    for number, phase in enumerate(plan.phases, 1):
        weeks = _weeks(phase.duration_weeks) or "duration not given"
        rows.append(
            (
                f"Phase {number}: {phase.name}",
                f"{phase.get_kind_display()}, {weeks}, up to "
                f"{pounds(phase.max_remuneration_per_partner)} per partner; "
                f"{_count(len(phase.targets.all()), 'intermediate target', 'intermediate targets')}"
                f", {_count(len(phase.gate_criteria.all()), 'gate criterion', 'gate criteria')}, "
                + _count(
                    len(phase.termination_conditions.all()),
                    "termination condition",
                    "termination conditions",
                ),
            )
        )
    if not plan.phases:
        rows.append(("Phases", "None yet"))
    total = pounds(plan.total_max_remuneration)
    rows.append(("Maximum remuneration per partner, all phases", total))
    terms = plan.purchase_terms
    rows.append(("Final purchase: maximum cost", pounds(terms.max_cost if terms else None)))
    rows.append(("Estimated total value", pounds(procurement.estimated_value)))
    levels = plan.performance_levels
    rows.append(
        (
            "Final purchase: performance levels",
            "; ".join(str(level) for level in levels) if levels else "None yet",
        )
    )
    return rows


def announce(procurement: Procurement) -> dict[str, Any]:
    """The phase plan as the ITT announces it: successive phases with intermediate targets and
    remuneration in instalments (PCR 2015 reg. 31(7)), the gate criteria and the conditions on
    which a partner may be terminated (reg. 31(2)), and the final purchase's performance levels
    and maximum cost (RULES.md point 10). Amounts are in pounds, excluding VAT."""
    plan = phase_plan_get(procurement=procurement)
    terms = plan.purchase_terms
    return {
        "phases": [
            {
                "number": number,
                "name": phase.name,
                "kind": phase.get_kind_display(),
                "duration": _weeks(phase.duration_weeks),
                "max_remuneration_per_partner": pounds_text(phase.max_remuneration_per_partner),
                "aims": phase.aims,
                "targets": [
                    {"metric": t.metric, "threshold": t.threshold, "evidence": t.evidence}
                    for t in phase.targets.all()
                ],
                "instalments": [
                    {"number": n, "share": f"{item.share}%", "trigger": item.trigger}
                    for n, item in enumerate(phase.instalments.all(), 1)
                ],
                "gate_criteria": [
                    {"criterion": gate.criterion, "threshold": gate.threshold}
                    for gate in phase.gate_criteria.all()
                ],
                "termination_conditions": [
                    condition.condition for condition in phase.termination_conditions.all()
                ],
            }
            for number, phase in enumerate(plan.phases, 1)
        ],
        "total_max_remuneration_per_partner": pounds_text(plan.total_max_remuneration),
        "purchase": {
            "max_cost": pounds_text(terms.max_cost if terms else None),
            "scope": terms.scope if terms else "",
            "performance_levels": [
                {"metric": level.metric, "level": level.level} for level in plan.performance_levels
            ],
        },
        "estimated_value": pounds_text(procurement.estimated_value),
    }


def phase_dates(
    start: date | None, durations: Iterable[int | None]
) -> list[tuple[date, date] | None]:
    """Each phase's indicative first and last day, phases running one after another.

    The first phase starts on ``start``; each following phase starts the day after the one
    before ends; a phase of N weeks ends N weeks after its start, less a day. A phase whose
    duration is not given yet, and every phase after it, has no dates (None); so has every
    phase when there is no start.
    """
    dates: list[tuple[date, date] | None] = []
    begins = start
    for weeks in durations:
        if begins is None or weeks is None:
            dates.append(None)
            begins = None
            continue
        ends = begins + timedelta(weeks=weeks) - timedelta(days=1)
        dates.append((begins, ends))
        begins = ends + timedelta(days=1)
    return dates


def _phases(procurement: Procurement) -> list[Phase]:
    """The phases in order, without their rows: the prefetched ones if the caller has them."""
    if "phases" in getattr(procurement, "_prefetched_objects_cache", {}):
        return list(procurement.phases.all())
    return list(Phase.objects.filter(procurement=procurement).order_by("order", "pk"))


def timetable_rows(procurement: Procurement) -> list[tuple[str, str]]:
    """For the regime and timetable section: each phase's indicative dates, counted from the
    indicative start of the partnership; none while that start is not given."""
    if procurement.indicative_start_date is None:
        return []
    phases = _phases(procurement)
    spans = phase_dates(procurement.indicative_start_date, (p.duration_weeks for p in phases))
    return [
        (
            f"Phase {number}: {phase.name}",
            f"{uk_date_text(span[0])} to {uk_date_text(span[1])}" if span else DATES_TO_BE_SET,
        )
        for number, (phase, span) in enumerate(zip(phases, spans, strict=True), 1)
    ]


def facts(procurement: Procurement) -> dict[str, Any]:
    """For ``procurements.rules.PublicationFacts``: phases, the purchase's maximum cost and the
    estimated value (both edited on the final purchase page)."""
    plan = phase_plan_get(procurement=procurement)
    return {
        "estimated_value": procurement.estimated_value,
        "phases": [
            {
                "name": phase.name,
                "kind": phase.kind,
                "gate_criteria_count": len(phase.gate_criteria.all()),
                "termination_condition_count": len(phase.termination_conditions.all()),
                "max_remuneration_per_partner": phase.max_remuneration_per_partner,
            }
            for phase in plan.phases
        ],
        "purchase_max_cost": plan.purchase_terms.max_cost if plan.purchase_terms else None,
    }


PHASE_PLAN_SECTION = register_builder_section(
    BuilderSection(
        key=SECTION_KEY,
        title="Phase plan and final purchase",
        order=60,
        url_name="stages:phase-plan",
        has_content=has_content,
        summary=summary,
        facts=facts,
        group="Plan the partnership",
        prefetch=PROCUREMENT_PREFETCH,
        announce=announce,
        itt_template="stages/itt/phase_plan.html",
        amended_on_own_pages=True,
        timetable_rows=timetable_rows,
        fact_url_names={
            "estimated_value": "stages:purchase-terms",
            "purchase_max_cost": "stages:purchase-terms",
        },
    )
)
