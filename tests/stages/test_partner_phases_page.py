"""The partner's own R&D phases: every active partnership of its organisation, each phase in
order with its state, dates, aims and announced intermediate targets, and what it must do
next; its organisation administrator submits the phase in progress for review, confirming
the targets and final report are delivered (RULES.md points 8 and 9; PCR 2015 reg. 31(7)).
Consortium members read; nobody else sees the phases; a constant number of queries in the
number of partnerships and phases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from partners.models import ConsortiumMember
from procurements.sections import uk_date_text
from stages.models import IntermediateTarget, ParticipationStatus, Phase
from tests.partners.test_partnership_pages import queries
from tests.stages.test_participations import contracts_entered, participation_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PAGE = "stages:partner-phases"
SUBMITTED = "stages.participation_submitted_for_review"
BUTTON = "Submit the phase for review"
CONFIRM_ERROR = "Confirm that you have delivered the phase&#x27;s targets and your final report"


def page_url() -> str:
    return reverse(PAGE)


def submit_url(participation) -> str:
    return reverse("stages:partner-phase-submit", kwargs={"pk": participation.pk})


def plan_details(phases) -> None:
    """Durations, aims and targets for each phase, as the ITT announced them."""
    for number, phase in enumerate(phases, 1):
        Phase.objects.filter(pk=phase.pk).update(
            duration_weeks=4 * number, aims=f"Aims of {phase.name}"
        )
        for order in (1, 2):
            IntermediateTarget.objects.create(
                phase=phase,
                metric=f"{phase.name} metric {order}",
                threshold=f"At least {order * 10} trials",
                evidence=f"Report of {phase.name} trial {order}",
                order=order,
            )


@pytest.fixture
def entered(personas):
    partnerships, phases = contracts_entered(personas, names=("Feasibility", "Prototype", "Pilot"))
    plan_details(phases)
    return partnerships, phases


def partnership_of(partnerships, organisation):
    return next(p for p in partnerships if p.request.organisation_id == organisation.pk)


def submitted_events(participation) -> int:
    return AuditEvent.objects.filter(action=SUBMITTED, target_id=str(participation.pk)).count()


# --- what is shown ----------------------------------------------------------------------------


def test_the_page_shows_each_phase_in_order_with_state_dates_aims_targets_and_next_step(
    personas, login, entered
):
    partnerships, phases = entered
    mine = partnership_of(partnerships, personas.org_a)
    theirs = partnership_of(partnerships, personas.org_b)

    response = login(personas.supplier_a_admin).get(page_url())

    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(rf'<section id="partnership-{mine.pk}".*?</section>', html, re.S).group(0)
    # The phases in order, each with its state as a tag.
    assert re.findall(r'summary-card__title">([^<]+)<', section) == [
        "Feasibility",
        "Prototype",
        "Pilot",
    ]
    assert re.findall(r'govuk-tag (govuk-tag--\w+)">([^<]+)<', section) == [
        ("govuk-tag--blue", "In progress"),
        ("govuk-tag--grey", "Not started"),
        ("govuk-tag--grey", "Not started"),
    ]
    # The phase in progress started on the signing date and ends four weeks later.
    assert uk_date_text(mine.signed_on) in section
    assert uk_date_text(mine.signed_on + timedelta(weeks=4)) in section
    assert "8 weeks after the phase starts" in section
    for phase in phases:
        assert f"Aims of {phase.name}" in section
        for order in (1, 2):
            assert f"{phase.name} metric {order}" in section
            assert f"Report of {phase.name} trial {order}" in section
    assert "At least 20 trials" in section
    next_steps = re.findall(r"data-next-step>([^<]+)<", section)
    assert next_steps[0].startswith("Deliver the phase&#x27;s intermediate targets")
    assert all("gate of the phase before it is passed" in step for step in next_steps[1:])
    # One button, on the phase in progress; nothing of the other partner.
    assert section.count(BUTTON) == 1
    assert theirs.reference not in html


def test_a_phase_under_review_says_to_wait_for_the_gate_decision(personas, login, entered):
    _, phases = entered
    client = login(personas.supplier_a_admin)
    first = participation_of(personas.org_a, phases[0])
    client.post(submit_url(first), {"confirm": "on"})

    html = client.get(page_url()).content.decode()

    assert "Wait for the gate decision" in html
    assert ">Under review<" in html
    assert BUTTON not in html


def test_a_supplier_without_partnership_sees_that_it_has_none(personas, login):
    html = login(personas.supplier_b_admin).get(page_url()).content.decode()

    assert 'id="no-phases"' in html


def test_the_supplier_home_page_links_to_the_phases(personas, login):
    html = login(personas.supplier_a_admin).get(reverse("core:supplier-home")).content.decode()

    assert f'href="{page_url()}"' in html
    assert "Your R&amp;D phases" in html


# --- submitting for review --------------------------------------------------------------------


def test_the_admin_submits_the_phase_in_progress_through_the_page(personas, login, entered):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.supplier_a_admin)
    html = client.get(page_url()).content.decode()
    action = re.search(r'<form method="post" action="(/procurements/my-phases/[^"]+)"', html).group(
        1
    )
    assert action == submit_url(first)

    response = client.post(action, {"confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == page_url()
    assert "Feasibility has been submitted for review at its gate." in response.content.decode()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
    event = AuditEvent.objects.get(action=SUBMITTED, target_id=str(first.pk))
    assert event.actor == personas.supplier_a_admin


def test_without_the_confirmation_ticked_nothing_changes_and_the_page_says_why(
    personas, login, entered
):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])

    response = login(personas.supplier_a_admin).post(submit_url(first), {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count(CONFIRM_ERROR) == 2  # in the summary and at the checkbox
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert submitted_events(first) == 0


def test_a_phase_not_started_is_refused_with_the_reason(personas, login, entered):
    _, phases = entered
    later = participation_of(personas.org_a, phases[1])

    response = login(personas.supplier_a_admin).post(
        submit_url(later), {"confirm": "on"}, follow=True
    )

    assert "This phase has not started" in response.content.decode()
    later.refresh_from_db()
    assert later.status == ParticipationStatus.NOT_STARTED
    assert submitted_events(later) == 0


def test_the_confirmation_page_shows_the_form(personas, login, entered):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])

    html = login(personas.supplier_a_admin).get(submit_url(first)).content.decode()

    assert "Submit Feasibility for review" in html
    assert "We have delivered the phase&#x27;s targets and our final report" in html


# --- who sees and does what -------------------------------------------------------------------


def test_a_member_who_is_not_an_admin_sees_the_phases_without_the_button(personas, login, entered):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.supplier_a_member)

    html = client.get(page_url()).content.decode()
    assert "Feasibility metric 1" in html
    assert BUTTON not in html
    assert client.get(submit_url(first)).status_code == 403
    assert client.post(submit_url(first), {"confirm": "on"}).status_code == 403
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS


def test_a_consortium_member_reads_the_phases_and_cannot_submit(personas, login, entered):
    partnerships, phases = entered
    mine = partnership_of(partnerships, personas.org_a)
    ConsortiumMember.objects.create(
        request=mine.request,
        organisation=personas.org_c,
        role="Sensors",
        share_of_work=30,
        confirmed_at=timezone.now(),
    )
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.consortium_member)

    html = client.get(page_url()).content.decode()
    assert mine.reference in html
    assert "You are a consortium member" in html
    assert BUTTON not in html
    assert client.post(submit_url(first), {"confirm": "on"}).status_code == 403
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS


def test_another_supplier_gets_404_for_a_phase_that_is_not_theirs(personas, login, entered):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.supplier_b_admin)

    assert client.get(submit_url(first)).status_code == 404
    assert client.post(submit_url(first), {"confirm": "on"}).status_code == 404
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert first.partnership.reference not in client.get(page_url()).content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "approver_a", "borough_admin_a"])
def test_officers_get_404_on_the_supplier_pages(personas, login, entered, persona):
    _, phases = entered
    client = login(getattr(personas, persona))

    assert client.get(page_url()).status_code == 404
    assert client.get(submit_url(participation_of(personas.org_a, phases[0]))).status_code == 404


# --- query counts -----------------------------------------------------------------------------


def test_the_page_makes_as_many_queries_for_one_partnership_in_two_phases_as_three_in_four(
    personas, login
):
    _, small = contracts_entered(personas, names=("One", "Two"))
    plan_details(small)
    client = login(personas.supplier_a_admin)
    counts = {"1x2": queries(client, page_url())}
    for _ in range(2):
        _, large = contracts_entered(personas, names=("One", "Two", "Three", "Four"))
        plan_details(large)
    html = client.get(page_url()).content.decode()
    assert html.count('class="govuk-summary-card"') == 2 + 4 + 4
    assert html.count(BUTTON) == 3

    counts["3x4"] = queries(client, page_url())

    print(f"Your R&D phases page queries: {counts}")
    assert counts["1x2"] == counts["3x4"] <= 12


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_submits_through_the_page_in_a_browser_and_every_state_passes_axe(
    browser_page, personas, entered
):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])

    browser_page.sign_in_as(personas.supplier_a_admin).visit(page_url())
    assert "Feasibility metric 1" in browser_page.text()
    browser_page.click_button(BUTTON)
    assert "There is a problem" in browser_page.text()
    assert browser_page.path == submit_url(first)
    browser_page.page.get_by_label(
        "We have delivered the phase's targets and our final report", exact=True
    ).check()
    browser_page.click_button(BUTTON)

    assert browser_page.path == page_url()
    assert "Feasibility has been submitted for review at its gate." in browser_page.text()
    assert "Wait for the gate decision" in browser_page.text()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
