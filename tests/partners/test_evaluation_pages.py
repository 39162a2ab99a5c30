"""The pages of the evaluation: starting it, a member's declaration, list and marking page, the
lead officer's moderation and the dashboard with its ranking; who sees what, and the number of
queries whatever the number of tenders and criteria."""

from __future__ import annotations

import re
from itertools import count

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.models import AuditEvent
from partners.models import (
    EvaluationPart,
    ParticipationRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
    RoundKind,
    TenderConsensus,
    TenderReview,
    TenderRound,
    TenderScore,
)
from procurements.models import AwardCriterion, CriterionKind, ProcurementStatus
from tests import factories
from tests.partners.evaluation_samples import (
    all_declared,
    all_marked,
    evaluation_started,
    final_tenders_opened,
    final_tenders_with_file,
    moderated,
)
from tests.partners.tender_samples import opened_by_two, round_opened, tendering
from tests.query_budget import assert_query_budget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]


def _url(name: str, evaluation, **kwargs) -> str:
    return reverse(
        f"partners:{name}",
        kwargs={"pk": evaluation.procurement_id, "round_pk": evaluation.round_id, **kwargs},
    )


def _tender_url(evaluation, proposal, part: str) -> str:
    return _url("evaluation-tender", evaluation, part=part, proposal_pk=proposal.pk)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- starting ---------------------------------------------------------------------------------


def test_the_lead_officer_starts_the_evaluation_from_the_page(personas, login):
    final = final_tenders_opened(personas)
    client = login(personas.officer_a)
    url = reverse(
        "partners:evaluation-start",
        kwargs={"pk": final.procurement.pk, "round_pk": final.final_round.pk},
    )
    page = _text(client.get(url))
    assert reverse("procurements:cancel", kwargs={"pk": final.procurement.pk}) in page
    # evaluator A, named on the procurement, is ticked for quality
    assert re.search(
        rf'name="quality_evaluators" value="{personas.evaluator_a.pk}"[^>]*checked', page
    )
    refused = client.post(url, {"quality_evaluators": [personas.evaluator_a.pk]})
    assert "Choose at least one price evaluator" in _text(refused)
    response = client.post(
        url,
        {
            "quality_evaluators": [personas.evaluator_a.pk],
            "price_evaluators": [personas.officer_a.pk],
        },
    )
    assert response.status_code == 302
    final.procurement.refresh_from_db()
    assert final.procurement.status == ProcurementStatus.EVALUATION
    board = _text(client.get(response["Location"]))
    assert escape(personas.evaluator_a.get_full_name()) in board and "Not declared" in board


def test_a_round_without_tenders_offers_to_end_the_procurement(personas, login):
    tender = tendering(personas)
    empty = round_opened(personas, tender)
    TenderRound.objects.filter(pk=empty.pk).update(kind=RoundKind.FINAL)
    opened_by_two(personas, empty)
    url = reverse(
        "partners:evaluation-start", kwargs={"pk": tender.procurement.pk, "round_pk": empty.pk}
    )
    page = _text(login(personas.officer_a).get(url))
    assert 'id="no-tenders"' in page and "Start the evaluation</button>" not in page
    assert reverse("procurements:cancel", kwargs={"pk": tender.procurement.pk}) in page


def test_the_tenders_page_links_to_the_evaluation(personas, login):
    final = final_tenders_opened(personas)
    page = _text(
        login(personas.officer_a).get(
            reverse("partners:tenders", kwargs={"pk": final.procurement.pk})
        )
    )
    assert reverse("partners:evaluation", kwargs={"pk": final.procurement.pk}) in page


# --- the member -------------------------------------------------------------------------------


def test_a_tender_opened_before_declaring_is_refused_and_recorded(personas, login):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    client = login(personas.evaluator_a)
    response = client.get(_tender_url(evaluation, final.proposal_a, "quality"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        action="evaluation.read_refused", actor=personas.evaluator_a
    ).exists()
    assert "Our final answer." not in response.content.decode()


def test_declaring_a_conflict_hides_that_tender(personas, login):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    client = login(personas.evaluator_a)
    declare = _url("evaluation-declare", evaluation, part="quality")
    a, b = f"tender_{final.proposal_a.pk}", f"tender_{final.proposal_b.pk}"
    missing = client.post(declare, {a: "yes"})
    page = _text(missing)
    assert "Describe your conflict of interest with Alpha Robotics Ltd" in page
    assert "Say whether you have a conflict with Beta Care CIC" in page
    assert not TenderReview.objects.exists()
    response = client.post(declare, {a: "yes", f"{a}_details": "A former employer.", b: "no"})
    assert response.status_code == 302
    assert client.get(_tender_url(evaluation, final.proposal_a, "quality")).status_code == 404
    assert client.get(_tender_url(evaluation, final.proposal_b, "quality")).status_code == 200
    mine = _text(client.get(_url("evaluation-mine", evaluation)))
    assert "Conflict declared" in mine
    assert _tender_url(evaluation, final.proposal_a, "quality") not in mine
    board = _text(login(personas.officer_a).get(_url("evaluation-round", evaluation)))
    assert f'id="tender-{final.proposal_a.pk}-unmarkable"' in board  # the only quality member
    assert f'id="tender-{final.proposal_b.pk}-unmarkable"' not in board


def test_quality_pages_never_show_prices_and_price_pages_never_show_answers(personas, login):
    final = final_tenders_with_file(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    quality = _text(
        login(personas.evaluator_a).get(_tender_url(evaluation, final.proposal_a, "quality"))
    )
    assert "Our final answer." in quality and "sensor firmware" in quality
    assert "results.txt" in quality
    for price in ("75000", "75,000", "150000", "225000"):
        assert price not in quality
    price_page = _text(
        login(personas.officer_a).get(_tender_url(evaluation, final.proposal_a, "price"))
    )
    assert "£75000.00" in price_page and "£80000.00" in price_page  # price and maximum
    assert "£225000.00" in price_page  # the total
    assert "Our final answer." not in price_page and "sensor firmware" not in price_page
    assert "results.txt" not in price_page


def test_a_quality_member_downloads_a_file_and_the_reading_is_recorded(personas, login):
    final = final_tenders_with_file(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    token = final.proposal_a.files.get().token
    url = _url("evaluation-file", evaluation, proposal_pk=final.proposal_a.pk, token=token)
    response = login(personas.evaluator_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Our test results."
    assert AuditEvent.objects.filter(action="evaluation.file_read").count() == 1
    assert login(personas.officer_a).get(url).status_code == 403


def test_marks_from_the_page_need_reasons_then_complete(personas, login):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    criterion = evaluation.procurement.award_criteria.exclude(kind="price").get()
    client = login(personas.evaluator_a)
    url = _tender_url(evaluation, final.proposal_a, "quality")
    page = _text(client.post(url, {f"c{criterion.pk}_mark": "4", "action": "complete"}))
    assert "give the reason for your mark" in page
    off_scale = _text(client.post(url, {f"c{criterion.pk}_mark": "9", "action": "save"}))
    assert "Choose a score from 0 to 5" in off_scale
    assert not TenderScore.objects.exists()
    done = client.post(
        url,
        {f"c{criterion.pk}_mark": "4", f"c{criterion.pk}_reason": "Sound.", "action": "complete"},
    )
    assert done.status_code == 302
    assert "You have completed your marks" in _text(client.get(url))
    again = client.post(url, {f"c{criterion.pk}_mark": "1", f"c{criterion.pk}_reason": "No."})
    assert again.status_code == 403


# --- moderation and the dashboard -------------------------------------------------------------


def test_moderation_hides_marks_until_every_member_has_completed(personas, login):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    client = login(personas.officer_a)
    url = _url("evaluation-moderate", evaluation, proposal_pk=final.proposal_a.pk)
    page = _text(client.get(url))
    assert 'id="waiting"' in page
    assert client.post(url, {}).status_code == 403
    all_marked(evaluation, score=4)
    page = _text(client.get(url))
    assert "Well evidenced." in page and 'id="waiting"' not in page
    quality = evaluation.procurement.award_criteria.exclude(kind="price").get()
    price = evaluation.procurement.award_criteria.get(kind="price")
    response = client.post(
        url,
        {
            f"c{quality.pk}_mark": "3",
            f"c{quality.pk}_reason": "Agreed at the moderation meeting.",
            f"c{price.pk}_mark": "yes",
            f"c{price.pk}_reason": "Accepted by both.",
        },
    )
    assert response.status_code == 302
    assert TenderConsensus.objects.filter(proposal=final.proposal_a).count() == 2
    read_only = _text(login(personas.approver_a).get(url))
    assert 'id="read-only"' in read_only
    assert login(personas.approver_a).post(url, {}).status_code == 403


def test_the_dashboard_shows_the_ranking_once_every_tender_is_moderated(personas, login):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    moderated(personas, evaluation, scores={final.proposal_a.pk: 5, final.proposal_b.pk: None})
    page = _text(login(personas.approver_a).get(_url("evaluation-round", evaluation)))
    assert 'id="ranking"' in page and "Alpha Robotics Ltd" in page
    assert "Beta Care CIC: price schedule not accepted" in page


@pytest.mark.parametrize("who", ["officer_b", "supplier_a_admin", "supplier_b_member"])
def test_other_boroughs_and_suppliers_get_404(personas, login, who):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_declared(evaluation)
    client = login(getattr(personas, who))
    for url in (
        _url("evaluation-round", evaluation),
        _url("evaluation-mine", evaluation),
        _tender_url(evaluation, final.proposal_a, "quality"),
        _url("evaluation-moderate", evaluation, proposal_pk=final.proposal_a.pk),
    ):
        assert client.get(url).status_code == 404, url


# --- queries ----------------------------------------------------------------------------------


def _growing(personas, evaluation):
    """``add(n)``: n more tenders (each declared, marked and moderated by the whole panel) and
    n more quality criteria."""
    numbers = count(1)
    seats = list(evaluation.panel.all())

    def add(n: int) -> None:
        procurement = evaluation.procurement
        for _ in range(n):
            number = next(numbers)
            AwardCriterion.objects.create(
                procurement=procurement, kind=CriterionKind.QUALITY, name=f"Extra {number}",
                weight=0, order=10 + number,
            )  # fmt: skip
        criteria = list(procurement.award_criteria.all())
        for _ in range(n):
            number = next(numbers)
            organisation = factories.SupplierOrganisationFactory(name=f"Tenderer {number}")
            request = ParticipationRequest.objects.create(
                procurement=procurement, organisation=organisation,
                status=RequestStatus.SHORTLISTED, created_by=personas.supplier_a_admin,
            )  # fmt: skip
            proposal = Proposal.objects.create(
                round=evaluation.round, request=request, status=ProposalStatus.SUBMITTED,
                created_by=personas.supplier_a_admin,
            )  # fmt: skip
            for seat in seats:
                TenderReview.objects.create(
                    proposal=proposal, evaluator=seat.evaluator, part=seat.part,
                    has_conflict=False,
                )  # fmt: skip
                for criterion in criteria:
                    if (criterion.kind == "price") == (seat.part == EvaluationPart.PRICE):
                        TenderScore.objects.create(
                            proposal=proposal, criterion=criterion, evaluator=seat.evaluator,
                            score=3, reason="Fine.",
                        )  # fmt: skip
            for criterion in criteria:
                TenderConsensus.objects.create(
                    proposal=proposal, criterion=criterion, moderated_by=personas.officer_a,
                    score=3, reason="Fine.",
                )  # fmt: skip

    return add


# Measured: 20, 13 and 18 queries at both sizes (sessions, sign-in and the page's own).
@pytest.mark.parametrize(
    ("page", "most"),
    [("evaluation-round", 22), ("evaluation-mine", 15), ("evaluation-moderate", 20)],
)
def test_evaluation_pages_make_the_same_queries_whatever_the_tenders_and_criteria(
    personas, login, page, most
):
    final = final_tenders_opened(personas)
    evaluation = evaluation_started(personas, final)
    all_marked(evaluation)
    extra = {"proposal_pk": final.proposal_a.pk} if page == "evaluation-moderate" else {}
    viewer = personas.evaluator_a if page == "evaluation-mine" else personas.officer_a
    assert_query_budget(
        login(viewer),
        _url(page, evaluation, **extra),
        add_rows=_growing(personas, evaluation),
        most=most,
        sizes=(1, 4),
    )
