"""The arithmetic of the award: price points by the formula announced in the invitation to
tender, quality points from the weighted criteria, and the ranking of the tenderers. Pure
functions of plain values: no queries.

The award criteria of a procurement carry weights adding up to 100: the price criterion's
weight goes to price points, the others (quality and social value) to quality points. A tender
scoring the top of the scale on every criterion at the lowest price scores 100.

Price points follow ``PriceFormula`` (the values are passed as plain strings):

- ``lowest_over_price``: lowest price / tendered price * the price weight;
- ``difference_from_lowest``: price weight * (1 - (tendered price - lowest price) / lowest
  price), not below 0.

Figures are rounded to two decimal places (half up) once, at the end; a tender's total is the
sum of its two published figures, so what is shown adds up.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from .scoring import competition_ranks

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

LOWEST_OVER_PRICE = "lowest_over_price"
DIFFERENCE_FROM_LOWEST = "difference_from_lowest"
FORMULAS = (LOWEST_OVER_PRICE, DIFFERENCE_FROM_LOWEST)

K = TypeVar("K", bound=Hashable)


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def price_points(
    prices: Mapping[K, Decimal], *, formula: str, weight: Decimal | int
) -> dict[K, Decimal]:
    """Points out of ``weight`` for each tenderer's total price (tenderer key -> price), by the
    announced ``formula`` (a ``PriceFormula`` value). The lowest price earns the full weight.
    Prices must be positive."""
    if formula not in FORMULAS:
        raise ValueError(f"Unknown price formula: {formula!r}")
    weight = Decimal(weight)
    if weight < 0:
        raise ValueError("The price weight cannot be negative")
    amounts = {key: Decimal(price) for key, price in prices.items()}
    for key, price in amounts.items():
        if not price.is_finite() or price <= 0:
            raise ValueError(f"The price of {key!r} must be a positive amount, not {price}")
    if not amounts:
        return {}
    lowest = min(amounts.values())
    points: dict[K, Decimal] = {}
    for key, price in amounts.items():
        if formula == LOWEST_OVER_PRICE:
            # lowest / price * weight, with a single division so exact figures stay exact
            value = lowest * weight / price
        else:
            # weight * (1 - (price - lowest) / lowest) = weight * (2 * lowest - price) / lowest
            value = max(weight * (2 * lowest - price) / lowest, Decimal(0))
        points[key] = _two_places(value)
    return points


def quality_points(scores: Mapping[K, int], *, weights: Mapping[K, int], maximum: int) -> Decimal:
    """Points out of the non-price weights: each criterion in ``weights`` (criterion id ->
    weight) contributes its weight * its score / the scale's ``maximum``. Every criterion
    needs a score between 0 and ``maximum``, and no other criterion may be scored."""
    if maximum <= 0:
        raise ValueError("The top of the scoring scale must be positive")
    unknown = set(scores) - set(weights)
    if unknown:
        raise ValueError(f"Scores given for criteria that are not weighted: {sorted(unknown)!r}")
    total = Decimal(0)
    for criterion, weight in weights.items():
        if criterion not in scores:
            raise ValueError(f"Criterion {criterion!r} has no score")
        score = scores[criterion]
        if not 0 <= score <= maximum:
            raise ValueError(f"Score {score} of criterion {criterion!r} is not 0 to {maximum}")
        if weight < 0:
            raise ValueError(f"The weight of criterion {criterion!r} cannot be negative")
        total += Decimal(weight) * Decimal(score) / Decimal(maximum)
    return _two_places(total)


@dataclass(frozen=True)
class Tender:
    """A tender as the award sees it: the tenderer's key, a name to break ties, its scores per
    non-price criterion (criterion id -> score) and its total price."""

    key: Hashable
    name: str
    scores: Mapping[Hashable, int]
    price: Decimal


@dataclass(frozen=True)
class RankedTender:
    tender: Tender
    quality_points: Decimal
    price_points: Decimal
    total: Decimal
    rank: int


def rank_tenders(
    tenders: Iterable[Tender],
    *,
    weights: Mapping[Hashable, int],
    price_weight: Decimal | int,
    formula: str,
    maximum: int,
) -> list[RankedTender]:
    """Every tender with its quality points, price points and total out of 100, best first,
    each with its rank. ``weights`` are the non-price criteria's (criterion id -> weight); with
    ``price_weight`` they add up to 100. Equal totals share a rank (standard competition
    ranking: 1, 2, 2, 4) and are listed by higher quality points, then lower price, then name
    (casefolded), then key, so the order never depends on the order given."""
    tenders = list(tenders)
    price_weight = Decimal(price_weight)
    if sum(weights.values(), Decimal(0)) + price_weight != HUNDRED:
        raise ValueError("The award criteria's weights must add up to 100")
    keys = [tender.key for tender in tenders]
    if len(set(keys)) != len(keys):
        raise ValueError("Each tender needs its own key")
    prices = price_points(
        {tender.key: tender.price for tender in tenders}, formula=formula, weight=price_weight
    )
    scored = []
    for tender in tenders:
        quality = quality_points(tender.scores, weights=weights, maximum=maximum)
        scored.append((tender, quality, prices[tender.key], quality + prices[tender.key]))
    scored.sort(
        key=lambda row: (
            -row[3],
            -row[1],
            Decimal(row[0].price),
            row[0].name.casefold(),
            row[0].key,
        )
    )
    ranks = competition_ranks([row[3] for row in scored])
    return [
        RankedTender(tender, quality, price, total, rank)
        for rank, (tender, quality, price, total) in zip(ranks, scored, strict=True)
    ]
