"""The rules a procurement must keep before it may be published (RULES.md).

Publication is refused with one ``RuleBreach`` per broken rule; each breach
says which rule is broken and how to put it right. The rules read
``PublicationFacts``: plain values gathered from every builder section's
``facts(procurement)`` (``publication_facts``), so they never query the other
apps' models and can be tested on facts built by hand.

What differs between regimes is data in ``REGIMES``: one ``RegimeRules`` entry
per regime. A new regime is one new entry (and its choice on
``Procurement.regime``); no rule changes.

Days (RULES.md "Days"): deadlines are instants, compared by their calendar
date in Europe/London (``core.calendar.london_date``). Working days are those
of ``core.calendar``: not a Saturday, a Sunday or a bank holiday in any part of
the UK (PA 2023 s.123(1)), read from the bank holiday table an administrator
can edit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from core.calendar import (
    ALL_UK,
    is_working_day,
    london_date,
    pcr_period_end,
    working_day_on_or_after,
    working_day_period_end,
)
from core.models import BankHoliday, OfficerMembership, OfficerRole
from procurements.exclusion_grounds import PA2023_GROUNDS, PCR2015_GROUNDS, ExclusionGround

from .models import AwardBasis, CriterionKind, Regime
from .permissions import procurement_author_ids
from .registry import builder_sections
from .sections import uk_date_text

if TYPE_CHECKING:
    from .models import Procurement

# The builder section that holds the team; breaches about the team link to it.
TEAM_SECTION_KEY = "team"

# The award criteria that weigh price (or cost) and those that weigh quality: the best
# price-quality ratio needs at least one of each with a weight (``rule_award_basis``).
PRICE_KINDS = frozenset({CriterionKind.PRICE.value})
QUALITY_KINDS = frozenset({CriterionKind.QUALITY.value, CriterionKind.SOCIAL_VALUE.value})


# --- the regimes ----------------------------------------------------------------------------


class DayCount(StrEnum):
    """How a period of days is counted."""

    # Calendar days after the day of the event (PA 2023 s.54).
    CALENDAR_DAYS = "calendar_days"
    # Calendar days after the day of the event; a period whose last day is not a working
    # day runs on to the end of the next working day (PCR 2015, Regulation 1182/71 art. 3(4)).
    CALENDAR_DAYS_TO_WORKING_DAY = "calendar_days_to_working_day"
    # Working days beginning with the day of the event (PA 2023 s.51 standstill).
    WORKING_DAYS = "working_days"


def period_last_day(
    start: date, days: int, count: DayCount, *, regions: frozenset[str] = ALL_UK
) -> date:
    """The last day of a period of ``days`` days counted from ``start`` as ``count`` says."""
    if count is DayCount.CALENDAR_DAYS:
        return start + timedelta(days=days)
    if count is DayCount.CALENDAR_DAYS_TO_WORKING_DAY:
        return pcr_period_end(start, days, regions=regions)
    return working_day_period_end(start, days, regions=regions)


@dataclass(frozen=True)
class RegimeRules:
    """Everything that differs between procurement regimes, with the source of each figure.

    Figures marked in ``to_confirm`` are kept here (not in code) so they can be
    corrected in one place once confirmed against the legislation.
    """

    key: str
    title: str  # used as "Under the <title> ..."
    min_participation_days: int
    participation_source: str
    day_count: DayCount
    day_count_source: str
    # Whether a deadline the authority sets must fall on a working day.
    deadlines_on_working_days: bool
    min_to_invite: int
    min_to_invite_source: str
    award_bases: frozenset[str]
    award_basis_source: str
    standstill_days: int
    standstill_count: DayCount
    standstill_source: str
    tender_notice: str
    market_engagement_notice: str
    to_confirm: tuple[str, ...] = ()
    calendar_regions: frozenset[str] = ALL_UK
    # Time that must remain before the participation deadline after an amendment, counted
    # from the day the amendment is made with ``day_count``; 0 means no minimum.
    amendment_min_days_before_deadline: int = 0
    amendment_source: str = ""
    # The procedures the regime governs, by the day they began: before ``began_before`` and
    # on or after ``began_on_or_after`` (None: no limit on that side). A regime with
    # ``began_before`` needs the day given, since a procedure begins no earlier than today.
    began_before: date | None = None
    began_on_or_after: date | None = None
    began_source: str = ""
    # The exclusion grounds every supplier of a request declares (procurements.exclusion_grounds).
    exclusion_grounds: tuple[ExclusionGround, ...] = ()
    # The shortest time for the first tenders, in calendar days from the invitation to tender.
    min_tender_days: int = 0
    tender_source: str = ""
    # The shortest time for tenders after a change notice or in a later round, in calendar
    # days from the day the change or the invitation is sent.
    min_resubmission_days: int = 0
    resubmission_source: str = ""

    def governs_procedure_begun_on(self, day: date) -> bool:
        """Whether a procedure that began on ``day`` follows this regime."""
        if self.began_before is not None and day >= self.began_before:
            return False
        return self.began_on_or_after is None or day >= self.began_on_or_after

    def participation_period_last_day(self, notice_date: date) -> date:
        """The last day of the minimum participation period starting on ``notice_date``."""
        return period_last_day(
            notice_date,
            self.min_participation_days,
            self.day_count,
            regions=self.calendar_regions,
        )

    def earliest_participation_deadline(self, notice_date: date) -> date:
        """The first day a participation deadline may fall on, for a notice on ``notice_date``."""
        day = self.participation_period_last_day(notice_date)
        if self.deadlines_on_working_days:
            day = working_day_on_or_after(day, regions=self.calendar_regions)
        return day

    def earliest_deadline_after_amendment(self, amended_on: date) -> date:
        """The first day the participation deadline may fall on after an amendment made on
        ``amended_on``: ``amendment_min_days_before_deadline`` days counted as ``day_count``
        says, moved to a working day when deadlines must fall on one."""
        day = period_last_day(
            amended_on,
            self.amendment_min_days_before_deadline,
            self.day_count,
            regions=self.calendar_regions,
        )
        if self.deadlines_on_working_days:
            day = working_day_on_or_after(day, regions=self.calendar_regions)
        return day

    def earliest_tender_deadline(self, invited_on: date) -> date:
        """The first day the deadline for first tenders may fall on, for tenders invited on
        ``invited_on``: ``min_tender_days`` calendar days, moved to a working day when
        deadlines must fall on one."""
        day = period_last_day(
            invited_on, self.min_tender_days, DayCount.CALENDAR_DAYS, regions=self.calendar_regions
        )
        if self.deadlines_on_working_days:
            day = working_day_on_or_after(day, regions=self.calendar_regions)
        return day

    def earliest_resubmission_deadline(self, issued_on: date) -> date:
        """The first day the deadline for later tenders may fall on, after a change notice
        or the invitation to a later round sent on ``issued_on``: ``min_resubmission_days``
        calendar days, moved to a working day when deadlines must fall on one."""
        day = period_last_day(
            issued_on,
            self.min_resubmission_days,
            DayCount.CALENDAR_DAYS,
            regions=self.calendar_regions,
        )
        if self.deadlines_on_working_days:
            day = working_day_on_or_after(day, regions=self.calendar_regions)
        return day

    def standstill_last_day(self, start: date) -> date:
        """The last day of the standstill period that begins with ``start``'s notice or letter."""
        return period_last_day(
            start, self.standstill_days, self.standstill_count, regions=self.calendar_regions
        )


# The day the Procurement Act 2023 came into force for procurements: a procedure begun
# before it stays under the Public Contracts Regulations 2015.
PA2023_COMMENCEMENT = date(2025, 2, 24)
COMMENCEMENT_SOURCE = (
    "The Procurement Act 2023 (Commencement No. 3 and Transitional and Saving Provisions) "
    "Regulations 2024 (SI 2024/716), reg. 2 and reg. 5, the date as amended by SI 2024/959: "
    "the Act applies to procurements begun on or after 24 February 2025; the Public Contracts "
    "Regulations 2015 continue to apply to a procedure begun before that day (a contract "
    "notice sent for publication, reg. 5(3)(c))"
)

PA2023_RULES = RegimeRules(
    key=Regime.PA2023.value,
    title="Procurement Act 2023",
    min_participation_days=25,
    participation_source=(
        "PA 2023 s.54(3), the table of minimum participation periods: 25 days "
        "(RULES.md marks this figure '(check s.54)': to be confirmed)"
    ),
    day_count=DayCount.CALENDAR_DAYS,
    day_count_source=(
        "PA 2023 s.54: calendar days from the day the tender notice is published; "
        "the portal also requires deadlines on working days (s.123(1))"
    ),
    deadlines_on_working_days=True,
    min_to_invite=3,
    min_to_invite_source=(
        "PA 2023 s.20 lets the authority limit the number of participants; the portal keeps "
        "the minimum of 3 of PCR 2015 reg. 65(2) as equivalent practice"
    ),
    award_bases=frozenset({AwardBasis.PRICE_QUALITY.value}),
    award_basis_source="PA 2023 s.19: award to the most advantageous tender",
    standstill_days=8,
    standstill_count=DayCount.WORKING_DAYS,
    standstill_source="PA 2023 s.51: 8 working days beginning with the contract award notice",
    tender_notice="UK4 tender notice",
    market_engagement_notice="UK2 preliminary market engagement notice",
    to_confirm=("min_participation_days", "amendment_min_days_before_deadline"),
    amendment_min_days_before_deadline=6,
    amendment_source=(
        "PA 2023 s.31 (modifying a procurement: the authority considers whether time limits "
        "must be revised) and s.54(4) and (5) (time limits reasonable for what is changed). "
        "The Act gives no figure: the portal keeps the 6 days of PCR 2015 reg. 47(3)(a) as "
        "equivalent practice (check)"
    ),
    began_on_or_after=PA2023_COMMENCEMENT,
    began_source=COMMENCEMENT_SOURCE,
    exclusion_grounds=PA2023_GROUNDS,
    min_tender_days=25,
    tender_source=(
        "PA 2023 s.54(3), the table of minimum tendering periods: 25 days for the first "
        "tenders when the tender documents are provided electronically (10 days after a "
        "qualifying planned procurement notice, UK3, which the portal does not yet compose)"
    ),
    min_resubmission_days=10,
    resubmission_source=(
        "PA 2023 s.54(4) and (5): the Act gives no minimum for tenders after the first; time "
        "limits must be reasonable for the nature and complexity of what is asked. The portal "
        "asks for at least 10 days (check)"
    ),
)

PCR2015_RULES = RegimeRules(
    key=Regime.PCR2015.value,
    title="Public Contracts Regulations 2015",
    min_participation_days=30,
    participation_source=(
        "PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(1)): at least 30 days from the date "
        "the contract notice is sent, which cannot be shortened"
    ),
    day_count=DayCount.CALENDAR_DAYS_TO_WORKING_DAY,
    day_count_source=(
        "Calendar days; a period whose last day is not a working day runs to the next "
        "working day (Regulation (EEC, Euratom) No 1182/71 art. 3(4))"
    ),
    deadlines_on_working_days=True,
    min_to_invite=3,
    min_to_invite_source=(
        "PCR 2015 reg. 65(2): at least 3 candidates in the innovation partnership procedure "
        "(fewer only where fewer qualify, reg. 65(3))"
    ),
    award_bases=frozenset({AwardBasis.PRICE_QUALITY.value}),
    award_basis_source="PCR 2015 reg. 31 and reg. 67: best price-quality ratio only",
    standstill_days=10,
    standstill_count=DayCount.CALENDAR_DAYS_TO_WORKING_DAY,
    standstill_source="PCR 2015 reg. 87(2): 10 days when the award decision is sent electronically",
    tender_notice="contract notice",
    market_engagement_notice="prior information notice",
    amendment_min_days_before_deadline=6,
    amendment_source=(
        "PCR 2015 reg. 47(3): time limits are extended where significant changes are made to "
        "the procurement documents, and where additional information is not supplied at the "
        "latest 6 days before the time limit (reg. 47(3)(a), with reg. 53(2))"
    ),
    began_before=PA2023_COMMENCEMENT,
    began_source=COMMENCEMENT_SOURCE,
    exclusion_grounds=PCR2015_GROUNDS,
    min_tender_days=10,
    tender_source=(
        "PCR 2015 reg. 31 and reg. 47(1): the authority sets a time limit long enough for the "
        "complexity of the contract; the portal asks for at least 10 days as reasonable "
        "practice (check)"
    ),
    min_resubmission_days=10,
    resubmission_source=(
        "PCR 2015 reg. 31 and reg. 47(1) and (3): time limits long enough for the complexity "
        "of the contract and extended after significant changes; every tenderer not eliminated "
        "is given enough time to resubmit. The portal asks for at least 10 days (check)"
    ),
)

REGIMES: dict[str, RegimeRules] = {rules.key: rules for rules in (PA2023_RULES, PCR2015_RULES)}


def regime_rules(key: str) -> RegimeRules:
    """The rules of regime ``key``; ``KeyError`` for a regime the portal does not know."""
    return REGIMES[key]


# --- the facts the rules read ----------------------------------------------------------------


@dataclass(frozen=True)
class PhaseFacts:
    """What the rules need to know about one phase of the phase plan (from ``stages``)."""

    name: str = ""
    kind: str = ""
    gate_criteria_count: int = 0
    termination_condition_count: int = 0
    max_remuneration_per_partner: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "max_remuneration_per_partner", _decimal(self.max_remuneration_per_partner)
        )

    @classmethod
    def from_value(cls, value: PhaseFacts | Mapping[str, Any]) -> PhaseFacts:
        if isinstance(value, PhaseFacts):
            return value
        return cls(**value)


@dataclass(frozen=True)
class PublicationFacts:
    """Everything the publication rules read, gathered from the builder sections.

    Every field has a default meaning "not given yet", so a half-built
    procurement gives breaches, never an exception. Lists may be given as
    lists (phases as dicts); they are kept as tuples. ``sources`` maps each
    fact to the builder section that gave it, so a breach can link to the page
    that fixes it.
    """

    # The procurement's own sections.
    problem: str = ""
    outcomes: str = ""
    outcome_measures: str = ""
    regime: str = Regime.PA2023.value
    procedure_began_on: date | None = None
    notice_date: date | None = None
    question_deadline: datetime | None = None
    participation_deadline: datetime | None = None
    indicative_tender_date: date | None = None
    indicative_start_date: date | None = None
    award_basis: str = ""
    weights: tuple[int, ...] = ()
    # The award criteria's total weight per kind (``CriterionKind``), as (kind, weight) pairs
    # sorted by kind; may be given as a mapping.
    weights_by_kind: tuple[tuple[str, int], ...] = ()
    minimum_requirement_count: int = 0
    market_gap: str = ""
    number_to_invite: int | None = None
    max_partners: int | None = None
    estimated_value: Decimal | None = None
    # The team (from the procurement itself, see ``publication_facts``).
    lead_officer_assigned: bool = False
    approver_assigned: bool = False
    approver_is_author: bool = False
    approver_holds_role: bool = False
    # stages: the phase plan and the final purchase.
    phases: tuple[PhaseFacts, ...] = ()
    purchase_max_cost: Decimal | None = None
    # partners: the selection questionnaire.
    selection_question_count: int = 0
    selection_weights: tuple[int, ...] = ()
    # The topics selection must score (RULES.md point 3) that have no scored question yet, by
    # their names; the partners app decides which topics these are.
    selection_unscored_topics: tuple[str, ...] = ()
    # ip_rights: the IP terms.
    ip_terms_complete: bool = False

    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        normalised = {
            "weights": tuple(int(weight) for weight in self.weights or ()),
            "selection_weights": tuple(int(weight) for weight in self.selection_weights or ()),
            "phases": tuple(PhaseFacts.from_value(phase) for phase in self.phases or ()),
            "estimated_value": _decimal(self.estimated_value),
            "purchase_max_cost": _decimal(self.purchase_max_cost),
            "weights_by_kind": _weights_by_kind(self.weights_by_kind),
            "selection_unscored_topics": tuple(self.selection_unscored_topics or ()),
            "problem": self.problem or "",
            "outcomes": self.outcomes or "",
            "outcome_measures": self.outcome_measures or "",
            "market_gap": self.market_gap or "",
            "award_basis": self.award_basis or "",
        }
        for name, value in normalised.items():
            object.__setattr__(self, name, value)

    @classmethod
    def fact_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in dataclasses.fields(cls) if f.name != "sources")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _weights_by_kind(
    value: Mapping[str, int] | tuple[tuple[str, int], ...] | None,
) -> tuple[tuple[str, int], ...]:
    pairs = value.items() if isinstance(value, Mapping) else (value or ())
    totals: dict[str, int] = {}
    for kind, weight in pairs:
        totals[str(kind)] = totals.get(str(kind), 0) + int(weight or 0)
    return tuple(sorted(totals.items()))


def publication_facts(procurement: Procurement) -> PublicationFacts:
    """Merge the ``facts(procurement)`` of every registered builder section.

    The team facts (who leads, who approves) and the estimated value are read
    from the procurement itself first. Sections are merged in task-list order;
    a fact given by two sections takes the later one's value (each fact should
    have one owner). A key that is not a ``PublicationFacts`` field is a
    programming error and raises ``TypeError`` naming the section.
    """
    values: dict[str, Any] = _team_facts(procurement)
    sources: dict[str, str] = dict.fromkeys(values, TEAM_SECTION_KEY)
    # A field of the procurement itself; a section that edits it may give it too.
    values["estimated_value"] = procurement.estimated_value
    known = PublicationFacts.fact_names()
    for section in builder_sections():
        supplied = section.facts(procurement)
        unknown = set(supplied) - known
        if unknown:
            raise TypeError(
                f"Builder section {section.key!r} gives unknown publication facts: "
                f"{sorted(unknown)}"
            )
        values.update(supplied)
        sources.update(dict.fromkeys(supplied, section.key))
    return PublicationFacts(**values, sources=sources)


def _team_facts(procurement: Procurement) -> dict[str, Any]:
    approver_id = procurement.approver_id
    authors = procurement_author_ids(procurement)
    return {
        "lead_officer_assigned": procurement.lead_officer_id is not None,
        "approver_assigned": approver_id is not None,
        "approver_is_author": approver_id is not None and approver_id in authors,
        "approver_holds_role": approver_id is not None
        and OfficerMembership.objects.filter(
            user_id=approver_id, borough_id=procurement.borough_id, role=OfficerRole.APPROVER
        ).exists(),
    }


# --- breaches ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleBreach:
    """One broken rule: ``rule`` names it, ``message`` says what is wrong and how to fix it.

    ``field`` is the fact at fault; ``section`` the builder section that gave it
    (empty when no section did), for a link to the page that fixes it.
    """

    rule: str
    message: str
    field: str
    section: str = ""


Rule = Callable[..., list[RuleBreach]]


def _money(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def _not_working_day_name(day: date, regions: frozenset[str]) -> str:
    """What ``day`` is, for a message: "a Sunday", "Christmas Day", "St Andrew's Day, …"."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    holidays = list(BankHoliday.objects.filter(date=day, region__in=regions).order_by("region"))
    if not holidays:
        return "not a working day"
    name = holidays[0].name
    nations = {holiday.region for holiday in holidays}
    if nations >= regions:
        return name
    where = sorted(str(holiday.get_region_display()) for holiday in holidays)
    listed = where[0] if len(where) == 1 else f"{', '.join(where[:-1])} and {where[-1]}"
    return f"{name}, a bank holiday in {listed}"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence_lower(text: str) -> str:
    """A label such as "Capability in research" for use inside a sentence."""
    return text[:1].lower() + text[1:]


def _phase_name(phase: PhaseFacts, index: int) -> str:
    return f"the {phase.name} phase" if phase.name else f"phase {index}"


# --- the rules: one function each -------------------------------------------------------------


def _began_limits(regime: RegimeRules) -> str:
    """When a procedure under ``regime`` must have begun: "before 24 February 2025"."""
    limits = []
    if regime.began_on_or_after is not None:
        limits.append(f"on or after {uk_date_text(regime.began_on_or_after)}")
    if regime.began_before is not None:
        limits.append(f"before {uk_date_text(regime.began_before)}")
    return " and ".join(limits)


def _regime_governing(day: date | None, *, other_than: RegimeRules) -> RegimeRules | None:
    """Another regime that governs a procedure begun on ``day``; with no day, one that governs
    a procedure beginning now (one with no ``began_before``)."""
    for other in REGIMES.values():
        if other is other_than:
            continue
        if day is None and other.began_before is None:
            return other
        if day is not None and other.governs_procedure_begun_on(day):
            return other
    return None


def rule_regime_applies(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The regime chosen is the one that governs the procedure, by the day it began.

    The Procurement Act 2023 (Commencement No. 3 and Transitional and Saving
    Provisions) Regulations 2024 (SI 2024/716), reg. 2 and reg. 5, with the date
    as amended by SI 2024/959: the Act applies to procurements begun on or after
    24 February 2025; the Public Contracts Regulations 2015 continue to apply to
    a procedure begun before that day (for an innovation partnership, its
    contract notice sent for publication, reg. 5(3)(c)). RULES.md "Which
    regime". The days are data (``RegimeRules.began_before`` and
    ``began_on_or_after``). A regime that governs only procedures begun before a
    day needs the day the procedure began; one with no such limit does not (a
    procedure under the Act that has not begun begins with its tender notice).
    """
    name = "regime_applies"
    day = facts.procedure_began_on
    other = _regime_governing(day, other_than=regime)
    choose = f"choose the {other.title}" if other is not None else ""
    if day is None:
        if regime.began_before is None:
            return []
        fix = "enter the date it began" + (f", or {choose}" if choose else "")
        return [
            RuleBreach(
                name,
                "There is no date the procedure began. Under the "
                f"{regime.title} the procedure must have begun {_began_limits(regime)}: "
                f"{fix}.",
                "procedure_began_on",
            )
        ]
    if regime.governs_procedure_begun_on(day):
        return []
    fix = (
        f"{choose}, the law for a procedure begun on that day, or correct the date it began"
        if choose
        else "correct the date it began"
    )
    return [
        RuleBreach(
            name,
            f"The procedure began on {uk_date_text(day)}. Under the {regime.title} it must have "
            f"begun {_began_limits(regime)}: {fix}.",
            "procedure_began_on",
        )
    ]


def rule_participation_period(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The participation period is at least the regime's minimum.

    PA 2023 s.54(3): at least 25 days from the tender notice (figure to be
    confirmed, see ``PA2023_RULES``). PCR 2015 reg. 31 (Directive 2014/24/EU
    art. 31(1)): at least 30 days from the contract notice, not shortened; a
    period ending on a day that is not a working day runs on to the next
    working day (Regulation 1182/71 art. 3(4)). Counted from the notice date to
    the deadline's date in London; a deadline on the period's last day is in
    time. With ``today`` after the planned notice date, the notice can only go
    out today, so the period is counted from today.
    """
    name = "participation_period"
    if facts.notice_date is None:
        return [
            RuleBreach(
                name,
                "There is no notice date: enter the date the "
                f"{regime.tender_notice} is to be published.",
                "notice_date",
            )
        ]
    if facts.participation_deadline is None:
        return [
            RuleBreach(
                name,
                "There is no participation deadline: enter the date and time by which "
                "suppliers must ask to take part.",
                "participation_deadline",
            )
        ]
    start, counted_from = facts.notice_date, ""
    if today is not None and today > start:
        start = today
        counted_from = (
            f", counted from today ({uk_date_text(today)}) because the planned notice date, "
            f"{uk_date_text(facts.notice_date)}, has passed"
        )
    deadline = london_date(facts.participation_deadline)
    if deadline >= regime.participation_period_last_day(start):
        return []
    days = (deadline - start).days
    earliest = regime.earliest_participation_deadline(start)
    if days <= 0:
        described = (
            f"The participation deadline, {uk_date_text(deadline)}, is not after the notice date "
            f"({uk_date_text(start)})"
        )
    else:
        described = f"The participation period is {days} day{'s' if days != 1 else ''}"
    rolled = ""
    if regime.day_count is DayCount.CALENDAR_DAYS_TO_WORKING_DAY:
        rolled = ", running on to the next working day when the last day is not one"
    return [
        RuleBreach(
            name,
            f"{described}{counted_from}. Under the {regime.title} it must be at least "
            f"{regime.min_participation_days} days{rolled}: move the participation deadline "
            f"to {uk_date_text(earliest)} or later.",
            "participation_deadline",
        )
    ]


def rule_deadlines_on_working_days(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The question and participation deadlines fall on working days.

    PA 2023 s.123(1) defines a working day (not a weekend, Christmas Day, Good
    Friday or a bank holiday in any part of the UK); the portal sets deadlines
    only on working days. Under PCR 2015 a time limit ending on a day that is
    not a working day runs on to the next working day (Regulation 1182/71
    art. 3(4)), so a deadline set on such a day would misstate the real one.
    """
    if not regime.deadlines_on_working_days:
        return []
    breaches = []
    for fact, label in (
        ("question_deadline", "question deadline"),
        ("participation_deadline", "participation deadline"),
    ):
        moment = getattr(facts, fact)
        if moment is None:
            continue
        day = london_date(moment)
        if is_working_day(day, regions=regime.calendar_regions):
            continue
        suggestion = working_day_on_or_after(day, regions=regime.calendar_regions)
        breaches.append(
            RuleBreach(
                "deadline_working_day",
                f"The {label}, {uk_date_text(day)}, is "
                f"{_not_working_day_name(day, regime.calendar_regions)}, not a working day: "
                f"choose a working day, such as {uk_date_text(suggestion)}.",
                fact,
            )
        )
    return breaches


def rule_question_deadline(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """Questions close after the notice and before the participation deadline.

    Suppliers need the answers in time to prepare their requests (PCR 2015
    reg. 53, additional information in good time before the time limit; PA 2023
    s.54(1), time to prepare), so the question deadline comes after the notice
    and before the participation deadline.
    """
    name = "question_deadline"
    if facts.question_deadline is None:
        return [
            RuleBreach(
                name,
                "There is no question deadline: enter the date and time by which suppliers "
                "may ask clarification questions.",
                "question_deadline",
            )
        ]
    questions = london_date(facts.question_deadline)
    if today is not None and questions <= today:
        return [
            RuleBreach(
                name,
                f"The question deadline, {uk_date_text(questions)}, has passed or is today: "
                "move it to a later working day so suppliers can still ask questions.",
                "question_deadline",
            )
        ]
    if facts.notice_date is not None and questions <= facts.notice_date:
        return [
            RuleBreach(
                name,
                f"The question deadline, {uk_date_text(questions)}, is not after the notice "
                f"date ({uk_date_text(facts.notice_date)}): move it later so suppliers have "
                "time to ask.",
                "question_deadline",
            )
        ]
    if facts.participation_deadline is not None and (
        facts.question_deadline >= facts.participation_deadline
    ):
        participation = london_date(facts.participation_deadline)
        return [
            RuleBreach(
                name,
                f"The question deadline, {uk_date_text(questions)}, is after the participation "
                f"deadline, {uk_date_text(participation)}: move the question deadline before "
                f"{uk_date_text(participation)} so suppliers have the answers before they apply.",
                "question_deadline",
            )
        ]
    return []


# The dates of the timetable that must follow one another, each only when both are given:
# (earlier fact, its name, later fact, its name, why the later one comes after).
TIMETABLE_ORDER: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "participation_deadline",
        "the participation deadline",
        "indicative_tender_date",
        "The indicative date of the invitation to tender",
        "only the suppliers selected from the requests to participate are invited to tender",
    ),
    (
        "indicative_tender_date",
        "the indicative date of the invitation to tender",
        "indicative_start_date",
        "The indicative start of the partnership",
        "the partnership starts once tenders have been negotiated and the contracts awarded",
    ),
)


def rule_timetable_order(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The timetable runs in order: tenders after selection, the partnership after award.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(1)): only the suppliers
    invited after the assessment of the requests to participate may submit
    tenders, so the invitation to tender comes after the participation
    deadline; the partnership is set up with the partners awarded a contract
    and runs in successive phases (art. 31(2)), so it starts after the
    invitation to tender. PA 2023 s.20 and s.21: the competitive flexible
    procedure runs in the stages the tender notice and associated documents
    describe. RULES.md points 4 and 8. Each pair of ``TIMETABLE_ORDER`` is
    checked only when both of its dates are given (a deadline by its date in
    London); the later date must fall on a later day.
    """
    breaches = []
    for earlier_fact, earlier_name, later_fact, later_name, reason in TIMETABLE_ORDER:
        earlier, later = getattr(facts, earlier_fact), getattr(facts, later_fact)
        if earlier is None or later is None:
            continue
        earlier_day = london_date(earlier) if isinstance(earlier, datetime) else earlier
        if later > earlier_day:
            continue
        breaches.append(
            RuleBreach(
                "timetable_order",
                f"{later_name}, {uk_date_text(later)}, is not after {earlier_name}, "
                f"{uk_date_text(earlier_day)}: {reason}. Move it to "
                f"{uk_date_text(earlier_day + timedelta(days=1))} or later.",
                later_fact,
            )
        )
    return breaches


def rule_award_weights(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The award criteria weights add up to 100%.

    PCR 2015 reg. 67(5) and PA 2023 s.23: the documents state each award
    criterion's relative importance; RULES.md point 7 (weighted criteria
    published in the documents).
    """
    if not facts.weights:
        return [
            RuleBreach(
                "award_weights",
                "There are no award criteria: add quality, price and social value criteria "
                "with weights that add up to 100%.",
                "weights",
            )
        ]
    total = sum(facts.weights)
    if total == 100:
        return []
    return [
        RuleBreach(
            "award_weights",
            f"The award criteria weights add up to {total}%. They must add up to 100%: "
            f"{'lower' if total > 100 else 'raise'} the weights by {abs(total - 100)} "
            f"percentage point{'s' if abs(total - 100) != 1 else ''} in all.",
            "weights",
        )
    ]


def rule_minimum_requirements(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """At least one minimum requirement is stated.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(1)): the documents say
    which elements of the description are minimum requirements; PA 2023 s.21
    (tender notice and associated tender documents); RULES.md point 1.
    """
    if facts.minimum_requirement_count > 0:
        return []
    return [
        RuleBreach(
            "minimum_requirements",
            "There are no minimum requirements: add each requirement every tender must meet, "
            "precisely enough for a supplier to decide whether to take part.",
            "minimum_requirement_count",
        )
    ]


# What the challenge must describe, by fact, with what to say when it is missing.
CHALLENGE_ITEMS: tuple[tuple[str, str], ...] = (
    (
        "problem",
        "The challenge does not describe the problem: say what problem the borough needs "
        "solved, precisely enough for suppliers to decide whether to take part.",
    ),
    (
        "outcomes",
        "The challenge does not say which outcomes you want: describe what a solution must "
        "achieve.",
    ),
    (
        "outcome_measures",
        "The challenge does not say how the outcomes will be measured: say how you will "
        "measure each outcome.",
    ),
)


def rule_challenge(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The documents describe the need: the problem, the outcomes wanted and their measures.

    PCR 2015 reg. 31(1), second subparagraph (Directive 2014/24/EU art. 31(1)):
    the documents identify the need for an innovative solution, and the
    information is precise enough for suppliers to identify the nature and
    scope of the solution required and decide whether to request to
    participate. PA 2023 s.21 and the content of the tender notice: the notice
    and the associated tender documents describe what is to be supplied
    precisely enough for suppliers to decide whether to take part. RULES.md
    point 1. One breach per missing item.
    """
    return [
        RuleBreach("challenge", message, fact)
        for fact, message in CHALLENGE_ITEMS
        if not getattr(facts, fact).strip()
    ]


def rule_market_gap(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The documents say why nothing on the market meets the need.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(1)): an innovation
    partnership is for a need that products, services or works already on the
    market cannot meet. PA 2023 names no such condition for a competitive
    flexible procedure (s.20); the portal keeps it for both regimes (RULES.md
    point 1).
    """
    if facts.market_gap.strip():
        return []
    return [
        RuleBreach(
            "market_gap",
            "The reason nothing on the market meets the need is missing: explain why no "
            "product or service already available meets it.",
            "market_gap",
        )
    ]


def rule_phases_present(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The partnership is structured in successive phases.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(2)): successive phases
    following the research and innovation process, with intermediate targets
    and remuneration in instalments; RULES.md point 8.
    """
    if facts.phases:
        return []
    return [
        RuleBreach(
            "phases",
            "There are no phases: add the research, development and pilot phases, each with "
            "its intermediate targets and maximum remuneration.",
            "phases",
        )
    ]


def rule_phase_gate_criteria(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """Every phase has stage-gate criteria (its intermediate targets).

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(2)): the authority decides
    after each phase on the basis of intermediate targets set in the
    documents; RULES.md points 8 and 9.
    """
    return [
        RuleBreach(
            "phase_gate_criteria",
            f"{_sentence_start(_phase_name(phase, index))} has no gate criteria: add the targets "
            "a partner must meet to pass the stage gate at its end.",
            "phases",
        )
        for index, phase in enumerate(facts.phases, start=1)
        if phase.gate_criteria_count < 1
    ]


def rule_phase_termination_conditions(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """Every phase states the conditions on which the partnership or a partner may be ended.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(2)): ending the partnership
    or terminating individual partners after a phase is possible only if the
    documents announced it and its conditions; RULES.md point 9.
    """
    return [
        RuleBreach(
            "phase_termination_conditions",
            f"{_sentence_start(_phase_name(phase, index))} has no termination conditions: say on "
            "which conditions a partner may be terminated at its stage gate.",
            "phases",
        )
        for index, phase in enumerate(facts.phases, start=1)
        if phase.termination_condition_count < 1
    ]


def rule_number_to_invite(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """At least the regime's minimum number of suppliers is invited to tender.

    PCR 2015 reg. 65(2): at least 3 in the innovation partnership procedure,
    fewer only if fewer qualify (reg. 65(3)), which is decided at selection,
    not planned; PA 2023 s.20 as equivalent practice; RULES.md point 3.
    """
    name = "number_to_invite"
    if facts.number_to_invite is None:
        return [
            RuleBreach(
                name,
                f"There is no number of suppliers to invite: enter how many you will invite to "
                f"tender, at least {regime.min_to_invite}.",
                "number_to_invite",
            )
        ]
    if facts.number_to_invite >= regime.min_to_invite:
        return []
    return [
        RuleBreach(
            name,
            f"The number to invite is {facts.number_to_invite}. Under the {regime.title} at "
            f"least {regime.min_to_invite} must be invited while {regime.min_to_invite} or more "
            f"qualify: set the number to invite to {regime.min_to_invite} or more.",
            "number_to_invite",
        )
    ]


def rule_invite_at_least_max_partners(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """At least as many suppliers are invited to tender as partners may be appointed.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(1)): the partnership may be
    set up with one or several partners, and only the suppliers invited after
    selection may submit tenders, so the partners come from those invited;
    PA 2023 s.20, the same for a competitive flexible procedure that limits
    the number of participants. RULES.md points 2 and 4.
    """
    if facts.number_to_invite is None or facts.max_partners is None:
        return []  # rule_number_to_invite and the value rule say what is missing
    if facts.number_to_invite >= facts.max_partners:
        return []
    return [
        RuleBreach(
            "invite_at_least_max_partners",
            f"The number to invite, {facts.number_to_invite}, is less than the maximum number "
            f"of partners, {facts.max_partners}. Partners are appointed from the suppliers "
            f"invited to tender: invite at least {facts.max_partners} or lower the maximum "
            "number of partners.",
            "number_to_invite",
        )
    ]


def rule_remuneration_within_estimated_value(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The phases' maximum remuneration, plus the purchase, fits in the estimated value.

    The estimated value of an innovation partnership is all R&D phases plus the
    final purchase (Directive 2014/24/EU art. 5(6), PCR 2015 reg. 6; PA 2023
    Sch. 3); its structure and value must be proportionate (PCR 2015 reg. 31,
    Directive art. 31(4)); RULES.md point 11. Counted as the sum over phases of
    the maximum remuneration per partner times the maximum number of partners,
    plus the purchase's maximum cost if given.
    """
    name = "remuneration_within_estimated_value"
    if facts.estimated_value is None:
        return [
            RuleBreach(
                name,
                "There is no estimated value: enter the estimated value of every phase for "
                "every partner plus the final purchase, excluding VAT.",
                "estimated_value",
            )
        ]
    if not facts.phases:
        return []  # rule_phases_present says so
    breaches = []
    if facts.max_partners is None:
        breaches.append(
            RuleBreach(
                name,
                "There is no maximum number of partners: enter it, because each phase's "
                "remuneration is paid to every partner.",
                "max_partners",
            )
        )
    for index, phase in enumerate(facts.phases, start=1):
        if phase.max_remuneration_per_partner is None:
            breaches.append(
                RuleBreach(
                    name,
                    f"{_sentence_start(_phase_name(phase, index))} has no maximum remuneration: "
                    "enter the most a partner can be paid for it.",
                    "phases",
                )
            )
    if breaches:
        return breaches
    phases_total = sum(
        (phase.max_remuneration_per_partner * facts.max_partners for phase in facts.phases),
        Decimal(0),
    )
    total = phases_total + (facts.purchase_max_cost or Decimal(0))
    if total <= facts.estimated_value:
        return []
    purchase = (
        f" and the final purchase's {_money(facts.purchase_max_cost)}"
        if facts.purchase_max_cost
        else ""
    )
    return [
        RuleBreach(
            name,
            f"The phases' maximum remuneration ({_money(phases_total)} for "
            f"{facts.max_partners} partner{'s' if facts.max_partners != 1 else ''}{purchase}) "
            f"comes to {_money(total)}, more than the estimated value of "
            f"{_money(facts.estimated_value)}: raise the estimated value to at least "
            f"{_money(total)} or lower the phases' remuneration.",
            "estimated_value",
        )
    ]


def rule_award_basis(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """Award is on the best price-quality ratio (the most advantageous tender).

    PCR 2015 reg. 31 and reg. 67 (Directive 2014/24/EU art. 31(1)): innovation
    partnerships are awarded on the best price-quality ratio only; PA 2023
    s.19: the most advantageous tender; RULES.md point 7. The basis chosen must
    say so, and the award criteria must make it true: at least one price (or
    cost) criterion and at least one quality (or social value) criterion, each
    with a weight above 0%. Without award criteria ``rule_award_weights``
    speaks.
    """
    breaches = []
    if facts.award_basis not in regime.award_bases:
        breaches.append(
            RuleBreach(
                "award_basis",
                "An innovation partnership is awarded only on the best price-quality ratio "
                "(the most advantageous tender): choose it as the basis of award.",
                "award_basis",
            )
        )
    if not facts.weights:
        return breaches  # rule_award_weights says there are no criteria
    weights = dict(facts.weights_by_kind)
    if not any(weights.get(kind, 0) > 0 for kind in PRICE_KINDS):
        breaches.append(
            RuleBreach(
                "award_basis",
                "No award criterion scores price or cost. The best price-quality ratio weighs "
                "price against quality: add a price criterion with a weight of more than 0%.",
                "weights_by_kind",
            )
        )
    if not any(weights.get(kind, 0) > 0 for kind in QUALITY_KINDS):
        breaches.append(
            RuleBreach(
                "award_basis",
                "No award criterion scores quality. The best price-quality ratio weighs "
                "price against quality: add a quality or social value criterion with a weight "
                "of more than 0%.",
                "weights_by_kind",
            )
        )
    return breaches


def rule_selection_questionnaire(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """Suppliers are selected on R&D capability, with scored questions weighted to 100%.

    PCR 2015 reg. 31 (Directive 2014/24/EU art. 31(6)): selection applies in
    particular criteria on capacity in research and development and in
    developing and implementing innovative solutions; RULES.md point 3. Each of
    those topics needs at least one scored question: which topics they are, and
    which have none, is decided where the questionnaire's completion is checked
    (``partners.models.selection_topics_unscored``) and reaches the rules as
    ``selection_unscored_topics``. Pass or fail questions alone select no one on
    capability, so a questionnaire without a scored question is refused too.
    """
    name = "selection_questionnaire"
    if facts.selection_question_count < 1:
        return [
            RuleBreach(
                name,
                "There are no selection questions: add questions on the suppliers' capacity "
                "in research and development and in developing and implementing innovative "
                "solutions.",
                "selection_question_count",
            )
        ]
    breaches = [
        RuleBreach(
            name,
            f"There is no scored selection question on {_sentence_lower(topic)}: add one, "
            "with a weight.",
            "selection_unscored_topics",
        )
        for topic in facts.selection_unscored_topics
    ]
    if not facts.selection_weights:
        if not breaches:
            breaches.append(
                RuleBreach(
                    name,
                    "There are no scored selection questions: add scored questions on the "
                    "suppliers' capacity in research and development and in developing and "
                    "implementing innovative solutions.",
                    "selection_weights",
                )
            )
        return breaches
    total = sum(facts.selection_weights)
    if total != 100:
        breaches.append(
            RuleBreach(
                name,
                f"The scored selection questions' weights add up to {total}%. They must add up "
                "to 100%: change the weights so that they do.",
                "selection_weights",
            )
        )
    return breaches


def rule_ip_terms(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The IP arrangements are defined in the documents before tendering.

    Directive 2014/24/EU art. 31(6) (PCR 2015 reg. 31): the procurement
    documents define the arrangements for intellectual property rights;
    RULES.md point 12.
    """
    if facts.ip_terms_complete:
        return []
    return [
        RuleBreach(
            "ip_terms",
            "The IP terms are not complete: say who owns new IP, the licence to the borough, "
            "the borough's share of any commercial benefit and the rules for background IP, "
            "then mark the section as completed.",
            "ip_terms_complete",
        )
    ]


def rule_team(
    facts: PublicationFacts, regime: RegimeRules, *, today: date | None = None
) -> list[RuleBreach]:
    """The team has a lead officer and an approver who is not its author.

    Four eyes (ARCHITECTURE.md, roles): the approver approves publication and is
    never the author; every decision is recorded with its reasons (PCR 2015
    reg. 84). Portal policy rather than a figure of either regime.
    """
    breaches = []
    if not facts.lead_officer_assigned:
        breaches.append(
            RuleBreach(
                "team",
                "There is no lead officer: choose the procurement officer who leads this "
                "procurement.",
                "lead_officer_assigned",
            )
        )
    if not facts.approver_assigned:
        breaches.append(
            RuleBreach(
                "team",
                "There is no approver: choose one of the borough's approvers, who must "
                "approve the procurement before it is published.",
                "approver_assigned",
            )
        )
    elif facts.approver_is_author:
        breaches.append(
            RuleBreach(
                "team",
                "The approver is also the author or lead officer of this procurement: choose "
                "a different approver (four eyes).",
                "approver_is_author",
            )
        )
    elif not facts.approver_holds_role:
        breaches.append(
            RuleBreach(
                "team",
                "The approver chosen is not an approver of this borough: choose one of the "
                "borough's approvers.",
                "approver_holds_role",
            )
        )
    return breaches


# Run in this order, so the messages read in the order of the task list.
RULES: tuple[Rule, ...] = (
    rule_challenge,
    rule_market_gap,
    rule_minimum_requirements,
    rule_regime_applies,
    rule_participation_period,
    rule_deadlines_on_working_days,
    rule_question_deadline,
    rule_timetable_order,
    rule_number_to_invite,
    rule_invite_at_least_max_partners,
    rule_selection_questionnaire,
    rule_award_basis,
    rule_award_weights,
    rule_phases_present,
    rule_phase_gate_criteria,
    rule_phase_termination_conditions,
    rule_remuneration_within_estimated_value,
    rule_ip_terms,
    rule_team,
)


def publication_breaches(
    procurement_or_facts: Procurement | PublicationFacts, *, today: date | None = None
) -> list[RuleBreach]:
    """Every rule the procurement breaks; empty when it may be published.

    ``today`` (a London date) is given when the procurement is about to be
    submitted, approved or published: a notice date that has passed is then
    replaced by today, so a deadline that has come too close is caught.
    """
    if isinstance(procurement_or_facts, PublicationFacts):
        facts = procurement_or_facts
    else:
        facts = publication_facts(procurement_or_facts)
    regime = REGIMES.get(facts.regime)
    if regime is None:
        breaches = [
            RuleBreach(
                "regime",
                "The procurement's regime is not one the portal knows: choose the Procurement "
                "Act 2023 or the Public Contracts Regulations 2015.",
                "regime",
            )
        ]
    else:
        breaches = [breach for rule in RULES for breach in rule(facts, regime, today=today)]
    return [
        breach
        if breach.section
        else dataclasses.replace(breach, section=facts.sources.get(breach.field, ""))
        for breach in breaches
    ]


# --- amendments after publication --------------------------------------------------------------


def amendment_deadline_breaches(
    *, regime_key: str, amended_on: date, participation_deadline: datetime | None
) -> list[RuleBreach]:
    """An amendment leaves at least the regime's minimum time before the participation deadline.

    PCR 2015 reg. 47(3): where significant changes are made to the procurement
    documents, or additional information is given less than 6 days before the
    time limit (reg. 47(3)(a), reg. 53(2)), the time limit is extended. PA 2023
    s.31 and s.54(4)/(5) ask for reasonable time limits after a modification
    (the figure is marked "(check)" in ``PA2023_RULES``). An amendment made on
    ``amended_on`` (a London date) therefore needs the participation deadline,
    as amended, on or after ``RegimeRules.earliest_deadline_after_amendment``.
    """
    regime = REGIMES[regime_key]
    if participation_deadline is None or regime.amendment_min_days_before_deadline < 1:
        return []
    earliest = regime.earliest_deadline_after_amendment(amended_on)
    deadline = london_date(participation_deadline)
    if deadline >= earliest:
        return []
    days = regime.amendment_min_days_before_deadline
    counted = "working days" if regime.day_count is DayCount.WORKING_DAYS else "days"
    return [
        RuleBreach(
            "amendment_deadline",
            f"The participation deadline, {uk_date_text(deadline)}, leaves less than {days} "
            f"{counted} after this amendment. Under the {regime.title} suppliers must have at "
            f"least {days} {counted} after an amendment: move the participation deadline to "
            f"{uk_date_text(earliest)} or later.",
            "participation_deadline",
        )
    ]
