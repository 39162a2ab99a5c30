"""Amend a published procurement, list its amendments, cancel a procurement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from procurements.forms_amendments import AmendForm, CancelForm
from procurements.forms_common import add_service_error
from procurements.permissions_amendments import (
    amendment_is_open,
    can_amend_procurement,
    can_cancel_procurement,
)
from procurements.permissions_publication import was_published
from procurements.registry import builder_sections
from procurements.selectors import amendment_list
from procurements.services.amendments import (
    amendment_discard,
    amendment_open,
    amendment_section_changes,
    procurement_amend,
    procurement_cancel,
)
from procurements.views.common import procurement_for_view


def _procurement_to_amend(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_amend_procurement(request.user, procurement):
        raise PermissionDenied(
            "Only the borough's procurement officers can amend a procurement, and only while "
            "its call is open."
        )
    return procurement


def _own_page_sections(procurement) -> list[dict]:
    """The sections changed on their own pages, each with whether it differs from what is
    published (only worked out while an amendment is being prepared)."""
    changed = {}
    if amendment_is_open(procurement):
        changed = {change["field"]: change for change in amendment_section_changes(procurement)}
    return [
        {
            "section": section,
            "url": reverse(section.url_name, kwargs={"pk": procurement.pk}),
            "change": changed.get(section.key),
        }
        for section in builder_sections()
        if section.amended_on_own_pages
    ]


@login_required
@require_http_methods(["GET", "POST"])
def amend(request, pk: int):
    procurement = _procurement_to_amend(request, pk)
    form = AmendForm(request.POST or None, procurement=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = procurement_amend(
                actor=request.user,
                procurement=procurement,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Amendment {amendment.number} is published as version "
                f"{amendment.version.number}. Interested suppliers have been sent an e-mail.",
            )
            return redirect("procurements:amendments", pk=procurement.pk)
    context = {
        "page_title": f"Amend the documents – {procurement.title}",
        "procurement": procurement,
        "form": form,
        "amending": amendment_is_open(procurement),
        "own_page_sections": _own_page_sections(procurement),
    }
    return render(request, "procurements/amendments/amend.html", context)


def _amendment_step(request, pk: int, service, done: str, then: str):
    procurement = _procurement_to_amend(request, pk)
    try:
        service(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("procurements:amend", pk=procurement.pk)
    messages.success(request, done)
    return redirect(then, pk=procurement.pk)


@login_required
@require_POST
def amendment_start(request, pk: int):
    return _amendment_step(
        request,
        pk,
        amendment_open,
        "You are preparing an amendment. Change the sections you need, then check and "
        "publish the amendment.",
        "procurements:task-list",
    )


@login_required
@require_POST
def amendment_stop(request, pk: int):
    return _amendment_step(
        request,
        pk,
        amendment_discard,
        "You have stopped preparing the amendment. Nothing was published.",
        "procurements:task-list",
    )


@login_required
def amendments(request, pk: int):
    procurement = procurement_for_view(request, pk)
    context = {
        "page_title": f"Amendments – {procurement.title}",
        "procurement": procurement,
        "amendments": amendment_list(procurement=procurement),
        "may_amend": can_amend_procurement(request.user, procurement),
    }
    return render(request, "procurements/amendments/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_cancel_procurement(request.user, procurement):
        raise PermissionDenied(
            "Only the lead officer can cancel a procurement, and only before a contract is signed."
        )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procurement_cancel(
                actor=request.user, procurement=procurement, reason=form.cleaned_data["reason"]
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            published = was_published(procurement)
            messages.success(
                request,
                "The procurement is cancelled."
                + (" The procurement termination notice is published." if published else ""),
            )
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {
        "page_title": f"Cancel {procurement.title}",
        "procurement": procurement,
        "form": form,
        "was_published": was_published(procurement),
    }
    return render(request, "procurements/amendments/cancel.html", context)
