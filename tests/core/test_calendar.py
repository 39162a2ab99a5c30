from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import holidays
import pytest
from django.core.management import call_command

from core.calendar import (
    ENGLAND_AND_WALES,
    LONDON,
    add_working_days,
    bank_holidays_seed,
    deadline_after_working_days,
    end_of_day,
    is_working_day,
    london_date,
    pcr_period_end,
    working_day_on_or_after,
    working_day_period_end,
    working_days_between,
)
from core.models import BankHoliday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_holidays")]

GMT = timedelta(0)
BST = timedelta(hours=1)


# -- Christmas and New Year -------------------------------------------------------------------


def test_christmas_boxing_day_and_the_substitute_day_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 26))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day falls on a Saturday
    assert is_working_day(date(2026, 12, 24))
    assert is_working_day(date(2026, 12, 29))


def test_three_working_days_after_christmas_eve_skip_the_holidays_and_the_weekend():
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)


def test_counting_across_new_year_skips_the_scottish_substitute_holiday():
    # 1 January 2027 is a Friday; 2 January, a Saturday, is replaced in Scotland by Monday 4th.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert add_working_days(date(2026, 12, 31), 1, regions=ENGLAND_AND_WALES) == date(2027, 1, 4)


# -- Easter -------------------------------------------------------------------------------------


def test_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(date(2027, 3, 26))
    assert not is_working_day(date(2027, 3, 29))
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)


# -- holidays of one nation count everywhere (PA 2023 s.123) ----------------------------------


def test_a_scottish_only_holiday_is_not_a_working_day_under_the_union():
    assert not is_working_day(date(2026, 1, 2))  # a Friday; Scotland's 2 January holiday
    assert is_working_day(date(2026, 1, 2), regions=ENGLAND_AND_WALES)
    assert not is_working_day(date(2026, 11, 30))  # St Andrew's Day, a Monday
    assert is_working_day(date(2026, 11, 30), regions=ENGLAND_AND_WALES)


def test_a_northern_ireland_only_holiday_is_not_a_working_day_under_the_union():
    assert not is_working_day(date(2027, 3, 17))  # St Patrick's Day, a Wednesday
    assert is_working_day(date(2027, 3, 17), regions={"ENG"})
    assert add_working_days(date(2027, 3, 16), 1) == date(2027, 3, 18)


def test_weekends_are_never_working_days():
    assert not is_working_day(date(2026, 6, 6))
    assert not is_working_day(date(2026, 6, 7))
    assert is_working_day(date(2026, 6, 8))


def test_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="regions"):
        is_working_day(date(2026, 6, 8), regions={"XX"})


# -- counting -----------------------------------------------------------------------------------


def test_counting_back_skips_holidays_too():
    assert add_working_days(date(2027, 1, 5), -1) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 29), -2) == date(2026, 12, 23)
    assert add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 26)


def test_working_days_between_is_the_inverse_of_adding_them():
    start = date(2026, 12, 10)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == -3


def test_next_working_day_rolls_forward_only_when_needed():
    assert working_day_on_or_after(date(2026, 12, 24)) == date(2026, 12, 24)
    assert working_day_on_or_after(date(2026, 12, 25)) == date(2026, 12, 29)


def test_a_period_beginning_with_a_working_day_counts_that_day():
    # PA 2023 s.51 standstill: 8 working days beginning with the day of publication.
    assert working_day_period_end(date(2026, 12, 17), 8) == date(2026, 12, 30)
    # Published on a Saturday: the period begins with the next working day.
    assert working_day_period_end(date(2026, 12, 19), 8) == date(2027, 1, 5)


def test_one_computation_reads_the_calendar_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(date(2026, 12, 20), 15) == date(2027, 1, 14)


# -- PCR 2015 calendar-day periods --------------------------------------------------------------


def test_a_pcr_period_ending_on_a_working_day_is_not_moved():
    assert pcr_period_end(date(2026, 6, 1), 30) == date(2026, 7, 1)


def test_a_pcr_period_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day():
    assert pcr_period_end(date(2026, 6, 1), 5) == date(2026, 6, 8)  # Saturday to Monday
    assert pcr_period_end(date(2026, 12, 15), 10) == date(2026, 12, 29)  # Christmas Day
    assert pcr_period_end(date(2026, 11, 20), 10) == date(2026, 12, 1)  # St Andrew's Day
    assert pcr_period_end(date(2026, 11, 20), 10, regions=ENGLAND_AND_WALES) == date(2026, 11, 30)


# -- deadlines in Europe/London across the clock changes ----------------------------------------


def test_a_deadline_across_the_spring_clock_change_keeps_the_london_time():
    start = datetime(2026, 3, 27, 10, 0, tzinfo=LONDON)  # Friday, GMT

    deadline = deadline_after_working_days(start, 1)

    assert start.utcoffset() == GMT
    assert deadline == datetime(2026, 3, 30, 10, 0, tzinfo=LONDON)
    assert deadline.utcoffset() == BST
    assert deadline.astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def test_a_deadline_across_the_autumn_clock_change_keeps_the_london_time():
    start = datetime(2026, 10, 23, 10, 0, tzinfo=LONDON)  # Friday, BST

    deadline = deadline_after_working_days(start, 1)

    assert start.utcoffset() == BST
    assert deadline.utcoffset() == GMT
    assert deadline.astimezone(UTC) == datetime(2026, 10, 26, 10, 0, tzinfo=UTC)


def test_a_deadline_from_a_utc_time_counts_from_the_london_date():
    # 23:30 UTC on 30 June is 00:30 BST on 1 July.
    start = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)

    assert london_date(start) == date(2026, 7, 1)
    assert deadline_after_working_days(start, 1) == datetime(2026, 7, 2, 0, 30, tzinfo=LONDON)


def test_a_deadline_at_the_end_of_the_day_is_the_last_london_instant_of_that_day():
    start = datetime(2026, 3, 27, 10, 0, tzinfo=LONDON)

    deadline = deadline_after_working_days(start, 1, at=time.max)

    assert deadline == end_of_day(date(2026, 3, 30))
    assert deadline.astimezone(UTC) == datetime(2026, 3, 30, 22, 59, 59, 999999, tzinfo=UTC)
    assert end_of_day(date(2026, 10, 26)).astimezone(UTC).hour == 23


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline_after_working_days(datetime(2026, 3, 27, 10, 0), 1)


# -- the calendar is data ------------------------------------------------------------------------


def test_a_holiday_added_at_short_notice_moves_a_deadline_computed_afterwards():
    start = datetime(2026, 9, 14, 12, 0, tzinfo=LONDON)
    before = deadline_after_working_days(start, 3)
    BankHoliday.objects.create(
        date=date(2026, 9, 16), region="ENG", name="Day of mourning", added_by_hand=True
    )

    after = deadline_after_working_days(start, 3)

    assert before == datetime(2026, 9, 17, 12, 0, tzinfo=LONDON)
    assert after == datetime(2026, 9, 18, 12, 0, tzinfo=LONDON)


def test_seeding_adds_every_nations_holidays_once_and_keeps_rows_edited_by_hand():
    BankHoliday.objects.filter(date__year=2030).delete()
    BankHoliday.objects.create(
        date=date(2030, 12, 25), region="SCT", name="Christmas (corrected)", added_by_hand=True
    )
    expected = sum(len(holidays.GB(subdiv=r, years=2030)) for r in ["ENG", "WLS", "SCT", "NIR"])

    added = bank_holidays_seed(first_year=2030, last_year=2030)
    again = bank_holidays_seed(first_year=2030, last_year=2030)

    assert added == expected - 1
    assert again == 0
    assert BankHoliday.objects.filter(date__year=2030).count() == expected
    kept = BankHoliday.objects.get(date=date(2030, 12, 25), region="SCT")
    assert (kept.name, kept.added_by_hand) == ("Christmas (corrected)", True)
    assert BankHoliday.objects.filter(date=date(2030, 1, 2), region="SCT").exists()


def test_the_seed_command_reports_what_it_added():
    BankHoliday.objects.filter(date__year__in=[2031, 2032]).delete()
    out = StringIO()

    call_command("seed_bank_holidays", "--from", "2031", "--to", "2032", stdout=out)

    assert BankHoliday.objects.filter(date__year__in=[2031, 2032], region="NIR").exists()
    assert "Bank holidays 2031 to 2032:" in out.getvalue()
    assert " 0 added" not in out.getvalue()


def test_christmas_day_and_good_friday_are_never_working_days_even_unseeded():
    """PA 2023 s.123 names them itself: no table row is needed (2041 is not seeded)."""
    from core.models import BankHoliday

    assert not BankHoliday.objects.filter(date__year=2041).exists()
    assert date(2041, 12, 25).weekday() < 5
    assert not is_working_day(date(2041, 12, 25))
    assert not is_working_day(date(2041, 4, 19))  # Good Friday 2041 (Easter Sunday 21 April)
    assert is_working_day(date(2041, 4, 18))
