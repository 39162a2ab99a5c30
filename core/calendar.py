"""Working days and deadlines (RULES.md, "Days").

A **working day** under the Procurement Act 2023 (s.123(1), "working day") is
any day except a Saturday, a Sunday, Christmas Day, Good Friday or a bank
holiday in *any* part of the United Kingdom. So the calendar is the **union**
of the bank holidays of England, Wales, Scotland and Northern Ireland
(``ALL_UK``): 2 January is not a working day anywhere because it is a bank
holiday in Scotland. Christmas Day and Good Friday are bank holidays in the
data for every nation, so they need no rule of their own.

Bank holidays are rows of ``BankHoliday`` (seeded from the ``holidays``
package by ``bank_holidays_seed``, editable in the admin), never a hard-coded
list: a holiday announced at short notice moves every deadline computed after
it is added. Each computation reads the table once (three years at a time),
never once per day, and nothing is cached between computations.

Deadlines are aware datetimes in Europe/London (``LONDON``). A deadline "at the
end of a day" is ``end_of_day(day)``: 23:59:59.999999 London time, the last
instant of that day; something done at or before it is in time. Clocks change
only on Sundays, which are never working days, so a deadline on a working day
always has one unambiguous UTC offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_data
from dateutil.easter import easter
from django.utils import timezone

from core.models import BankHoliday
from core.models.accounts import Nation

LONDON = ZoneInfo("Europe/London")
ALL_UK = frozenset(Nation.values)
ENGLAND_AND_WALES = frozenset({Nation.ENGLAND.value, Nation.WALES.value})
END_OF_DAY = time.max

SATURDAY = 5
ONE_DAY = timedelta(days=1)


class _BankHolidays:
    """The bank holiday dates of some regions, read from the table as years are needed."""

    def __init__(self, regions: Iterable[str]):
        self.regions = frozenset(regions)
        unknown = self.regions - ALL_UK
        if unknown or not self.regions:
            raise ValueError(f"regions must be a non-empty set of {sorted(ALL_UK)}")
        self.years: set[int] = set()
        self.dates: set[date] = set()

    def __contains__(self, day: date) -> bool:
        if day.year not in self.years:
            # The year either side too: one query covers a computation across New Year.
            first, last = day.year - 1, day.year + 1
            self.dates.update(
                BankHoliday.objects.filter(
                    region__in=self.regions,
                    date__gte=date(first, 1, 1),
                    date__lte=date(last, 12, 31),
                ).values_list("date", flat=True)
            )
            self.years.update(range(first, last + 1))
        return day in self.dates

    def is_working_day(self, day: date) -> bool:
        # Christmas Day and Good Friday are named by PA 2023 s.123 itself: never
        # working days, even in a year whose bank holidays are not seeded.
        if (day.month, day.day) == (12, 25) or day == easter(day.year) - 2 * ONE_DAY:
            return False
        return day.weekday() < SATURDAY and day not in self


def is_working_day(day: date, *, regions: Iterable[str] = ALL_UK) -> bool:
    """True unless ``day`` is a Saturday, Sunday or bank holiday in any of ``regions``.

    PA 2023 s.123(1): the default ``ALL_UK`` is the union of all four nations.
    """
    return _BankHolidays(regions).is_working_day(day)


def working_day_on_or_after(day: date, *, regions: Iterable[str] = ALL_UK) -> date:
    """``day`` itself if it is a working day, else the next working day."""
    calendar = _BankHolidays(regions)
    while not calendar.is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(start: date, n: int, *, regions: Iterable[str] = ALL_UK) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    Negative ``n`` counts back: ``add_working_days(d, -5)`` is the fifth working
    day before ``d``. ``n == 0`` returns ``start`` unchanged, working day or not.
    Example: 3 working days after Thursday 24 December 2026 is Thursday
    31 December (25 December, the weekend and the substitute 28th are skipped).
    """
    calendar = _BankHolidays(regions)
    step = ONE_DAY if n >= 0 else -ONE_DAY
    day = start
    for _ in range(abs(n)):
        day += step
        while not calendar.is_working_day(day):
            day += step
    return day


def working_days_between(start: date, end: date, *, regions: Iterable[str] = ALL_UK) -> int:
    """How many working days fall after ``start`` and on or before ``end``.

    The inverse of ``add_working_days``: for ``n >= 0``,
    ``working_days_between(d, add_working_days(d, n)) == n``. Negative when
    ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start, regions=regions)
    calendar = _BankHolidays(regions)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += calendar.is_working_day(day)
    return count


def working_day_period_end(first_day: date, n: int, *, regions: Iterable[str] = ALL_UK) -> date:
    """The last day of a period of ``n`` working days *beginning with* ``first_day``.

    ``first_day`` counts as the first of them if it is a working day (e.g. the
    PA 2023 s.51 standstill: eight working days beginning with the day the
    contract details notice is published).
    """
    if n < 1:
        raise ValueError("a period of working days has at least one day")
    return add_working_days(first_day - ONE_DAY, n, regions=regions)


def pcr_period_end(start: date, days: int, *, regions: Iterable[str] = ALL_UK) -> date:
    """The last day of a PCR 2015 period of ``days`` calendar days after ``start``.

    PCR periods are calendar days, the day of the event not counted; if the
    last day is not a working day the period runs to the end of the next
    working day (RULES.md "Days"; Regulation (EEC, Euratom) No 1182/71 art. 3).
    The union calendar is the default because it never ends a minimum period
    earlier than a narrower one would; pass ``regions=ENGLAND_AND_WALES`` for
    the calendar of England and Wales alone.
    """
    if days < 0:
        raise ValueError("a period cannot be negative")
    return working_day_on_or_after(start + timedelta(days=days), regions=regions)


def london_date(moment: datetime) -> date:
    """The calendar date in London at an aware ``moment``."""
    if timezone.is_naive(moment):
        raise ValueError("deadlines are computed from timezone-aware datetimes")
    return moment.astimezone(LONDON).date()


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in London: 23:59:59.999999 Europe/London."""
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


def deadline_after_working_days(
    start: datetime,
    n: int,
    *,
    at: time | None = None,
    regions: Iterable[str] = ALL_UK,
) -> datetime:
    """The moment ``n`` working days after the aware datetime ``start``, in London.

    The day is ``add_working_days(london_date(start), n)``; the time is the same
    London wall-clock time as ``start`` unless ``at`` is given (pass
    ``END_OF_DAY`` for "by the end of the n-th working day"). Across a clock
    change the wall-clock time is kept and the UTC offset follows: 10:00 GMT on
    Friday 27 March 2026 plus one working day is 10:00 BST (09:00 UTC) on
    Monday 30 March 2026.
    """
    day = add_working_days(london_date(start), n, regions=regions)
    wall_clock = at if at is not None else start.astimezone(LONDON).time()
    return datetime.combine(day, wall_clock.replace(tzinfo=None), tzinfo=LONDON)


def bank_holidays_seed(*, first_year: int, last_year: int, model=None) -> int:
    """Add the bank holidays of all four nations for the years given; return how many were new.

    Reads the ``holidays`` package (no network). Idempotent: a date and region
    that already has a row is left alone, so holidays an administrator added or
    edited by hand are never overwritten. ``model`` lets a data migration pass
    its historical ``BankHoliday``.
    """
    model = model or BankHoliday
    years = range(first_year, last_year + 1)
    existing = set(
        model.objects.filter(
            date__gte=date(first_year, 1, 1), date__lte=date(last_year, 12, 31)
        ).values_list("date", "region")
    )
    max_name = model._meta.get_field("name").max_length
    new_rows = [
        model(date=day, region=region, name=name[:max_name], added_by_hand=False)
        for region in sorted(ALL_UK)
        for day, name in sorted(holiday_data.GB(subdiv=region, years=years).items())
        if (day, region) not in existing
    ]
    model.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows)
