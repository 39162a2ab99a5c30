"""The supplier's pages of the tender box: checking and submitting a proposal, its
receipts, withdrawing it and starting it again (the rest is in ``views_tenders_supplier``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from procurements.sections import uk_datetime_text

from .models import ProposalStatus
from .permissions_tenders import proposal_organisation_admin
from .selectors_tenders import (
    own_submission_content,
    proposal_submission_get,
    proposal_submissions,
)
from .services_tenders import (
    ProposalIncomplete,
    proposal_content,
    proposal_restart,
    proposal_submit,
    proposal_withdraw,
    submission_problems,
)
from .tender_pages import (
    closed_message,
    organisation_admins,
    problem_links,
    proposal_caption,
    proposal_or_404,
    readable,
    render_page,
)
from .views_common import perform, refusal_of

# --- checking, submitting and the receipts ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit_view(request, pk: int):
    proposal = proposal_or_404(request, pk)
    error = ""
    problems = None
    if request.method == "POST":
        before = proposal_submissions(proposal=proposal)
        try:
            submission = proposal_submit(actor=request.user, proposal=proposal)
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except ProposalIncomplete as refusal:
            problems = refusal.extra["problems"]
            error = refusal.message
        except ApplicationError as refusal:
            error = refusal.message
        else:
            if before and before[0].pk == submission.pk:
                messages.info(
                    request,
                    f"Nothing has changed since submission {submission.number}: it stands.",
                )
            else:
                messages.success(request, f"Submission {submission.number} received.")
            return redirect("tenders:receipt", pk=proposal.pk, number=submission.number)
        proposal = proposal_or_404(request, pk)
    content = proposal_content(proposal)
    if problems is None:
        problems = submission_problems(proposal, content)
    closed = closed_message(proposal)
    is_admin = proposal_organisation_admin(request.user, proposal)
    submissions = proposal_submissions(proposal=proposal)
    return render_page(
        request,
        "submit.html",
        proposal,
        closed=closed,
        page_title=f"Check and submit your proposal – {proposal_caption(proposal)}",
        problems=problem_links(proposal, problems),
        error=error,
        content=readable(proposal, content),
        latest=submissions[0] if submissions else None,
        is_admin=is_admin,
        may_submit=is_admin and not closed,
        admins=organisation_admins(proposal),
    )


@login_required
def proposal_receipt(request, pk: int, number: int):
    proposal = proposal_or_404(request, pk)
    submission = proposal_submission_get(proposal=proposal, number=number)
    if submission is None:
        raise Http404("No such submission")
    submission.proposal = proposal
    content = own_submission_content(user=request.user, submission=submission)
    if content is None:
        raise Http404("No such submission")
    submissions = proposal_submissions(proposal=proposal)
    latest = submissions[0]
    return render_page(
        request,
        "receipt.html",
        proposal,
        page_title=f"Receipt for submission {number} – {proposal_caption(proposal)}",
        submission=submission,
        received=uk_datetime_text(submission.submitted_at),
        content=readable(proposal, content),
        is_latest=latest.pk == submission.pk,
        latest=latest,
    )


# --- withdrawing and starting again ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw_view(request, pk: int):
    proposal = proposal_or_404(request, pk)
    error = ""
    if request.method == "POST":
        error = refusal_of(lambda: proposal_withdraw(actor=request.user, proposal=proposal))
        if not error:
            messages.success(
                request,
                "Your proposal has been withdrawn: it will not be evaluated. An organisation "
                "admin can start it again and submit it before the deadline.",
            )
            return redirect("tenders:proposal", pk=proposal.pk)
        proposal = proposal_or_404(request, pk)
    closed = closed_message(proposal)
    is_admin = proposal_organisation_admin(request.user, proposal)
    submissions = proposal_submissions(proposal=proposal)
    return render_page(
        request,
        "withdraw.html",
        proposal,
        closed=closed,
        page_title=f"Withdraw your proposal – {proposal_caption(proposal)}",
        error=error,
        is_admin=is_admin,
        may_withdraw=is_admin and not closed,
        admins=organisation_admins(proposal),
        latest=submissions[0] if submissions else None,
    )


@login_required
@require_POST
def proposal_restart_view(request, pk: int):
    proposal = proposal_or_404(request, pk)
    if proposal.status != ProposalStatus.WITHDRAWN:
        messages.info(request, "This proposal has not been withdrawn: there is nothing to restart.")
        return redirect("tenders:proposal", pk=proposal.pk)
    perform(
        request,
        lambda: proposal_restart(actor=request.user, proposal=proposal),
        success="Your proposal is a draft again, with everything it held. Submit it before the "
        "deadline for it to be evaluated.",
    )
    return redirect("tenders:proposal", pk=proposal.pk)
