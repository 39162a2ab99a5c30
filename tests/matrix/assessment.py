"""Permission-matrix entries: assessing the requests received and deciding the shortlist."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, Redirect, outcomes


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    from tests.partners.selection_samples import procurement_in_selection

    procurement, request = procurement_in_selection(personas)
    values: dict[str, Any] = {"pk": procurement.pk}
    if "<int:request_pk>" in info.route:
        values["request_pk"] = request.pk
    return values


def _with_proposed_shortlist(personas, info: PatternInfo) -> dict[str, Any]:
    from partners.models import Outcome, Shortlist, ShortlistEntry
    from tests.partners.selection_samples import procurement_in_selection

    procurement, request = procurement_in_selection(personas)
    shortlist = Shortlist.objects.create(
        procurement=procurement, reason="The only request.", proposed_by=personas.officer_a
    )
    ShortlistEntry.objects.create(
        shortlist=shortlist, request=request, rank=1, total=80, outcome=Outcome.SHORTLISTED
    )
    return {"pk": procurement.pk}


def _with_evidence_file(personas, info: PatternInfo) -> dict[str, Any]:
    from tests.partners.selection_samples import with_evidence_file

    return with_evidence_file(personas)


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
        "partners:selection-[mse][oex]*",  # moderate, self-cleaning, exclude
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
