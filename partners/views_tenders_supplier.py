"""The supplier's pages of the sealed tender box: the organisation's invitations to tender,
starting a proposal, its task list, each criterion's answer, the prices per phase, the
background IP, the files, checking and submitting, the receipts, withdrawing and starting
again.

Who sees what: the people of the proposal's lead organisation, and nobody else (404 for
anyone else, officers included: a proposal they may not see looks like one that does not
exist). The services decide every change and the server's clock decides the deadline;
these views only show their refusals.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from core.selectors.accounts import supplier_membership_get
from procurements.sections import uk_datetime_text

from .evidence import EvidenceRefused
from .forms_tenders import (
    SAVE_AND_CONTINUE,
    BackgroundIPForm,
    CriterionAnswerForm,
    PricesForm,
    ProposalFileForm,
)
from .models import Proposal, ProposalStatus
from .permissions_tenders import proposal_organisation_admin, round_takes_proposals
from .selectors_reduction import own_reduction_letter
from .selectors_tenders import (
    change_notices_for,
    proposal_file_get,
    proposal_submissions,
    tender_invitations,
    tender_round_get,
)
from .services_resubmission import proposal_start_from_previous
from .services_tenders import (
    file_read,
    proposal_content,
    proposal_file_add,
    proposal_file_remove,
    proposal_save,
    submission_problems,
)
from .tender_content import announced_phases, answerable_criteria, money
from .tender_pages import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    OPTIONAL,
    STATUS_TAGS,
    closed_message,
    posted,
    proposal_caption,
    proposal_or_404,
    readable,
    render_page,
    task_status,
)

# --- the organisation's invitations, and starting a proposal ---------------------------------


@login_required
def tender_list(request):
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only invited suppliers have invitations to tender")
    now = timezone.now()
    rows = []
    for row in tender_invitations(user=request.user):
        tender_round = row["round"]
        proposal = row["proposal"]
        procurement = tender_round.procurement
        rows.append(
            {
                **row,
                "caption": f"{procurement.reference} {procurement.title}",
                "deadline": uk_datetime_text(tender_round.deadline),
                "open": round_takes_proposals(tender_round, now=now),
                "status_tag": STATUS_TAGS.get(proposal.status, "") if proposal else "",
                "submitted": uk_datetime_text(proposal.submitted_at) if proposal else "",
            }
        )
    return render(
        request,
        "partners/tenders/supplier/list.html",
        {
            "page_title": "Your invitations to tender",
            "organisation": membership.organisation,
            "rows": rows,
        },
    )


COPIED = (
    " It starts as a copy of your proposal of the round before: change what you need to and "
    "submit it again before the deadline."
)


@login_required
@require_POST
def proposal_start_view(request, round_pk: int):
    tender_round = tender_round_get(pk=round_pk)
    if tender_round is None:
        raise Http404("No such round of tenders")
    try:
        proposal, copied = proposal_start_from_previous(
            actor=request.user, tender_round=tender_round
        )
    except PermissionRefused:
        raise Http404("No such round of tenders") from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("tenders:list")
    messages.success(
        request,
        "Your proposal has been started. Anyone in your organisation can work on it; an "
        "organisation admin submits it. Nobody else can read it before the box is opened."
        + (COPIED if copied else ""),
    )
    return redirect("tenders:proposal", pk=proposal.pk)


# --- the task list ---------------------------------------------------------------------------


def _task_groups(proposal: Proposal, content: dict) -> tuple[list, int, int]:
    procurement = proposal.round.procurement
    criteria = answerable_criteria(procurement)
    phases = announced_phases(procurement)
    problems = submission_problems(proposal, content)
    open_whats = {what for what, _ in problems}
    answer_rows = [
        {
            "id": f"criterion-{criterion.pk}",
            "name": f"Criterion {number}: {criterion.name}",
            "hint": f"Weight {criterion.weight}%",
            "url": reverse(
                "tenders:answer", kwargs={"pk": proposal.pk, "criterion_pk": criterion.pk}
            ),
            "status": task_status(
                NOT_STARTED if f"answer:{criterion.pk}" in open_whats else COMPLETED
            ),
        }
        for number, criterion in enumerate(criteria, start=1)
    ]
    price_open = [p for p in phases if f"price:{p.number}" in open_whats]
    priced = [p for p in phases if money(content.get("prices", {}).get(str(p.number), ""))]
    price_status = COMPLETED if not price_open else (IN_PROGRESS if priced else NOT_STARTED)
    files = content.get("files", [])
    details_rows = [
        {
            "id": "prices",
            "name": "Prices per phase",
            "hint": f"{len(phases)} phase{'s' if len(phases) != 1 else ''}, each within the "
            "maximum announced",
            "url": reverse("tenders:prices", kwargs={"pk": proposal.pk}),
            "status": task_status(price_status),
        },
        {
            "id": "background-ip",
            "name": "Background intellectual property",
            "hint": "",
            "url": reverse("tenders:background-ip", kwargs={"pk": proposal.pk}),
            "status": task_status(NOT_STARTED if "background_ip" in open_whats else COMPLETED),
        },
        {
            "id": "files",
            "name": "Supporting files",
            "hint": f"{len(files)} file{'s' if len(files) != 1 else ''} attached",
            "url": reverse("tenders:files", kwargs={"pk": proposal.pk}),
            "status": task_status(OPTIONAL),
        },
    ]
    if problems:
        submit_status = CANNOT_START
    elif proposal.status == ProposalStatus.SUBMITTED:
        submit_status = ("Submitted", "govuk-tag govuk-tag--green")
    else:
        submit_status = NOT_STARTED
    submit_rows = [
        {
            "id": "submit",
            "name": "Check and submit your proposal",
            "hint": "",
            "url": reverse("tenders:submit", kwargs={"pk": proposal.pk}),
            "status": task_status(submit_status),
        }
    ]
    groups = [
        ("Answer the award criteria", answer_rows),
        ("Prices, intellectual property and files", details_rows),
        ("Submit", submit_rows),
    ]
    task_count = len(answer_rows) + 2
    completed = sum(1 for c in criteria if f"answer:{c.pk}" not in open_whats)
    completed += (0 if price_open else 1) + (0 if "background_ip" in open_whats else 1)
    return groups, completed, task_count


@login_required
def proposal_detail(request, pk: int):
    proposal = proposal_or_404(request, pk)
    content = proposal_content(proposal)
    groups, completed, task_count = _task_groups(proposal, content)
    submissions = proposal_submissions(proposal=proposal)
    closed = closed_message(proposal)
    is_admin = proposal_organisation_admin(request.user, proposal)
    takes = round_takes_proposals(proposal.round, now=timezone.now())
    return render_page(
        request,
        "detail.html",
        proposal,
        closed=closed,
        page_title=f"Your proposal – {proposal_caption(proposal)}",
        groups=groups,
        completed=completed,
        task_count=task_count,
        submissions=[
            {"submission": s, "received": uk_datetime_text(s.submitted_at)} for s in submissions
        ],
        latest=submissions[0] if submissions else None,
        change_notices=change_notices_for(proposal.request),
        may_withdraw=is_admin and not closed,
        may_restart=is_admin and takes and proposal.status == ProposalStatus.WITHDRAWN,
        reduced_out=own_reduction_letter(proposal),
    )


# --- answering, prices, background IP --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_answer(request, pk: int, criterion_pk: int):
    proposal = proposal_or_404(request, pk)
    criteria = answerable_criteria(proposal.round.procurement)
    index = next((i for i, c in enumerate(criteria) if c.pk == criterion_pk), None)
    if index is None:
        raise Http404("No such criterion")
    criterion = criteria[index]
    following = criteria[index + 1] if index + 1 < len(criteria) else None
    content = proposal_content(proposal)
    form = CriterionAnswerForm(
        posted(request),
        criterion=criterion,
        text=content.get("answers", {}).get(str(criterion.pk), ""),
    )
    if form.is_valid():
        try:
            proposal_save(actor=request.user, proposal=proposal, answers=form.answers())
        except PermissionRefused:
            raise Http404("No such proposal") from None
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            if request.POST.get("action") == SAVE_AND_CONTINUE and following is not None:
                return redirect("tenders:answer", pk=proposal.pk, criterion_pk=following.pk)
            messages.success(request, f"Your answer to criterion {index + 1} is saved.")
            return redirect("tenders:proposal", pk=proposal.pk)
    return render_page(
        request,
        "answer.html",
        proposal,
        page_title=f"Criterion {index + 1} – {proposal_caption(proposal)}",
        form=form,
        criterion=criterion,
        number=index + 1,
        criterion_count=len(criteria),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_prices(request, pk: int):
    proposal = proposal_or_404(request, pk)
    phases = announced_phases(proposal.round.procurement)
    content = proposal_content(proposal)
    form = PricesForm(posted(request), phases=phases, prices=content.get("prices", {}))
    if form.is_valid():
        try:
            proposal_save(actor=request.user, proposal=proposal, prices=form.prices())
        except PermissionRefused:
            raise Http404("No such proposal") from None
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your prices are saved.")
            return redirect("tenders:proposal", pk=proposal.pk)
    return render_page(
        request,
        "prices.html",
        proposal,
        page_title=f"Prices per phase – {proposal_caption(proposal)}",
        form=form,
        phases=phases,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_background_ip(request, pk: int):
    proposal = proposal_or_404(request, pk)
    content = proposal_content(proposal)
    form = BackgroundIPForm(
        posted(request), initial={"background_ip": content.get("background_ip", "")}
    )
    if form.is_valid():
        try:
            proposal_save(
                actor=request.user,
                proposal=proposal,
                background_ip=form.cleaned_data["background_ip"],
            )
        except PermissionRefused:
            raise Http404("No such proposal") from None
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your declaration of background IP is saved.")
            return redirect("tenders:proposal", pk=proposal.pk)
    return render_page(
        request,
        "background_ip.html",
        proposal,
        page_title=f"Background intellectual property – {proposal_caption(proposal)}",
        form=form,
    )


# --- files -----------------------------------------------------------------------------------


def _file_name(proposal: Proposal, record) -> str:
    content = proposal_content(proposal)
    return next(
        (f["name"] for f in content.get("files", []) if f["token"] == str(record.token)),
        "The file",
    )


def _files_page(request, proposal: Proposal, form, error: str = ""):
    content = proposal_content(proposal)
    return render_page(
        request,
        "files.html",
        proposal,
        page_title=f"Supporting files – {proposal_caption(proposal)}",
        form=form,
        error=error,
        files=readable(proposal, content)["files"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_files(request, pk: int):
    proposal = proposal_or_404(request, pk)
    if request.method == "POST":
        form = ProposalFileForm(request.POST, request.FILES)
    else:
        form = ProposalFileForm()
    if form.is_valid():
        try:
            record = proposal_file_add(
                actor=request.user, proposal=proposal, upload=form.cleaned_data["file"]
            )
        except PermissionRefused:
            raise Http404("No such proposal") from None
        except EvidenceRefused as refusal:
            form.add_error("file", refusal.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{_file_name(proposal, record)} has been added to your proposal."
            )
            return redirect("tenders:files", pk=proposal.pk)
    return _files_page(request, proposal, form)


@login_required
@require_POST
def proposal_file_remove_view(request, pk: int, token):
    proposal = proposal_or_404(request, pk)
    record = proposal_file_get(proposal=proposal, token=token)
    if record is None or not record.in_draft:
        raise Http404("No such file")
    try:
        proposal_file_remove(actor=request.user, record=record)
    except PermissionRefused:
        raise Http404("No such proposal") from None
    except ApplicationError as error:
        return _files_page(request, proposal, ProposalFileForm(), error=error.message)
    messages.success(request, "The file has been removed from your proposal.")
    return redirect("tenders:files", pk=proposal.pk)


@login_required
def proposal_file_download(request, pk: int, token):
    """The file as uploaded, opened, as an attachment under its name."""
    proposal = proposal_or_404(request, pk)
    record = proposal_file_get(proposal=proposal, token=token)
    if record is None:
        raise Http404("No such file")
    try:
        name, chunks = file_read(actor=request.user, record=record)
    except PermissionRefused:
        raise Http404("No such file") from None
    except OSError:
        raise Http404("The file is missing") from None
    response = StreamingHttpResponse(chunks, content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(record.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
