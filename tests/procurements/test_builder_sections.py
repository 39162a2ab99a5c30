"""The challenge, market gap, timetable and team sections: half-finished saves, completion."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole
from procurements.models import Procurement, ProcurementStatus, Regime, SectionStatus
from procurements.registry import builder_section_get
from procurements.services.builder import (
    procurement_challenge_save,
    procurement_market_gap_save,
    procurement_team_save,
    procurement_timetable_save,
)
from procurements.services.sections import section_status
from stages.models import Phase
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def procurement(personas):
    return factories.ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        created_by=personas.officer_a,
        title="Falls at home",
    )


@pytest.fixture
def officer(personas, login):
    return login(personas.officer_a)


def _url(name, procurement):
    return reverse(f"procurements:{name}", kwargs={"pk": procurement.pk})


def _fresh(procurement):
    return Procurement.objects.get(pk=procurement.pk)


def _saved_events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


FULL_CHALLENGE = {
    "problem": "Older residents fall at night and lie undiscovered",
    "outcomes": "Falls found within 10 minutes",
    "outcome_measures": "Minutes from fall to response, from the care line records",
    "users_affected": "Residents over 75 living alone",
    "sector": "health_care",
    "cpv_codes": "73000000-2, 85000000",
}


# --- the challenge ---------------------------------------------------------------------------


def test_a_half_finished_challenge_saves_and_is_in_progress(officer, procurement, personas):
    response = officer.post(_url("challenge", procurement), {"problem": "Falls", "completed": "no"})

    saved = _fresh(procurement)
    assert response.status_code == 302
    assert response["Location"] == _url("task-list", procurement)
    assert saved.problem == "Falls" and saved.outcomes == ""
    assert section_status(saved, "challenge") == SectionStatus.IN_PROGRESS
    (event,) = _saved_events("procurement.challenge_saved")
    assert event.actor == personas.officer_a
    assert event.data == {"section": "challenge", "fields": ["problem"]}


def test_marking_the_challenge_completed_needs_every_answer_with_one_message_each(
    officer, procurement
):
    officer.post(_url("challenge", procurement), {"problem": "Falls", "completed": "no"})

    response = officer.post(
        _url("challenge", procurement), {"problem": "Changed", "outcomes": "", "completed": "yes"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    for message in [
        "Describe the outcomes you want",
        "Explain how you will measure the outcomes",
        "Say who is affected",
        "Select the sector",
        "Enter at least one CPV code",
    ]:
        assert html.count(message) == 2, message  # the error summary and the field
    assert "Describe the problem" not in html
    assert "Changed" in html  # what was typed is kept
    saved = _fresh(procurement)
    assert saved.problem == "Falls"  # nothing already saved is lost
    assert section_status(saved, "challenge") == SectionStatus.IN_PROGRESS


def test_a_complete_challenge_is_marked_completed_with_its_cpv_codes_as_a_list(
    officer, procurement
):
    officer.post(_url("challenge", procurement), {**FULL_CHALLENGE, "completed": "yes"})

    saved = _fresh(procurement)
    assert saved.cpv_codes == ["73000000-2", "85000000"]
    assert saved.sector == "health_care"
    assert section_status(saved, "challenge") == SectionStatus.COMPLETED


def test_cpv_codes_may_be_separated_by_spaces_or_commas_and_repeats_are_dropped(
    officer, procurement
):
    officer.post(
        _url("challenge", procurement),
        {"cpv_codes": "73000000-2 85000000,\n73000000-2", "completed": "no"},
    )

    assert _fresh(procurement).cpv_codes == ["73000000-2", "85000000"]


def test_a_bad_cpv_code_is_named_and_nothing_is_saved(officer, procurement):
    officer.post(_url("challenge", procurement), {**FULL_CHALLENGE, "completed": "no"})

    response = officer.post(
        _url("challenge", procurement),
        {**FULL_CHALLENGE, "problem": "New", "cpv_codes": "73000000-2, 7300", "completed": "no"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "“7300” is not a CPV code" in html
    assert "73000000-2, 7300" in html
    saved = _fresh(procurement)
    assert saved.cpv_codes == ["73000000-2", "85000000"]
    assert saved.problem == FULL_CHALLENGE["problem"]


def test_the_completed_question_must_be_answered(officer, procurement):
    response = officer.post(_url("challenge", procurement), {"problem": "Falls"})

    assert "Select whether you have completed this section" in response.content.decode()
    assert _fresh(procurement).problem == ""


def test_saving_an_unchanged_section_writes_no_save_event(officer, procurement):
    officer.post(_url("challenge", procurement), {"problem": "Falls", "completed": "no"})
    officer.post(_url("challenge", procurement), {"problem": "Falls", "completed": "no"})

    assert len(_saved_events("procurement.challenge_saved")) == 1


# --- the market gap ------------------------------------------------------------------------------


def test_the_market_gap_saves_blank_while_in_progress(officer, procurement):
    response = officer.post(_url("market-gap", procurement), {"completed": "no"})

    assert response.status_code == 302
    assert section_status(_fresh(procurement), "market-gap") == SectionStatus.IN_PROGRESS


def test_the_market_gap_cannot_be_completed_without_the_justification(officer, procurement):
    response = officer.post(
        _url("market-gap", procurement),
        {"market_engagement_evidence": "Two supplier days in 2025", "completed": "yes"},
    )

    html = response.content.decode()
    assert "Explain why no product or service on the market meets the need" in html
    assert _fresh(procurement).market_engagement_evidence == ""


def test_the_market_gap_completes_and_gives_the_rules_its_text(officer, procurement):
    from procurements.registry import builder_section_get

    officer.post(
        _url("market-gap", procurement),
        {"market_gap": "Nothing detects falls without cameras", "completed": "yes"},
    )

    saved = _fresh(procurement)
    assert section_status(saved, "market-gap") == SectionStatus.COMPLETED
    facts = builder_section_get("market-gap").facts(saved)
    assert facts == {"market_gap": "Nothing detects falls without cameras"}


# --- the regime and timetable ---------------------------------------------------------------------


def _dates(name, day, month, year, time=None):
    values = {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    if time is not None:
        values[f"{name}_time"] = time
    return values


FULL_TIMETABLE = {
    "regime": "pa2023",
    **_dates("notice_date", "1", "6", "2026"),
    **_dates("question_deadline", "15", "6", "2026", "17:30"),
    **_dates("participation_deadline", "1", "7", "2026", ""),
    **_dates("indicative_tender_date", "1", "9", "2026"),
    "max_partners": "3",
    "number_to_invite": "5",
}


def test_deadlines_are_read_as_uk_time_and_a_missing_time_is_midday(officer, procurement):
    response = officer.post(_url("timetable", procurement), {**FULL_TIMETABLE, "completed": "yes"})

    saved = _fresh(procurement)
    assert response.status_code == 302
    assert saved.notice_date == date(2026, 6, 1)
    # British Summer Time: UK time is UTC + 1.
    assert saved.question_deadline == datetime(2026, 6, 15, 16, 30, tzinfo=UTC)
    assert saved.participation_deadline == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert saved.max_partners == 3 and saved.number_to_invite == 5
    assert section_status(saved, "timetable") == SectionStatus.COMPLETED


def test_saved_deadlines_are_shown_back_in_uk_time(officer, procurement):
    officer.post(_url("timetable", procurement), {**FULL_TIMETABLE, "completed": "no"})

    html = officer.get(_url("timetable", procurement)).content.decode()

    assert 'value="17:30"' in html and 'value="12:00"' in html


def test_the_regime_defaults_to_the_procurement_act_and_explains_pcr_2015(officer, procurement):
    html = officer.get(_url("timetable", procurement)).content.decode()

    (pa2023,) = re.findall(r'<input[^>]*value="pa2023"[^>]*>', html)
    (pcr2015,) = re.findall(r'<input[^>]*value="pcr2015"[^>]*>', html)
    assert "checked" in pa2023 and "checked" not in pcr2015
    assert "before 24 February 2025" in html


def test_a_half_finished_timetable_saves_with_blanks(officer, procurement):
    officer.post(
        _url("timetable", procurement),
        {"regime": "pcr2015", **_dates("notice_date", "1", "6", "2026"), "completed": "no"},
    )

    saved = _fresh(procurement)
    assert saved.regime == Regime.PCR2015
    assert saved.participation_deadline is None
    assert section_status(saved, "timetable") == SectionStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (_dates("notice_date", "31", "2", "2026"), "The notice date must be a real date"),
        (_dates("notice_date", "1", "", "2026"), "The notice date must include a month"),
        (_dates("notice_date", "", "", "26"), "The notice date must include a day and a month"),
        (_dates("notice_date", "1", "6", "26"), "The notice date must be a real date"),
        (
            _dates("participation_deadline", "1", "7", "2026", "25:00"),
            "Enter the time of the participation deadline like 14:30 or 2:30pm",
        ),
        ({"max_partners": "0"}, "The maximum number of partners must be 1 or more"),
        ({"max_partners": "21"}, "The maximum number of partners must be 20 or fewer"),
        ({"number_to_invite": "three"}, "The number of suppliers to invite must be a whole number"),
    ],
)
def test_badly_shaped_timetable_input_is_refused_with_a_message(
    officer, procurement, typed, message
):
    response = officer.post(
        _url("timetable", procurement), {"regime": "pa2023", **typed, "completed": "no"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _saved_events("procurement.timetable_saved")


def test_the_question_deadline_must_come_before_the_participation_deadline(officer, procurement):
    response = officer.post(
        _url("timetable", procurement),
        {
            "regime": "pa2023",
            **_dates("question_deadline", "2", "7", "2026", "9am"),
            **_dates("participation_deadline", "1", "7", "2026"),
            "completed": "no",
        },
    )

    assert "The question deadline must be before the participation deadline" in (
        response.content.decode()
    )
    assert _fresh(procurement).question_deadline is None


def test_a_timetable_marked_completed_needs_each_date_and_number(officer, procurement):
    response = officer.post(
        _url("timetable", procurement), {"regime": "pa2023", "completed": "yes"}
    )

    html = response.content.decode()
    for message in [
        "Enter the date the tender notice will be published",
        "Enter the deadline for clarification questions",
        "Enter the deadline for requests to participate",
        "Enter the maximum number of partners to appoint",
        "Enter the number of suppliers to invite to tender",
    ]:
        assert message in html, message
    assert 'href="#id_notice_date_0"' in html  # the summary links to the day box


def test_the_timetable_does_not_apply_the_legal_minimum_periods(officer, procurement):
    """A one-day participation period is only refused at submission or publication."""
    officer.post(
        _url("timetable", procurement),
        {
            **FULL_TIMETABLE,
            **_dates("question_deadline", "1", "6", "2026", "9am"),
            **_dates("participation_deadline", "2", "6", "2026"),
            "completed": "yes",
        },
    )

    assert section_status(_fresh(procurement), "timetable") == SectionStatus.COMPLETED


def test_the_timetable_service_refuses_numbers_the_model_does_not_allow(procurement, personas):
    with pytest.raises(ApplicationError) as refusal:
        procurement_timetable_save(
            actor=personas.officer_a,
            procurement=procurement,
            completed=False,
            regime="pa2023",
            notice_date=None,
            question_deadline=None,
            participation_deadline=None,
            indicative_tender_date=None,
            max_partners=21,
            number_to_invite=None,
        )

    assert "max_partners" in refusal.value.extra["errors"]
    assert _fresh(procurement).max_partners is None


PARTS = ("day", "month", "year")


def _input_value(html, name):
    (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    found = re.search(r'value="([^"]*)"', tag)
    return found[1] if found else ""


def test_the_day_the_procedure_began_and_the_indicative_start_are_saved_and_shown_back(
    officer, procurement
):
    response = officer.post(
        _url("timetable", procurement),
        {
            **FULL_TIMETABLE,
            "regime": "pcr2015",
            **_dates("procedure_began_on", "3", "2", "2025"),
            **_dates("indicative_start_date", "1", "6", "2027"),
            "completed": "yes",
        },
    )

    assert response.status_code == 302
    saved = _fresh(procurement)
    assert saved.procedure_began_on == date(2025, 2, 3)
    assert saved.indicative_start_date == date(2027, 6, 1)
    event = _saved_events("procurement.timetable_saved")[-1]
    assert {"procedure_began_on", "indicative_start_date"} <= set(event.data["fields"])
    html = officer.get(_url("timetable", procurement)).content.decode()
    assert "When did the procedure begin?" in html
    assert "Indicative start of the partnership" in html
    assert [_input_value(html, f"procedure_began_on_{part}") for part in PARTS] == [
        "3",
        "2",
        "2025",
    ]
    assert [_input_value(html, f"indicative_start_date_{part}") for part in PARTS] == [
        "1",
        "6",
        "2027",
    ]


def test_both_dates_may_be_left_blank_or_cleared(officer, procurement):
    Procurement.objects.filter(pk=procurement.pk).update(
        procedure_began_on=date(2025, 2, 3), indicative_start_date=date(2027, 6, 1)
    )

    response = officer.post(_url("timetable", procurement), {**FULL_TIMETABLE, "completed": "yes"})

    assert response.status_code == 302
    saved = _fresh(procurement)
    assert (saved.procedure_began_on, saved.indicative_start_date) == (None, None)
    assert section_status(saved, "timetable") == SectionStatus.COMPLETED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            _dates("procedure_began_on", "30", "2", "2025"),
            "The date the procedure began must be a real date",
        ),
        (
            _dates("indicative_start_date", "1", "", "2027"),
            "The indicative start of the partnership must include a month",
        ),
    ],
)
def test_badly_typed_new_dates_are_refused_and_nothing_is_saved(
    officer, procurement, typed, message
):
    response = officer.post(
        _url("timetable", procurement), {**FULL_TIMETABLE, **typed, "completed": "no"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _saved_events("procurement.timetable_saved")


def _planned(procurement, *, began_on=None):
    """``procurement`` under PCR 2015 with an indicative start and three phases, the second
    without a duration yet."""
    Procurement.objects.filter(pk=procurement.pk).update(
        regime=Regime.PCR2015,
        procedure_began_on=began_on,
        indicative_tender_date=date(2027, 3, 1),
        indicative_start_date=date(2027, 6, 1),
    )
    for order, (name, weeks) in enumerate([("Research", 13), ("Prototype", None), ("Pilot", 8)]):
        Phase.objects.create(
            procurement=procurement, order=order, kind="research", name=name, duration_weeks=weeks
        )
    return _fresh(procurement)


PHASE_ROWS = [
    ("Phase 1: Research", "1 June 2027 to 30 August 2027"),
    ("Phase 2: Prototype", "Dates to be set"),
    ("Phase 3: Pilot", "Dates to be set"),
]


def test_the_summary_shows_when_the_procedure_began_the_start_and_each_phases_dates(
    procurement,
):
    planned = _planned(procurement, began_on=date(2025, 2, 3))

    rows = builder_section_get("timetable").summary(planned)

    labels = [label for label, _ in rows]
    assert rows[:2] == [
        ("Law followed", "Public Contracts Regulations 2015 (regulation 31)"),
        ("Date the procedure began", "3 February 2025"),
    ]
    start = labels.index("Indicative start of the partnership")
    assert rows[start - 1] == ("Indicative date of the invitation to tender", "1 March 2027")
    assert rows[start : start + 4] == [
        ("Indicative start of the partnership", "1 June 2027"),
        *PHASE_ROWS,
    ]
    assert labels[start + 4 :] == [
        "Maximum number of partners",
        "Number of suppliers to invite to tender",
    ]


def test_the_summary_leaves_out_the_day_the_procedure_began_when_not_given(procurement):
    labels = [label for label, _ in builder_section_get("timetable").summary(procurement)]

    assert "Date the procedure began" not in labels
    assert "Indicative start of the partnership" in labels


def test_the_timetable_announces_when_the_procedure_began_the_start_and_each_phases_dates(
    procurement,
):
    planned = _planned(procurement, began_on=date(2025, 2, 3))

    content = builder_section_get("timetable").announce(planned)

    assert content["procedure_began_on"] == "3 February 2025"
    assert content["indicative_start_date"] == "1 June 2027"
    assert content["partnership_dates"] == [
        {"label": label, "dates": dates} for label, dates in PHASE_ROWS
    ]


def test_the_timetable_gives_the_rules_its_new_dates(procurement):
    planned = _planned(procurement, began_on=date(2025, 2, 3))

    facts = builder_section_get("timetable").facts(planned)

    assert facts["procedure_began_on"] == date(2025, 2, 3)
    assert facts["indicative_tender_date"] == date(2027, 3, 1)
    assert facts["indicative_start_date"] == date(2027, 6, 1)


# --- the team -----------------------------------------------------------------------------------


def test_the_team_saves_its_lead_approver_and_evaluators(officer, procurement, personas):
    response = officer.post(
        _url("team", procurement),
        {
            "lead_officer": personas.officer_a.pk,
            "approver": personas.approver_a.pk,
            "evaluators": [personas.evaluator_a.pk],
            "completed": "yes",
        },
    )

    saved = _fresh(procurement)
    assert response.status_code == 302
    assert saved.approver == personas.approver_a
    assert list(saved.evaluators.all()) == [personas.evaluator_a]
    assert section_status(saved, "team") == SectionStatus.COMPLETED
    (event,) = _saved_events("procurement.team_saved")
    assert event.data["fields"] == ["approver", "evaluators"]


def test_the_team_offers_only_the_boroughs_people_in_each_role(officer, procurement, personas):
    html = officer.get(_url("team", procurement)).content.decode()

    assert personas.approver_a.email in html
    assert personas.evaluator_a.email in html
    assert personas.officer_b.email not in html


def test_the_approver_cannot_be_the_lead_officer(officer, procurement, personas):
    both = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)

    response = officer.post(
        _url("team", procurement),
        {"lead_officer": both.pk, "approver": both.pk, "completed": "no"},
    )

    assert "The approver cannot be the lead officer: four eyes" in response.content.decode()
    assert _fresh(procurement).approver is None


def test_the_approver_cannot_be_the_author(procurement, personas):
    creator = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    Procurement.objects.filter(pk=procurement.pk).update(created_by=creator)

    with pytest.raises(ApplicationError) as refusal:
        procurement_team_save(
            actor=personas.officer_a,
            procurement=_fresh(procurement),
            completed=False,
            lead_officer=personas.officer_a,
            approver=creator,
            evaluators=[],
        )

    assert "cannot be the person who created this procurement" in refusal.value.message


def test_people_of_another_borough_are_refused_on_the_page_and_by_the_service(
    officer, procurement, personas
):
    response = officer.post(
        _url("team", procurement),
        {"lead_officer": personas.officer_b.pk, "completed": "no"},
    )
    assert "Select a procurement officer of the borough" in response.content.decode()

    with pytest.raises(ApplicationError) as refusal:
        procurement_team_save(
            actor=personas.officer_a,
            procurement=procurement,
            completed=False,
            lead_officer=personas.officer_a,
            approver=None,
            evaluators=[personas.evaluator_a, personas.officer_b],
        )
    assert refusal.value.extra["errors"]["evaluators"].startswith(
        "Evaluators must be evaluators or officers of London Borough of Aldgate"
    )
    assert not _fresh(procurement).evaluators.exists()


@pytest.mark.parametrize(
    ("field", "person"), [("lead_officer", "approver_a"), ("approver", "evaluator_a")]
)
def test_the_service_refuses_someone_without_the_role(procurement, personas, field, person):
    team = {"lead_officer": personas.officer_a, "approver": None, "evaluators": []}
    team[field] = getattr(personas, person)

    with pytest.raises(ApplicationError) as refusal:
        procurement_team_save(
            actor=personas.officer_a, procurement=procurement, completed=False, **team
        )

    assert field in refusal.value.extra["errors"]


def test_a_team_marked_completed_needs_an_approver_and_an_evaluator(officer, procurement, personas):
    response = officer.post(
        _url("team", procurement), {"lead_officer": personas.officer_a.pk, "completed": "yes"}
    )

    html = response.content.decode()
    assert "Select the approver" in html
    assert "Select at least one evaluator" in html


# --- who may edit, and when -----------------------------------------------------------------------

SECTIONS = ["challenge", "market-gap", "timetable", "team"]


@pytest.mark.parametrize("name", SECTIONS)
def test_sections_cannot_be_changed_once_submitted(officer, procurement, name):
    Procurement.objects.filter(pk=procurement.pk).update(status=ProcurementStatus.AWAITING_APPROVAL)

    assert officer.get(_url(name, procurement)).status_code == 403
    response = officer.post(_url(name, procurement), {**FULL_CHALLENGE, "completed": "no"})

    assert response.status_code == 403
    assert _fresh(procurement).problem == ""
    assert _fresh(procurement).section_status == {}


@pytest.mark.parametrize("name", SECTIONS)
def test_only_the_boroughs_procurement_officers_may_open_a_section(
    login, personas, procurement, name
):
    assert login(personas.approver_a).get(_url(name, procurement)).status_code == 403
    assert login(personas.officer_b).get(_url(name, procurement)).status_code == 404
    assert login(personas.supplier_a_admin).get(_url(name, procurement)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("approver_a", 403), ("borough_admin_a", 403), ("officer_b", 404), ("supplier_a_admin", 404)],
)
@pytest.mark.parametrize("name", SECTIONS)
def test_nobody_else_can_post_a_section(login, personas, procurement, name, persona, status_code):
    client = login(getattr(personas, persona))
    events = AuditEvent.objects.count()
    data = {
        **FULL_CHALLENGE,
        **FULL_TIMETABLE,
        "market_gap": "Nothing fits",
        "lead_officer": personas.officer_b.pk,
        "completed": "no",
    }

    response = client.post(_url(name, procurement), data)

    assert response.status_code == status_code
    fresh = _fresh(procurement)
    assert (fresh.problem, fresh.market_gap, fresh.regime, fresh.notice_date) == (
        "",
        "",
        procurement.regime,
        None,
    )
    assert (fresh.lead_officer, fresh.section_status) == (personas.officer_a, {})
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["approver_a", "borough_admin_a", "officer_b", "supplier_a_admin"])
def test_the_section_services_refuse_whoever_may_not_edit(procurement, personas, who):
    actor = getattr(personas, who)

    with pytest.raises(PermissionRefused, match="only its borough's procurement officers"):
        procurement_challenge_save(
            actor=actor, procurement=procurement, completed=False, problem="Mine",
            outcomes="", outcome_measures="", users_affected="", sector="", cpv_codes=[],
        )  # fmt: skip
    with pytest.raises(PermissionRefused):
        procurement_market_gap_save(
            actor=actor, procurement=procurement, completed=False, market_gap="Mine",
            market_engagement_evidence="",
        )  # fmt: skip
    with pytest.raises(PermissionRefused):
        procurement_team_save(
            actor=actor, procurement=procurement, completed=False,
            lead_officer=personas.officer_a, approver=personas.approver_a, evaluators=[],
        )  # fmt: skip

    fresh = _fresh(procurement)
    assert (fresh.problem, fresh.market_gap, fresh.approver, fresh.section_status) == (
        "",
        "",
        None,
        {},
    )


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_page_has_one_heading_and_the_completed_question(officer, procurement, name):
    html = officer.get(_url(name, procurement)).content.decode()

    assert html.count("<h1") == 1
    assert "Have you completed this section?" in html


def test_the_rules_read_the_timetable_and_market_gap_from_these_sections(officer, procurement):
    from procurements.rules import publication_facts

    officer.post(_url("timetable", procurement), {**FULL_TIMETABLE, "completed": "no"})
    officer.post(_url("market-gap", procurement), {"market_gap": "Nothing fits", "completed": "no"})

    facts = publication_facts(_fresh(procurement))
    assert facts.participation_deadline == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert facts.notice_date == date(2026, 6, 1)
    assert (facts.max_partners, facts.number_to_invite) == (3, 5)
    assert facts.market_gap == "Nothing fits"
    assert facts.sources["participation_deadline"] == "timetable"
