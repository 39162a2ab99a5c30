"""The award pages: the lead officer's award page (ranking, proposal, summaries, publication,
standstill), the approver's decision page, and the tenderer's outcome page; who may do what,
GOV.UK error messages, and queries constant in the number of tenders."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import AwardDecision, AwardStatus
from partners.selectors_award import summaries
from partners.services_award import award_decide, award_summaries_send
from tests.partners.award_samples import (
    Evaluated,
    approved,
    evaluated,
    in_standstill,
    proposed,
    render_summaries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents(media_root, bank_holidays):
    """Summaries rendered to a throw-away directory; the bank holidays the standstill counts."""


def award_url(procurement) -> str:
    return reverse("partners:award", kwargs={"pk": procurement.pk})


def decide_url(procurement) -> str:
    return reverse("partners:award-decide", kwargs={"pk": procurement.pk})


def outcome_url(proposal) -> str:
    return reverse("tenders:award", kwargs={"pk": proposal.pk})


def test_the_lead_officer_sees_the_ranking_with_the_best_ticked(personas, login):
    sample = evaluated(personas, tenderers=3, max_partners=2)
    response = login(personas.officer_a).get(award_url(sample.procurement))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ranking of the final tenders" in html
    assert "100.00" in html and "86.00" in html and "72.00" in html
    form = response.context["proposal_form"]
    assert form["awarded"].value() == [p.pk for p in sample.proposals[:2]]
    assert "Propose the award to the approver" in html


def test_a_proposal_without_reasons_is_refused_and_nothing_saved(personas, login):
    sample = evaluated(personas)
    client = login(personas.officer_a)
    response = client.post(
        award_url(sample.procurement), {"action": "propose", "awarded": [sample.proposals[1].pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Alpha Robotics Ltd ranked better than a tenderer you chose" in html
    assert "Give the reasons for this award" in html
    assert not AwardDecision.objects.exists()

    response = client.post(
        award_url(sample.procurement),
        {
            "action": "propose",
            "awarded": [sample.proposals[0].pk],
            "reason": "Best.",
            f"reasons_{sample.proposals[1].pk}": "Lower quality.",
        },
    )
    assert response.status_code == 302
    decision = AwardDecision.objects.get()
    assert decision.entries.get(proposal=sample.proposals[1]).reasons == "Lower quality."


def test_only_a_second_approver_decides_on_the_decision_page(personas, login, client):
    sample = evaluated(personas)
    proposed(personas, sample)
    response = login(personas.officer_a).get(decide_url(sample.procurement))
    assert response.status_code == 200
    assert "Record my decision" not in response.content.decode()
    assert client.post(decide_url(sample.procurement), {"decision": "approve"}).status_code == 403

    approver = login(personas.approver_a)
    response = approver.post(decide_url(sample.procurement), {"decision": "return", "reason": ""})
    assert response.status_code == 200
    assert "Give the reasons for returning the award" in response.content.decode()
    response = approver.post(decide_url(sample.procurement), {"decision": "approve"})
    assert response.status_code == 302
    assert AwardDecision.objects.get().status == AwardStatus.APPROVED


def test_the_notice_is_refused_until_the_summaries_are_ready(personas, login):
    sample = evaluated(personas)
    decision = proposed(personas, sample)
    award_decide(actor=personas.approver_a, decision=decision, approve=True, reason="")
    client = login(personas.officer_a)
    html = client.get(award_url(sample.procurement)).content.decode()
    assert "Assessment summaries: 0 of 2 ready" in html
    assert "The summaries are being generated" in html

    response = client.post(award_url(sample.procurement), {"action": "publish"}, follow=True)
    assert "Wait for the summaries: 0 of 2" in response.content.decode()
    assert AwardDecision.objects.get().status == AwardStatus.APPROVED

    render_summaries(decision)
    response = client.post(award_url(sample.procurement), {"action": "publish"}, follow=True)
    html = response.content.decode()
    assert "The assessment summaries are sent. Publish the contract award notice next." in html
    assert AwardDecision.objects.get().status == AwardStatus.APPROVED
    assert "Publish the contract award notice</button>" in html

    response = client.post(award_url(sample.procurement), {"action": "publish"}, follow=True)
    html = response.content.decode()
    assert AwardDecision.objects.get().status == AwardStatus.STANDSTILL
    last_day = AwardDecision.objects.get().standstill_last_day
    assert f"runs until <strong>{last_day.day} {last_day:%B %Y}</strong> inclusive" in html


def test_the_standstill_panel_suspends_resumes_and_the_approver_reverses(personas, login):
    decision = in_standstill(personas)
    procurement = decision.procurement
    officer = login(personas.officer_a)
    response = officer.post(award_url(procurement), {"action": "suspend", "suspend-reason": ""})
    assert response.status_code == 200
    assert "Give your reasons" in response.content.decode()
    response = officer.post(
        award_url(procurement),
        {"action": "suspend", "suspend-reason": "A challenge was filed."},
        follow=True,
    )
    html = response.content.decode()
    assert "The award is suspended" in html
    assert "Resume the award" in html
    response = officer.post(
        award_url(procurement),
        {"action": "resume", "resume-reason": "Dismissed."},
        follow=True,
    )
    assert "Suspend the award" in response.content.decode()
    assert "Reverse the award" not in response.content.decode()
    assert (
        officer.post(
            award_url(procurement), {"action": "reverse", "reverse-reason": "No."}
        ).status_code
        == 403
    )

    approver = login(personas.approver_a)
    response = approver.post(
        award_url(procurement),
        {"action": "reverse", "reverse-reason": "The price was misread."},
        follow=True,
    )
    html = response.content.decode()
    assert "The price was misread." in html
    assert "A challenge was filed." in html and "Dismissed." in html

    proposed(personas, Evaluated(procurement, decision.evaluation))
    html = login(personas.officer_a).get(award_url(procurement)).content.decode()
    assert html.count('class="govuk-summary-card"') == 2


def test_a_tenderer_sees_its_outcome_and_summary_only_once_published(personas, login):
    sample = evaluated(personas)
    decision = approved(personas, proposed(personas, sample))
    alpha, beta = sample.proposals
    client = login(personas.supplier_b_admin)
    response = client.get(outcome_url(beta))
    assert response.status_code == 200
    assert "The outcome is not published yet" in response.content.decode()
    assert "summary-link" not in response.content.decode()

    award_summaries_send(actor=personas.officer_a, decision=decision)
    response = client.get(outcome_url(beta))
    html = response.content.decode()
    assert "is not to be awarded a partnership" in html
    mine = summaries([decision.entries.get(proposal=beta).pk]).popitem()[1]
    theirs = summaries([decision.entries.get(proposal=alpha).pk]).popitem()[1]
    assert reverse("core:document-detail", kwargs={"pk": mine.pk}) in html
    assert reverse("core:document-detail", kwargs={"pk": theirs.pk}) not in html
    assert "100.00" not in html
    assert client.get(outcome_url(alpha)).status_code == 404
    assert client.get(reverse("core:document-detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("core:document-detail", kwargs={"pk": mine.pk})).status_code == 200
    proposal_page = client.get(reverse("tenders:proposal", kwargs={"pk": beta.pk}))
    assert outcome_url(beta) in proposal_page.content.decode()


# --- queries ------------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_award_pages_make_the_same_queries_for_two_and_four_tenders(personas, login):
    small = in_standstill(personas, tenderers=2)
    large = in_standstill(personas, tenderers=4, max_partners=2)
    officer = login(personas.officer_a)
    counts = [queries(officer, award_url(d.procurement)) for d in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[1] <= 40
    approver = login(personas.approver_a)
    counts = [queries(approver, decide_url(d.procurement)) for d in (small, large)]
    assert counts[0] == counts[1], counts

    supplier = login(personas.supplier_a_admin)
    proposals = [d.entries.get(proposal__request__organisation=personas.org_a).proposal
                 for d in (small, large)]  # fmt: skip
    counts = [queries(supplier, outcome_url(p)) for p in proposals]
    assert counts[0] == counts[1], counts
