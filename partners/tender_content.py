"""What a proposal holds and what it must hold before it is submitted.

A proposal answers every award criterion that is not price, gives a price for every phase
of the announced phase plan within that phase's maximum, and declares the background IP the
supplier brings. Its content is plain JSON (``content_sha256`` gives the receipt's digest):

    {"answers": {"<criterion id>": "text"}, "prices": {"<phase number>": "12345.00"},
     "background_ip": "text", "files": [{"token", "name", "size", "sha256", "content_type"}]}

The phase plan and its maximums are read from the latest publication version (what was
announced), not from the builder's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from procurements.models import AwardCriterion, CriterionKind, Procurement

from .submission import content_sha256

PHASE_PLAN_KEY = "phase-plan"
ANSWER_MAX_LENGTH = 20000
BACKGROUND_IP_MAX_LENGTH = 10000
MONEY_LIMIT = Decimal("1000000000")  # a billion pounds: no phase costs more

__all__ = [
    "AnnouncedPhase",
    "announced_phases",
    "answerable_criteria",
    "content_problems",
    "content_sha256",
    "empty_content",
    "money",
]


@dataclass(frozen=True)
class AnnouncedPhase:
    number: int
    name: str
    maximum: Decimal | None


def money(text: str) -> Decimal | None:
    """A sum of money as a person or the ITT writes it ("£80,000.00", "80000"), or None."""
    cleaned = str(text).replace("£", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= MONEY_LIMIT:
        return None
    return value.quantize(Decimal("0.01"))


def announced_phases(procurement: Procurement) -> list[AnnouncedPhase]:
    """The phases of the latest publication version, with each phase's maximum price per
    partner as announced."""
    latest = procurement.versions.order_by("-number").first()
    if latest is None:
        return []
    plan = next(
        (
            part["content"]
            for part in latest.content.get("sections", [])
            if part["key"] == PHASE_PLAN_KEY
        ),
        {},
    )
    return [
        AnnouncedPhase(
            number=int(phase["number"]),
            name=phase.get("name", ""),
            maximum=money(phase.get("max_remuneration_per_partner", "")),
        )
        for phase in plan.get("phases", [])
    ]


def answerable_criteria(procurement: Procurement) -> list[AwardCriterion]:
    """The award criteria a proposal answers in words: all but price (prices are given per
    phase). Award criteria never change after publication."""
    return list(
        procurement.award_criteria.exclude(kind=CriterionKind.PRICE).order_by("order", "pk")
    )


def empty_content() -> dict[str, Any]:
    return {"answers": {}, "prices": {}, "background_ip": "", "files": []}


def content_problems(
    content: dict[str, Any],
    *,
    criteria: list[AwardCriterion],
    phases: list[AnnouncedPhase],
) -> list[tuple[str, str]]:
    """Everything missing or wrong before submission, as (what, message) pairs in page
    order; ``what`` is "answer:<id>", "price:<number>" or "background_ip"."""
    problems = []
    answers = content.get("answers", {})
    for number, criterion in enumerate(criteria, start=1):
        if not str(answers.get(str(criterion.pk), "")).strip():
            problems.append(
                (f"answer:{criterion.pk}", f"Answer criterion {number}: {criterion.name}")
            )
    prices = content.get("prices", {})
    for phase in phases:
        price = money(prices.get(str(phase.number), ""))
        if price is None:
            problems.append(
                (f"price:{phase.number}", f"Give your price for phase {phase.number}: {phase.name}")
            )
        elif phase.maximum is not None and price > phase.maximum:
            problems.append(
                (
                    f"price:{phase.number}",
                    f"Your price for phase {phase.number} is above the maximum of "
                    f"£{phase.maximum:,.2f} announced: lower it",
                )
            )
    if not str(content.get("background_ip", "")).strip():
        problems.append(
            (
                "background_ip",
                "Declare the background IP you bring, or say that you bring none",
            )
        )
    return problems
