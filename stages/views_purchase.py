"""The pages of the final purchase and of the partner's withdrawal (RULES.md points 10 and 11;
PCR 2015 reg. 31(2); PA 2023 s.80).

- ``/procurements/<pk>/stages/purchase/``: every partner, whether it has reached the purchase,
  the performance levels and maximum cost agreed in its contract, and the decision if made;
  for the borough's officers, approvers and administrators (403 for its other people, 404 for
  anyone who may not know the procurement).
- ``.../purchase/<partnership>/record/`` and ``.../decline/``: the lead officer's forms (403
  for the borough's other people).
- ``/procurements/my-phases/withdraw/<partnership>/``: the partner's administrator confirms
  its withdrawal with its reasons (403 for its other people, 404 for anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from procurements.models import Regime
from procurements.views.common import posted

from .forms_purchase import PurchaseDeclineForm, PurchaseRecordForm, WithdrawalForm
from .permissions import is_running_officer
from .selectors_purchase import (
    PurchaseRow,
    purchase_page_get,
    purchase_partnership_get,
    withdrawal_partnership_get,
)
from .services_purchase import LEAD_ONLY, purchase_decline, purchase_record
from .services_withdrawal import ADMIN_ONLY, partnership_withdraw, withdrawal_problem
from .views_common import borough_procurement, procurement_caption

TEMPLATES = "stages"
BOROUGH_ONLY = "Only the borough's officers, approvers and administrators see the purchase."


def _purchase_procurement(request, pk: int):
    return borough_procurement(request, pk, refused=BOROUGH_ONLY)


@login_required
@require_GET
def purchase(request, pk: int):
    """Every partner's standing for the purchase, and the decisions made."""
    procurement = _purchase_procurement(request, pk)
    return render(
        request,
        f"{TEMPLATES}/purchase/page.html",
        {
            "page_title": f"Purchase – {procurement.title}",
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "rows": purchase_page_get(procurement=procurement),
            "may_decide": is_running_officer(request.user, procurement),
        },
    )


def _decision_row(request, pk: int, partnership_pk: int) -> tuple[object, PurchaseRow]:
    """The procurement and the partnership the lead officer decides on (403 for the
    borough's other people, 404 for a partnership not of this procurement)."""
    procurement = _purchase_procurement(request, pk)
    if not is_running_officer(request.user, procurement):
        raise PermissionDenied(LEAD_ONLY)
    row = purchase_partnership_get(procurement=procurement, pk=partnership_pk)
    if row is None:
        raise Http404("No such partnership")
    return procurement, row


def _decide(request, form, call, *, success: str) -> bool:
    """Run the service once the form is valid; its refusal goes back on the form."""
    if not form.is_valid():
        return False
    try:
        call()
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    messages.success(request, success)
    return True


def _decision_page(request, procurement, row: PurchaseRow, form, *, template: str, title: str):
    return render(
        request,
        f"{TEMPLATES}/purchase/{template}",
        {
            "page_title": f"{title} – {procurement.title}",
            "title": title,
            "procurement": procurement,
            "caption": f"{row.partnership.reference} {row.name}",
            "row": row,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def purchase_record_view(request, pk: int, partnership_pk: int):
    """The lead officer records the result against each agreed level and the price."""
    procurement, row = _decision_row(request, pk, partnership_pk)
    form = PurchaseRecordForm(posted(request), levels=row.levels) if row.reached else None
    if form is not None and request.method == "POST":
        done = _decide(
            request,
            form,
            lambda: purchase_record(
                actor=request.user,
                partnership=row.partnership,
                results=form.results(),
                price=form.cleaned_data["price"],
                order_reference=form.cleaned_data["order_reference"],
                reason=form.cleaned_data["reason"],
            ),
            success=f"{row.name}'s result is bought: the purchase order is recorded.",
        )
        if done:
            return redirect("stages:purchase", pk=procurement.pk)
    return _decision_page(
        request, procurement, row, form, template="record.html", title="Buy the result"
    )


@login_required
@require_http_methods(["GET", "POST"])
def purchase_decline_view(request, pk: int, partnership_pk: int):
    """The lead officer declines to buy, with reasons (there is no obligation to buy)."""
    procurement, row = _decision_row(request, pk, partnership_pk)
    form = PurchaseDeclineForm(posted(request)) if row.reached else None
    if form is not None and request.method == "POST":
        done = _decide(
            request,
            form,
            lambda: purchase_decline(
                actor=request.user, partnership=row.partnership, reason=form.cleaned_data["reason"]
            ),
            success=f"{row.name}'s result is not bought: its contract is completed.",
        )
        if done:
            return redirect("stages:purchase", pk=procurement.pk)
    return _decision_page(
        request, procurement, row, form, template="decline.html", title="Decline to buy"
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_withdraw(request, pk: int):
    """The partner's administrator confirms its withdrawal from the partnership."""
    target = withdrawal_partnership_get(user=request.user, pk=pk)
    if target is None:
        raise Http404("No such partnership")
    if not target.is_lead_admin:
        raise PermissionDenied(ADMIN_ONLY)
    partnership = target.partnership
    problem = withdrawal_problem(partnership)
    form = None if problem else WithdrawalForm(posted(request))
    if form is not None and request.method == "POST":
        done = _decide(
            request,
            form,
            lambda: partnership_withdraw(
                actor=request.user, partnership=partnership, reason=form.cleaned_data["reason"]
            ),
            success=f"You have withdrawn from {partnership.reference}: its contract has ended.",
        )
        if done:
            return redirect("stages:partner-phases")
    return render(
        request,
        f"{TEMPLATES}/withdrawal/confirm.html",
        {
            "page_title": f"Withdraw from the partnership – {partnership.procurement.title}",
            "caption": f"{partnership.reference} {partnership.procurement.title}",
            "partnership": partnership,
            "problem": problem,
            "form": form,
            "notice_published": partnership.procurement.regime == Regime.PA2023,
        },
    )
