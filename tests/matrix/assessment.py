"""Permission-matrix entries: assessing the requests received and deciding the shortlist."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, Redirect, outcomes


def procurement_in_selection(personas):
    """A call of borough A whose deadline has passed, with supplier A's request received and
    evaluator A named on it (not yet declared)."""
    from procurements.models import Procurement
    from tests.partners.request_samples import open_call
    from tests.partners.test_selection_page import close, submitted

    procurement = open_call(personas)
    request = submitted(personas, procurement, personas.org_a, personas.supplier_a_admin)
    procurement.evaluators.add(personas.evaluator_a)
    close(procurement)
    return Procurement.objects.get(pk=procurement.pk), request


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    procurement, request = procurement_in_selection(personas)
    values: dict[str, Any] = {"pk": procurement.pk}
    if "<int:request_pk>" in info.route:
        values["request_pk"] = request.pk
    return values


def _with_proposed_shortlist(personas, info: PatternInfo) -> dict[str, Any]:
    from partners.models import Outcome, Shortlist, ShortlistEntry

    procurement, request = procurement_in_selection(personas)
    shortlist = Shortlist.objects.create(
        procurement=procurement, reason="The only request.", proposed_by=personas.officer_a
    )
    ShortlistEntry.objects.create(
        shortlist=shortlist, request=request, rank=1, total=80, outcome=Outcome.SHORTLISTED
    )
    return {"pk": procurement.pk}


def _with_evidence_file(personas, info: PatternInfo) -> dict[str, Any]:
    """The request received holds an evidence file in its last submission."""
    from partners.models import RequestSubmission
    from tests.matrix.evidence import _stored_file

    procurement, request = procurement_in_selection(personas)
    answer = request.answers.filter(question__kind="scored").first()
    evidence = _stored_file(personas, answer=answer)
    submission = request.submissions.get()
    for item in submission.content["answers"]:
        if item["question_id"] == answer.question_id:
            item["files"] = [
                {
                    "name": evidence.name,
                    "size": evidence.size,
                    "sha256": evidence.sha256,
                    "content_type": evidence.content_type,
                }
            ]
    RequestSubmission.objects.filter(pk=submission.pk).update(content=submission.content)
    return {"pk": procurement.pk, "request_pk": request.pk, "sha256": evidence.sha256}


# The borough's officers, approvers and administrators: the dashboard's people.
DASHBOARD = {"officer_a": 200, "approver_a": 200, "borough_admin_a": 200}

ENTRIES: list = [
    Entry(
        "partners:selection-assess",
        outcomes(
            404,
            officer_a=403,
            approver_a=403,
            borough_admin_a=403,
            evaluator_a=200,
            anonymous=LOGIN,
        ),
        kwargs=_kwargs,
        why="Only the evaluators named on the procurement assess; the borough's other people "
        "get 403, anyone who may not know the procurement 404.",
    ),
    Entry(
        "partners:selection-mark",
        outcomes(
            404,
            officer_a=403,
            approver_a=403,
            borough_admin_a=403,
            evaluator_a=Redirect("/procurements/"),  # to declare conflicts first
            anonymous=LOGIN,
        ),
        kwargs=_kwargs,
        why="An evaluator sees a request only after declaring no conflict with it.",
    ),
    Entry(
        "partners:selection-conflict",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Declaring a conflict later is a POST only.",
    ),
    Entry(
        "partners:selection-[ms][oe]*",  # moderate, self-cleaning
        outcomes(404, evaluator_a=403, anonymous=LOGIN, **DASHBOARD),
        kwargs=_kwargs,
        why="The dashboard's people read a request and its marks after the deadline; evaluators "
        "never see each other's marks here.",
    ),
    Entry(
        "partners:selection-s[hc]*",  # shortlist, scores-csv
        outcomes(404, evaluator_a=403, anonymous=LOGIN, **DASHBOARD),
        kwargs=_kwargs,
        why="The ranking, the proposal and the export are for the dashboard's people.",
    ),
    Entry(
        "partners:selection-evidence-file",
        outcomes(404, anonymous=LOGIN, **DASHBOARD),
        kwargs=_with_evidence_file,
        why="A request's evidence files, as last submitted, after the deadline: for the "
        "dashboard's people and the evaluators who declared no conflict with it (evaluator A "
        "has not declared yet here).",
    ),
    Entry(
        "partners:selection-decide",
        outcomes(404, evaluator_a=403, anonymous=LOGIN, **DASHBOARD),
        kwargs=_with_proposed_shortlist,
        why="The dashboard's people see the proposed shortlist; only the approver may decide.",
    ),
]
