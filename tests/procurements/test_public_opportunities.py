"""The public opportunities: who exists publicly, with which status, and how the list
searches, filters, sorts and pages; what one opportunity shows, and to whom."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.models import DocumentStatus, GeneratedDocument
from procurements.models import (
    Amendment,
    ClarificationQuestion,
    EngagementEvent,
    InterestRegistration,
    MarketEngagement,
    MinimumRequirement,
    Notice,
    Procurement,
    ProcurementStatus,
    PublicationVersion,
    Sector,
)
from procurements.selectors_public import PublicStatus, opportunity_get
from procurements.views.public import url_or_blank
from stages.models import Phase
from tests import factories
from tests.procurements.publication_samples import published_opportunity
from tests.signing_in import force_sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("opportunities:list")
UK = ZoneInfo("Europe/London")
_serial = itertools.count(1)


def _draft(personas, borough=None, **fields) -> Procurement:
    return factories.ProcurementFactory(
        borough=borough or personas.borough_a, lead_officer=personas.officer_a, **fields
    )


def _set(procurement: Procurement, **fields) -> Procurement:
    """Put the row in a state directly: the services that get it there are tested elsewhere."""
    Procurement.objects.filter(pk=procurement.pk).update(**fields)
    return Procurement.objects.get(pk=procurement.pk)


def _engagement(procurement, **fields) -> MarketEngagement:
    values = {
        "title": "Talk to us about warm homes",
        "summary": "We want to learn what could keep older flats warm.",
        "published_at": timezone.now() - timedelta(days=2),
        **fields,
    }
    return MarketEngagement.objects.create(procurement=procurement, **values)


def _html(response) -> str:
    return unescape(response.content.decode())


def _titles(html: str) -> list[str]:
    """The result titles of the list, in order."""
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*">'
        r'<a class="govuk-link" href="/opportunities/\d+/">([^<]+)</a>',
        html,
    )


def _clients(personas) -> dict[str, Client]:
    clients = {}
    for name in ("anonymous", "officer_a", "approver_a", "borough_admin_a", "officer_b",
                 "supplier_a_admin", "superuser"):  # fmt: skip
        client = Client()
        user = getattr(personas, name)
        if user.is_authenticated:
            force_sign_in(client, user)
        clients[name] = client
    return clients


# --- who exists publicly -------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [ProcurementStatus.DRAFT, ProcurementStatus.AWAITING_APPROVAL, ProcurementStatus.APPROVED],
)
def test_an_unpublished_procurement_does_not_exist_publicly_for_anyone(personas, status):
    procurement = _set(_draft(personas, title="Secret draft challenge"), status=status)
    detail = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    for name, client in _clients(personas).items():
        assert client.get(detail).status_code == 404, name
        assert "Secret draft challenge" not in _html(client.get(LIST)), name


def test_a_draft_with_an_unpublished_engagement_does_not_exist_publicly(personas):
    procurement = _draft(personas, title="Secret draft challenge")
    _engagement(procurement, title="Unpublished engagement", published_at=None)
    detail = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    assert Client().get(detail).status_code == 404
    assert "Unpublished engagement" not in _html(Client().get(LIST))
    assert opportunity_get(pk=procurement.pk) is None


def test_another_boroughs_procurement_cancelled_before_publication_is_invisible(personas):
    never_published = _set(
        _draft(personas, personas.borough_b, title="Bowfield bins never published"),
        status=ProcurementStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancellation_reason="Budget withdrawn",
    )
    detail = reverse("opportunities:detail", kwargs={"pk": never_published.pk})

    for name, client in _clients(personas).items():
        assert client.get(detail).status_code == 404, name
        assert "Bowfield bins never published" not in _html(client.get(LIST)), name


def test_a_procurement_cancelled_after_publication_stays_public_as_cancelled(personas):
    procurement = published_opportunity(personas, title="Cooler schools")
    procurement = _set(
        procurement,
        status=ProcurementStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancellation_reason="The budget was withdrawn",
    )

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert opportunity_get(pk=procurement.pk).public_status == PublicStatus.CANCELLED
    assert "Cooler schools" in html and ">Cancelled<" in html
    assert "This procurement was cancelled on" in html
    assert "The budget was withdrawn" in html
    assert "Sign in to ask a question" not in html


def test_a_procurement_cancelled_after_its_engagement_shows_only_the_engagement(personas):
    procurement = _draft(personas, title="Draft title", problem="Draft problem words")
    _engagement(procurement, title="Warm homes engagement")
    procurement = _set(procurement, status=ProcurementStatus.CANCELLED, cancelled_at=timezone.now())

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert "Warm homes engagement" in html and ">Cancelled<" in html
    assert "Draft title" not in html and "Draft problem words" not in html
    assert procurement.reference not in html


# --- the public status, by the server clock ------------------------------------------------


def test_the_call_is_open_until_the_participation_deadline_by_the_server_clock(personas):
    now = timezone.now()
    open_one = published_opportunity(
        personas, title="Still open", closes=now + timedelta(seconds=30)
    )
    closed_one = published_opportunity(
        personas, title="Just closed", closes=now - timedelta(seconds=1)
    )

    assert opportunity_get(pk=open_one.pk).public_status == PublicStatus.OPEN
    assert opportunity_get(pk=closed_one.pk).public_status == PublicStatus.CLOSED
    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": closed_one.pk})))
    assert ">Closed<" in html and "Requests to participate can no longer be made" in html


@pytest.mark.parametrize(
    "status",
    [
        ProcurementStatus.SELECTION,
        ProcurementStatus.TENDERING,
        ProcurementStatus.NEGOTIATION,
        ProcurementStatus.EVALUATION,
        ProcurementStatus.STANDSTILL,
        ProcurementStatus.ACTIVE,
        ProcurementStatus.CLOSED,
    ],
)
def test_every_state_after_the_call_is_closed_publicly(personas, status):
    procurement = _set(published_opportunity(personas), status=status)

    assert opportunity_get(pk=procurement.pk).public_status == PublicStatus.CLOSED


def test_a_published_engagement_before_the_call_is_public_as_engagement(personas):
    procurement = _draft(personas)
    _engagement(procurement)
    for status in (ProcurementStatus.AWAITING_APPROVAL, ProcurementStatus.APPROVED):
        procurement = _set(procurement, status=status)

        assert opportunity_get(pk=procurement.pk).public_status == PublicStatus.ENGAGEMENT


def test_once_the_call_is_published_the_engagement_no_longer_sets_the_status(personas):
    procurement = published_opportunity(personas)
    _engagement(procurement)

    assert opportunity_get(pk=procurement.pk).public_status == PublicStatus.OPEN


# --- the list ---------------------------------------------------------------------------------


def test_each_result_shows_title_borough_status_closing_date_sector_and_summary(personas):
    closes = datetime(2031, 7, 14, 17, 0, tzinfo=UK)  # 4pm UTC, 5pm in summer time
    published_opportunity(
        personas,
        title="Falls at home",
        sector=Sector.HEALTH_AND_CARE,
        problem="Older residents fall at home and lie there for hours. " * 10,
        closes=closes,
    )

    html = _html(Client().get(LIST))

    assert _titles(html) == ["Falls at home"]
    assert "1 opportunity<" in html
    assert "London Borough of Aldgate" in html
    assert '<strong class="govuk-tag govuk-tag--green">Open</strong>' in html
    assert "14 July 2031 at 5pm" in html
    assert "Health and social care" in html
    assert "Older residents fall at home and lie there for hours." in html
    assert "…" in html  # the summary is shortened


def test_an_engagement_is_listed_with_its_notice_never_the_drafts_fields(personas):
    procurement = _draft(
        personas, title="Draft title", problem="Draft problem words", sector=Sector.WASTE
    )
    _engagement(procurement, title="Warm homes engagement", summary="Tell us what works")

    html = _html(Client().get(LIST))

    assert _titles(html) == ["Warm homes engagement"]
    assert "Tell us what works" in html and "Market engagement" in html
    assert "No closing date yet" in html
    for draft_text in ("Draft title", "Draft problem words", procurement.reference, "Waste"):
        assert draft_text not in html.split("Sorted by closing date")[1], draft_text


def test_search_needs_every_word_to_match_somewhere_ignoring_case(personas):
    published_opportunity(personas, title="Falls at home", outcomes="Fewer hospital admissions")
    published_opportunity(personas, title="Falls in parks", outcomes="Safer paths")
    published_opportunity(
        personas, personas.borough_b, title="Cooler schools", problem="Hot classrooms"
    )

    def titles(query):
        return _titles(_html(Client().get(LIST, {"q": query})))

    assert titles("FALLS") == ["Falls at home", "Falls in parks"]
    assert titles("falls HOSPITAL") == ["Falls at home"]
    assert titles("falls classrooms") == []
    assert titles("bowfield") == ["Cooler schools"]  # the borough's name
    assert titles("classrooms") == ["Cooler schools"]  # the problem


def test_search_finds_a_reference(personas):
    found = published_opportunity(personas, title="Falls at home")
    published_opportunity(personas, title="Cooler schools")

    html = _html(Client().get(LIST, {"q": found.reference.lower()}))

    assert _titles(html) == ["Falls at home"]


def test_search_does_not_reach_into_an_engagements_draft(personas):
    procurement = _draft(personas, title="Heat pumps", problem="Draft problem words")
    _engagement(procurement, title="Warm homes engagement", summary="Tell us about insulation")

    assert _titles(_html(Client().get(LIST, {"q": "draft problem"}))) == []
    assert _titles(_html(Client().get(LIST, {"q": "heat pumps"}))) == []
    assert _titles(_html(Client().get(LIST, {"q": "insulation"}))) == ["Warm homes engagement"]
    assert _titles(_html(Client().get(LIST, {"q": "aldgate warm"}))) == ["Warm homes engagement"]


def test_filters_by_sector_borough_and_status(personas):
    now = timezone.now()
    published_opportunity(personas, title="Falls at home", sector=Sector.HEALTH_AND_CARE)
    published_opportunity(personas, title="Bus stops", sector=Sector.TRANSPORT)
    published_opportunity(
        personas, personas.borough_b, title="Bowfield care", sector=Sector.HEALTH_AND_CARE
    )
    published_opportunity(
        personas, title="Old call", sector=Sector.WASTE, closes=now - timedelta(days=1)
    )
    _engagement(_draft(personas, sector=Sector.TRANSPORT), title="Engagement on kerbs")

    def titles(**params):
        return sorted(_titles(_html(Client().get(LIST, params))))

    assert titles(sector=["health_care"]) == ["Bowfield care", "Falls at home"]
    assert titles(sector=["health_care", "transport"]) == [
        "Bowfield care",
        "Bus stops",
        "Falls at home",
    ]
    assert titles(borough="bowfield") == ["Bowfield care"]
    assert titles(status=["closed"]) == ["Old call"]
    assert titles(status=["engagement"]) == ["Engagement on kerbs"]
    assert titles(status=["open", "closed"], borough="aldgate") == [
        "Bus stops",
        "Falls at home",
        "Old call",
    ]


def test_filters_by_closing_date_counting_whole_days_in_uk_time(personas):
    # 11:30pm on 31 March 2032 in London is 10:30pm UTC (summer time).
    published_opportunity(
        personas, title="Closes 31 March", closes=datetime(2032, 3, 31, 23, 30, tzinfo=UK)
    )
    published_opportunity(
        personas, title="Closes 1 April", closes=datetime(2032, 4, 1, 0, 0, tzinfo=UK)
    )
    published_opportunity(
        personas, title="Closes 10 April", closes=datetime(2032, 4, 10, 12, 0, tzinfo=UK)
    )
    _engagement(_draft(personas), title="No closing date")

    def titles(**params):
        return _titles(_html(Client().get(LIST, params)))

    def day(prefix, value):
        return {
            f"{prefix}_day": value.day,
            f"{prefix}_month": value.month,
            f"{prefix}_year": value.year,
        }

    march_31, april_1, april_9 = (datetime(2032, 3, 31), datetime(2032, 4, 1), datetime(2032, 4, 9))
    assert titles(**day("closing_to", march_31)) == ["Closes 31 March"]
    assert titles(**day("closing_from", april_1)) == ["Closes 1 April", "Closes 10 April"]
    assert titles(**day("closing_from", march_31), **day("closing_to", april_9)) == [
        "Closes 31 March",
        "Closes 1 April",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"closing_from_day": "31", "closing_from_month": "2", "closing_from_year": "2032"},
            "Closing date from must be a real date, like 27 3 2026",
        ),
        (
            {"closing_to_day": "1", "closing_to_month": "13"},
            "Closing date to must include a year",
        ),
        (
            {"closing_from_day": "x", "closing_from_month": "4", "closing_from_year": "2032"},
            "Closing date from must be a real date, like 27 3 2026",
        ),
        (
            {
                **{
                    "closing_from_day": "10",
                    "closing_from_month": "4",
                    "closing_from_year": "2020",
                },
                **{"closing_to_day": "1", "closing_to_month": "4", "closing_to_year": "2020"},
            },
            "Closing date to must be the same as or after closing date from",
        ),
        ({"status": ["secret"]}, "Select a status from the list"),
        ({"borough": "nowhere"}, "Select a borough from the list"),
    ],
)
def test_bad_filter_input_gives_an_error_message_not_a_crash(personas, params, message):
    published_opportunity(personas, title="Falls at home", sector=Sector.HEALTH_AND_CARE)
    published_opportunity(personas, title="Bus stops", sector=Sector.TRANSPORT)

    response = Client().get(LIST, {**params, "sector": ["transport"]})
    html = _html(response)

    assert response.status_code == 200
    assert "There is a problem" in html and html.count(message) == 2  # summary and field
    assert "<title>Error: " in html
    assert _titles(html) == ["Bus stops"]  # the filters typed correctly still apply


def test_open_calls_first_soonest_closing_then_engagements_then_the_most_recently_closed(
    personas,
):
    now = timezone.now()
    _engagement(_draft(personas), title="Engagement")
    published_opportunity(personas, title="In twenty days", closes=now + timedelta(days=20))
    published_opportunity(personas, title="Closed last month", closes=now - timedelta(days=30))
    published_opportunity(personas, title="Closed last week", closes=now - timedelta(days=7))
    published_opportunity(personas, title="In two days", closes=now + timedelta(days=2))
    cancelled = published_opportunity(personas, title="Cancelled", closes=now + timedelta(days=1))
    _set(cancelled, status=ProcurementStatus.CANCELLED)

    assert _titles(_html(Client().get(LIST))) == [
        "In two days",
        "In twenty days",
        "Engagement",
        "Closed last week",
        "Closed last month",
        "Cancelled",
    ]


def test_pages_of_twenty_keep_the_search_and_filters_in_their_links(personas):
    now = timezone.now()
    for number in range(1, 46):
        published_opportunity(
            personas,
            title=f"Falls challenge {number:02d}",
            sector=Sector.HEALTH_AND_CARE,
            closes=now + timedelta(days=number),
        )
    published_opportunity(personas, title="Bus stops", sector=Sector.TRANSPORT)
    params = {"q": "falls", "sector": "health_care"}

    first = _html(Client().get(LIST, params))
    third = _html(Client().get(LIST, {**params, "page": "3"}))

    assert "45 opportunities<" in first
    assert _titles(first) == [f"Falls challenge {n:02d}" for n in range(1, 21)]
    assert _titles(third) == [f"Falls challenge {n:02d}" for n in range(41, 46)]
    assert 'class="govuk-pagination"' in first
    assert 'href="?q=falls&sector=health_care&page=2" rel="next"' in first
    assert 'href="?q=falls&sector=health_care&page=2" rel="prev"' in third
    assert 'aria-current="page">3<' in third


def test_no_results_says_how_to_improve_the_search(personas):
    published_opportunity(personas, title="Falls at home")

    html = _html(Client().get(LIST, {"q": "zeppelins"}))

    assert "0 opportunities<" in html
    assert "There are no opportunities matching your search." in html


def test_the_home_page_and_the_navigation_link_to_the_list(db):
    html = _html(Client().get(reverse("core:home")))

    assert html.count(f'href="{LIST}"') == 2
    assert "Find opportunities" in html
    current = 'aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
    assert f"{current}Find opportunities" in _html(Client().get(LIST))


# --- one opportunity -------------------------------------------------------------------------


def _full_opportunity(personas) -> Procurement:
    procurement = published_opportunity(
        personas,
        title="Falls at home",
        problem="Older residents fall at home",
        outcomes="Fewer hospital admissions",
        outcome_measures="Admissions per 1,000 residents",
        users_affected="Residents over 75",
        sector=Sector.HEALTH_AND_CARE,
        cpv_codes=["73000000-2", "85000000-9"],
        market_gap="Sensors need a smartphone these residents do not have.",
        questions_until=datetime(2031, 1, 20, 17, 0, tzinfo=UK),
        closes=datetime(2031, 2, 3, 12, 0, tzinfo=UK),
        indicative_tender_date=datetime(2031, 3, 10).date(),
    )
    for order, text in enumerate(["Works without a smartphone", "Keeps data in the UK"]):
        MinimumRequirement.objects.create(procurement=procurement, text=text, order=order)
    return procurement


def _question(procurement, personas, text, *, public_text=None, answer="", private=False):
    question = ClarificationQuestion.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        asked_by=personas.supplier_a_admin,
        text=text,
    )
    if public_text is not None:
        question.publish_answer(public_text=public_text, answer=answer, by=personas.officer_a)
        question.save()
    elif private:
        question.answer_privately(answer=answer, reason="About their bid", by=personas.officer_a)
        question.save()
    return question


def test_the_page_shows_the_challenge_the_requirements_and_the_timetable_in_uk_time(personas):
    procurement = _full_opportunity(personas)

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert '<h1 class="govuk-heading-l">Falls at home</h1>' in html
    assert procurement.reference in html and "London Borough of Aldgate" in html
    for text in (
        "Older residents fall at home",
        "Fewer hospital admissions",
        "Admissions per 1,000 residents",
        "Residents over 75",
        "Health and social care",
        "73000000-2, 85000000-9",
        "Sensors need a smartphone these residents do not have.",
        "20 January 2031 at 5pm",
        "3 February 2031 at midday",
        "10 March 2031",
    ):
        assert text in html, text
    assert re.search(
        r'<ol class="govuk-list govuk-list--number[^"]*">\s*<li>Works without a smartphone</li>'
        r"<li>Keeps data in the UK</li>",
        html,
    )
    assert "The invitation to tender is being prepared" in html


def _timetable_version(procurement, personas, number, start, rows) -> PublicationVersion:
    """A publication version whose timetable announced ``start`` and the phases' ``rows``."""
    timetable = {
        "indicative_start_date": start,
        "partnership_dates": [{"label": label, "dates": dates} for label, dates in rows],
    }
    return PublicationVersion.objects.create(
        procurement=procurement,
        number=number,
        content={"sections": [{"key": "timetable", "content": timetable}]},
        created_by=personas.officer_a,
    )


def _timetable_rows(html: str) -> list[tuple[str, str]]:
    listing = html.split(">Timetable</h2>")[1].split("</dl>")[0]
    return [
        (key.strip(), value.strip())
        for key, value in re.findall(
            r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
            r'<dd class="govuk-summary-list__value">(.*?)</dd>',
            listing,
            re.S,
        )
    ]


def test_the_timetable_shows_the_start_and_phase_dates_of_the_latest_version(personas):
    procurement = _full_opportunity(personas)
    _timetable_version(
        procurement,
        personas,
        1,
        "2 June 2031",
        [("Phase 1: Research", "2 June 2031 to 1 September 2031")],
    )
    _timetable_version(
        procurement,
        personas,
        2,
        "9 June 2031",
        [
            ("Phase 1: Research", "9 June 2031 to 8 September 2031"),
            ("Phase 2: Prototype", "Dates to be set"),
        ],
    )
    # Being prepared for the next amendment, not yet issued: not shown.
    _set(procurement, indicative_start_date=datetime(2031, 7, 7).date())
    Phase.objects.create(procurement=procurement, kind="research", name="Live", duration_weeks=4)

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert _timetable_rows(html)[-3:] == [
        ("Indicative start of the partnership", "9 June 2031"),
        ("Phase 1: Research", "9 June 2031 to 8 September 2031"),
        ("Phase 2: Prototype", "Dates to be set"),
    ]
    assert "2 June 2031" not in html and "7 July 2031" not in html and "Live" not in html


def test_before_any_version_the_timetable_gives_no_start_and_no_phases(personas):
    procurement = _full_opportunity(personas)
    _set(procurement, indicative_start_date=datetime(2031, 7, 7).date())

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert _timetable_rows(html)[-1] == ("Indicative start of the partnership", "Not given")


def test_answered_questions_are_numbered_with_their_date_and_never_name_the_asker(personas):
    procurement = _full_opportunity(personas)
    _question(
        procurement,
        personas,
        "Alpha Robotics asks: must it work offline?",
        public_text="Must the solution work offline?",
        answer="Yes, for up to a day.",
    )
    _question(
        procurement, personas, "Alpha Robotics asks about our bid", answer="Private", private=True
    )
    _question(procurement, personas, "Alpha Robotics asks: still waiting?")
    _question(procurement, personas, "Second", public_text="Is VAT included?", answer="No.")

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert re.search(
        r"Question 1</h3>\s*<p class=\"govuk-body\">Must the solution work offline\?</p>", html
    )
    assert re.search(r"Question 2</h3>\s*<p class=\"govuk-body\">Is VAT included\?</p>", html)
    assert "Yes, for up to a day." in html and "No." in html
    assert "Question 3" not in html
    today = timezone.localtime(timezone.now(), UK)
    assert f"Answered on {today.day} {today:%B %Y}" in html
    assert "Alpha Robotics" not in html and "Private" not in html


def test_notices_are_listed_with_their_links(personas):
    procurement = _full_opportunity(personas)
    notice = Notice.objects.create(
        procurement=procurement,
        kind="uk4",
        content={"title": "UK4 tender notice: Falls at home", "sections": []},
        created_by=personas.officer_a,
        published_at=datetime(2030, 12, 1, 9, 0, tzinfo=UK),
    )

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert "UK4 tender notice: Falls at home" in html
    assert "Published 1 December 2030" in html
    link = reverse("opportunities:notice", kwargs={"pk": procurement.pk, "notice_pk": notice.pk})
    assert f'<a class="govuk-link" href="{link}">UK4 tender notice: Falls at home</a>' in html


def _amend(procurement, personas, number, reason, changes) -> Amendment:
    version = PublicationVersion.objects.create(
        procurement=procurement, number=number + 1, content={}, created_by=personas.officer_a
    )
    return Amendment.objects.create(
        procurement=procurement,
        number=number,
        reason=reason,
        changes=changes,
        version=version,
        created_by=personas.officer_a,
        created_at=datetime(2031, 1, 5 + number, 9, 0, tzinfo=UK),
    )


def test_the_amendments_are_listed_with_their_date_reason_and_changes(personas):
    procurement = _full_opportunity(personas)
    _amend(
        procurement,
        personas,
        1,
        "More time for consortia to form.",
        [
            {
                "field": "participation_deadline",
                "label": "Deadline for requests to participate",
                "before": "27 January 2031 at midday",
                "after": "3 February 2031 at midday",
            }
        ],
    )
    _amend(
        procurement,
        personas,
        2,
        "Cameras are not acceptable to residents.",
        [
            {
                "field": "market_gap",
                "label": "Why no product or service on the market meets the need",
                "before": "No product works without a wearable.",
                "after": "Sensors need a smartphone these residents do not have.",
            }
        ],
    )

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))
    section = html.split(">Amendments</h2>")[1].split(">Notices</h2>")[0]

    assert re.search(
        r"Amendment 1, 6 January 2031</h3>.*Amendment 2, 7 January 2031</h3>", section, re.S
    )
    assert "Reason: More time for consortia to form." in section
    assert "Reason: Cameras are not acceptable to residents." in section
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tbody.*?</tbody>", section, re.S)
    ]
    assert rows == [
        "Deadline for requests to participate 27 January 2031 at midday 3 February 2031 at midday",
        "Why no product or service on the market meets the need "
        "No product works without a wearable. "
        "Sensors need a smartphone these residents do not have.",
    ]
    assert personas.officer_a.get_full_name() not in html  # never who made them


def test_an_opportunity_never_amended_says_so(personas):
    procurement = _full_opportunity(personas)

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert "The documents have not been amended since the call was published." in html


def test_an_engagement_shows_no_amendments_section(personas):
    procurement = _draft(personas)
    _engagement(procurement)

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    assert ">Amendments</h2>" not in html


def test_an_engagement_page_shows_its_notice_and_events_never_the_drafts_fields(personas):
    procurement = _draft(
        personas,
        title="Draft title",
        problem="Draft problem words",
        market_gap="Draft market gap",
        question_deadline=timezone.now() + timedelta(days=3),
    )
    MinimumRequirement.objects.create(procurement=procurement, text="Draft requirement")
    engagement = _engagement(
        procurement,
        title="Warm homes engagement",
        summary="Tell us what keeps flats warm",
        contact_email="market@aldgate.example.org",
    )
    EngagementEvent.objects.create(
        engagement=engagement,
        title="Supplier day",
        starts_at=datetime(2031, 5, 6, 10, 0, tzinfo=UK),
        ends_at=datetime(2031, 5, 6, 13, 0, tzinfo=UK),
        place="Aldgate Town Hall",
        online_url="https://meet.example.org/supplier-day",
    )

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    for text in (
        "Warm homes engagement",
        "Tell us what keeps flats warm",
        "market@aldgate.example.org",
        "Supplier day",
        "6 May 2031, 10am to 1pm",
        "Aldgate Town Hall",
        "https://meet.example.org/supplier-day",
        ">Market engagement<",
    ):
        assert text in html, text
    for text in (
        "Draft title",
        "Draft problem words",
        "Draft market gap",
        "Draft requirement",
        procurement.reference,
        "Minimum requirements",
        "Timetable",
    ):
        assert text not in html, text


def test_signed_out_people_are_asked_to_sign_in_to_take_part(personas):
    procurement = _full_opportunity(personas)
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    html = _html(Client().get(url))

    assert "Sign in to ask a question or follow this opportunity" in html
    sign_in = f"{reverse('account_login')}?{urlencode({'next': url})}"
    assert f'<a class="govuk-link" href="{sign_in}">Sign in to ask a question' in html


def test_a_signed_in_supplier_is_offered_to_follow_and_ask_before_the_question_deadline(
    personas, login
):
    procurement = published_opportunity(
        personas, questions_until=timezone.now() + timedelta(hours=1)
    )
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    html = _html(login(personas.supplier_a_member).get(url))

    assert "Sign in to ask a question" not in html
    assert "Questions closed at" not in html
    follow = reverse("opportunities:follow", kwargs={"pk": procurement.pk})
    ask = reverse("opportunities:ask", kwargs={"pk": procurement.pk})
    assert f'action="{follow}"' in html and "Follow this opportunity" in html
    assert f'href="{ask}"' in html and "Ask a question" in html


def test_after_the_question_deadline_the_page_says_when_questions_closed(personas, login):
    closed_at = timezone.now() - timedelta(seconds=1)
    procurement = published_opportunity(personas, questions_until=closed_at)
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})
    ask = reverse("opportunities:ask", kwargs={"pk": procurement.pk})

    for client in (Client(), login(personas.supplier_a_admin)):
        html = _html(client.get(url))

        uk = timezone.localtime(closed_at, UK)
        assert f"Questions closed at {uk.day} {uk:%B %Y} at" in html
        assert f'href="{ask}"' not in html
        assert "Ask a question" not in html


def test_officers_are_told_only_suppliers_take_part(personas, login):
    procurement = published_opportunity(personas)

    html = _html(
        login(personas.officer_a).get(
            reverse("opportunities:detail", kwargs={"pk": procurement.pk})
        )
    )

    assert "Only supplier accounts can ask a question or follow an opportunity." in html


def test_a_closed_opportunity_offers_no_calls_to_action(personas, login):
    procurement = published_opportunity(personas, closes=timezone.now() - timedelta(hours=1))
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    for client in (Client(), login(personas.supplier_a_admin)):
        html = _html(client.get(url))
        assert "Sign in to ask a question" not in html
        assert "Follow this opportunity" not in html


def test_the_itt_is_offered_when_a_rendering_is_ready(personas):
    procurement = _full_opportunity(personas)
    version = PublicationVersion.objects.create(
        procurement=procurement, number=1, content={}, created_by=personas.officer_a
    )
    document = GeneratedDocument(
        kind="itt",
        target=version,
        title="Invitation to tender",
        status=DocumentStatus.READY,
        requested_by=personas.officer_a,
    )
    document.file.save("itt-sample.pdf", ContentFile(b"%PDF-1.7\n" + b"0" * 2048), save=False)
    document.save()

    html = _html(Client().get(reverse("opportunities:detail", kwargs={"pk": procurement.pk})))

    link = reverse("opportunities:itt-download", kwargs={"pk": procurement.pk})
    assert f'href="{link}"' in html
    assert "Download the invitation to tender, version 1 (PDF, 2.0\xa0KB)" in html
    assert html.count("version 1") == 1  # said once, not again in the brackets


def test_a_supplier_whose_organisation_follows_is_offered_to_stop(personas, login):
    procurement = published_opportunity(personas)
    InterestRegistration.objects.create(
        procurement=procurement,
        organisation=personas.org_a,
        registered_by=personas.supplier_a_admin,
    )
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})

    member_a = _html(login(personas.supplier_a_member).get(url))
    member_b = _html(login(personas.supplier_b_member).get(url))

    unfollow = reverse("opportunities:unfollow", kwargs={"pk": procurement.pk})
    assert "Your organisation follows this opportunity" in member_a
    assert f'action="{unfollow}"' in member_a
    assert "Your organisation follows this opportunity" not in member_b
    assert "Follow this opportunity" in member_b


def test_page_links_that_do_not_resolve_are_left_out():
    assert url_or_blank("opportunities:no-such-page", pk=1) == ""
    assert url_or_blank("opportunities:detail", pk=1) == "/opportunities/1/"


# --- in a real browser, checked by axe-core on every page ---------------------------------


@pytest.mark.browser
def test_a_person_searches_filters_pages_and_opens_an_opportunity_in_a_browser(
    browser_page, personas
):
    now = timezone.now()
    for number in range(1, 23):
        published_opportunity(
            personas,
            title=f"Falls challenge {number:02d}",
            sector=Sector.HEALTH_AND_CARE,
            closes=now + timedelta(days=number),
        )
    falls = Procurement.objects.get(title="Falls challenge 01")
    MinimumRequirement.objects.create(procurement=falls, text="Works without a smartphone")
    _question(falls, personas, "Offline?", public_text="Must it work offline?", answer="Yes.")
    engagement = _engagement(_draft(personas), title="Warm homes engagement")
    EngagementEvent.objects.create(
        engagement=engagement,
        title="Supplier day",
        starts_at=now + timedelta(days=3),
        place="Aldgate Town Hall",
        online_url="https://meet.example.org/supplier-day",
    )
    page = browser_page

    page.visit("/")
    with page.page.expect_navigation():
        page.page.locator("main").get_by_role("link", name="Find opportunities").click()
    page.check_accessibility()
    assert "23 opportunities" in page.text()
    page.fill("Search", "falls")
    page.page.get_by_label("Health and social care").check()
    page.page.get_by_role("group", name="Closing date from").get_by_label("Day").fill("31")
    page.page.get_by_role("group", name="Closing date from").get_by_label("Month").fill("2")
    page.page.get_by_role("group", name="Closing date from").get_by_label("Year").fill("2030")
    page.click_button("Apply filters")
    assert "Closing date from must be a real date" in page.text()
    assert "22 opportunities" in page.text()

    page.click_link("Next page")
    assert "Falls challenge 21" in page.text() and "Falls challenge 20" not in page.text()
    assert page.page.get_by_label("Search").input_value() == "falls"
    page.click_link("Clear filters")
    page.click_link("Falls challenge 01")
    assert "Must it work offline?" in page.text()
    assert "Sign in to ask a question or follow this opportunity" in page.text()

    page.sign_in_as(personas.supplier_a_admin)
    page.visit(f"/opportunities/{engagement.procurement_id}/")
    assert "Supplier day" in page.text() and "Follow this opportunity" in page.text()
