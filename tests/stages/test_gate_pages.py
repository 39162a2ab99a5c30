"""The gate pages: the officer's gate page, naming assessors, scoring, moderating, deciding,
and the partner's own gate result (RULES.md point 9)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from stages.models import GateDecision, GateOutcome, GateScore, ParticipationStatus
from stages.services_gate_decisions import gate_decide
from tests.partners.test_partnership_pages import queries
from tests.stages.gate_samples import (
    assessors_named,
    fresh,
    scored,
    scored_and_moderated,
    terminated,
    under_review,
)
from tests.stages.running_samples import running
from tests.stages.test_deliverables import final_report

pytestmark = pytest.mark.usefixtures("media_root", "bank_holidays")


def gate_url(sample, number=1) -> str:
    phase = sample.phases[number - 1]
    return reverse("stages:gate", kwargs={"pk": sample.procurement.pk, "phase_pk": phase.pk})


def partner_url(name: str, participation) -> str:
    return reverse(
        f"stages:gate-{name}",
        kwargs={
            "pk": participation.phase.procurement_id,
            "phase_pk": participation.phase_id,
            "participation_pk": participation.pk,
        },
    )


def test_the_gate_page_makes_as_many_queries_for_two_partners_as_for_six(personas, login):
    counts = {}
    for size in (2, 6):
        sample = running(personas, partners=size)
        assessors_named(personas, sample)
        for partnership in sample.partnerships:
            under_review(sample, partnership.request.organisation)
        scored_and_moderated(personas, sample, personas.org_a)
        counts[size] = queries(login(personas.officer_a), gate_url(sample))
    print(f"Gate page queries: {counts}")
    assert counts[2] == counts[6] <= 25


def test_the_gate_page_shows_assessors_progress_recommendation_and_decision(personas, login):
    sample = running(personas)
    decision = terminated(personas, sample, personas.org_a)
    under_review(sample, personas.org_b)
    html = login(personas.officer_a).get(gate_url(sample)).content.decode()
    assert "Gate of Research and prototype" in html
    assert personas.evaluator_a.email in html or personas.evaluator_a.get_full_name() in html
    assert "1 of 1 assessors completed; 2 of 2 criteria moderated" in html
    assert "Does not meet the announced thresholds: Targets met; Readiness" in html
    assert decision.condition.condition in html
    assert "contract termination notice published" in html
    assert "Name assessors" in html
    assert partner_url("moderate", fresh(sample.participation(personas.org_b))) in html

    approver = login(personas.approver_a).get(gate_url(sample)).content.decode()
    assert "Name assessors" not in approver
    assert partner_url("decide", fresh(sample.participation(personas.org_a))) in approver


def test_the_lead_officer_names_assessors_from_the_page(personas, login, mailoutbox):
    sample = running(personas)
    client = login(personas.officer_a)
    url = reverse(
        "stages:gate-assessors",
        kwargs={"pk": sample.procurement.pk, "phase_pk": sample.phases[0].pk},
    )
    page = client.get(url).content.decode()
    assert personas.evaluator_a.email in page
    assert personas.approver_a.email not in page  # approvers only decide
    response = client.post(url, {})
    assert "Choose at least one person" in response.content.decode()
    response = client.post(url, {"assessors": [personas.evaluator_a.pk]})
    assert response.status_code == 302
    assert sample.phases[0].gate_assessors.get().user == personas.evaluator_a


def test_an_assessor_saves_then_completes_and_nothing_typed_is_lost(personas, login):
    sample = running(personas)
    assessors_named(personas, sample)
    report = final_report(personas, sample.participation(personas.org_a))  # to review
    participation = fresh(report.participation)
    assert participation.status == ParticipationStatus.UNDER_REVIEW
    first, last = participation.phase.gate_criteria.order_by("order")
    client = login(personas.evaluator_a)
    url = partner_url("score", participation)
    page = client.get(url).content.decode()
    assert "Homes monitored" in page  # the partner's targets
    file = report.files.get()
    assert reverse("stages:deliverable-file", kwargs={"pk": file.pk}) in page
    assert client.get(reverse("stages:deliverable-file", kwargs={"pk": file.pk})).status_code == 200
    assert "Complete my scoring" in page
    data = {
        f"criterion_{first.pk}_score": "8",
        f"criterion_{first.pk}_meets": "yes",
        f"criterion_{first.pk}_reason": "All twenty homes monitored.",
        f"criterion_{first.pk}_evidence_reference": "Final report p. 3",
    }
    response = client.post(url, {**data, "complete": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Give the reason for your mark on Readiness" in html
    assert "All twenty homes monitored." in html
    assert not GateScore.objects.exists()

    assert client.post(url, {**data, "save": ""}).status_code == 302
    assert GateScore.objects.get().score == 8
    data.update(
        {
            f"criterion_{last.pk}_score": "6",
            f"criterion_{last.pk}_meets": "yes",
            f"criterion_{last.pk}_reason": "A credible plan.",
            f"criterion_{last.pk}_evidence_reference": "Final report p. 9",
        }
    )
    assert client.post(url, {**data, "complete": ""}).status_code == 302
    assert "You completed your scoring" in client.get(url).content.decode()


def test_the_moderation_page_waits_then_shows_marks_side_by_side(personas, login):
    sample = running(personas)
    assessors_named(personas, sample)
    participation = under_review(sample, personas.org_a)
    client = login(personas.officer_a)
    url = partner_url("moderate", participation)
    html = client.get(url).content.decode()
    assert "Moderation opens once every assessor" in html
    assert "As evidenced." not in html

    scored(personas, sample, personas.org_a)
    html = client.get(url).content.decode()
    assert "As evidenced. (Targets met)" in html
    data = {}
    for criterion in participation.phase.gate_criteria.all():
        data.update(
            {
                f"criterion_{criterion.pk}_score": "4",
                f"criterion_{criterion.pk}_meets": "no",
                f"criterion_{criterion.pk}_reason": "Short of the threshold.",
                f"criterion_{criterion.pk}_evidence_reference": "p. 2",
            }
        )
    assert client.post(url, data).status_code == 302
    assert "Does not meet the announced thresholds" in client.get(url).content.decode()


def test_the_approver_terminates_citing_an_announced_condition(personas, login):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a, meets=False)
    client = login(personas.approver_a)
    url = partner_url("decide", participation)
    html = client.get(url).content.decode()
    assert "Your decision is final and the partner is told" in html
    conditions = list(participation.phase.termination_conditions.order_by("order"))
    for condition in conditions:
        assert escape(condition.condition) in html
    assert sample.phases[1].termination_conditions.first().pk not in [c.pk for c in conditions]

    response = client.post(url, {"outcome": "terminate", "reason": "Missed."})
    assert "Choose the announced termination condition" in response.content.decode()
    assert "Missed." in response.content.decode()
    other_phase = sample.phases[1].termination_conditions.first()
    response = client.post(
        url, {"outcome": "terminate", "condition": other_phase.pk, "reason": "Missed."}
    )
    assert response.status_code == 200 and not GateDecision.objects.exists()

    response = client.post(
        url, {"outcome": "terminate", "condition": conditions[0].pk, "reason": "Missed."}
    )
    assert response.status_code == 302
    decision = GateDecision.objects.get()
    assert decision.outcome == GateOutcome.TERMINATE and decision.condition == conditions[0]
    assert fresh(participation).status == ParticipationStatus.TERMINATED
    decided = client.get(url).content.decode()
    assert "Terminate this partner" in decided and "Record my decision" not in decided


def test_the_partner_reads_its_gate_result_only_once_decided(personas, login):
    sample = running(personas)
    participation = scored_and_moderated(personas, sample, personas.org_a)
    url = reverse("stages:partner-gate", kwargs={"pk": participation.pk})
    assert login(personas.supplier_a_admin).get(url).status_code == 404
    gate_decide(
        actor=personas.approver_a,
        participation=participation,
        outcome=GateOutcome.PASS,
        reason="All met.",
    )
    html = login(personas.supplier_a_member).get(url).content.decode()
    assert "Pass to the next phase" in html and "All met." in html
    assert "Agreed (Targets met)" in html
    assert login(personas.supplier_b_admin).get(url).status_code == 404
    assert login(personas.officer_a).get(url).status_code == 404


@pytest.mark.django_db
def test_a_closed_gate_page_says_why_and_what_comes_next(personas, login):
    sample = running(personas)
    assessors_named(personas, sample)
    waiting = under_review(sample, personas.org_a)
    in_progress = sample.participation(personas.org_b)
    moderate = login(personas.officer_a).post(partner_url("moderate", waiting), {}, follow=True)
    approver = login(personas.approver_a)
    decide = approver.post(partner_url("decide", in_progress), {}, follow=True)
    decision = terminated(personas, sample, personas.org_a)
    again = approver.post(partner_url("decide", waiting), {}, follow=True)

    assert "still to do): the gate is moderated once they have" in moderate.content.decode()
    assert escape("in progress: the partner has not submitted its final report") in (
        decide.content.decode()
    )
    assert "This gate is already decided: terminate" in again.content.decode()
    assert GateDecision.objects.filter(pk=decision.pk).count() == 1
