"""The officer's Stages page: every partner's progress through every phase as a table, an SVG
timeline and an SVG funnel (each image titled, the table its equivalent); for the borough's
officers, approvers and administrators only; a constant number of queries in the number of
partners and phases."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stages.models import ParticipationStatus, StageParticipation
from stages.services_gates import gate_assessors_name
from stages.services_participation import participation_submit_for_review
from tests.factories import BoroughFactory, officer
from tests.partners.award_samples import in_standstill
from tests.partners.test_partnership_pages import queries
from tests.stages.gate_samples import under_review
from tests.stages.running_samples import running
from tests.stages.test_participations import contracts_entered, participation_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def page_url(procurement) -> str:
    return reverse("stages:progress", kwargs={"pk": procurement.pk})


@pytest.fixture
def entered(personas):
    return contracts_entered(personas, names=("Feasibility", "Prototype", "Pilot"))


def test_the_page_shows_every_partner_in_every_phase_as_table_timeline_and_funnel(
    personas, login, entered
):
    partnerships, phases = entered
    participation_submit_for_review(
        actor=personas.supplier_a_admin, participation=participation_of(personas.org_a, phases[0])
    )
    procurement = partnerships[0].procurement

    response = login(personas.officer_a).get(page_url(procurement))

    assert response.status_code == 200
    html = response.content.decode()
    # The timeline and the funnel: images with a title, pointing at the table.
    for chart in ("timeline", "funnel"):
        svg = re.search(rf'<svg id="{chart}"[^>]*>(.*?)</svg>', html, re.S)
        assert svg is not None
        assert 'role="img"' in svg.group(0)
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in svg.group(0)
        assert f'<title id="{chart}-title">' in svg.group(1)
    timeline = re.search(r'<svg id="timeline".*?</svg>', html, re.S).group(0)
    # One bar per partner per phase, each labelled with its state in words.
    assert timeline.count("<rect") == 2 * 3
    assert timeline.count(">Under review</text>") == 1
    assert timeline.count(">In progress</text>") == 1
    assert timeline.count(">Not started</text>") == 4
    # The table: partners as rows, phases as columns, the state and dates in each cell.
    table = re.search(r'<table class="govuk-table" id="progress-table">.*?</table>', html, re.S)
    assert table is not None
    for phase in phases:
        gate = reverse("stages:gate", kwargs={"pk": phase.procurement_id, "phase_pk": phase.pk})
        assert f'<a class="govuk-link" href="{gate}">{phase.name}<span' in table.group(0)
    for partnership in partnerships:
        assert f'id="partner-{partnership.pk}"' in table.group(0)
        assert partnership.request.organisation.name in table.group(0)
    assert table.group(0).count("govuk-tag--yellow") == 1
    assert table.group(0).count("Started ") == 2
    assert table.group(0).count("Submitted for review ") == 1


def test_the_funnel_counts_the_partners_still_in_each_phase(personas, login, entered):
    partnerships, phases = entered
    procurement = partnerships[0].procurement
    # Partner B was terminated in the first phase (the gate decisions come later; here the
    # rows are put in those states), partner A passed it and is in the second.
    b_first = participation_of(personas.org_b, phases[0])
    StageParticipation.objects.filter(pk=b_first.pk).update(
        status=ParticipationStatus.TERMINATED, decided_at=timezone.now()
    )
    a_first = participation_of(personas.org_a, phases[0])
    StageParticipation.objects.filter(pk=a_first.pk).update(
        status=ParticipationStatus.PASSED, decided_at=timezone.now()
    )

    html = login(personas.officer_a).get(page_url(procurement)).content.decode()

    counts = dict(re.findall(r'data-phase="(\d+)">(\d+)</td>', html))
    assert counts == {str(phases[0].pk): "1", str(phases[1].pk): "1", str(phases[2].pk): "1"}
    funnel = re.search(r'<svg id="funnel".*?</svg>', html, re.S).group(0)
    assert funnel.count(">1 partner</text>") == 3
    assert "Terminated" in html and "Passed" in html


def test_before_any_contract_the_page_says_nobody_is_in_a_phase_yet(personas, login):
    decision = in_standstill(personas)

    html = login(personas.officer_a).get(page_url(decision.procurement)).content.decode()

    assert 'id="no-participations"' in html
    assert "<svg" not in html


@pytest.mark.parametrize("persona", ["officer_a", "approver_a", "borough_admin_a"])
def test_the_boroughs_officers_approvers_and_administrators_see_it(
    personas, login, entered, persona
):
    procurement = entered[0][0].procurement
    assert login(getattr(personas, persona)).get(page_url(procurement)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["supplier_a_admin", "supplier_a_member", "supplier_b_admin", "officer_b"]
)
def test_suppliers_and_other_boroughs_get_404(personas, login, entered, persona):
    procurement = entered[0][0].procurement
    assert login(getattr(personas, persona)).get(page_url(procurement)).status_code == 404


def test_an_officer_of_another_borough_with_every_role_gets_404(personas, login, entered):
    procurement = entered[0][0].procurement
    outsider = officer(BoroughFactory(), "officer", "approver", "borough_admin")
    assert login(outsider).get(page_url(procurement)).status_code == 404


def test_an_evaluator_on_the_panel_gets_403(personas, login, entered):
    procurement = entered[0][0].procurement
    assert login(personas.evaluator_a).get(page_url(procurement)).status_code == 403


def test_a_gates_assessor_is_taken_to_the_gate_with_a_partner_under_review(personas, login):
    sample = running(personas)
    for phase in sample.phases:
        gate_assessors_name(actor=personas.officer_a, phase=phase, assessors=[personas.evaluator_a])
    under_review(sample, personas.org_a)  # phase 1

    response = login(personas.evaluator_a).get(page_url(sample.procurement))

    gate = {"pk": sample.procurement.pk, "phase_pk": sample.phases[0].pk}
    assert response.status_code == 302
    assert response["Location"] == reverse("stages:gate", kwargs=gate)


# --- query counts ----------------------------------------------------------------------------


def test_the_page_makes_as_many_queries_for_two_partners_in_two_phases_as_ten_in_four(
    personas, login
):
    small, _ = contracts_entered(personas, tenderers=2, names=("One", "Two"))
    large, _ = contracts_entered(personas, tenderers=10, names=("One", "Two", "Three", "Four"))
    assert StageParticipation.objects.filter(partnership__in=small).count() == 4
    assert StageParticipation.objects.filter(partnership__in=large).count() == 40
    client = login(personas.officer_a)

    counts = {
        "2x2": queries(client, page_url(small[0].procurement)),
        "10x4": queries(client, page_url(large[0].procurement)),
    }

    print(f"Stages page queries: {counts}")
    assert counts["2x2"] == counts["10x4"] <= 15
    html = client.get(page_url(large[0].procurement)).content.decode()
    assert html.count("<rect") == 40 + 4  # a bar per partner per phase, and per phase
