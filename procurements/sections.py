"""The procurement app's own builder sections (registered on import).

The challenge, why nothing on the market meets the need, the regime and
timetable, and the team. Minimum requirements and award criteria are
registered by ``procurements.sections_lists``; the phase plan, IP terms and
selection questionnaire by the apps that own them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.calendar import LONDON

from .models import Procurement, Regime
from .registry import BuilderSection, builder_sections, register_builder_section

GROUP_CHALLENGE = "Describe the challenge"
GROUP_PROCEDURE = "Plan the procedure"
GROUP_TEAM = "Choose the team"
UK_TIME = LONDON  # Europe/London, as every page shows times


def uk_date_text(value: date | None) -> str:
    """27 March 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""


def uk_time_text(value: datetime) -> str:
    """GOV.UK style: midday, midnight, 9am, 5:30pm."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'pm' if value.hour >= 12 else 'am'}"


def uk_datetime_text(value: datetime | None) -> str:
    """A moment in UK time (Europe/London), like "27 March 2026 at 5:30pm"."""
    if value is None:
        return ""
    local = timezone.localtime(value, UK_TIME)
    return f"{uk_date_text(local.date())} at {uk_time_text(local)}"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def pounds_text(amount: Decimal | None) -> str:
    """£1,200,000.00; empty when not given."""
    return "" if amount is None else f"£{amount:,.2f}"


ITT_FRAGMENTS = "procurements/itt"


# --- the challenge -------------------------------------------------------------------------


def _challenge_has_content(procurement: Procurement) -> bool:
    return any(
        [
            procurement.problem,
            procurement.outcomes,
            procurement.outcome_measures,
            procurement.users_affected,
            procurement.sector,
            procurement.cpv_codes,
        ]
    )


def _challenge_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    return [
        ("Problem", procurement.problem),
        ("Outcomes wanted", procurement.outcomes),
        ("How the outcomes will be measured", procurement.outcome_measures),
        ("Who is affected", procurement.users_affected),
        ("Sector", procurement.get_sector_display() if procurement.sector else ""),
        ("CPV codes", list(procurement.cpv_codes)),
    ]


def _challenge_announce(procurement: Procurement) -> dict[str, Any]:
    return {
        "problem": procurement.problem,
        "outcomes": procurement.outcomes,
        "outcome_measures": procurement.outcome_measures,
        "users_affected": procurement.users_affected,
        "sector": procurement.get_sector_display() if procurement.sector else "",
        "cpv_codes": [str(code) for code in procurement.cpv_codes],
    }


def _challenge_facts(procurement: Procurement) -> dict[str, Any]:
    return {
        "problem": procurement.problem,
        "outcomes": procurement.outcomes,
        "outcome_measures": procurement.outcome_measures,
    }


# --- the market gap ------------------------------------------------------------------------


def _market_gap_has_content(procurement: Procurement) -> bool:
    return bool(procurement.market_gap or procurement.market_engagement_evidence)


def _market_gap_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    return [
        ("Why nothing on the market meets the need", procurement.market_gap),
        ("Evidence of market engagement", procurement.market_engagement_evidence),
    ]


def _market_gap_announce(procurement: Procurement) -> dict[str, Any]:
    return {
        "market_gap": procurement.market_gap,
        "market_engagement_evidence": procurement.market_engagement_evidence,
    }


def _market_gap_facts(procurement: Procurement) -> dict[str, Any]:
    return {"market_gap": procurement.market_gap}


# --- the regime and timetable ----------------------------------------------------------------


def _timetable_has_content(procurement: Procurement) -> bool:
    return procurement.regime != Regime.PA2023 or any(
        value is not None
        for value in (
            procurement.procedure_began_on,
            procurement.notice_date,
            procurement.question_deadline,
            procurement.participation_deadline,
            procurement.indicative_tender_date,
            procurement.indicative_start_date,
            procurement.max_partners,
            procurement.number_to_invite,
        )
    )


def partnership_dates(procurement: Procurement) -> list[tuple[str, str]]:
    """The indicative dates of the partnership after its start, as (label, dates) rows given
    by the sections of the apps that plan it (``BuilderSection.timetable_rows``), such as
    the dates of each phase of the phase plan."""
    return [
        row
        for section in builder_sections()
        if section.timetable_rows is not None
        for row in section.timetable_rows(procurement)
    ]


def _timetable_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    began = procurement.procedure_began_on
    return [
        ("Law followed", procurement.get_regime_display()),
        *([("Date the procedure began", uk_date_text(began))] if began else []),
        ("Tender notice published on", uk_date_text(procurement.notice_date)),
        ("Deadline for clarification questions", uk_datetime_text(procurement.question_deadline)),
        (
            "Deadline for requests to participate",
            uk_datetime_text(procurement.participation_deadline),
        ),
        (
            "Indicative date of the invitation to tender",
            uk_date_text(procurement.indicative_tender_date),
        ),
        (
            "Indicative start of the partnership",
            uk_date_text(procurement.indicative_start_date),
        ),
        *partnership_dates(procurement),
        ("Maximum number of partners", _number(procurement.max_partners)),
        ("Number of suppliers to invite to tender", _number(procurement.number_to_invite)),
    ]


def _timetable_announce(procurement: Procurement) -> dict[str, Any]:
    """The regime and every date of the call, as UK time text (Europe/London), then the
    indicative start of the partnership and the dates that follow from it (each phase's)."""
    return {
        "regime": procurement.regime,
        "regime_label": procurement.get_regime_display(),
        "procedure_began_on": uk_date_text(procurement.procedure_began_on),
        "notice_date": uk_date_text(procurement.notice_date),
        "question_deadline": uk_datetime_text(procurement.question_deadline),
        "participation_deadline": uk_datetime_text(procurement.participation_deadline),
        "indicative_tender_date": uk_date_text(procurement.indicative_tender_date),
        "indicative_start_date": uk_date_text(procurement.indicative_start_date),
        "partnership_dates": [
            {"label": label, "dates": dates} for label, dates in partnership_dates(procurement)
        ],
        "max_partners": _number(procurement.max_partners),
        "number_to_invite": _number(procurement.number_to_invite),
    }


def _timetable_facts(procurement: Procurement) -> dict[str, Any]:
    return {
        "regime": procurement.regime,
        "procedure_began_on": procurement.procedure_began_on,
        "notice_date": procurement.notice_date,
        "question_deadline": procurement.question_deadline,
        "participation_deadline": procurement.participation_deadline,
        "indicative_tender_date": procurement.indicative_tender_date,
        "indicative_start_date": procurement.indicative_start_date,
        "max_partners": procurement.max_partners,
        "number_to_invite": procurement.number_to_invite,
    }


# --- the team ------------------------------------------------------------------------------


def _team_has_content(procurement: Procurement) -> bool:
    # The lead officer is set at creation: a changed lead counts, the creator alone does not.
    return (
        procurement.approver_id is not None
        or procurement.lead_officer_id != procurement.created_by_id
        or bool(procurement.evaluators.all())
    )


def _person(user) -> str:
    if user is None:
        return ""
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def _team_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    return [
        ("Lead officer", _person(procurement.lead_officer)),
        ("Approver", _person(procurement.approver)),
        ("Evaluators", [_person(person) for person in procurement.evaluators.all()]),
    ]


CHALLENGE = register_builder_section(
    BuilderSection(
        key="challenge",
        title="The challenge",
        order=10,
        url_name="procurements:challenge",
        has_content=_challenge_has_content,
        summary=_challenge_summary,
        facts=_challenge_facts,
        group=GROUP_CHALLENGE,
        announce=_challenge_announce,
        itt_template=f"{ITT_FRAGMENTS}/challenge.html",
    )
)
MARKET_GAP = register_builder_section(
    BuilderSection(
        key="market-gap",
        title="Why nothing on the market meets the need",
        order=20,
        url_name="procurements:market-gap",
        has_content=_market_gap_has_content,
        summary=_market_gap_summary,
        facts=_market_gap_facts,
        group=GROUP_CHALLENGE,
        announce=_market_gap_announce,
        itt_template=f"{ITT_FRAGMENTS}/market_gap.html",
    )
)
TIMETABLE = register_builder_section(
    BuilderSection(
        key="timetable",
        title="Regime and timetable",
        order=40,
        url_name="procurements:timetable",
        has_content=_timetable_has_content,
        summary=_timetable_summary,
        facts=_timetable_facts,
        group=GROUP_PROCEDURE,
        announce=_timetable_announce,
        itt_template=f"{ITT_FRAGMENTS}/timetable.html",
    )
)
TEAM = register_builder_section(
    BuilderSection(
        key="team",
        title="The team",
        order=90,
        url_name="procurements:team",
        has_content=_team_has_content,
        summary=_team_summary,
        group=GROUP_TEAM,
        prefetch=("evaluators",),
    )
)
