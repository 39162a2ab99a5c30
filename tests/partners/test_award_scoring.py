"""The arithmetic of the award, for any criteria, any scores and any prices: totals stay out of
100, the lowest price earns the full price weight under both formulas, a better tender never
scores less, and the ranking never depends on the order it is given. Worked examples pin the
figures down."""

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from partners.award_scoring import (
    DIFFERENCE_FROM_LOWEST,
    FORMULAS,
    LOWEST_OVER_PRICE,
    RankedTender,
    Tender,
    price_points,
    quality_points,
    rank_tenders,
)
from partners.scoring import scale_maximum
from procurements.models import PriceFormula, ScoringScale

D = Decimal

formulas = st.sampled_from(list(PriceFormula.values))
maxima = st.sampled_from([scale_maximum(scale) for scale in ScoringScale.values])
# A few round prices make ties likely; any price to the penny covers the rest.
prices = st.one_of(
    st.sampled_from([D("100"), D("125"), D("200"), D("250"), D("400")]),
    st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2),
)
price_weights = st.integers(min_value=0, max_value=100).map(Decimal)
NAMES = ["Acme", "acme", "Beta", "BETA", "Gamma", "Ørsted", "zeta"]


@st.composite
def price_tables(draw) -> dict[int, Decimal]:
    return draw(st.dictionaries(st.integers(1, 50), prices, min_size=1, max_size=8))


@st.composite
def awards(draw):
    """Non-price criteria and a price weight adding up to 100, and tenders scored on them."""
    count = draw(st.integers(min_value=1, max_value=5))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count, max_size=count)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    weights = dict(enumerate(parts[:-1], start=1))
    price_weight = D(parts[-1])
    maximum = draw(maxima)
    keys = draw(st.lists(st.integers(1, 1000), min_size=1, max_size=7, unique=True))
    tenders = [
        Tender(
            key=key,
            name=draw(st.sampled_from(NAMES)),
            scores={c: draw(st.integers(0, maximum)) for c in weights},
            price=draw(prices),
        )
        for key in keys
    ]
    return {
        "tenders": tenders,
        "weights": weights,
        "price_weight": price_weight,
        "formula": draw(formulas),
        "maximum": maximum,
    }


def ranked(award) -> list[RankedTender]:
    return rank_tenders(
        award["tenders"],
        weights=award["weights"],
        price_weight=award["price_weight"],
        formula=award["formula"],
        maximum=award["maximum"],
    )


def test_both_announced_formulas_are_handled():
    assert set(FORMULAS) == set(PriceFormula.values)
    assert PriceFormula.LOWEST_OVER_PRICE == LOWEST_OVER_PRICE
    assert PriceFormula.DIFFERENCE_FROM_LOWEST == DIFFERENCE_FROM_LOWEST


# Properties of the price points


@given(price_tables(), formulas, price_weights)
def test_the_lowest_price_gets_the_full_price_weight(table, formula, weight):
    points = price_points(table, formula=formula, weight=weight)
    lowest = min(table.values())
    for key, price in table.items():
        if price == lowest:
            assert points[key] == weight
        assert D(0) <= points[key] <= weight
        assert points[key] == points[key].quantize(D("0.01"))


@given(price_tables(), formulas, price_weights)
def test_a_lower_price_never_earns_fewer_price_points(table, formula, weight):
    points = price_points(table, formula=formula, weight=weight)
    by_price = sorted(table, key=table.__getitem__)
    for cheaper, dearer in pairwise(by_price):
        assert points[cheaper] >= points[dearer]


@given(price_tables(), formulas, price_weights, st.data())
def test_lowering_a_price_never_lowers_its_points(table, formula, weight, data):
    key = data.draw(st.sampled_from(sorted(table)))
    fraction = data.draw(st.decimals(min_value=D("0.01"), max_value=D("1"), places=2))
    lowered = {**table, key: max((table[key] * fraction).quantize(D("0.01")), D("0.01"))}
    assume(lowered[key] <= table[key])
    before = price_points(table, formula=formula, weight=weight)[key]
    after = price_points(lowered, formula=formula, weight=weight)[key]
    assert after >= before


@given(price_tables(), formulas, st.sampled_from([D(0), D("-0.01"), D(-1), D("-250000")]))
def test_a_zero_or_negative_price_is_refused(table, formula, bad):
    with pytest.raises(ValueError, match="positive"):
        price_points({**table, 999: bad}, formula=formula, weight=D(40))


# Properties of the quality points and the totals


@given(awards())
def test_totals_stay_within_0_and_100(award):
    quality_weight = sum(award["weights"].values())
    for row in ranked(award):
        assert D(0) <= row.quality_points <= quality_weight
        assert D(0) <= row.price_points <= award["price_weight"]
        assert row.total == row.quality_points + row.price_points
        assert D(0) <= row.total <= D(100)


@given(awards(), st.data())
def test_a_higher_score_never_lowers_quality_points_or_the_total(award, data):
    index = data.draw(st.integers(0, len(award["tenders"]) - 1))
    tender = award["tenders"][index]
    criterion = data.draw(st.sampled_from(sorted(award["weights"])))
    assume(tender.scores[criterion] < award["maximum"])
    raised = Tender(
        tender.key,
        tender.name,
        {**tender.scores, criterion: tender.scores[criterion] + 1},
        tender.price,
    )
    maximum, weights = award["maximum"], award["weights"]
    assert quality_points(raised.scores, weights=weights, maximum=maximum) >= quality_points(
        tender.scores, weights=weights, maximum=maximum
    )
    tenders = [*award["tenders"][:index], raised, *award["tenders"][index + 1 :]]
    before = {row.tender.key: row for row in ranked(award)}[tender.key]
    after = {row.tender.key: row for row in ranked({**award, "tenders": tenders})}[tender.key]
    assert after.quality_points >= before.quality_points
    assert after.price_points == before.price_points
    assert after.total >= before.total


@given(awards(), st.data())
def test_top_marks_at_the_lowest_price_score_exactly_100(award, data):
    """Only the weights count: each criterion at the top of the scale earns its whole weight,
    the lowest price the whole price weight, and together they make 100."""
    lowest = min(t.price for t in award["tenders"])
    best = Tender(
        key=0,
        name=data.draw(st.sampled_from(NAMES)),
        scores=dict.fromkeys(award["weights"], award["maximum"]),
        price=lowest,
    )
    rows = ranked({**award, "tenders": [*award["tenders"], best]})
    row = next(r for r in rows if r.tender.key == 0)
    assert row.quality_points == sum(award["weights"].values())
    assert row.price_points == award["price_weight"]
    assert row.total == D(100)
    assert row.rank == 1


@given(awards(), st.data())
def test_only_quality_weights_top_marks_score_exactly_100(award, data):
    weights = {1: 70, 2: 30}
    maximum = award["maximum"]
    tenders = [
        Tender(t.key, t.name, {1: t.scores[1], 2: maximum}, t.price) for t in award["tenders"]
    ]
    tenders.append(Tender(0, "Top", {1: maximum, 2: maximum}, max(t.price for t in tenders)))
    rows = rank_tenders(
        tenders, weights=weights, price_weight=0, formula=award["formula"], maximum=maximum
    )
    assert all(row.price_points == 0 for row in rows)
    top = next(row for row in rows if row.tender.key == 0)
    assert top.total == D(100)
    assert top.rank == 1


# Properties of the ranking


@given(awards(), st.data())
def test_the_ranking_does_not_depend_on_the_order_given(award, data):
    shuffled = data.draw(st.permutations(award["tenders"]))
    assert ranked({**award, "tenders": shuffled}) == ranked(award)


@given(awards())
def test_equal_totals_share_a_rank_and_are_listed_as_announced(award):
    rows = ranked(award)
    assert len(rows) == len(award["tenders"])
    assert rows[0].rank == 1
    for position, row in enumerate(rows, start=1):
        assert row.rank <= position
    for first, second in pairwise(rows):
        assert first.total >= second.total
        if first.total == second.total:
            assert second.rank == first.rank
            assert (
                -first.quality_points,
                first.tender.price,
                first.tender.name.casefold(),
                first.tender.key,
            ) < (
                -second.quality_points,
                second.tender.price,
                second.tender.name.casefold(),
                second.tender.key,
            )
        else:
            assert second.rank == rows.index(second) + 1


# Worked examples, figured by hand


def test_lowest_price_over_price_worked_example():
    # 100,000 is lowest: 40. 100,000 / 125,000 * 40 = 32. 100,000 / 160,000 * 40 = 25.
    # 100,000 / 300,000 * 40 = 13.333… → 13.33.
    table = {"a": D("100000"), "b": D("125000"), "c": D("160000"), "d": D("300000")}
    assert price_points(table, formula=PriceFormula.LOWEST_OVER_PRICE, weight=D(40)) == {
        "a": D("40.00"),
        "b": D("32.00"),
        "c": D("25.00"),
        "d": D("13.33"),
    }


def test_difference_from_lowest_worked_example():
    # 40 * (1 - 25,000 / 100,000) = 30. 40 * (1 - 60,000 / 100,000) = 16.
    # 40 * (1 - 200,000 / 100,000) = -40 → not below 0.
    table = {"a": D("100000"), "b": D("125000"), "c": D("160000"), "d": D("300000")}
    assert price_points(table, formula=PriceFormula.DIFFERENCE_FROM_LOWEST, weight=D(40)) == {
        "a": D("40.00"),
        "b": D("30.00"),
        "c": D("16.00"),
        "d": D("0.00"),
    }


def test_rounding_is_half_up_and_only_at_the_end():
    # 1,000 / 8,000 * 25 = 3.125 → 3.13 (half up, not half even).
    half = price_points({"a": D(1000), "b": D(8000)}, formula=LOWEST_OVER_PRICE, weight=25)
    assert half["b"] == D("3.13")
    # 25 * (1 - 999 / 1,000) = 0.025 → 0.03.
    half = price_points({"a": D(1000), "b": D(1999)}, formula=DIFFERENCE_FROM_LOWEST, weight=25)
    assert half["b"] == D("0.03")
    # 100 / 300 * 30 = 10 exactly; rounding the ratio first would give 0.33 * 30 = 9.90.
    third = price_points({"a": D(100), "b": D(300)}, formula=LOWEST_OVER_PRICE, weight=30)
    assert third["b"] == D("10.00")
    # 20 * 2 / 3 = 13.333… and 40 * 1 / 3 = 13.333…: 26.67, not 13.33 + 13.33.
    assert quality_points({1: 2, 2: 1}, weights={1: 20, 2: 40}, maximum=3) == D("26.67")


def test_quality_points_worked_example():
    # 40 * 4 / 5 + 20 * 3 / 5 = 32 + 12 = 44.
    assert quality_points({1: 4, 2: 3}, weights={1: 40, 2: 20}, maximum=5) == D("44.00")
    # 30 * 7 / 10 + 30 * 0 / 10 = 21.
    assert quality_points({"x": 7, "y": 0}, weights={"x": 30, "y": 30}, maximum=10) == D(21)


WORKED_TENDERS = [
    # quality: 40 * 4 / 5 + 20 * 3 / 5 = 44
    Tender(key=1, name="Acme", scores={1: 4, 2: 3}, price=D("100000")),
    # quality: 60
    Tender(key=2, name="Beta", scores={1: 5, 2: 5}, price=D("125000")),
    # quality: 24 + 8 = 32
    Tender(key=3, name="Gamma", scores={1: 3, 2: 2}, price=D("160000")),
    # quality: 40 + 16 = 56
    Tender(key=4, name="Delta", scores={1: 5, 2: 4}, price=D("130000")),
]


def figures(rows):
    return [(r.tender.key, r.quality_points, r.price_points, r.total, r.rank) for r in rows]


def test_ranking_worked_example_lowest_over_price():
    rows = rank_tenders(
        WORKED_TENDERS,
        weights={1: 40, 2: 20},
        price_weight=D(40),
        formula=PriceFormula.LOWEST_OVER_PRICE,
        maximum=5,
    )
    # Delta: 100,000 / 130,000 * 40 = 30.769… → 30.77.
    assert figures(rows) == [
        (2, D("60.00"), D("32.00"), D("92.00"), 1),
        (4, D("56.00"), D("30.77"), D("86.77"), 2),
        (1, D("44.00"), D("40.00"), D("84.00"), 3),
        (3, D("32.00"), D("25.00"), D("57.00"), 4),
    ]


def test_ranking_worked_example_difference_from_lowest():
    rows = rank_tenders(
        WORKED_TENDERS,
        weights={1: 40, 2: 20},
        price_weight=D(40),
        formula=PriceFormula.DIFFERENCE_FROM_LOWEST,
        maximum=5,
    )
    # Delta: 40 * (1 - 30,000 / 100,000) = 28, so 84: level with Acme, listed first for its
    # higher quality points; both second, and Gamma fourth.
    assert figures(rows) == [
        (2, D("60.00"), D("30.00"), D("90.00"), 1),
        (4, D("56.00"), D("28.00"), D("84.00"), 2),
        (1, D("44.00"), D("40.00"), D("84.00"), 2),
        (3, D("32.00"), D("16.00"), D("48.00"), 4),
    ]


def test_ties_are_listed_by_quality_then_price_then_name_then_key():
    weights = {1: 60}
    tenders = [
        Tender(key=6, name="Omega", scores={1: 0}, price=D(100)),  # 0 + 40 = 40
        Tender(key=4, name="beta", scores={1: 3}, price=D(125)),  # 36 + 32 = 68
        Tender(key=3, name="Beta", scores={1: 3}, price=D(125)),  # 36 + 32 = 68
        Tender(key=5, name="Alpha", scores={1: 3}, price=D(125)),  # 36 + 32 = 68
        Tender(key=2, name="zulu", scores={1: 4}, price=D(200)),  # 48 + 20 = 68
        Tender(key=1, name="Zeta", scores={1: 5}, price=D(100)),  # 60 + 40 = 100
    ]
    rows = rank_tenders(
        tenders, weights=weights, price_weight=40, formula=LOWEST_OVER_PRICE, maximum=5
    )
    assert [(r.tender.key, r.total, r.rank) for r in rows] == [
        (1, D(100), 1),
        (2, D(68), 2),
        (5, D(68), 2),
        (3, D(68), 2),
        (4, D(68), 2),
        (6, D(40), 6),
    ]
    # Level on total and quality: the lower price first, whatever the names.
    tenders = [
        Tender(key=1, name="Aaron", scores={1: 5}, price=D(300)),  # 60 + 0
        Tender(key=2, name="Able", scores={1: 5}, price=D(250)),  # 60 + 0
        Tender(key=3, name="Zed", scores={1: 2}, price=D(100)),  # 24 + 40
    ]
    rows = rank_tenders(
        tenders, weights=weights, price_weight=40, formula=DIFFERENCE_FROM_LOWEST, maximum=5
    )
    assert [(r.tender.key, r.total, r.rank) for r in rows] == [
        (3, D(64), 1),
        (2, D(60), 2),
        (1, D(60), 2),
    ]


@pytest.mark.parametrize("formula", PriceFormula.values)
@pytest.mark.parametrize("bad", [D(0), D("-0.01"), D(-100)])
def test_zero_or_negative_price_raises(formula, bad):
    with pytest.raises(ValueError):
        price_points({"a": D(100), "b": bad}, formula=formula, weight=D(40))
    with pytest.raises(ValueError):
        rank_tenders(
            [Tender(1, "Acme", {1: 3}, D(100)), Tender(2, "Beta", {1: 3}, bad)],
            weights={1: 60},
            price_weight=D(40),
            formula=formula,
            maximum=5,
        )


def test_malformed_input_is_refused():
    with pytest.raises(ValueError, match="formula"):
        price_points({"a": D(100)}, formula="cheapest_wins", weight=D(40))
    with pytest.raises(ValueError, match="no score"):
        quality_points({1: 3}, weights={1: 30, 2: 30}, maximum=5)
    with pytest.raises(ValueError, match="not 0 to 5"):
        quality_points({1: 6}, weights={1: 60}, maximum=5)
    with pytest.raises(ValueError, match="not weighted"):
        quality_points({1: 3, 9: 1}, weights={1: 60}, maximum=5)
    with pytest.raises(ValueError, match="add up to 100"):
        rank_tenders(
            [Tender(1, "Acme", {1: 3}, D(100))],
            weights={1: 50},
            price_weight=D(40),
            formula=LOWEST_OVER_PRICE,
            maximum=5,
        )
    with pytest.raises(ValueError, match="own key"):
        rank_tenders(
            [Tender(1, "Acme", {1: 3}, D(100)), Tender(1, "Beta", {1: 4}, D(90))],
            weights={1: 60},
            price_weight=D(40),
            formula=LOWEST_OVER_PRICE,
            maximum=5,
        )
    assert price_points({}, formula=LOWEST_OVER_PRICE, weight=D(40)) == {}
    assert (
        rank_tenders([], weights={1: 60}, price_weight=40, formula=LOWEST_OVER_PRICE, maximum=5)
        == []
    )
