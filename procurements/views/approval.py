"""Four eyes: submit for approval, approve or return with comments, publish, reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.models import OfficerMembership, OfficerRole
from procurements.forms_approval import APPROVE, ReopenForm, ReviewForm
from procurements.models import Procurement, ReviewDecision
from procurements.permissions import (
    can_edit_procurement,
    can_publish_procurement,
    can_review_procurement,
)
from procurements.registry import builder_section_get, builder_sections
from procurements.rules import RuleBreach, publication_breaches
from procurements.selectors import (
    procurement_list_awaiting_approval,
    procurement_prefetch_sections,
    section_summary_rows,
)
from procurements.services.approval import (
    PublicationRulesBroken,
    procurement_approve,
    procurement_publish,
    procurement_reopen,
    procurement_return,
    procurement_submit_for_approval,
)
from procurements.views.common import procurement_for_view

# What the refusal page says each step is, by the step's name.
STEPS = {
    "submit": "submit it for approval",
    "publish": "publish it",
}


def breach_rows(procurement: Procurement, breaches: list[RuleBreach], user) -> list[dict]:
    """Each breach with a link to the page that fixes it, when ``user`` may change it there."""
    may_edit = can_edit_procurement(user, procurement)
    rows = []
    for breach in breaches:
        url = ""
        if may_edit and breach.section:
            try:
                section = builder_section_get(breach.section)
                url = reverse(
                    section.url_name_for_fact(breach.field), kwargs={"pk": procurement.pk}
                )
            except (KeyError, NoReverseMatch):
                url = ""
        rows.append({"message": breach.message, "url": url, "rule": breach.rule})
    return rows


def _refused(request, procurement: Procurement, error: ApplicationError, step: str):
    """The GOV.UK error summary: one line per broken rule; nothing saved is lost."""
    breaches = error.extra.get("breaches") or []
    context = {
        "page_title": f"What needs fixing – {procurement.title}",
        "procurement": procurement,
        "step": STEPS[step],
        "message": error.message,
        "rows": breach_rows(procurement, breaches, request.user),
        "may_reopen": step == "publish" and can_publish_procurement(request.user, procurement),
    }
    return render(request, "procurements/approval/refused.html", context)


@login_required
@require_POST
def submit(request, pk: int):
    procurement = procurement_for_view(request, pk)
    try:
        procurement_submit_for_approval(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        return _refused(request, procurement, error, "submit")
    messages.success(request, "Submitted for approval. The approver has been sent an e-mail.")
    return redirect("procurements:task-list", pk=procurement.pk)


@login_required
@require_POST
def publish(request, pk: int):
    procurement = procurement_for_view(request, pk)
    try:
        procurement_publish(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        return _refused(request, procurement, error, "publish")
    messages.success(request, "Published. The call is open.")
    return redirect("procurements:task-list", pk=procurement.pk)


def _summary_cards(procurement: Procurement) -> list[dict]:
    """Every section's check-your-answers rows, as the builder shows them (prefetch first)."""
    cards = []
    for section in builder_sections():
        rows = section_summary_rows(section, procurement)
        cards.append({"section": section, "rows": rows})
    return cards


@login_required
def review(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_review_procurement(request.user, procurement):
        raise PermissionDenied(
            "Only an approver of the borough who did not write this procurement can review it, "
            "while it is awaiting approval."
        )
    form = ReviewForm(request.POST or None)
    breaches = None
    if request.method == "POST" and form.is_valid():
        decide = (
            procurement_approve if form.cleaned_data["decision"] == APPROVE else procurement_return
        )
        try:
            decide(
                actor=request.user,
                procurement=procurement,
                comments=form.cleaned_data["comments"],
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except PublicationRulesBroken as error:
            form.add_error("decision", f"{error.message} Return it with comments instead.")
            breaches = error.breaches
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            approved = form.cleaned_data["decision"] == APPROVE
            messages.success(
                request,
                f"{procurement.reference} {'approved' if approved else 'returned'}. "
                "The lead officer has been sent an e-mail.",
            )
            return redirect("procurements:awaiting-approval")
    # Loaded once for both the rules and the summary cards.
    procurement_prefetch_sections(procurement)
    if breaches is None:
        breaches = publication_breaches(procurement, today=london_date(timezone.now()))
    context = {
        "page_title": f"Review {procurement.title}",
        "procurement": procurement,
        "form": form,
        "cards": _summary_cards(procurement),
        "rows": breach_rows(procurement, breaches, request.user),
        "last_returned": procurement.reviews.filter(decision=ReviewDecision.RETURNED)
        .select_related("reviewer")
        .first(),
    }
    return render(request, "procurements/approval/review.html", context)


@login_required
def reopen(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_publish_procurement(request.user, procurement):
        raise PermissionDenied("Only the lead officer can reopen an approved procurement.")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procurement_reopen(
                actor=request.user, procurement=procurement, reason=form.cleaned_data["reason"]
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "It is a draft again. Make the changes, then submit it.")
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {
        "page_title": f"Take {procurement.title} back to a draft",
        "procurement": procurement,
        "form": form,
    }
    return render(request, "procurements/approval/reopen.html", context)


@login_required
def awaiting_approval(request):
    if not OfficerMembership.objects.filter(user=request.user, role=OfficerRole.APPROVER).exists():
        raise PermissionDenied("Only approvers have procurements to approve.")
    context = {
        "page_title": "Procurements awaiting your approval",
        "procurements": procurement_list_awaiting_approval(user=request.user),
    }
    return render(request, "procurements/approval/awaiting_approval.html", context)
