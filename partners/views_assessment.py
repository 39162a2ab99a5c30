"""The borough's pages of selection: the evaluator's conflicts declaration, their list of
requests and the marking page; the lead officer's moderation, self-cleaning evidence and
shortlist proposal; the approver's decision; the CSV of consensus scores.

Every page loads the procurement as the builder does (404 for anyone who may not know it),
then asks ``partners.permissions_selection``; a request is found only among those received in
that procurement, and an evaluator with a declared conflict gets 404 for it. Services decide
every change; the views show their refusals on the form.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.calendar import london_date
from core.exceptions import ApplicationError
from procurements.views.common import posted, procurement_for_view

from .forms_assessment import (
    ConflictLaterForm,
    ConflictsDeclarationForm,
    DiscretionaryExclusionForm,
    MarksForm,
    SelfCleaningForm,
    ShortlistDecisionForm,
    ShortlistForm,
)
from .models import EvaluatorReview, EvaluatorScore, EvidenceFile
from .models.requests import evidence_upload_to
from .permissions_selection import (
    can_assess,
    can_decide_exclusions,
    can_decide_shortlist,
    can_moderate,
    can_score_request,
    can_see_request_as_evaluator,
    can_see_selection_dashboard,
    in_selection,
    is_named_evaluator,
)
from .request_pages import content_for_reading
from .scoring import Mark, scale_maximum
from .selectors_assessment import (
    assessed_requests,
    evaluators_of,
    live_shortlist,
    marks_by_question,
    proposed_request_ids,
    ranking,
    received_request_get,
)
from .selectors_selection import requests_open_to_the_borough
from .services_selection import (
    conflict_declare_later,
    conflicts_declare,
    consensus_save,
    discretionary_exclusion_record,
    evaluator_marks_save,
    outstanding_evaluators,
    self_cleaning_record,
    shortlist_decide,
    shortlist_propose,
)
from .submission import exclusion_grounds, published_questions

COMPLETE = "complete"
NOT_AN_EVALUATOR = "Only the evaluators named on this procurement assess its requests."
DASHBOARD_ONLY = (
    "Only the borough's procurement officers, approvers and administrators see the selection "
    "dashboard."
)


def _today():
    return london_date(timezone.now())


def _dashboard_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_see_selection_dashboard(request.user, procurement):
        raise PermissionDenied(DASHBOARD_ONLY)
    return procurement


def _received_or_404(procurement, request_pk: int):
    """A request received in ``procurement``; 404 before the deadline, whatever the id (the
    sealed rule: nothing submitted is visible to the borough until then)."""
    if not requests_open_to_the_borough(procurement):
        raise Http404("No such request")
    participation = received_request_get(procurement=procurement, pk=request_pk)
    if participation is None:
        raise Http404("No such request")
    return participation


def _assessed(procurement, participation, questions=None):
    """The assessment of one request received (``_received_or_404`` found it)."""
    [row] = assessed_requests(
        procurement=procurement, on=_today(), questions=questions, only=participation.pk
    )
    return row


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


def _answers_by_question(participation) -> dict:
    """The latest submission's content and its answers by question id."""
    submission = participation.submissions.order_by("-number").first()
    content = content_for_reading(submission.content) if submission else {}
    return content, {a["question_id"]: a for a in content.get("answers", [])}


# --- the evaluator ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    """The evaluator's page: first the conflicts declaration for every request received,
    then the list of requests to mark with where they are."""
    procurement = procurement_for_view(request, pk)
    if not is_named_evaluator(request.user, procurement):
        raise PermissionDenied(NOT_AN_EVALUATOR)
    rows = assessed_requests(procurement=procurement, on=_today())
    declared = all(request.user.pk in row.reviews for row in rows)
    form = None
    if rows and not declared and can_assess(request.user, procurement):
        form = ConflictsDeclarationForm(posted(request), requests=[r.received for r in rows])
        if request.method == "POST" and form.is_valid():
            try:
                reviews = conflicts_declare(
                    actor=request.user, procurement=procurement, declarations=form.declarations()
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                conflicts = sum(1 for review in reviews if review.has_conflict)
                messages.success(
                    request,
                    "Your declaration is recorded"
                    + (
                        f": you will not see the {conflicts} request{'s' if conflicts > 1 else ''} "
                        "you have a conflict with."
                        if conflicts
                        else ". You can now mark the requests."
                    ),
                )
                return redirect("partners:selection-assess", pk=procurement.pk)
    elif request.method == "POST":
        raise PermissionDenied("Your conflicts of interest are already declared.")
    mine = []
    for row in rows:
        review = row.reviews.get(request.user.pk)
        if review is None:
            state = ("Not declared", "govuk-tag--grey")
        elif review.has_conflict:
            state = ("Conflict declared: no access", "govuk-tag--red")
        elif review.completed_at:
            state = ("Completed", "govuk-tag--green")
        elif row.evaluator_marks.get(request.user.pk):
            state = ("In progress", "govuk-tag--light-blue")
        else:
            state = ("Not started", "govuk-tag--blue")
        mine.append({"row": row, "review": review, "state": state})
    return render(
        request,
        "partners/selection/assess.html",
        {
            "page_title": f"Assess the requests – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "is_open": requests_open_to_the_borough(procurement),
            "in_selection": in_selection(procurement),
            "form": form,
            "mine": mine,
            "declared": declared,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mark(request, pk: int, request_pk: int):
    """One request's submission with the evaluator's mark and reason for every question."""
    procurement = procurement_for_view(request, pk)
    if not is_named_evaluator(request.user, procurement):
        raise PermissionDenied(NOT_AN_EVALUATOR)
    participation = _received_or_404(procurement, request_pk)
    if not EvaluatorReview.objects.filter(request=participation, evaluator=request.user).exists():
        return redirect("partners:selection-assess", pk=procurement.pk)
    if not can_see_request_as_evaluator(request.user, participation):
        raise Http404("No such request")  # a declared conflict removes access
    questions = published_questions(procurement)
    may_mark = can_score_request(request.user, participation)
    mine = marks_by_question(
        EvaluatorScore.objects.filter(request=participation, evaluator=request.user)
    )
    form = MarksForm(
        posted(request) if may_mark else None,
        questions=questions,
        scale=procurement.scoring_scale,
        marks=mine,
    )
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied("You have completed your marks for this request.")
        if form.is_valid():
            complete = request.POST.get("action") == COMPLETE
            try:
                evaluator_marks_save(
                    actor=request.user,
                    request=participation,
                    marks=form.marks(),
                    complete=complete,
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    f"Your marks for {participation.organisation.name} are "
                    + ("complete." if complete else "saved. You can come back to them."),
                )
                return redirect("partners:selection-assess", pk=procurement.pk)
    content, answers = _answers_by_question(participation)
    return render(
        request,
        "partners/selection/mark.html",
        {
            "page_title": f"Mark {participation.organisation.name} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "participation": participation,
            "content": content,
            "rows": [{**row, "answer": answers.get(row["question"].pk)} for row in form.rows()],
            "form": form,
            "may_mark": may_mark,
            "conflict_form": ConflictLaterForm() if may_mark else None,
            "scale_top": scale_maximum(procurement.scoring_scale),
        },
    )


@login_required
@require_http_methods(["POST"])
def conflict_later(request, pk: int, request_pk: int):
    procurement = procurement_for_view(request, pk)
    if not is_named_evaluator(request.user, procurement):
        raise PermissionDenied(NOT_AN_EVALUATOR)
    participation = _received_or_404(procurement, request_pk)
    if not can_see_request_as_evaluator(request.user, participation):
        raise Http404("No such request")
    form = ConflictLaterForm(request.POST)
    if form.is_valid():
        try:
            conflict_declare_later(
                actor=request.user, request=participation, details=form.cleaned_data["details"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("partners:selection-mark", pk=pk, request_pk=request_pk)
        messages.success(
            request,
            f"Your conflict with {participation.organisation.name} is recorded: you no longer "
            "see its request.",
        )
        return redirect("partners:selection-assess", pk=pk)
    messages.error(request, "Describe the conflict of interest")
    return redirect("partners:selection-mark", pk=pk, request_pk=request_pk)


# --- the lead officer ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk: int, request_pk: int):
    """Every evaluator's mark and reason side by side, question by question, and the lead
    officer's consensus with its reason."""
    procurement = _dashboard_procurement(request, pk)
    participation = _received_or_404(procurement, request_pk)
    questions = published_questions(procurement)
    row = _assessed(procurement, participation, questions)
    waiting = outstanding_evaluators(participation)
    may_moderate = can_moderate(request.user, procurement) and not waiting
    initial_marks = dict(row.consensus)
    if not initial_marks:
        # Where every evaluator gave the same mark, offer it; the reason is the officer's.
        for question in questions:
            given = {
                (m.get(question.pk).score, m.get(question.pk).passed)
                for m in row.evaluator_marks.values()
                if m.get(question.pk) is not None
            }
            if len(given) == 1:
                score, passed = given.pop()
                initial_marks[question.pk] = Mark(passed=passed, score=score)
    form = MarksForm(
        posted(request) if may_moderate else None,
        questions=questions,
        scale=procurement.scoring_scale,
        marks=initial_marks,
    )
    if request.method == "POST":
        if not may_moderate:
            raise PermissionDenied(
                "Only the lead officer moderates, once every evaluator has completed their marks."
            )
        if form.is_valid():
            try:
                consensus_save(actor=request.user, request=participation, marks=form.marks())
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, f"The consensus for {participation.organisation.name} is saved."
                )
                return redirect("partners:selection", pk=pk)
    evaluators = [e for e in evaluators_of(procurement) if e.pk in row.reviews]
    content, answers = _answers_by_question(participation)
    rows = []
    for form_row in form.rows():
        question = form_row["question"]
        rows.append(
            {
                **form_row,
                "answer": answers.get(question.pk),
                "given": [
                    {
                        "evaluator": evaluator,
                        "conflict": row.reviews[evaluator.pk].has_conflict,
                        "mark": row.evaluator_marks.get(evaluator.pk, {}).get(question.pk),
                    }
                    for evaluator in evaluators
                ],
                "consensus": row.consensus.get(question.pk),
            }
        )
    return render(
        request,
        "partners/selection/moderate.html",
        {
            "page_title": f"Moderate {participation.organisation.name} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "participation": participation,
            "row": row,
            "content": content,
            "rows": rows,
            "form": form,
            "may_moderate": may_moderate,
            "waiting": waiting,
            "scale_top": scale_maximum(procurement.scoring_scale),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_cleaning(request, pk: int, request_pk: int):
    procurement = _dashboard_procurement(request, pk)
    participation = _received_or_404(procurement, request_pk)
    row = _assessed(procurement, participation)
    form = SelfCleaningForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            self_cleaning_record(
                actor=request.user, request=participation, evidence=form.cleaned_data["evidence"]
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"The self-cleaning evidence for {participation.organisation.name} is recorded: "
                "the request may be shortlisted if it qualifies otherwise.",
            )
            return redirect("partners:selection", pk=pk)
    return render(
        request,
        "partners/selection/self_cleaning.html",
        {
            "page_title": f"Self-cleaning – {participation.organisation.name}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "participation": participation,
            "row": row,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exclude(request, pk: int, request_pk: int):
    """An officer excludes a request on a discretionary ground of the regime, with reasons."""
    procurement = _dashboard_procurement(request, pk)
    participation = _received_or_404(procurement, request_pk)
    row = _assessed(procurement, participation)
    form = DiscretionaryExclusionForm(
        posted(request),
        grounds=[g for g in exclusion_grounds(procurement) if not g.mandatory],
    )
    if request.method == "POST" and form.is_valid():
        try:
            discretionary_exclusion_record(
                actor=request.user,
                request=participation,
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"{participation.organisation.name} is excluded: its request will not be "
                "shortlisted, and its letter gives your reasons.",
            )
            return redirect("partners:selection", pk=pk)
    return render(
        request,
        "partners/selection/exclude.html",
        {
            "page_title": f"Exclude – {participation.organisation.name}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "participation": participation,
            "row": row,
            "form": form,
            "may_exclude": can_decide_exclusions(request.user, procurement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shortlist(request, pk: int):
    """The ranking by consensus score and the lead officer's proposal, pre-filled with the
    best-ranked requests up to the number announced."""
    procurement = _dashboard_procurement(request, pk)
    questions = published_questions(procurement)
    rows = assessed_requests(procurement=procurement, on=_today(), questions=questions)
    ranked = ranking(rows, questions)
    live = live_shortlist(procurement)
    may_propose = can_moderate(request.user, procurement, live=live is not None)
    form = ShortlistForm(
        posted(request) if may_propose else None,
        ranked=ranked,
        initial={"chosen": proposed_request_ids(ranked, procurement.number_to_invite)},
    )
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied(
                "Only the lead officer proposes the shortlist, once, while in selection."
            )
        if form.is_valid():
            try:
                shortlist_propose(
                    actor=request.user,
                    procurement=procurement,
                    chosen=form.cleaned_data["chosen"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, "The shortlist is proposed: the approver is asked to confirm it."
                )
                return redirect("partners:selection", pk=pk)
    ranked_ids = {candidate.request_id for _, candidate in ranked}
    return render(
        request,
        "partners/selection/shortlist.html",
        {
            "page_title": f"Propose the shortlist – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "ranked": ranked,
            "not_qualifying": [
                (row, row.disqualified_because(questions))
                for row in rows
                if row.request.pk not in ranked_ids
            ],
            "unmoderated": [row for row in rows if not row.moderated(questions)],
            "form": form,
            "may_propose": may_propose,
            "live": live,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_decision(request, pk: int):
    procurement = _dashboard_procurement(request, pk)
    live = live_shortlist(procurement)
    if live is None:
        raise Http404("No shortlist is waiting for a decision")
    may_decide = can_decide_shortlist(request.user, live)
    form = ShortlistDecisionForm(posted(request) if may_decide else None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(
                "Only an approver who did not propose the shortlist can decide it, while it waits."
            )
        if form.is_valid():
            confirm = form.cleaned_data["decision"] == "confirm"
            try:
                shortlist_decide(
                    actor=request.user,
                    shortlist=live,
                    confirm=confirm,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    "The shortlist is confirmed: the procurement moves to tendering, and the "
                    "invitation and regret letters are being generated and sent."
                    if confirm
                    else "The shortlist is returned to the lead officer with your reasons.",
                )
                return redirect("partners:selection", pk=pk)
    return render(
        request,
        "partners/selection/decide.html",
        {
            "page_title": f"Decide the shortlist – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "live": live,
            "form": form,
            "may_decide": may_decide,
        },
    )


@login_required
def evidence_file(request, pk: int, request_pk: int, sha256: str):
    """An evidence file of a request received, as it was when the request was last submitted
    (named by the SHA-256 its frozen submission records): for the dashboard's people and the
    evaluators who may see the request, after the deadline only."""
    procurement = procurement_for_view(request, pk)
    participation = _received_or_404(procurement, request_pk)
    if not (
        can_see_selection_dashboard(request.user, procurement)
        or can_see_request_as_evaluator(request.user, participation)
    ):
        raise Http404("No such file")
    content, _ = _answers_by_question(participation)
    frozen = {
        file["sha256"]: file
        for answer in content.get("answers", [])
        for file in answer.get("files", [])
    }
    if sha256 not in frozen:
        raise Http404("No such file")
    # The content is stored by organisation and SHA-256, and kept while a submission lists it,
    # even if the supplier took the file off its draft after submitting.
    path = evidence_upload_to(
        EvidenceFile(organisation_id=participation.organisation_id, sha256=sha256), ""
    )
    storage = EvidenceFile._meta.get_field("file").storage
    try:
        handle = storage.open(path, "rb")
    except OSError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=frozen[sha256]["name"],
        content_type=frozen[sha256].get("content_type") or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the export ------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@login_required
def scores_csv(request, pk: int):
    """The consensus scores, one row per request: its rank, each question's consensus mark
    and reason, the weighted total and whether it qualifies. Nothing before the deadline."""
    procurement = _dashboard_procurement(request, pk)
    if not requests_open_to_the_borough(procurement):
        raise Http404("Nothing to export before the participation deadline")
    questions = published_questions(procurement)
    rows = assessed_requests(procurement=procurement, on=_today(), questions=questions)
    rank_of = {c.request_id: position for position, c in ranking(rows, questions)}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{procurement.reference}-consensus-scores.csv"'
    )
    response.write("\ufeff")  # so spreadsheets read UTF-8
    writer = csv.writer(response)
    header = ["Rank", "Supplier", "Consortium members"]
    for number, question in enumerate(questions, start=1):
        header += [
            f"Q{number} {'score' if question.is_scored else 'pass/fail'}",
            f"Q{number} reason",
        ]
    writer.writerow([*header, "Weighted score (out of 100)", "Qualifies", "Why not"])
    for row in sorted(rows, key=lambda r: (rank_of.get(r.request.pk, 10**6), r.request.pk)):
        cells = [
            rank_of.get(row.request.pk, ""),
            row.request.organisation.name,
            "; ".join(org["name"] for org in row.received.organisations[1:]),
        ]
        for question in questions:
            consensus = row.consensus.get(question.pk)
            if consensus is None:
                cells += ["", ""]
                continue
            value = (
                consensus.score
                if question.is_scored
                else {True: "Pass", False: "Fail"}.get(consensus.passed, "")
            )
            cells += [value, consensus.reason]
        reasons = row.disqualified_because(questions)
        cells += [
            row.total if row.moderated(questions) else "",
            "Yes" if row.request.pk in rank_of else "No",
            "; ".join(reasons),
        ]
        writer.writerow([_cell(cell) for cell in cells])
    return response
