"""Market engagement (officers) and following an opportunity (suppliers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from procurements.forms_engagement import EngagementEventForm, MarketEngagementForm
from procurements.models import Procurement
from procurements.permissions_market import can_manage_engagement
from procurements.sections import uk_datetime_text
from procurements.selectors_market import (
    engagement_event_list,
    engagement_get,
    engagement_notice_get,
)
from procurements.services.engagement import (
    engagement_event_add,
    engagement_event_remove,
    interest_register,
    interest_withdraw,
    market_engagement_publish,
    market_engagement_save,
)
from procurements.views.common import (
    event_rows,
    posted,
    procurement_for_view,
    public_procurement_or_404,
)

ONLY_OFFICERS = (
    "Only the borough's procurement officers can change its market engagement, and only "
    "before the call is published."
)


def _engagement_page(request, procurement: Procurement, *, form=None, error: str = ""):
    engagement = engagement_get(procurement=procurement)
    may_manage = can_manage_engagement(request.user, procurement)
    if form is None and may_manage and not (engagement and engagement.is_published):
        initial = {}
        if engagement is not None:
            initial = {
                "title": engagement.title,
                "summary": engagement.summary,
                "contact_email": engagement.contact_email,
            }
        form = MarketEngagementForm(initial=initial)
    events = event_rows(engagement_event_list(engagement=engagement))
    notice = None
    if engagement is not None and engagement.is_published:
        notice = engagement_notice_get(procurement=procurement)
    context = {
        "page_title": f"Market engagement – {procurement.title}",
        "procurement": procurement,
        "engagement": engagement,
        "published_text": uk_datetime_text(engagement.published_at) if engagement else "",
        "events": events,
        "notice": notice,
        "form": form,
        "may_manage": may_manage,
        "error": error,
    }
    return render(request, "procurements/engagement/engagement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def engagement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if request.method == "GET":
        return _engagement_page(request, procurement)
    if not can_manage_engagement(request.user, procurement):
        raise PermissionDenied(ONLY_OFFICERS)
    form = MarketEngagementForm(request.POST)
    if form.is_valid():
        try:
            market_engagement_save(actor=request.user, procurement=procurement, **form.cleaned_data)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Market engagement notice saved. It is not published yet.")
            return redirect("procurements:engagement", pk=procurement.pk)
    return _engagement_page(request, procurement, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_event_add_page(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_manage_engagement(request.user, procurement):
        raise PermissionDenied(ONLY_OFFICERS)
    engagement = engagement_get(procurement=procurement)
    if engagement is None:
        messages.info(request, "Save the market engagement notice first, then add its events.")
        return redirect("procurements:engagement", pk=procurement.pk)
    form = EngagementEventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = engagement_event_add(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            told = " Suppliers who follow it are being sent an e-mail."
            messages.success(
                request, f"Event added: {event.title}.{told if engagement.is_published else ''}"
            )
            return redirect("procurements:engagement", pk=procurement.pk)
    context = {
        "page_title": f"Add an event – {procurement.title}",
        "procurement": procurement,
        "engagement": engagement,
        "form": form,
    }
    return render(request, "procurements/engagement/event_form.html", context)


@login_required
@require_POST
def engagement_event_remove_action(request, pk: int, event_pk: int):
    procurement = procurement_for_view(request, pk)
    try:
        engagement_event_remove(actor=request.user, procurement=procurement, event_pk=event_pk)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        return _engagement_page(request, procurement, error=error.message)
    messages.success(request, "Event removed.")
    return redirect("procurements:engagement", pk=procurement.pk)


@login_required
@require_POST
def engagement_publish(request, pk: int):
    procurement = procurement_for_view(request, pk)
    try:
        market_engagement_publish(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        return _engagement_page(request, procurement, error=error.message)
    messages.success(
        request,
        "Published. The UK2 preliminary market engagement notice is public, and suppliers "
        "can now follow this opportunity.",
    )
    return redirect("procurements:engagement", pk=procurement.pk)


# --- following an opportunity (suppliers) ------------------------------------------------------


def _back_to_opportunity(request, procurement: Procurement):
    """Where the supplier came from on this site, else the opportunity's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("opportunities:detail", kwargs={"pk": procurement.pk}))


def _interest_action(request, pk: int, *, following: bool):
    procurement = public_procurement_or_404(pk)
    try:
        if following:
            interest_register(actor=request.user, procurement=procurement)
        else:
            changed = interest_withdraw(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back_to_opportunity(request, procurement)
    if following:
        messages.success(
            request,
            "Your organisation follows this opportunity. We will e-mail you about events, "
            "the call, published answers and any changes.",
        )
    elif changed:
        messages.success(request, "Your organisation no longer follows this opportunity.")
    return _back_to_opportunity(request, procurement)


@login_required
@require_POST
def follow(request, pk: int):
    return _interest_action(request, pk, following=True)


@login_required
@require_POST
def unfollow(request, pk: int):
    return _interest_action(request, pk, following=False)
