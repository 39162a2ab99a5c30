"""The arithmetic of selection, for any questionnaire and any marks: the weighted score stays
out of 100, the ranking never depends on the order it is given, and the shortlist size rules."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partners.scoring import (
    Candidate,
    Mark,
    failed_questions,
    rank,
    scale_maximum,
    shortlist_size_problem,
    weighted_total,
)


@dataclass(frozen=True)
class Question:
    pk: int
    is_scored: bool
    weight: int | None


SCALES = ["0-4", "0-5", "0-10"]


@st.composite
def questionnaires(draw) -> list[Question]:
    """Pass/fail questions and scored ones whose weights add up to 100, as published."""
    scored = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=scored - 1, max_size=scored - 1)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    pass_fail = draw(st.integers(min_value=0, max_value=3))
    kinds = draw(st.permutations([True] * scored + [False] * pass_fail))
    weight_of = iter(weights)
    return [
        Question(pk=pk, is_scored=is_scored, weight=next(weight_of) if is_scored else None)
        for pk, is_scored in enumerate(kinds, start=1)
    ]


@st.composite
def questionnaires_with_marks(draw):
    questions = draw(questionnaires())
    maximum = scale_maximum(draw(st.sampled_from(SCALES)))
    marks = {
        q.pk: Mark(score=draw(st.integers(0, maximum)))
        if q.is_scored
        else Mark(passed=draw(st.booleans()))
        for q in questions
    }
    return questions, marks, maximum


@given(questionnaires_with_marks())
def test_the_weighted_score_is_between_0_and_100(case):
    questions, marks, maximum = case

    total = weighted_total(questions, marks, maximum=maximum)

    assert Decimal(0) <= total <= Decimal(100)
    assert total == total.quantize(Decimal("0.01"))


@given(questionnaires(), st.sampled_from(SCALES), st.booleans())
def test_the_top_of_the_scale_everywhere_scores_100_whatever_the_verdicts(questions, scale, passed):
    maximum = scale_maximum(scale)
    marks = {q.pk: Mark(score=maximum) if q.is_scored else Mark(passed=passed) for q in questions}

    assert weighted_total(questions, marks, maximum=maximum) == Decimal("100.00")


@given(questionnaires(), st.sampled_from(SCALES))
def test_nothing_but_zeros_scores_0(questions, scale):
    marks = {q.pk: Mark(score=0) for q in questions if q.is_scored}

    assert weighted_total(questions, marks, maximum=scale_maximum(scale)) == Decimal("0.00")


@given(questionnaires_with_marks(), st.data())
def test_a_scored_question_without_a_score_leaves_no_total(case, data):
    questions, marks, maximum = case
    unscored = data.draw(st.sampled_from([q for q in questions if q.is_scored]))
    del marks[unscored.pk]

    assert weighted_total(questions, marks, maximum=maximum) is None


@given(questionnaires_with_marks())
def test_a_better_score_never_lowers_the_total(case):
    questions, marks, maximum = case
    lower = weighted_total(questions, marks, maximum=maximum)
    raised = {
        pk: Mark(score=min(maximum, mark.score + 1)) if mark.score is not None else mark
        for pk, mark in marks.items()
    }

    assert weighted_total(questions, raised, maximum=maximum) >= lower


@given(questionnaires_with_marks())
def test_the_failed_questions_are_the_pass_fail_ones_marked_failed(case):
    questions, marks, _ = case

    failed = failed_questions(questions, marks)

    assert failed == [
        number
        for number, q in enumerate(questions, start=1)
        if not q.is_scored and marks[q.pk].passed is False
    ]
    assert all(not questions[number - 1].is_scored for number in failed)


# --- the ranking ---------------------------------------------------------------------------------

totals = st.one_of(
    st.none(),
    st.sampled_from([Decimal(v) for v in ("0.00", "40.00", "60.00", "80.00", "100.00")]),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def candidate_lists(draw) -> list[Candidate]:
    count = draw(st.integers(min_value=0, max_value=12))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    return [
        Candidate(
            request_id=request_id,
            name=draw(st.sampled_from(["Alpha Ltd", "alpha ltd", "Beta CIC", "Gamma", "Delta"])),
            total=draw(totals),
            disqualified_because=draw(
                st.sampled_from([(), (), ("Failed question 1",), ("On the debarment list",)])
            ),
        )
        for request_id in ids
    ]


@given(candidate_lists(), st.randoms(use_true_random=False))
def test_the_ranking_does_not_depend_on_the_order_given(candidates, random):
    shuffled = list(candidates)
    random.shuffle(shuffled)

    assert rank(shuffled) == rank(candidates)


@given(candidate_lists())
def test_only_qualifying_candidates_are_ranked_best_first(candidates):
    ranked = rank(candidates)

    qualifying = {c.request_id for c in candidates if c.qualifies}
    assert {c.request_id for _, c in ranked} == qualifying
    assert len(ranked) == len(qualifying)
    assert all(not c.disqualified_because and c.total is not None for _, c in ranked)
    ranked_totals = [c.total for _, c in ranked]
    assert ranked_totals == sorted(ranked_totals, reverse=True)


@given(candidate_lists())
def test_equal_totals_share_a_rank_and_the_next_rank_skips(candidates):
    ranked = rank(candidates)

    for position, (number, candidate) in enumerate(ranked, start=1):
        better = sum(1 for _, other in ranked if other.total > candidate.total)
        assert number == better + 1  # standard competition ranking: 1, 2, 2, 4
        assert number <= position
    for (number, candidate), (next_number, following) in pairwise(ranked):
        assert (number == next_number) == (candidate.total == following.total)


def test_ties_share_a_rank_and_are_listed_by_name_then_id():
    def c(request_id, name, total, *why):
        return Candidate(request_id, name, Decimal(total), tuple(why))

    candidates = [
        c(7, "beta", "80"),
        c(3, "Alpha", "80"),
        c(9, "Zeta", "90"),
        c(2, "alpha", "80"),
        c(5, "Omega", "95", "Failed question 1"),
        c(4, "Delta", "60"),
    ]

    assert [(number, candidate.request_id) for number, candidate in rank(candidates)] == [
        (1, 9),
        (2, 2),
        (2, 3),
        (2, 7),
        (5, 4),
    ]


# --- the size of the shortlist --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "qualifying", "to_invite", "refused"),
    [
        (0, 0, None, "No request qualifies"),
        (1, 0, 3, "No request qualifies"),
        (0, 5, None, "Choose the suppliers to invite to tender"),
        (2, 3, None, "3 requests qualify, so at least 3 suppliers must be invited: you chose 2"),
        (2, 7, 5, "7 requests qualify, so at least 3 suppliers must be invited: you chose 2"),
        (1, 2, None, "2 requests qualify, so at least 2 suppliers must be invited: you chose 1"),
        (4, 6, 3, "choose no more than 3"),
        (6, 6, 5, "choose no more than 5"),
        (3, 3, None, ""),
        (3, 10, 3, ""),
        (5, 10, None, ""),
        (2, 2, None, ""),
        (1, 1, 3, ""),
        (1, 1, 1, ""),
    ],
)
def test_the_shortlist_size_rules(chosen, qualifying, to_invite, refused):
    problem = shortlist_size_problem(
        chosen=chosen, qualifying=qualifying, to_invite=to_invite, minimum=3
    )

    if refused:
        assert refused in problem
    else:
        assert problem == ""


@given(
    chosen=st.integers(0, 60),
    qualifying=st.integers(0, 60),
    to_invite=st.one_of(st.none(), st.integers(1, 50)),
)
def test_a_shortlist_size_is_accepted_exactly_when_the_rules_allow_it(
    chosen, qualifying, to_invite
):
    allowed = (
        qualifying > 0
        and chosen > 0
        and (to_invite is None or chosen <= to_invite)
        and chosen >= min(3, qualifying)
    )

    problem = shortlist_size_problem(
        chosen=chosen, qualifying=qualifying, to_invite=to_invite, minimum=3
    )

    assert (problem == "") == allowed
