"""What every demo procurement shares: the demo people and titles, the borough's usual award
criteria, the shapes of a two-phase and a three-phase plan, and a timetable computed from the
day the demo is loaded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from core.calendar import LONDON, working_day_on_or_after
from procurements.models import CriterionKind, Regime
from stages.models import PhaseKind

BOROUGH_SLUG = "kingsmead"
OFFICER = "officer@example.org"
APPROVER = "approver@example.org"
EVALUATOR = "evaluator@example.org"

FALLS = "Falls prevention at home"
HEATING = "Low-carbon heating for council homes"
LONELINESS = "Loneliness in later life"
SCHOOL_STREETS = "Cleaner air on the way to school"
DISCHARGE = "Safer homes after hospital discharge"
CARERS = "Digital support for unpaid carers"
FOOD_WASTE = "Reducing food waste in school kitchens"
WARM_HOMES = "Keeping older residents warm and well at home"
DAMP_MOULD = "Finding and fixing damp and mould in council homes before residents fall ill"
TITLES = [
    FALLS,
    HEATING,
    LONELINESS,
    SCHOOL_STREETS,
    DISCHARGE,
    CARERS,
    FOOD_WASTE,
    WARM_HOMES,
    DAMP_MOULD,
]
SUPPLIERS = [f"supplier-{letter}@example.org" for letter in "abcdef"]

NOON = time(12, 0)


def criteria(
    quality_subs: list[str],
    social_subs: list[str],
    price: str = "The total price for the research and pilot phases.",
    weights: tuple[int, int, int] = (60, 30, 10),
) -> list:
    """Quality, price and social value, with the borough's usual weighting unless ``weights``
    (quality, price, social value; adding up to 100) says otherwise."""
    quality, price_weight, social = weights
    return [
        (
            CriterionKind.QUALITY,
            "Quality of the proposed solution and research plan",
            quality,
            "How well the proposal would meet the outcomes, and how credible the plan to get "
            "there is.",
            quality_subs,
        ),
        (CriterionKind.PRICE, "Price", price_weight, price, []),
        (
            CriterionKind.SOCIAL_VALUE,
            "Social value",
            social,
            "Commitments under the borough's social value policy.",
            social_subs,
        ),
    ]


def two_phases(
    research: dict, pilot: dict, maxima: tuple[str, str] = ("80000", "200000")
) -> list[dict]:
    """A research phase and a pilot, each with its targets, one instalment at its start and
    one at its end, and the gate it must pass; ``maxima`` are the most a partner can be paid
    for each."""
    phases = []
    for kind, name, weeks, cap, plan in (
        (PhaseKind.RESEARCH, "Research and prototype", 16, Decimal(maxima[0]), research),
        (PhaseKind.PILOT, "Pilot", 26, Decimal(maxima[1]), pilot),
    ):
        phases.append(
            {
                "kind": kind,
                "name": name,
                "duration_weeks": weeks,
                "max_remuneration_per_partner": cap,
                "aims": plan["aims"],
                "targets": plan["targets"],
                "instalments": [
                    (f"{name} plan agreed", None, 30),
                    (f"{name} report accepted", None, 70),
                ],
                "gate": plan["gate"],
                "termination": [
                    f"The partner does not meet the gate criteria of the {name.lower()} phase.",
                    *plan["termination"],
                ],
            }
        )
    return phases


def three_phases(
    research: dict,
    development: dict,
    pilot: dict,
    maxima: tuple[str, str, str] = ("60000", "140000", "220000"),
) -> list[dict]:
    """Research, prototype development and a pilot (RULES.md point 8: successive phases
    following the R&D process). Each plan gives its aims, two intermediate targets, the
    milestone of its first instalment (40%; the other 60% is due when the phase's final
    report is accepted), its gate criteria and one termination condition of its own; every
    phase may also end a partner who does not meet its gate criteria (point 9). ``maxima``
    are the most a partner can be paid for each phase."""
    phases = []
    for kind, name, weeks, cap, plan in (
        (PhaseKind.RESEARCH, "Research", 12, Decimal(maxima[0]), research),
        (PhaseKind.DEVELOPMENT, "Prototype development", 20, Decimal(maxima[1]), development),
        (PhaseKind.PILOT, "Pilot", 30, Decimal(maxima[2]), pilot),
    ):
        phases.append(
            {
                "kind": kind,
                "name": name,
                "duration_weeks": weeks,
                "max_remuneration_per_partner": cap,
                "aims": plan["aims"],
                "targets": plan["targets"],
                "instalments": [
                    (plan["milestone"], None, 40),
                    (f"{name} final report accepted", None, 60),
                ],
                "gate": plan["gate"],
                "termination": [
                    f"The partner does not meet the gate criteria of the {name.lower()} phase.",
                    *plan["termination"],
                ],
            }
        )
    return phases


def timetable(today: date) -> dict:
    """A PA 2023 timetable starting a week from ``today`` that the publication rules accept.

    The notice goes out on the first working day at least 5 days from today; requests to
    participate close at midday on the first working day at least 35 days after it (the
    minimum is 25, PA 2023 s.54(3)), and questions at midday on the first working day at
    least 10 days before that. Tenders are invited about six weeks after requests close, and
    the partnership is expected to start on the first working day at least 16 weeks after
    that, leaving time to negotiate, evaluate, award and stand still.
    """
    notice = working_day_on_or_after(today + timedelta(days=5))
    participation = working_day_on_or_after(notice + timedelta(days=35))
    questions = working_day_on_or_after(participation - timedelta(days=10))
    tender = working_day_on_or_after(participation + timedelta(days=42))
    return {
        "regime": Regime.PA2023,
        "notice_date": notice,
        "question_deadline": datetime.combine(questions, NOON, tzinfo=LONDON),
        "participation_deadline": datetime.combine(participation, NOON, tzinfo=LONDON),
        "indicative_tender_date": tender,
        "indicative_start_date": working_day_on_or_after(tender + timedelta(weeks=16)),
        "max_partners": 3,
        "number_to_invite": 5,
    }
