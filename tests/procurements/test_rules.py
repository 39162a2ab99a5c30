"""The publication rules, one by one, for each regime, at the boundary days and across holidays."""

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.calendar import LONDON
from core.models import BankHoliday, OfficerRole
from procurements import registry, rules
from procurements.models import (
    AwardBasis,
    AwardCriterion,
    MinimumRequirement,
    Procurement,
    ProcurementStatus,
    Regime,
)
from procurements.registry import BuilderSection
from procurements.rules import (
    PA2023_RULES,
    PCR2015_RULES,
    REGIMES,
    PhaseFacts,
    PublicationFacts,
    RuleBreach,
    publication_breaches,
    publication_facts,
)
from procurements.views.approval import breach_rows
from tests import factories
from tests.procurements.publication_samples import announced_procurement, at_noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]

PA = Regime.PA2023.value
PCR = Regime.PCR2015.value
# A procedure under the Public Contracts Regulations 2015 began before 24 February 2025.
PCR_BEGAN_ON = date(2025, 2, 3)


PHASE = {
    "name": "Research",
    "kind": "research",
    "gate_criteria_count": 2,
    "termination_condition_count": 1,
    "max_remuneration_per_partner": Decimal("50000"),
}


def facts(**changes) -> PublicationFacts:
    """Facts that break no rule under either regime; ``changes`` break one. Under PCR 2015
    the procedure began on ``PCR_BEGAN_ON`` unless ``changes`` say otherwise."""
    values = {
        "regime": PA,
        "problem": "People with dementia cannot live alone safely at home.",
        "outcomes": "People with dementia live at home for a year longer.",
        "outcome_measures": "Months lived at home after diagnosis, against the 2026 baseline.",
        "notice_date": date(2027, 5, 10),  # a Monday
        "question_deadline": at_noon(date(2027, 5, 24)),
        "participation_deadline": at_noon(date(2027, 6, 15)),  # 36 days later, a Tuesday
        "award_basis": AwardBasis.PRICE_QUALITY.value,
        "weights": [60, 30, 10],
        "weights_by_kind": {"quality": 60, "price": 30, "social_value": 10},
        "minimum_requirement_count": 2,
        "market_gap": "No product on the market lets people with dementia live alone safely.",
        "number_to_invite": 4,
        "max_partners": 2,
        "estimated_value": Decimal("500000"),
        "lead_officer_assigned": True,
        "approver_assigned": True,
        "approver_holds_role": True,
        "phases": [
            PHASE,
            {**PHASE, "name": "Prototype", "kind": "development"},
            {**PHASE, "name": "Pilot", "kind": "pilot"},
        ],
        "purchase_max_cost": Decimal("200000"),
        "selection_question_count": 4,
        "selection_weights": [50, 50],
        "ip_terms_complete": True,
    }
    values.update(changes)
    if values["regime"] == PCR:
        values.setdefault("procedure_began_on", PCR_BEGAN_ON)
    return PublicationFacts(**values)


def broken(facts_: PublicationFacts, **options) -> dict[str, list[str]]:
    """Messages of the broken rules, by rule name."""
    found: dict[str, list[str]] = {}
    for breach in publication_breaches(facts_, **options):
        found.setdefault(breach.rule, []).append(breach.message)
    return found


@pytest.mark.parametrize("regime", [PA, PCR])
def test_complete_facts_break_no_rule_under_either_regime(regime):
    assert publication_breaches(facts(regime=regime)) == []


# -- the participation period ------------------------------------------------------------------


def test_a_pa2023_participation_period_one_day_short_is_refused_with_the_day_to_move_to():
    # 18 December 2026 to 11 January 2027 is 24 days.
    found = broken(
        facts(
            notice_date=date(2026, 12, 18),
            question_deadline=at_noon(date(2027, 1, 5)),
            participation_deadline=at_noon(date(2027, 1, 11)),
        )
    )
    assert found == {
        "participation_period": [
            "The participation period is 24 days. Under the Procurement Act 2023 it must be "
            "at least 25 days: move the participation deadline to 12 January 2027 or later."
        ]
    }


def test_a_pa2023_participation_period_of_exactly_25_days_is_accepted():
    found = broken(
        facts(
            notice_date=date(2026, 12, 18),
            question_deadline=at_noon(date(2027, 1, 5)),
            participation_deadline=at_noon(date(2027, 1, 12)),
        )
    )
    assert found == {}


def test_a_pcr2015_participation_period_one_day_short_is_refused():
    # 10 May 2027 + 30 days is Wednesday 9 June 2027.
    found = broken(facts(regime=PCR, participation_deadline=at_noon(date(2027, 6, 8))))
    assert found == {
        "participation_period": [
            "The participation period is 29 days. Under the Public Contracts Regulations 2015 "
            "it must be at least 30 days, running on to the next working day when the last "
            "day is not one: move the participation deadline to 9 June 2027 or later."
        ]
    }


def test_a_pcr2015_participation_period_of_exactly_30_days_is_accepted():
    assert broken(facts(regime=PCR, participation_deadline=at_noon(date(2027, 6, 9)))) == {}


def test_the_same_29_day_period_passes_under_pa2023_and_fails_under_pcr2015():
    deadline = at_noon(date(2027, 6, 8))
    assert broken(facts(regime=PA, participation_deadline=deadline)) == {}
    assert "participation_period" in broken(facts(regime=PCR, participation_deadline=deadline))


def test_a_pcr2015_period_ending_on_christmas_day_runs_on_past_the_holidays():
    # 25 November 2026 + 30 days is Christmas Day; the 26th and 27th are a weekend and
    # Monday 28th the substitute Boxing Day, so the period ends on Tuesday 29 December.
    assert rules.PCR2015_RULES.participation_period_last_day(date(2026, 11, 25)) == date(
        2026, 12, 29
    )
    found = broken(
        facts(
            regime=PCR,
            notice_date=date(2026, 11, 25),
            question_deadline=at_noon(date(2026, 12, 10)),
            participation_deadline=at_noon(date(2026, 12, 26)),  # 31 days, a Saturday
        )
    )
    assert found["participation_period"] == [
        "The participation period is 31 days. Under the Public Contracts Regulations 2015 "
        "it must be at least 30 days, running on to the next working day when the last day "
        "is not one: move the participation deadline to 29 December 2026 or later."
    ]
    accepted = facts(
        regime=PCR,
        notice_date=date(2026, 11, 25),
        question_deadline=at_noon(date(2026, 12, 10)),
        participation_deadline=at_noon(date(2026, 12, 29)),
    )
    assert publication_breaches(accepted) == []


def test_a_pa2023_minimum_ending_on_good_friday_points_to_the_tuesday_after_easter():
    # 1 March 2027 + 25 days is Good Friday 26 March; Easter Monday is the 29th.
    found = broken(
        facts(
            notice_date=date(2027, 3, 1),
            question_deadline=at_noon(date(2027, 3, 12)),
            participation_deadline=at_noon(date(2027, 3, 25)),
        )
    )
    assert found["participation_period"] == [
        "The participation period is 24 days. Under the Procurement Act 2023 it must be at "
        "least 25 days: move the participation deadline to 30 March 2027 or later."
    ]


def test_a_pa2023_period_of_exactly_25_days_across_christmas_is_accepted_and_24_refused():
    """PA 2023 counts calendar days: the bank holidays inside the period do not lengthen it."""
    across_christmas = {
        "notice_date": date(2026, 12, 18),
        "question_deadline": at_noon(date(2027, 1, 5)),
    }
    assert PA2023_RULES.participation_period_last_day(date(2026, 12, 18)) == date(2027, 1, 12)
    exact = facts(**across_christmas, participation_deadline=at_noon(date(2027, 1, 12)))
    assert broken(exact) == {}
    assert "participation_period" in broken(
        facts(**across_christmas, participation_deadline=at_noon(date(2027, 1, 11)))
    )


def test_a_pa2023_period_of_exactly_25_days_across_easter_is_accepted():
    # 8 March 2027 + 25 days is Friday 2 April, after Good Friday (26 March) and Easter
    # Monday (29 March): the two bank holidays are counted like any other day.
    across_easter = {
        "notice_date": date(2027, 3, 8),
        "question_deadline": at_noon(date(2027, 3, 22)),
    }
    assert broken(facts(**across_easter, participation_deadline=at_noon(date(2027, 4, 2)))) == {}
    assert broken(facts(**across_easter, participation_deadline=at_noon(date(2027, 4, 1)))) == {
        "participation_period": [
            "The participation period is 24 days. Under the Procurement Act 2023 it must be at "
            "least 25 days: move the participation deadline to 2 April 2027 or later."
        ]
    }


def test_a_pa2023_minimum_ending_on_good_friday_is_long_enough_but_not_a_working_day():
    # 1 March 2027 + 25 days is Good Friday 26 March: the period is long enough, but the
    # deadline cannot fall on a bank holiday; the Tuesday after Easter is accepted.
    easter = {"notice_date": date(2027, 3, 1), "question_deadline": at_noon(date(2027, 3, 12))}
    on_good_friday = broken(facts(**easter, participation_deadline=at_noon(date(2027, 3, 26))))
    assert list(on_good_friday) == ["deadline_working_day"]
    assert broken(facts(**easter, participation_deadline=at_noon(date(2027, 3, 30)))) == {}
    under_pcr = broken(
        facts(**easter, regime=PCR, participation_deadline=at_noon(date(2027, 3, 30)))
    )
    assert "participation_period" in under_pcr  # 29 days: PCR 2015 needs 30


def test_a_deadline_is_counted_by_its_date_in_london_across_the_clock_change():
    # 23:30 UTC on 3 June 2027 is 00:30 BST on 4 June: 25 days after 10 May in London.
    deadline = datetime(2027, 6, 3, 23, 30, tzinfo=UTC)
    assert "participation_period" not in broken(facts(participation_deadline=deadline))
    an_hour_earlier = datetime(2027, 6, 3, 22, 30, tzinfo=UTC)  # 23:30 BST on 3 June
    assert "participation_period" in broken(facts(participation_deadline=an_hour_earlier))


def test_a_deadline_before_the_notice_date_says_so():
    found = broken(
        facts(
            notice_date=date(2027, 5, 10),
            question_deadline=None,
            participation_deadline=at_noon(date(2027, 5, 7)),
        )
    )
    assert found["participation_period"] == [
        "The participation deadline, 7 May 2027, is not after the notice date (10 May 2027). "
        "Under the Procurement Act 2023 it must be at least 25 days: move the participation "
        "deadline to 4 June 2027 or later."
    ]


def test_once_the_notice_date_has_passed_the_period_is_counted_from_today():
    ok_on_paper = facts()  # notice 10 May, deadline 15 June 2027: 36 days
    assert broken(ok_on_paper, today=date(2027, 5, 10)) == {}
    found = broken(ok_on_paper, today=date(2027, 5, 25))
    assert found["participation_period"] == [
        "The participation period is 21 days, counted from today (25 May 2027) because the "
        "planned notice date, 10 May 2027, has passed. Under the Procurement Act 2023 it must "
        "be at least 25 days: move the participation deadline to 21 June 2027 or later."
    ]


@pytest.mark.parametrize(
    ("fact", "message"),
    [
        (
            "notice_date",
            "There is no notice date: enter the date the UK4 tender notice is to be published.",
        ),
        (
            "participation_deadline",
            "There is no participation deadline: enter the date and time by which suppliers "
            "must ask to take part.",
        ),
    ],
)
def test_a_missing_date_is_a_breach_not_an_error(fact, message):
    assert broken(facts(**{fact: None}))["participation_period"] == [message]


def test_a_missing_pcr_notice_date_names_the_contract_notice():
    assert broken(facts(regime=PCR, notice_date=None))["participation_period"] == [
        "There is no notice date: enter the date the contract notice is to be published."
    ]


def test_facts_with_nothing_in_them_give_breaches_not_an_exception():
    assert {breach.rule for breach in publication_breaches(PublicationFacts())} == {
        "challenge",
        "market_gap",
        "minimum_requirements",
        "participation_period",
        "question_deadline",
        "number_to_invite",
        "selection_questionnaire",
        "award_basis",
        "award_weights",
        "phases",
        "remuneration_within_estimated_value",
        "ip_terms",
        "team",
    }


# -- deadlines on working days -------------------------------------------------------------------


@pytest.mark.parametrize("regime", [PA, PCR])
def test_a_participation_deadline_on_christmas_day_is_refused(regime):
    found = broken(
        facts(
            regime=regime,
            notice_date=date(2026, 11, 2),
            question_deadline=at_noon(date(2026, 11, 16)),
            participation_deadline=at_noon(date(2026, 12, 25)),
        )
    )
    assert found == {
        "deadline_working_day": [
            "The participation deadline, 25 December 2026, is Christmas Day, not a working "
            "day: choose a working day, such as 29 December 2026."
        ]
    }


def test_a_question_deadline_on_a_sunday_is_refused():
    found = broken(facts(question_deadline=at_noon(date(2027, 5, 23))))
    assert found == {
        "deadline_working_day": [
            "The question deadline, 23 May 2027, is a Sunday, not a working day: choose a "
            "working day, such as 24 May 2027."
        ]
    }


def test_a_bank_holiday_in_scotland_alone_is_not_a_working_day_and_says_where():
    found = broken(
        facts(
            notice_date=date(2026, 10, 1),
            question_deadline=at_noon(date(2026, 10, 15)),
            participation_deadline=at_noon(date(2026, 11, 30)),
        )
    )
    assert found == {
        "deadline_working_day": [
            "The participation deadline, 30 November 2026, is Saint Andrew's Day, a bank "
            "holiday in Scotland, not a working day: choose a working day, such as "
            "1 December 2026."
        ]
    }


def test_a_bank_holiday_announced_late_moves_an_accepted_deadline():
    deadline = facts(participation_deadline=at_noon(date(2027, 6, 15)))
    assert broken(deadline) == {}
    for region in ("ENG", "WLS", "SCT", "NIR"):
        BankHoliday.objects.create(
            date=date(2027, 6, 15), region=region, name="Royal celebration", added_by_hand=True
        )
    assert broken(deadline) == {
        "deadline_working_day": [
            "The participation deadline, 15 June 2027, is Royal celebration, not a working "
            "day: choose a working day, such as 16 June 2027."
        ]
    }


# -- the question deadline -------------------------------------------------------------------------


def test_a_question_deadline_after_the_participation_deadline_is_refused():
    found = broken(facts(question_deadline=at_noon(date(2027, 6, 16))))
    assert found == {
        "question_deadline": [
            "The question deadline, 16 June 2027, is after the participation deadline, "
            "15 June 2027: move the question deadline before 15 June 2027 so suppliers have "
            "the answers before they apply."
        ]
    }


def test_a_question_deadline_at_the_same_moment_as_the_participation_deadline_is_refused():
    same = at_noon(date(2027, 6, 15))
    assert "question_deadline" in broken(facts(question_deadline=same))
    a_minute_earlier = datetime(2027, 6, 15, 11, 59, tzinfo=LONDON)
    assert broken(facts(question_deadline=a_minute_earlier)) == {}


def test_a_question_deadline_on_the_notice_date_is_refused():
    assert broken(facts(question_deadline=at_noon(date(2027, 5, 10)))) == {
        "question_deadline": [
            "The question deadline, 10 May 2027, is not after the notice date (10 May 2027): "
            "move it later so suppliers have time to ask."
        ]
    }


def test_a_missing_question_deadline_is_a_breach():
    assert broken(facts(question_deadline=None)) == {
        "question_deadline": [
            "There is no question deadline: enter the date and time by which suppliers may ask "
            "clarification questions."
        ]
    }


# -- award -----------------------------------------------------------------------------------------


def test_weights_adding_up_to_99_are_refused():
    assert broken(facts(weights=[60, 30, 9])) == {
        "award_weights": [
            "The award criteria weights add up to 99%. They must add up to 100%: raise the "
            "weights by 1 percentage point in all."
        ]
    }


def test_weights_adding_up_to_101_are_refused_by_1_percentage_point():
    assert broken(facts(weights=[60, 30, 11]))["award_weights"] == [
        "The award criteria weights add up to 101%. They must add up to 100%: lower the "
        "weights by 1 percentage point in all."
    ]


def test_weights_adding_up_to_more_than_100_are_refused():
    assert broken(facts(weights=[60, 30, 20]))["award_weights"] == [
        "The award criteria weights add up to 110%. They must add up to 100%: lower the "
        "weights by 10 percentage points in all."
    ]


def test_no_award_criteria_is_refused():
    assert broken(facts(weights=[]))["award_weights"] == [
        "There are no award criteria: add quality, price and social value criteria with "
        "weights that add up to 100%."
    ]


def test_no_award_criteria_is_said_once_not_also_as_a_missing_price_or_quality():
    found = broken(facts(weights=[], weights_by_kind={}))
    assert list(found) == ["award_weights"]


NO_PRICE = (
    "No award criterion scores price or cost. The best price-quality ratio weighs price "
    "against quality: add a price criterion with a weight of more than 0%."
)
NO_QUALITY = (
    "No award criterion scores quality. The best price-quality ratio weighs price against "
    "quality: add a quality or social value criterion with a weight of more than 0%."
)


@pytest.mark.parametrize("regime", [PA, PCR])
@pytest.mark.parametrize(
    ("weights_by_kind", "messages"),
    [
        ({"quality": 90, "social_value": 10}, [NO_PRICE]),
        ({"quality": 100, "price": 0}, [NO_PRICE]),
        ({"price": 100}, [NO_QUALITY]),
        ({"price": 100, "quality": 0, "social_value": 0}, [NO_QUALITY]),
        ({}, [NO_PRICE, NO_QUALITY]),
    ],
)
def test_price_quality_needs_a_weighted_price_and_a_weighted_quality_criterion(
    regime, weights_by_kind, messages
):
    found = broken(facts(regime=regime, weights=[100], weights_by_kind=weights_by_kind))
    assert found == {"award_basis": messages}


@pytest.mark.parametrize("regime", [PA, PCR])
@pytest.mark.parametrize(
    "weights_by_kind",
    [
        {"price": 1, "quality": 99},
        {"price": 40, "social_value": 60},
        [("quality", 50), ("price", 20), ("quality", 30)],
    ],
)
def test_any_weighted_price_with_any_weighted_quality_or_social_value_is_accepted(
    regime, weights_by_kind
):
    assert broken(facts(regime=regime, weights=[100], weights_by_kind=weights_by_kind)) == {}


def test_a_lowest_price_basis_and_no_quality_criterion_are_both_said():
    found = broken(
        facts(award_basis=AwardBasis.LOWEST_PRICE, weights=[100], weights_by_kind={"price": 100})
    )
    assert found == {
        "award_basis": [
            "An innovation partnership is awarded only on the best price-quality ratio (the "
            "most advantageous tender): choose it as the basis of award.",
            NO_QUALITY,
        ]
    }


@pytest.mark.parametrize("regime", [PA, PCR])
@pytest.mark.parametrize("basis", [AwardBasis.LOWEST_PRICE, AwardBasis.LOWEST_COST, ""])
def test_award_not_on_price_quality_is_refused(regime, basis):
    assert broken(facts(regime=regime, award_basis=basis)) == {
        "award_basis": [
            "An innovation partnership is awarded only on the best price-quality ratio (the "
            "most advantageous tender): choose it as the basis of award."
        ]
    }


# -- requirements, market gap, selection ---------------------------------------------------------


def test_no_minimum_requirements_is_refused():
    assert broken(facts(minimum_requirement_count=0)) == {
        "minimum_requirements": [
            "There are no minimum requirements: add each requirement every tender must meet, "
            "precisely enough for a supplier to decide whether to take part."
        ]
    }


CHALLENGE_MESSAGES = {
    "problem": "The challenge does not describe the problem: say what problem the borough "
    "needs solved, precisely enough for suppliers to decide whether to take part.",
    "outcomes": "The challenge does not say which outcomes you want: describe what a solution "
    "must achieve.",
    "outcome_measures": "The challenge does not say how the outcomes will be measured: say how "
    "you will measure each outcome.",
}


@pytest.mark.parametrize("regime", [PA, PCR])
@pytest.mark.parametrize("fact", ["problem", "outcomes", "outcome_measures"])
@pytest.mark.parametrize("empty", ["", "  \n"])
def test_a_challenge_missing_an_item_is_refused_under_either_regime(regime, fact, empty):
    assert broken(facts(regime=regime, **{fact: empty})) == {
        "challenge": [CHALLENGE_MESSAGES[fact]]
    }


def test_an_empty_challenge_gives_one_breach_per_missing_item_in_order():
    found = broken(facts(problem="", outcomes="", outcome_measures=None))
    assert found == {
        "challenge": [
            CHALLENGE_MESSAGES["problem"],
            CHALLENGE_MESSAGES["outcomes"],
            CHALLENGE_MESSAGES["outcome_measures"],
        ]
    }


@pytest.mark.parametrize("gap", ["", "   \n"])
def test_a_missing_market_gap_justification_is_refused(gap):
    assert broken(facts(market_gap=gap)) == {
        "market_gap": [
            "The reason nothing on the market meets the need is missing: explain why no "
            "product or service already available meets it."
        ]
    }


def test_no_selection_questions_is_refused():
    assert list(broken(facts(selection_question_count=0, selection_weights=[]))) == [
        "selection_questionnaire"
    ]


def test_scored_selection_weights_not_adding_up_to_100_are_refused():
    assert broken(facts(selection_weights=[50, 45])) == {
        "selection_questionnaire": [
            "The scored selection questions' weights add up to 95%. They must add up to 100%: "
            "change the weights so that they do."
        ]
    }


@pytest.mark.parametrize("regime", [PA, PCR])
def test_pass_fail_selection_questions_alone_are_refused(regime):
    assert broken(facts(regime=regime, selection_question_count=1, selection_weights=[])) == {
        "selection_questionnaire": [
            "There are no scored selection questions: add scored questions on the suppliers' "
            "capacity in research and development and in developing and implementing "
            "innovative solutions."
        ]
    }


@pytest.mark.parametrize("regime", [PA, PCR])
def test_a_required_topic_without_a_scored_question_is_named(regime):
    found = broken(
        facts(
            regime=regime,
            selection_weights=[100],
            selection_unscored_topics=["Developing and implementing innovative solutions"],
        )
    )
    assert found == {
        "selection_questionnaire": [
            "There is no scored selection question on developing and implementing innovative "
            "solutions: add one, with a weight."
        ]
    }


def test_each_required_topic_without_a_scored_question_is_a_breach_of_its_own():
    found = broken(
        facts(
            selection_question_count=1,
            selection_weights=[],
            selection_unscored_topics=[
                "Capability in research and development",
                "Developing and implementing innovative solutions",
            ],
        )
    )
    assert found == {
        "selection_questionnaire": [
            "There is no scored selection question on capability in research and "
            "development: add one, with a weight.",
            "There is no scored selection question on developing and implementing innovative "
            "solutions: add one, with a weight.",
        ]
    }


def test_a_missing_topic_and_weights_not_adding_up_are_both_said():
    found = broken(
        facts(
            selection_weights=[60],
            selection_unscored_topics=["Capability in research and development"],
        )
    )
    assert found == {
        "selection_questionnaire": [
            "There is no scored selection question on capability in research and "
            "development: add one, with a weight.",
            "The scored selection questions' weights add up to 60%. They must add up to "
            "100%: change the weights so that they do.",
        ]
    }


def test_the_rules_and_the_section_agree_on_the_topics_a_questionnaire_must_score(personas):
    """The facts come from the check that completing the section uses, not a copy of it."""
    from partners.models import QuestionKind, QuestionTopic, SelectionQuestion

    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    SelectionQuestion.objects.create(
        procurement=procurement,
        kind=QuestionKind.PASS_FAIL,
        topic=QuestionTopic.RD_CAPABILITY,
        text="Do you have a research team?",
    )
    gathered = publication_facts(procurement)
    assert gathered.selection_unscored_topics == (
        "Capability in research and development",
        "Developing and implementing innovative solutions",
    )
    assert gathered.sources["selection_unscored_topics"] == "selection-questionnaire"
    SelectionQuestion.objects.create(
        procurement=procurement,
        kind=QuestionKind.SCORED,
        topic=QuestionTopic.RD_CAPABILITY,
        text="Describe your research team.",
        weight=100,
        order=1,
    )
    assert publication_facts(procurement).selection_unscored_topics == (
        "Developing and implementing innovative solutions",
    )


# -- number to invite -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "title"),
    [(PA, "Procurement Act 2023"), (PCR, "Public Contracts Regulations 2015")],
)
def test_inviting_fewer_than_3_is_refused_and_3_is_accepted(regime, title):
    assert broken(facts(regime=regime, number_to_invite=2)) == {
        "number_to_invite": [
            f"The number to invite is 2. Under the {title} at least 3 must be invited while 3 "
            "or more qualify: set the number to invite to 3 or more."
        ]
    }
    assert broken(facts(regime=regime, number_to_invite=3)) == {}


@pytest.mark.parametrize("regime", [PA, PCR])
def test_inviting_fewer_than_the_maximum_number_of_partners_is_refused(regime):
    enough_value = {"estimated_value": Decimal("2000000")}
    assert broken(facts(regime=regime, number_to_invite=4, max_partners=5, **enough_value)) == {
        "invite_at_least_max_partners": [
            "The number to invite, 4, is less than the maximum number of partners, 5. Partners "
            "are appointed from the suppliers invited to tender: invite at least 5 or lower "
            "the maximum number of partners."
        ]
    }
    assert broken(facts(regime=regime, number_to_invite=5, max_partners=5, **enough_value)) == {}


def test_too_few_to_invite_for_the_regime_and_for_the_partners_are_both_said():
    found = broken(facts(number_to_invite=2, max_partners=3, estimated_value=Decimal("2000000")))
    assert list(found) == ["number_to_invite", "invite_at_least_max_partners"]


def test_no_number_to_invite_is_refused():
    assert broken(facts(number_to_invite=None)) == {
        "number_to_invite": [
            "There is no number of suppliers to invite: enter how many you will invite to "
            "tender, at least 3."
        ]
    }


# -- phases and value -----------------------------------------------------------------------------


def test_no_phases_is_refused():
    assert broken(facts(phases=[])) == {
        "phases": [
            "There are no phases: add the research, development and pilot phases, each with "
            "its intermediate targets and maximum remuneration."
        ]
    }


def test_a_phase_without_gate_criteria_is_named():
    phases = [PHASE, {**PHASE, "name": "Pilot", "gate_criteria_count": 0}]
    assert broken(facts(phases=phases)) == {
        "phase_gate_criteria": [
            "The Pilot phase has no gate criteria: add the targets a partner must meet to pass "
            "the stage gate at its end."
        ]
    }


def test_a_phase_without_termination_conditions_is_named():
    phases = [{**PHASE, "termination_condition_count": 0}, PHASE]
    assert broken(facts(phases=phases)) == {
        "phase_termination_conditions": [
            "The Research phase has no termination conditions: say on which conditions a "
            "partner may be terminated at its stage gate."
        ]
    }


def test_an_unnamed_phase_is_named_by_its_position():
    phases = [PHASE, {**PHASE, "name": "", "gate_criteria_count": 0}]
    assert broken(facts(phases=phases))["phase_gate_criteria"] == [
        "Phase 2 has no gate criteria: add the targets a partner must meet to pass the stage "
        "gate at its end."
    ]


def test_phases_are_accepted_as_phase_facts_or_dicts():
    as_dicts = facts(phases=[PHASE])
    as_facts = facts(phases=[PhaseFacts(**PHASE)])
    assert as_dicts == as_facts
    assert as_dicts.phases[0].max_remuneration_per_partner == Decimal("50000")


def test_remuneration_up_to_the_estimated_value_is_accepted_and_a_penny_more_refused():
    # 3 phases of £50,000 for each of 2 partners + £200,000 purchase = £500,000.
    assert broken(facts(estimated_value=Decimal("500000"))) == {}
    assert broken(facts(estimated_value=Decimal("499999.99"))) == {
        "remuneration_within_estimated_value": [
            "The phases' maximum remuneration (£300,000 for 2 partners and the final "
            "purchase's £200,000) comes to £500,000, more than the estimated value of "
            "£499,999.99: raise the estimated value to at least £500,000 or lower the "
            "phases' remuneration."
        ]
    }


def test_remuneration_without_a_purchase_cost_counts_the_phases_alone():
    assert broken(facts(purchase_max_cost=None, estimated_value=Decimal("300000"))) == {}
    assert broken(facts(purchase_max_cost=None, estimated_value=Decimal("299999"))) == {
        "remuneration_within_estimated_value": [
            "The phases' maximum remuneration (£300,000 for 2 partners) comes to £300,000, "
            "more than the estimated value of £299,999: raise the estimated value to at least "
            "£300,000 or lower the phases' remuneration."
        ]
    }


def test_a_missing_estimated_value_is_refused():
    assert broken(facts(estimated_value=None)) == {
        "remuneration_within_estimated_value": [
            "There is no estimated value: enter the estimated value of every phase for every "
            "partner plus the final purchase, excluding VAT."
        ]
    }


def test_a_phase_without_maximum_remuneration_or_no_partner_count_is_refused():
    phases = [PHASE, {**PHASE, "name": "Pilot", "max_remuneration_per_partner": None}]
    assert broken(facts(phases=phases, max_partners=None)) == {
        "remuneration_within_estimated_value": [
            "There is no maximum number of partners: enter it, because each phase's "
            "remuneration is paid to every partner.",
            "The Pilot phase has no maximum remuneration: enter the most a partner can be paid "
            "for it.",
        ]
    }


# -- IP and team -----------------------------------------------------------------------------------


def test_incomplete_ip_terms_are_refused():
    assert list(broken(facts(ip_terms_complete=False))) == ["ip_terms"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"lead_officer_assigned": False},
            "There is no lead officer: choose the procurement officer who leads this procurement.",
        ),
        (
            {"approver_assigned": False, "approver_holds_role": False},
            "There is no approver: choose one of the borough's approvers, who must approve "
            "the procurement before it is published.",
        ),
        (
            {"approver_is_author": True},
            "The approver is also the author or lead officer of this procurement: choose a "
            "different approver (four eyes).",
        ),
        (
            {"approver_holds_role": False},
            "The approver chosen is not an approver of this borough: choose one of the "
            "borough's approvers.",
        ),
    ],
)
def test_an_incomplete_team_is_refused(changes, message):
    assert broken(facts(**changes)) == {"team": [message]}


# -- the regime, by the day the procedure began ---------------------------------------------------


PCR_NO_DATE = (
    "There is no date the procedure began. Under the Public Contracts Regulations 2015 the "
    "procedure must have begun before 24 February 2025: enter the date it began, or choose "
    "the Procurement Act 2023."
)


def test_pcr_2015_accepts_a_procedure_begun_the_day_before_the_act_came_into_force():
    assert broken(facts(regime=PCR, procedure_began_on=date(2025, 2, 23))) == {}


def test_pcr_2015_refuses_a_procedure_begun_the_day_the_act_came_into_force():
    assert broken(facts(regime=PCR, procedure_began_on=date(2025, 2, 24))) == {
        "regime_applies": [
            "The procedure began on 24 February 2025. Under the Public Contracts Regulations "
            "2015 it must have begun before 24 February 2025: choose the Procurement Act 2023, "
            "the law for a procedure begun on that day, or correct the date it began."
        ]
    }


def test_pcr_2015_without_the_day_the_procedure_began_is_refused():
    assert broken(facts(regime=PCR, procedure_began_on=None)) == {"regime_applies": [PCR_NO_DATE]}


def test_the_act_accepts_a_procedure_begun_the_day_it_came_into_force():
    assert broken(facts(regime=PA, procedure_began_on=date(2025, 2, 24))) == {}


def test_the_act_refuses_a_procedure_begun_before_it_came_into_force():
    assert broken(facts(regime=PA, procedure_began_on=date(2025, 2, 23))) == {
        "regime_applies": [
            "The procedure began on 23 February 2025. Under the Procurement Act 2023 it must "
            "have begun on or after 24 February 2025: choose the Public Contracts Regulations "
            "2015, the law for a procedure begun on that day, or correct the date it began."
        ]
    }


def test_the_act_needs_no_day_for_a_procedure_that_begins_when_it_is_published():
    assert broken(facts(regime=PA, procedure_began_on=None)) == {}


def test_the_days_each_regime_governs_are_data_with_their_source():
    assert (PCR2015_RULES.began_before, PCR2015_RULES.began_on_or_after) == (
        date(2025, 2, 24),
        None,
    )
    assert (PA2023_RULES.began_before, PA2023_RULES.began_on_or_after) == (
        None,
        date(2025, 2, 24),
    )
    for regime in (PCR2015_RULES, PA2023_RULES):
        assert "(Commencement No. 3 and Transitional and Saving Provisions)" in (
            regime.began_source
        )
        assert "SI 2024/716" in regime.began_source
    assert PCR2015_RULES.governs_procedure_begun_on(date(2025, 2, 23))
    assert not PCR2015_RULES.governs_procedure_begun_on(date(2025, 2, 24))
    assert PA2023_RULES.governs_procedure_begun_on(date(2025, 2, 24))
    assert not PA2023_RULES.governs_procedure_begun_on(date(2025, 2, 23))


def test_a_regime_breach_links_to_the_timetable_page(personas):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.DRAFT, regime=PCR, procedure_began_on=None
    )
    assert [
        (row["message"], row["url"])
        for row in _rows_by_rule(procurement, personas.officer_a)["regime_applies"]
    ] == [(PCR_NO_DATE, reverse("procurements:timetable", kwargs={"pk": procurement.pk}))]


def test_a_pcr_2015_procurement_begun_in_time_breaks_no_rule(personas):
    procurement = announced_procurement(personas, status=ProcurementStatus.DRAFT, regime=PCR)
    assert procurement.procedure_began_on < date(2025, 2, 24)
    assert publication_breaches(procurement) == []


# -- the timetable runs in order -------------------------------------------------------------------


def test_an_invitation_to_tender_the_day_after_requests_close_is_accepted():
    # Requests to participate close on 15 June 2027 (``facts``).
    assert broken(facts(indicative_tender_date=date(2027, 6, 16))) == {}


def test_an_invitation_to_tender_the_day_requests_close_is_refused():
    assert broken(facts(indicative_tender_date=date(2027, 6, 15))) == {
        "timetable_order": [
            "The indicative date of the invitation to tender, 15 June 2027, is not after the "
            "participation deadline, 15 June 2027: only the suppliers selected from the "
            "requests to participate are invited to tender. Move it to 16 June 2027 or later."
        ]
    }


def test_the_participation_deadline_is_compared_by_its_day_in_london():
    # 11:30pm on 15 June 2027 in London is 22:30 UTC, still the 15th.
    late = datetime(2027, 6, 15, 22, 30, tzinfo=UTC)
    assert "timetable_order" in broken(
        facts(participation_deadline=late, indicative_tender_date=date(2027, 6, 15))
    )
    assert (
        broken(facts(participation_deadline=late, indicative_tender_date=date(2027, 6, 16))) == {}
    )


def test_a_partnership_starting_the_day_after_the_invitation_to_tender_is_accepted():
    assert (
        broken(
            facts(indicative_tender_date=date(2027, 7, 1), indicative_start_date=date(2027, 7, 2))
        )
        == {}
    )


def test_a_partnership_starting_on_the_day_of_the_invitation_to_tender_is_refused():
    found = broken(
        facts(indicative_tender_date=date(2027, 7, 1), indicative_start_date=date(2027, 7, 1))
    )
    assert found == {
        "timetable_order": [
            "The indicative start of the partnership, 1 July 2027, is not after the indicative "
            "date of the invitation to tender, 1 July 2027: the partnership starts once tenders "
            "have been negotiated and the contracts awarded. Move it to 2 July 2027 or later."
        ]
    }


def test_the_order_is_checked_only_where_both_dates_are_given():
    assert broken(facts(indicative_tender_date=None, indicative_start_date=date(2027, 1, 1))) == {}
    assert broken(facts(indicative_tender_date=date(2027, 7, 1), indicative_start_date=None)) == {}


def test_an_order_breach_links_to_the_timetable_page(personas):
    procurement = announced_procurement(personas, status=ProcurementStatus.DRAFT)
    Procurement.objects.filter(pk=procurement.pk).update(
        indicative_start_date=procurement.indicative_tender_date
    )
    procurement = Procurement.objects.get(pk=procurement.pk)
    [row] = _rows_by_rule(procurement, personas.officer_a)["timetable_order"]
    assert row["message"].startswith("The indicative start of the partnership")
    assert row["url"] == reverse("procurements:timetable", kwargs={"pk": procurement.pk})


# -- the regimes table ------------------------------------------------------------------------


def test_the_regimes_table_has_one_entry_per_regime_choice():
    assert set(REGIMES) == set(Regime.values)
    assert REGIMES[PA] is PA2023_RULES and REGIMES[PCR] is PCR2015_RULES


def test_the_regimes_table_keeps_standstill_and_notices_for_later():
    # PA 2023 s.51: 8 working days beginning with the notice. From Wednesday 23 December
    # 2026: the 23rd, 24th, 29th, 30th, 31st, then 5th, 6th and 7th January (Christmas,
    # Boxing Day and its substitute, New Year's Day and Scotland's 4 January are skipped).
    assert PA2023_RULES.standstill_last_day(date(2026, 12, 23)) == date(2027, 1, 7)
    # PCR 2015 reg. 87: 10 days after 15 December 2026 is Christmas Day: on to the 29th.
    assert PCR2015_RULES.standstill_last_day(date(2026, 12, 15)) == date(2026, 12, 29)
    assert PA2023_RULES.tender_notice == "UK4 tender notice"
    assert PCR2015_RULES.tender_notice == "contract notice"
    assert "min_participation_days" in PA2023_RULES.to_confirm


def test_a_new_regime_is_one_new_entry_in_the_table(monkeypatch):
    strict = dataclasses.replace(
        PA2023_RULES,
        key="strict",
        title="Strict Procurement Rules",
        min_participation_days=40,
        min_to_invite=5,
    )
    with monkeypatch.context() as patch:
        patch.setitem(REGIMES, "strict", strict)
        # 10 May + 40 days is Saturday 19 June; the deadline must be a working day.
        found = broken(facts(regime="strict", participation_deadline=at_noon(date(2027, 6, 18))))
        assert found == {
            "participation_period": [
                "The participation period is 39 days. Under the Strict Procurement Rules it "
                "must be at least 40 days: move the participation deadline to 21 June 2027 or "
                "later."
            ],
            "number_to_invite": [
                "The number to invite is 4. Under the Strict Procurement Rules at least 5 must "
                "be invited while 5 or more qualify: set the number to invite to 5 or more."
            ],
        }
        assert (
            broken(
                facts(
                    regime="strict",
                    participation_deadline=at_noon(date(2027, 6, 21)),
                    number_to_invite=5,
                )
            )
            == {}
        )
    assert broken(facts(regime="strict")) == {
        "regime": [
            "The procurement's regime is not one the portal knows: choose the Procurement Act "
            "2023 or the Public Contracts Regulations 2015."
        ]
    }


# -- facts gathered from the builder sections ---------------------------------------------------


def test_facts_are_gathered_from_the_procurement_and_its_sections(personas, monkeypatch):
    procurement = factories.ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        approver=personas.approver_a,
        regime=PCR,
        problem="Carers cannot see how residents are in the evening.",
        outcomes="Carers see every resident's evening at a glance.",
        outcome_measures="Missed evening visits, month by month.",
        market_gap="Nothing on the market works offline.",
        notice_date=date(2027, 5, 10),
        number_to_invite=3,
        max_partners=2,
        estimated_value=Decimal("750000"),
    )
    MinimumRequirement.objects.create(procurement=procurement, text="Works offline")
    AwardCriterion.objects.create(procurement=procurement, kind="quality", name="Q", weight=70)
    AwardCriterion.objects.create(procurement=procurement, kind="price", name="P", weight=30)
    monkeypatch.setitem(
        registry._SECTIONS,
        "rules-test",
        BuilderSection(
            key="rules-test",
            title="Rules test",
            order=10_000,
            url_name="procurements:task-list",
            has_content=lambda p: True,
            summary=lambda p: [],
            facts=lambda p: {"phases": [PHASE], "ip_terms_complete": True},
        ),
    )

    gathered = publication_facts(procurement)

    assert gathered.regime == PCR
    assert gathered.notice_date == date(2027, 5, 10)
    assert gathered.market_gap == "Nothing on the market works offline."
    assert gathered.minimum_requirement_count == 1
    assert sorted(gathered.weights) == [30, 70]
    assert gathered.weights_by_kind == (("price", 30), ("quality", 70))
    assert gathered.sources["weights_by_kind"] == "award-criteria"
    assert gathered.problem == "Carers cannot see how residents are in the evening."
    assert gathered.outcomes == "Carers see every resident's evening at a glance."
    assert gathered.outcome_measures == "Missed evening visits, month by month."
    assert gathered.sources["outcome_measures"] == "challenge"
    assert gathered.estimated_value == Decimal("750000")
    assert gathered.phases == (PhaseFacts(**PHASE),)
    assert gathered.ip_terms_complete is True
    assert gathered.lead_officer_assigned and gathered.approver_assigned
    assert gathered.approver_holds_role and not gathered.approver_is_author
    assert gathered.sources["phases"] == "rules-test"
    assert gathered.sources["approver_assigned"] == "team"


def test_a_breach_links_to_the_section_that_gave_the_fact(personas, monkeypatch):
    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    monkeypatch.setitem(
        registry._SECTIONS,
        "rules-test",
        BuilderSection(
            key="rules-test",
            title="Rules test",
            order=10_000,
            url_name="procurements:task-list",
            has_content=lambda p: True,
            summary=lambda p: [],
            facts=lambda p: {"phases": [{**PHASE, "gate_criteria_count": 0}]},
        ),
    )
    breaches = publication_breaches(procurement)
    assert (
        RuleBreach(
            "phase_gate_criteria",
            "The Research phase has no gate criteria: add the targets a partner must meet to "
            "pass the stage gate at its end.",
            "phases",
            "rules-test",
        )
        in breaches
    )
    team = [breach for breach in breaches if breach.rule == "team"]
    assert [breach.section for breach in team] == ["team"]  # no approver yet


def test_the_author_as_approver_and_an_approver_without_the_role_are_seen(personas):
    own = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, approver=personas.officer_a
    )
    assert publication_facts(own).approver_is_author
    stranger = factories.officer(personas.borough_b, OfficerRole.APPROVER)
    other = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a, approver=stranger
    )
    assert not publication_facts(other).approver_holds_role


def test_a_section_giving_an_unknown_fact_is_a_programming_error(personas, monkeypatch):
    procurement = factories.ProcurementFactory(borough=personas.borough_a)
    monkeypatch.setitem(
        registry._SECTIONS,
        "rules-test",
        BuilderSection(
            key="rules-test",
            title="Rules test",
            order=10_000,
            url_name="procurements:task-list",
            has_content=lambda p: True,
            summary=lambda p: [],
            facts=lambda p: {"phase_count": 3},
        ),
    )
    with pytest.raises(TypeError, match=r"rules-test.*phase_count"):
        publication_facts(procurement)


def test_at_publication_a_question_deadline_that_has_passed_is_refused():
    """Published late, with the participation period still long enough from today."""
    late = facts(
        notice_date=date(2027, 4, 1),
        question_deadline=at_noon(date(2027, 4, 20)),
        participation_deadline=at_noon(date(2027, 6, 15)),
    )

    found = {b.rule: b.message for b in publication_breaches(late, today=date(2027, 5, 3))}

    assert found == {
        "question_deadline": "The question deadline, 20 April 2027, has passed or is today: "
        "move it to a later working day so suppliers can still ask questions."
    }
    assert publication_breaches(late, today=date(2027, 4, 19)) == []


# -- links from the error summary ------------------------------------------------------------------


def _rows_by_rule(procurement, user) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in breach_rows(procurement, publication_breaches(procurement), user):
        found.setdefault(row["rule"], []).append(row)
    return found


def test_challenge_breaches_link_to_the_challenge_page(personas):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.DRAFT, problem="", outcome_measures=""
    )
    rows = _rows_by_rule(procurement, personas.officer_a)
    challenge = reverse("procurements:challenge", kwargs={"pk": procurement.pk})
    assert [(row["message"], row["url"]) for row in rows.pop("challenge")] == [
        (CHALLENGE_MESSAGES["problem"], challenge),
        (CHALLENGE_MESSAGES["outcome_measures"], challenge),
    ]
    assert rows == {}


def test_estimated_value_breaches_link_to_the_final_purchase_page(personas):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.DRAFT, estimated_value=Decimal("1")
    )
    purchase = reverse("stages:purchase-terms", kwargs={"pk": procurement.pk})
    [over] = _rows_by_rule(procurement, personas.officer_a)["remuneration_within_estimated_value"]
    assert over["message"].startswith("The phases' maximum remuneration")
    assert over["url"] == purchase

    Procurement.objects.filter(pk=procurement.pk).update(estimated_value=None)
    procurement = Procurement.objects.get(pk=procurement.pk)
    [missing] = _rows_by_rule(procurement, personas.officer_a)[
        "remuneration_within_estimated_value"
    ]
    assert missing["message"].startswith("There is no estimated value")
    assert missing["url"] == purchase


def test_a_phase_breach_still_links_to_the_phase_plan(personas):
    procurement = announced_procurement(personas, status=ProcurementStatus.DRAFT)
    procurement.phases.first().gate_criteria.all().delete()
    [row] = _rows_by_rule(procurement, personas.officer_a)["phase_gate_criteria"]
    assert row["url"] == reverse("stages:phase-plan", kwargs={"pk": procurement.pk})


def test_the_refusal_page_links_a_missing_estimated_value_to_the_final_purchase(personas, login):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.DRAFT, estimated_value=None
    )
    client = login(personas.officer_a)
    response = client.post(reverse("procurements:submit", kwargs={"pk": procurement.pk}))
    html = response.content.decode()
    purchase = reverse("stages:purchase-terms", kwargs={"pk": procurement.pk})
    assert f'<a href="{purchase}">There is no estimated value' in html


def test_someone_who_may_not_edit_sees_the_breaches_without_links(personas):
    procurement = announced_procurement(
        personas, status=ProcurementStatus.DRAFT, estimated_value=None, problem=""
    )
    rows = breach_rows(procurement, publication_breaches(procurement), personas.approver_a)
    assert {row["rule"] for row in rows} == {"challenge", "remuneration_within_estimated_value"}
    assert all(row["url"] == "" for row in rows)


def test_the_timetable_page_says_how_each_regime_counts_its_days(personas, login):
    procurement = factories.ProcurementFactory(
        borough=personas.borough_a, lead_officer=personas.officer_a
    )
    client = login(personas.officer_a)
    html = client.get(reverse("procurements:timetable", kwargs={"pk": procurement.pk}))
    text = " ".join(html.content.decode().split())
    assert "counted in working days" not in text
    assert "They are counted in calendar days after the day the notice is published or sent" in (
        text
    )
    assert (
        "under the Procurement Act 2023, the period ends on the last of those days, whatever "
        "day it is"
    ) in text
    assert (
        "under the Public Contracts Regulations 2015, a period whose last day is a weekend or "
        "a bank holiday runs on to the next working day"
    ) in text
