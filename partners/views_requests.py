"""The supplier's pages of a request to participate: its organisation's requests, starting
one from an opportunity, the task list, each question, conflicts of interest, how the
organisation applies, the check and submit page, receipts, withdrawing and starting again.

Who sees what: the people of the lead organisation see its requests; anyone else gets 404
(a request they may not see looks like one that does not exist). Services decide every
change; these views only show their refusals.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from core.models import SupplierRole
from core.selectors.accounts import supplier_membership_get
from procurements.sections import uk_datetime_text
from procurements.selectors_public import opportunity_get

from .forms_requests import (
    SAVE_AND_CONTINUE,
    AnswerForm,
    ApplyingAsForm,
    ConflictsForm,
)
from .models import ParticipationRequest, QuestionKind, RequestStatus
from .permissions import (
    can_change_request,
    can_restart_request,
    can_submit_request,
    can_withdraw_request,
    request_is_changeable,
    request_organisation_admin,
)
from .request_pages import content_for_reading, request_task_list
from .selectors_letters import DECIDED, selection_letters
from .selectors_requests import (
    answer_map,
    request_get,
    request_list,
    submission_get,
    submission_latest,
)
from .services_requests import (
    RequestExists,
    SubmissionIncomplete,
    receipt_time_text,
    request_answer_save,
    request_conflicts_save,
    request_consortium_choice,
    request_restart,
    request_start,
    request_submit,
    request_withdraw,
)
from .submission import (
    participation_closed_message,
    participation_open,
    published_questions,
    submission_content,
    submission_problems,
)
from .views_common import perform, refusal_of

SUPPLIERS_ONLY = "Only members of a supplier organisation have requests to participate."

# Request status -> GOV.UK tag modifier.
STATUS_TAGS = {
    RequestStatus.DRAFT: "govuk-tag--grey",
    RequestStatus.SUBMITTED: "govuk-tag--green",
    RequestStatus.SHORTLISTED: "govuk-tag--green",
    RequestStatus.NOT_SHORTLISTED: "govuk-tag--grey",
    RequestStatus.EXCLUDED: "govuk-tag--red",
    RequestStatus.WITHDRAWN: "govuk-tag--orange",
}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _request_or_404(request, pk: int) -> ParticipationRequest:
    participation = request_get(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No such request")
    return participation


def _caption(participation: ParticipationRequest) -> str:
    procurement = participation.procurement
    return f"{procurement.reference} {procurement.title}"


def _closed_message(participation: ParticipationRequest) -> str:
    """Why the request cannot change now, or "" while it can."""
    if not participation_open(participation.procurement, now=timezone.now()):
        return participation_closed_message(participation.procurement)
    if participation.status == RequestStatus.WITHDRAWN:
        return "This request has been withdrawn. Start it again to change or submit it."
    if not request_is_changeable(participation):
        return (
            f"This request is {participation.get_status_display().lower()}: it cannot be "
            "changed now."
        )
    return ""


def _page(request, template: str, participation: ParticipationRequest, **context):
    return render(
        request,
        f"partners/requests/{template}",
        {
            "participation": participation,
            "procurement": participation.procurement,
            "caption": _caption(participation),
            "status_tag": STATUS_TAGS.get(participation.status, ""),
            "deadline": uk_datetime_text(participation.procurement.participation_deadline),
            "closed": _closed_message(participation),
            **context,
        },
    )


# --- the organisation's requests, and starting one -------------------------------------------


@login_required
def request_list_view(request):
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise PermissionDenied(SUPPLIERS_ONLY)
    now = timezone.now()
    rows = [
        {
            "participation": participation,
            "caption": _caption(participation),
            "status_tag": STATUS_TAGS.get(participation.status, ""),
            "deadline": uk_datetime_text(participation.procurement.participation_deadline),
            "open": participation_open(participation.procurement, now=now),
            "submitted": uk_datetime_text(participation.submitted_at),
        }
        for participation in request_list(user=request.user)
    ]
    return render(
        request,
        "partners/requests/list.html",
        {
            "page_title": "Your requests to participate",
            "organisation": membership.organisation,
            "rows": rows,
        },
    )


@login_required
@require_POST
def request_start_view(request, procurement_pk: int):
    procurement = opportunity_get(pk=procurement_pk)
    if procurement is None:
        raise Http404("No such opportunity")
    try:
        participation = request_start(actor=request.user, procurement=procurement)
    except RequestExists as error:
        messages.info(request, error.message)
        return redirect("requests:detail", pk=error.extra["request_id"])
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("opportunities:detail", pk=procurement.pk)
    messages.success(
        request,
        "Your request to participate has been started. Anyone in your organisation can work "
        "on it; an organisation admin submits it.",
    )
    return redirect("requests:detail", pk=participation.pk)


# --- the task list ---------------------------------------------------------------------------


@login_required
def request_detail_view(request, pk: int):
    participation = _request_or_404(request, pk)
    latest = submission_latest(request=participation)
    decided = participation.status in DECIDED
    return _page(
        request,
        "detail.html",
        participation,
        decided=decided,
        letter=selection_letters(request_ids=[participation.pk]).get(participation.pk)
        if decided
        else None,
        page_title=f"Your request to participate – {_caption(participation)}",
        **request_task_list(participation, latest=latest),
        latest=latest,
        latest_received=receipt_time_text(latest.submitted_at) if latest else "",
        may_withdraw=can_withdraw_request(request.user, participation),
        may_restart=can_restart_request(request.user, participation),
    )


# --- answering -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_answer_view(request, pk: int, question_pk: int):
    participation = _request_or_404(request, pk)
    questions = published_questions(participation.procurement)
    index = next((i for i, q in enumerate(questions) if q.pk == question_pk), None)
    if index is None:
        raise Http404("No such question")
    question = questions[index]
    following = questions[index + 1] if index + 1 < len(questions) else None
    answer = answer_map(request=participation).get(question.pk)
    form = AnswerForm(_posted(request), question=question, answer=answer)
    if form.is_valid():
        try:
            request_answer_save(
                actor=request.user, request=participation, question=question, **form.answer()
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            if request.POST.get("action") == SAVE_AND_CONTINUE and following is not None:
                return redirect("requests:answer", pk=participation.pk, question_pk=following.pk)
            messages.success(request, f"Your answer to question {index + 1} is saved.")
            return redirect("requests:detail", pk=participation.pk)
    return _page(
        request,
        "answer.html",
        participation,
        page_title=f"Question {index + 1} – {_caption(participation)}",
        form=form,
        question=question,
        number=index + 1,
        question_count=len(questions),
        is_pass_fail=question.kind == QuestionKind.PASS_FAIL,
        may_change=can_change_request(request.user, participation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_conflicts_view(request, pk: int):
    participation = _request_or_404(request, pk)
    initial = {
        "has_conflict": {True: "yes", False: "no"}.get(participation.has_conflict),
        "details": participation.conflict_details,
    }
    form = ConflictsForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            request_conflicts_save(actor=request.user, request=participation, **form.conflicts())
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your declaration of conflicts of interest is saved.")
            return redirect("requests:detail", pk=participation.pk)
    return _page(
        request,
        "conflicts.html",
        participation,
        page_title=f"Conflicts of interest – {_caption(participation)}",
        form=form,
        may_change=can_change_request(request.user, participation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_applying_as_view(request, pk: int):
    participation = _request_or_404(request, pk)
    initial = {"is_consortium": "consortium" if participation.is_consortium else "alone"}
    form = ApplyingAsForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            participation = request_consortium_choice(
                actor=request.user, request=participation, is_consortium=form.choice()
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            if participation.is_consortium:
                return redirect("requests:consortium", pk=participation.pk)
            messages.success(request, "Your organisation is applying alone.")
            return redirect("requests:detail", pk=participation.pk)
    return _page(
        request,
        "applying_as.html",
        participation,
        page_title=f"Applying alone or as a consortium – {_caption(participation)}",
        form=form,
        may_change=can_change_request(request.user, participation),
    )


# --- checking, submitting and the receipts ---------------------------------------------------


def _organisation_admins(participation: ParticipationRequest) -> list[str]:
    return [
        membership.user.get_full_name() or membership.user.email
        for membership in participation.organisation.memberships.filter(
            role=SupplierRole.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def request_submit_view(request, pk: int):
    participation = _request_or_404(request, pk)
    error = ""
    problems = None
    if request.method == "POST":
        before = submission_latest(request=participation)
        try:
            submission = request_submit(actor=request.user, request=participation)
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except SubmissionIncomplete as refusal:
            problems = refusal.extra["problems"]
            error = refusal.message
        except ApplicationError as refusal:
            error = refusal.message
        else:
            if before is not None and before.pk == submission.pk:
                messages.info(
                    request,
                    f"Nothing has changed since submission {submission.number}: it stands.",
                )
            else:
                messages.success(request, f"Submission {submission.number} received.")
            return redirect("requests:receipt", pk=participation.pk, number=submission.number)
        participation = _request_or_404(request, pk)
    if problems is None:
        problems = submission_problems(participation)
    latest = submission_latest(request=participation)
    return _page(
        request,
        "submit.html",
        participation,
        page_title=f"Check and submit – {_caption(participation)}",
        problems=problems,
        error=error,
        content=content_for_reading(submission_content(participation)),
        latest=latest,
        is_admin=request_organisation_admin(request.user, participation),
        may_submit=can_submit_request(request.user, participation),
        admins=_organisation_admins(participation),
    )


@login_required
def request_receipt_view(request, pk: int, number: int):
    participation = _request_or_404(request, pk)
    submission = submission_get(request=participation, number=number)
    if submission is None:
        raise Http404("No such submission")
    latest = submission_latest(request=participation)
    return _page(
        request,
        "receipt.html",
        participation,
        page_title=f"Receipt for submission {number} – {_caption(participation)}",
        submission=submission,
        received=receipt_time_text(submission.submitted_at),
        content=content_for_reading(submission.content),
        is_latest=latest is not None and latest.pk == submission.pk,
        latest=latest,
    )


# --- withdrawing and starting again ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_withdraw_view(request, pk: int):
    participation = _request_or_404(request, pk)
    error = ""
    if request.method == "POST":
        error = refusal_of(lambda: request_withdraw(actor=request.user, request=participation))
        if not error:
            messages.success(
                request,
                "Your request has been withdrawn. The borough will not assess it. You can "
                "start it again and submit it before the deadline.",
            )
            return redirect("requests:detail", pk=participation.pk)
    return _page(
        request,
        "withdraw.html",
        participation,
        page_title=f"Withdraw your request – {_caption(participation)}",
        error=error,
        is_admin=request_organisation_admin(request.user, participation),
        may_withdraw=can_withdraw_request(request.user, participation),
        admins=_organisation_admins(participation),
        latest=submission_latest(request=participation),
    )


@login_required
@require_POST
def request_restart_view(request, pk: int):
    participation = _request_or_404(request, pk)
    perform(
        request,
        lambda: request_restart(actor=request.user, request=participation),
        success="Your request is a draft again, with everything it held. Submit it before the "
        "deadline for the borough to assess it.",
    )
    return redirect("requests:detail", pk=participation.pk)
