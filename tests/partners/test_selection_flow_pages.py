"""The selection pages end to end through the test client: an evaluator declares and marks,
the lead officer moderates and proposes, the approver confirms; and what each page refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    EvaluatorScore,
    ParticipationRequest,
    RequestStatus,
    Shortlist,
    ShortlistStatus,
)
from partners.services_selection import conflict_field, mark_field, reason_field
from partners.submission import published_questions
from procurements.models import Procurement, ProcurementStatus
from tests.partners.request_samples import open_call
from tests.partners.test_selection_page import close, submitted

pytestmark = pytest.mark.django_db


def _selection(personas, *, to_invite=3):
    procurement = open_call(personas, scored=2)
    Procurement.objects.filter(pk=procurement.pk).update(number_to_invite=to_invite)
    requests = [
        submitted(personas, procurement, personas.org_a, personas.supplier_a_admin),
        submitted(personas, procurement, personas.org_b, personas.supplier_b_admin),
        submitted(personas, procurement, personas.org_c, personas.consortium_member),
    ]
    procurement.evaluators.add(personas.evaluator_a)
    close(procurement)
    return Procurement.objects.get(pk=procurement.pk), requests


def _url(name, procurement, **kwargs):
    return reverse(f"partners:{name}", kwargs={"pk": procurement.pk, **kwargs})


def _marks(procurement, scores) -> dict:
    data = {}
    for question, score in zip(published_questions(procurement), scores, strict=True):
        data[mark_field(question.pk)] = str(score)
        data[reason_field(question.pk)] = f"Reason for {score}."
    return data


def _declare(client, procurement, requests, conflicted=()):
    data = {}
    for request in requests:
        data[conflict_field(request.pk)] = "yes" if request in conflicted else "no"
        data[f"{conflict_field(request.pk)}_details"] = (
            "My brother runs it." if request in conflicted else ""
        )
    return client.post(_url("selection-assess", procurement), data)


def test_the_whole_selection_through_the_pages(personas, login, client):
    procurement, requests = _selection(personas)
    evaluator = login(personas.evaluator_a)

    page = evaluator.get(_url("selection-assess", procurement)).content.decode()
    assert "Do you have a conflict of interest with Alpha Robotics Ltd" in page
    assert "Our secret method" not in page  # nothing of a request before the declaration
    assert _declare(evaluator, procurement, requests).status_code == 302

    for request, scores in zip(
        requests, (["pass", 5, 4], ["pass", 3, 3], ["pass", 2, 2]), strict=True
    ):
        url = _url("selection-mark", procurement, request_pk=request.pk)
        assert "Our secret method" in evaluator.get(url).content.decode()
        response = evaluator.post(url, {**_marks(procurement, scores), "action": "complete"})
        assert response.status_code == 302, response.content.decode()

    officer = login(personas.officer_a)
    for request, scores in zip(
        requests, (["pass", 5, 4], ["pass", 3, 3], ["pass", 2, 2]), strict=True
    ):
        url = _url("selection-moderate", procurement, request_pk=request.pk)
        assert "Reason for 5." in officer.get(url).content.decode() or request != requests[0]
        response = officer.post(url, _marks(procurement, scores))
        assert response.status_code == 302, response.content.decode()

    dashboard = officer.get(_url("selection", procurement)).content.decode()
    assert "Ranked 1" in dashboard and "Consensus: 90.00" in dashboard

    csv = officer.get(_url("selection-scores-csv", procurement)).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("1,Alpha Robotics Ltd")
    assert "90.00" in csv

    response = officer.post(
        _url("selection-shortlist", procurement),
        {"chosen": [r.pk for r in requests], "reason": "All three qualify."},
    )
    assert response.status_code == 302, response.content.decode()

    approver = login(personas.approver_a)
    response = approver.post(
        _url("selection-decide", procurement), {"decision": "confirm", "reason": ""}
    )
    assert response.status_code == 302, response.content.decode()
    assert Procurement.objects.get(pk=procurement.pk).status == ProcurementStatus.TENDERING
    assert set(
        ParticipationRequest.objects.filter(procurement=procurement).values_list(
            "status", flat=True
        )
    ) == {RequestStatus.SHORTLISTED}
    assert Shortlist.objects.get(procurement=procurement).status == ShortlistStatus.CONFIRMED


def test_a_mark_without_a_reason_is_refused_and_nothing_is_lost(personas, login):
    procurement, requests = _selection(personas)
    evaluator = login(personas.evaluator_a)
    _declare(evaluator, procurement, requests)
    url = _url("selection-mark", procurement, request_pk=requests[0].pk)
    data = _marks(procurement, ["pass", 4, 3])
    first_reason = reason_field(published_questions(procurement)[1].pk)
    data[first_reason] = ""

    response = evaluator.post(url, {**data, "action": "save"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Question 2: give the reason for your mark" in page
    assert "Reason for 3." in page  # what was typed stays on the page
    assert not EvaluatorScore.objects.exists()


def test_an_evaluator_with_a_conflict_gets_404_for_that_request(personas, login):
    procurement, requests = _selection(personas)
    evaluator = login(personas.evaluator_a)
    _declare(evaluator, procurement, requests, conflicted=[requests[1]])

    conflicted = _url("selection-mark", procurement, request_pk=requests[1].pk)
    assert evaluator.get(conflicted).status_code == 404
    assert evaluator.post(conflicted, _marks(procurement, ["pass", 1, 1])).status_code == 404
    assert (
        evaluator.get(_url("selection-mark", procurement, request_pk=requests[0].pk)).status_code
        == 200
    )


def test_a_shortlist_of_two_while_three_qualify_is_refused(personas, login):
    procurement, requests = _selection(personas)
    evaluator = login(personas.evaluator_a)
    _declare(evaluator, procurement, requests)
    for request in requests:
        evaluator.post(
            _url("selection-mark", procurement, request_pk=request.pk),
            {**_marks(procurement, ["pass", 3, 3]), "action": "complete"},
        )
    officer = login(personas.officer_a)
    for request in requests:
        officer.post(
            _url("selection-moderate", procurement, request_pk=request.pk),
            _marks(procurement, ["pass", 3, 3]),
        )

    response = officer.post(
        _url("selection-shortlist", procurement),
        {"chosen": [requests[0].pk, requests[1].pk], "reason": "Two is enough."},
    )

    assert response.status_code == 200
    assert "3 requests qualify, so at least 3 suppliers must be invited: you chose 2" in (
        response.content.decode()
    )
    assert not Shortlist.objects.exists()


SELECTION_PAGES = (
    "selection-mark",
    "selection-moderate",
    "selection-self-cleaning",
)
MARKER = "SEALED-selection-what-the-supplier-wrote"


@pytest.mark.parametrize("name", SELECTION_PAGES)
def test_before_the_deadline_no_selection_page_opens_a_submitted_request(personas, name):
    """The selection pages of a call still open, with a submitted request's id: 404 for every
    borough persona and the superuser, and never the supplier's words."""
    from django.test import Client

    from partners.models import RequestAnswer
    from tests.signing_in import force_sign_in

    procurement = open_call(personas)
    procurement.evaluators.add(personas.evaluator_a)
    request = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    RequestAnswer.objects.filter(request=request).update(text=MARKER)
    url = _url(name, procurement, request_pk=request.pk)
    for person in (
        personas.officer_a,
        personas.approver_a,
        personas.evaluator_a,
        personas.borough_admin_a,
        personas.superuser,
    ):
        client = Client()
        force_sign_in(client, person)
        response = client.get(url)
        assert MARKER.encode() not in response.content
        assert response.status_code in (403, 404), (person, response.status_code)


def test_before_the_deadline_the_evaluator_page_and_the_export_show_nothing(personas, login):
    procurement = open_call(personas)
    procurement.evaluators.add(personas.evaluator_a)
    submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)

    page = login(personas.evaluator_a).get(_url("selection-assess", procurement))
    assert personas.org_a.name not in page.content.decode()
    assert "sealed until the participation deadline" in page.content.decode()
    assert (
        login(personas.officer_a).get(_url("selection-scores-csv", procurement)).status_code == 404
    )


@pytest.mark.parametrize(
    "name,who",
    [
        ("selection", "officer_a"),
        ("selection-shortlist", "officer_a"),
        ("selection-scores-csv", "officer_a"),
        ("selection-assess", "evaluator_a"),
    ],
)
def test_selection_pages_make_the_same_number_of_queries_whatever_the_number_of_requests(
    personas, login, name, who
):
    """Every request marked by the evaluator and moderated: the pages read reviews, marks and
    consensus in a fixed number of queries."""
    from core.models import SupplierRole
    from partners.models import ConsensusScore, EvaluatorReview
    from tests import factories
    from tests.query_budget import assert_query_budget

    procurement = open_call(personas, scored=2)
    procurement.evaluators.add(personas.evaluator_a)
    close(procurement)
    # The rows are submitted through the service, which needs an open window: the status is
    # put back to published while they are added.
    Procurement.objects.filter(pk=procurement.pk).update(
        participation_deadline=timezone.now() + timedelta(days=1)
    )
    questions = published_questions(procurement)

    def add_requests(n):
        Procurement.objects.filter(pk=procurement.pk).update(status="published")
        for _ in range(n):
            organisation = factories.SupplierOrganisationFactory()
            admin = factories.supplier(organisation, SupplierRole.ADMIN)
            request = submitted(personas, procurement, organisation, admin)
            EvaluatorReview.objects.create(
                request=request, evaluator=personas.evaluator_a, has_conflict=False
            )
            for question in questions:
                fields = ({"score": 3} if question.is_scored else {"passed": True}) | {
                    "question_id": question.pk,
                    "reason": "Sound.",
                    "request": request,
                }
                EvaluatorScore.objects.create(evaluator=personas.evaluator_a, **fields)
                ConsensusScore.objects.create(moderated_by=personas.officer_a, **fields)
        Procurement.objects.filter(pk=procurement.pk).update(status="selection")

    assert_query_budget(
        login(getattr(personas, who)),
        _url(name, procurement),
        add_rows=add_requests,
        most=30,
    )


def test_evidence_files_open_to_an_evaluator_without_a_conflict_after_the_deadline(personas, login):
    from tests.partners.selection_samples import with_evidence_file

    kwargs = with_evidence_file(personas)
    procurement = Procurement.objects.get(pk=kwargs["pk"])
    url = reverse("partners:selection-evidence-file", kwargs=kwargs)
    evaluator = login(personas.evaluator_a)
    assert evaluator.get(url).status_code == 404  # not declared yet

    request = ParticipationRequest.objects.get(pk=kwargs["request_pk"])
    _declare(evaluator, procurement, [request])
    response = evaluator.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="Accreditation.pdf"' in response["Content-Disposition"]

    wrong = reverse("partners:selection-evidence-file", kwargs={**kwargs, "sha256": "0" * 64})
    assert evaluator.get(wrong).status_code == 404


def test_evidence_files_are_refused_to_an_evaluator_with_a_conflict(personas, login):
    from tests.partners.selection_samples import with_evidence_file

    kwargs = with_evidence_file(personas)
    procurement = Procurement.objects.get(pk=kwargs["pk"])
    request = ParticipationRequest.objects.get(pk=kwargs["request_pk"])
    evaluator = login(personas.evaluator_a)
    _declare(evaluator, procurement, [request], conflicted=[request])

    url = reverse("partners:selection-evidence-file", kwargs=kwargs)
    assert evaluator.get(url).status_code == 404


def test_a_file_taken_off_the_draft_after_submitting_stays_readable_to_the_borough(personas, login):
    """Its row goes, its content stays (a submission lists it): the borough reads what was
    submitted."""
    from partners.models import EvidenceFile
    from tests.partners.selection_samples import with_evidence_file

    kwargs = with_evidence_file(personas)
    EvidenceFile.objects.filter(sha256=kwargs["sha256"]).delete()  # the row only

    response = login(personas.officer_a).get(
        reverse("partners:selection-evidence-file", kwargs=kwargs)
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
