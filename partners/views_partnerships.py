"""Pages of the partnership contracts (RULES.md points 8, 10 and 12).

The borough's page loads the procurement as the builder does (404 for anyone who may not know
it) and is for the borough's officers, approvers and administrators (403 for its other
people); only the lead officer enters the contracts, and the page shows why not while they
may not be entered. A partner's pages show its own partnership and nobody else's (404 for
anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.selectors.accounts import supplier_membership_get
from procurements.sections import uk_date_text
from procurements.views.common import posted, procurement_for_view

from .forms_partnerships import ContractsEnterForm
from .models import AwardStatus
from .permissions_partnerships import can_enter_contracts, can_see_partnerships
from .selectors_award import award_decisions, live_decision
from .selectors_partnerships import (
    contract_notice,
    partnership_list,
    supplier_partnership_get,
    supplier_partnership_list,
)
from .services_award import contracts_may_be_entered
from .services_partnerships import contracts_enter

TEMPLATES = "partners/partnerships"
BOROUGH_ONLY = "Only the borough's officers, approvers and administrators see the partnerships."
LEAD_ONLY = "Only the lead officer enters the partnership contracts."

# The announced IP terms' fields (ip_rights' ITT section), in the order the ITT shows them.
IP_LABELS = {
    "foreground_owner": "Who owns the foreground IP",
    "licence_scope": "What the borough's licence lets it do",
    "licence_term": "How long the licence lasts",
    "licence_sublicensable": "The borough may sublicense",
    "benefit_share": "The borough's share of commercial benefits",
    "benefit_percentage": "Percentage",
    "benefit_trigger": "When the share is due",
    "background_ip_rules": "Background IP",
    "confidentiality_rule": "Confidentiality",
    "confidentiality_note": "Confidentiality note",
}


def ip_rows(terms: dict) -> list[tuple[str, str]]:
    """The IP terms as label and text, known fields first, empty ones left out."""
    keys = [k for k in IP_LABELS if k in terms] + [k for k in terms if k not in IP_LABELS]
    return [
        (IP_LABELS.get(key, key.replace("_", " ").capitalize()), str(terms[key]))
        for key in keys
        if terms[key] not in (None, "")
    ]


def _rows(partnerships) -> list[dict]:
    return [
        {
            "partnership": p,
            "signed_on": uk_date_text(p.signed_on),
            "ip_rows": ip_rows(p.ip_terms or {}),
        }
        for p in partnerships
    ]


def _contract_state(request, procurement) -> dict:
    """The live award, whether the lead officer may enter the contracts and, if not yet,
    why not (by the server's clock)."""
    live = live_decision(award_decisions(procurement))
    in_standstill = live is not None and live.status == AwardStatus.STANDSTILL
    return {
        "decision": live,
        "in_standstill": in_standstill,
        "reason": contracts_may_be_entered(live, timezone.now()) if in_standstill else None,
        "may_enter": in_standstill and can_enter_contracts(request.user, live),
    }


@login_required
@require_http_methods(["GET", "POST"])
def partnerships(request, pk: int):
    """The procurement's partnerships; the lead officer enters the contracts after
    standstill."""
    procurement = procurement_for_view(request, pk)
    if not can_see_partnerships(request.user, procurement):
        raise PermissionDenied(BOROUGH_ONLY)
    state = _contract_state(request, procurement)
    form = ContractsEnterForm(posted(request))
    if request.method == "POST":
        if not state["may_enter"]:
            raise PermissionDenied(LEAD_ONLY)
        if form.is_valid():
            try:
                entered = contracts_enter(
                    actor=request.user,
                    decision=state["decision"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            except PermissionRefused as refusal:
                raise PermissionDenied(refusal.message) from None
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    f"{len(entered)} partnership contract{'s' if len(entered) != 1 else ''} "
                    "entered. The contract details notice is published, the partners have been "
                    "told and the procurement is active.",
                )
                return redirect("partners:partnerships", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {
            "procurement": procurement,
            "caption": f"{procurement.reference} {procurement.title}",
            "page_title": f"Partnerships – {procurement.title}",
            "rows": _rows(partnership_list(user=request.user, procurement=procurement)),
            "notice": contract_notice(procurement),
            "form": form,
            **state,
        },
    )


# --- the partner's pages ---------------------------------------------------------------------


@login_required
def supplier_partnerships(request):
    """The partnerships of the user's own organisation."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only suppliers have partnerships")
    return render(
        request,
        f"{TEMPLATES}/supplier_list.html",
        {
            "page_title": "Your partnerships",
            "organisation": membership.organisation,
            "rows": _rows(supplier_partnership_list(user=request.user)),
        },
    )


@login_required
def supplier_partnership(request, pk: int):
    """One partnership of the user's own organisation: what was agreed."""
    partnership = supplier_partnership_get(user=request.user, pk=pk)
    if partnership is None:
        raise Http404("No such partnership")
    procurement = partnership.procurement
    return render(
        request,
        f"{TEMPLATES}/supplier_detail.html",
        {
            "page_title": f"Partnership {partnership.reference} – {procurement.title}",
            "caption": f"{procurement.reference} {procurement.title}",
            "procurement": procurement,
            "row": _rows([partnership])[0],
        },
    )
