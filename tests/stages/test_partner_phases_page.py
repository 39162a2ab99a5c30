"""The partner's own R&D phases: every active partnership of its organisation, each phase in
order with its state, dates, aims and announced intermediate targets, and what it must do
next; its organisation administrator submits the phase in progress for review with the
phase's final report (RULES.md points 8 and 9; PCR 2015 reg. 31(7)).
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
from stages.models import Deliverable, IntermediateTarget, ParticipationStatus, Phase
from tests.partners.test_partnership_pages import queries
from tests.stages.test_deliverables import final_report, pdf
from tests.stages.test_participations import contracts_entered, participation_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

PAGE = "stages:partner-phases"
SUBMITTED = "stages.participation_submitted_for_review"
BUTTON = "Submit the final report"


def page_url() -> str:
    return reverse(PAGE)


def submit_url(participation) -> str:
    return reverse("stages:partner-phase-submit", kwargs={"pk": participation.pk})


def final_report_url(participation) -> str:
    url = reverse("stages:partner-deliverable-add", kwargs={"pk": participation.pk})
    return f"{url}?kind=final_report"


def final_report_data(participation) -> dict:
    data = {"kind": "final_report", "title": "Final report", "summary": "Every trial is done."}
    for target in participation.phase.targets.all():
        data[f"value_{target.pk}"] = "25 trials"
    return data


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
    phase_states = (
        r'State</dt>\s*<dd class="govuk-summary-list__value">'
        r'<strong class="govuk-tag (govuk-tag--\w+)">([^<]+)<'
    )
    assert re.findall(phase_states, section) == [
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
    assert next_steps[0].startswith("Report your progress and submit deliverables")
    assert all("gate of the phase before it is passed" in step for step in next_steps[1:])
    # One button, on the phase in progress; nothing of the other partner.
    assert section.count(BUTTON) == 1
    assert theirs.reference not in html


def test_a_phase_under_review_says_to_wait_for_the_gate_decision(personas, login, entered):
    _, phases = entered
    client = login(personas.supplier_a_admin)
    final_report(personas, participation_of(personas.org_a, phases[0]))

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


# --- submitting for review: with the final report ---------------------------------------------


def test_the_admin_submits_the_final_report_from_the_page_and_the_phase_goes_to_review(
    personas, login, entered
):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.supplier_a_admin)
    html = client.get(page_url()).content.decode()
    link = re.search(rf'href="([^"]+)"[^>]*>{BUTTON}</a>', html).group(1)
    assert link.replace("&amp;", "&") == final_report_url(first)

    response = client.post(
        final_report_url(first),
        {**final_report_data(first), "files": [pdf()]},
        follow=True,
    )

    phase_page = reverse("stages:partner-phase", kwargs={"pk": first.pk})
    assert response.redirect_chain[-1][0] == phase_page
    assert "Your final report of Feasibility has been submitted" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
    event = AuditEvent.objects.get(action=SUBMITTED, target_id=str(first.pk))
    assert event.actor == personas.supplier_a_admin
    assert event.data["final_report_id"] == Deliverable.objects.get().pk


def test_a_final_report_without_its_values_changes_nothing_and_the_page_says_why(
    personas, login, entered
):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    data = final_report_data(first)
    missing = first.phase.targets.order_by("order").last()
    data[f"value_{missing.pk}"] = ""

    response = login(personas.supplier_a_admin).post(
        final_report_url(first), {**data, "files": [pdf()]}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count(f"Give the value measured for {missing.metric}") == 2
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


def test_the_old_confirmation_address_leads_to_the_final_report_form(personas, login, entered):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    client = login(personas.supplier_a_admin)

    response = client.post(submit_url(first), {"confirm": "on"}, follow=True)

    assert response.redirect_chain == [(final_report_url(first), 302)]
    assert "Submit the final report for Feasibility" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS  # a tick alone submits nothing
    assert submitted_events(first) == 0


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
    # The phases, their targets and gate decisions, the money, the letters and the purchase
    # decisions, each read once whatever the number of partnerships and phases.
    assert counts["1x2"] == counts["3x4"] <= 16


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_submits_the_final_report_in_a_browser_and_every_page_passes_axe(
    browser_page, personas, entered
):
    _, phases = entered
    first = participation_of(personas.org_a, phases[0])
    targets = list(first.phase.targets.order_by("order"))

    browser_page.sign_in_as(personas.supplier_a_admin).visit(page_url())
    assert "Feasibility metric 1" in browser_page.text()
    browser_page.click_button(BUTTON)
    assert browser_page.path == final_report_url(first)
    # Sent empty: the error summary and the errors at the fields pass axe too.
    browser_page.click_button("Submit")
    assert "There is a problem" in browser_page.text()
    assert "Enter a title" in browser_page.text()
    browser_page.fill("Title", "Feasibility final report")
    browser_page.fill("Summary", "Every trial is done.")
    for target in targets:
        browser_page.page.locator(f"#id_value_{target.pk}").fill("25 trials")
    browser_page.page.locator("#id_files").set_input_files(
        [{"name": "trials.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%\n"}]
    )
    browser_page.click_button("Submit")

    assert browser_page.path == reverse("stages:partner-phase", kwargs={"pk": first.pk})
    assert "Your final report of Feasibility has been submitted" in browser_page.text()
    assert "trials.pdf" in browser_page.text()
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
