"""The arithmetic of selection: the published scale, a request's weighted score, what
disqualifies a request, and the ranking. Pure functions of plain values: no queries.

A request's weighted score is out of 100: each scored question contributes its weight times
its score over the scale's maximum (a request scoring the top of the scale everywhere scores
100). Pass/fail questions carry no weight; failing one disqualifies the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO_PLACES = Decimal("0.01")


def scale_maximum(scale: str) -> int:
    """The top of a published scoring scale such as ``"0-5"``."""
    return int(scale.split("-")[1])


def scale_choices(scale: str) -> list[tuple[str, str]]:
    return [(str(value), str(value)) for value in range(scale_maximum(scale) + 1)]


@dataclass(frozen=True)
class Mark:
    """A verdict (pass/fail questions) or a score (scored ones), with its reason."""

    passed: bool | None = None
    score: int | None = None
    reason: str = ""


def weighted_total(
    questions: Iterable[Any], marks: Mapping[int, Mark], *, maximum: int
) -> Decimal | None:
    """The weighted score out of 100 from ``marks`` (question id -> ``Mark``), to two decimal
    places; None while any scored question has no score."""
    total = Decimal(0)
    for question in questions:
        if not question.is_scored:
            continue
        mark = marks.get(question.pk)
        if mark is None or mark.score is None:
            return None
        total += Decimal(question.weight or 0) * Decimal(mark.score) / Decimal(maximum)
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def failed_questions(questions: Iterable[Any], marks: Mapping[int, Mark]) -> list[int]:
    """The numbers (1-based, in questionnaire order) of pass/fail questions marked failed."""
    return [
        number
        for number, question in enumerate(questions, start=1)
        if not question.is_scored
        and (mark := marks.get(question.pk)) is not None
        and mark.passed is False
    ]


@dataclass(frozen=True)
class Candidate:
    """A request as the ranking sees it: its id, a name to break ties, its total, and why it
    does not qualify (empty when it does)."""

    request_id: int
    name: str
    total: Decimal | None
    disqualified_because: tuple[str, ...] = ()

    @property
    def qualifies(self) -> bool:
        return not self.disqualified_because and self.total is not None


def rank(candidates: Iterable[Candidate]) -> list[tuple[int, Candidate]]:
    """The qualifying candidates, best first, each with its rank. Equal totals share a rank
    (standard competition ranking: 1, 2, 2, 4) and are listed by name, then id, so the order
    never depends on the order given."""
    ordered = sorted(
        (c for c in candidates if c.qualifies),
        key=lambda c: (-c.total, c.name.casefold(), c.request_id),
    )
    return list(zip(competition_ranks([c.total for c in ordered]), ordered, strict=True))


def competition_ranks(totals: Sequence) -> list[int]:
    """The ranks of ``totals`` sorted best first: equal totals share a rank and the next rank
    skips (standard competition ranking: 1, 2, 2, 4)."""
    ranks: list[int] = []
    for position, total in enumerate(totals, start=1):
        ranks.append(ranks[-1] if ranks and totals[position - 2] == total else position)
    return ranks


def shortlist_size_problem(
    *, chosen: int, qualifying: int, to_invite: int | None, minimum: int
) -> str:
    """Why a shortlist of ``chosen`` requests may not stand, or "" if it may: not above the
    number announced, and not below the regime's ``minimum`` (``RegimeRules.min_to_invite``:
    3) where at least that many qualify (RULES.md point 3; PCR 2015 reg. 65(2))."""
    if qualifying == 0:
        return (
            "No request qualifies: none can be invited. Cancel the procurement or record "
            "self-cleaning evidence where the regime allows it."
        )
    if chosen == 0:
        return "Choose the suppliers to invite to tender"
    if to_invite is not None and chosen > to_invite:
        return (
            f"The invitation to tender announced that {to_invite} suppliers would be invited: "
            f"choose no more than {to_invite}"
        )
    least = min(minimum, qualifying)
    if chosen < least:
        return (
            f"{qualifying} requests qualify, so at least {least} suppliers must be invited: "
            f"you chose {chosen}"
        )
    return ""
