"""The pages of the remuneration in instalments (RULES.md point 8; PA 2023 s.68).

The borough's Money page (``/procurements/<pk>/stages/money/``) shows every partner's money
per phase against the phase's agreed price and the contract's total, the approved claims
unpaid for more than 30 days, and the claims waiting for a decision. Each instalment has its
own page with the claim's evidence and history, where the lead officer approves or withholds
the claim and records its payment. Both load the procurement with ``procurement_for_view``
(404 for anyone who may not know it) and are for the borough's officers, approvers and
administrators (403 for its other people); a decision posted by anyone but the lead officer
gets 403.

The partner's Money page (``/procurements/my-money/``) lists its own instalments with their
state, amounts and caps; its organisation administrator claims each claimable instalment on
its claim page. Consortium members and the organisation's other people read (403 on the
claim page); anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.selectors.accounts import supplier_membership_get
from procurements.sections import pounds_text
from procurements.views.common import posted

from .forms_instalments import (
    InstalmentApproveForm,
    InstalmentClaimForm,
    InstalmentPaidForm,
    InstalmentWithholdForm,
)
from .models import InstalmentStatus, ParticipationStatus
from .permissions_instalments import (
    can_claim_instalments,
    can_decide_instalments,
    can_see_money,
)
from .selectors_money import (
    CLAIMABLE,
    PAYMENT_DAYS,
    claim_limit,
    claimable_deliverables,
    instalment_history,
    money_get,
    officer_instalment_get,
    partner_instalment_get,
    partner_money_list,
    payment_rule,
    unpaid_days,
)
from .services_instalments import (
    CLAIMERS_ONLY,
    DECIDERS_ONLY,
    NOT_CLAIMABLE,
    instalment_approve,
    instalment_claim,
    instalment_mark_paid,
    instalment_withhold,
)
from .views_common import borough_procurement, procurement_caption

TEMPLATES = "stages/instalments"
BOROUGH_ONLY = "Only the borough's officers, approvers and administrators see the money."
TAGS = {
    InstalmentStatus.SCHEDULED: "govuk-tag--grey",
    InstalmentStatus.CLAIMED: "govuk-tag--yellow",
    InstalmentStatus.APPROVED: "govuk-tag--blue",
    InstalmentStatus.PAID: "govuk-tag--green",
    InstalmentStatus.WITHHELD: "govuk-tag--red",
}

# The lead officer's actions on one instalment: its form, the state it needs, the service
# call and what the officer is told once it is done.
DECISIONS = {
    "approve": (
        InstalmentApproveForm,
        InstalmentStatus.CLAIMED,
        lambda user, instalment, data: instalment_approve(
            actor=user, instalment=instalment, reason=data["reason"]
        ),
        "The claim is approved: record its payment once it is paid.",
    ),
    "withhold": (
        InstalmentWithholdForm,
        InstalmentStatus.CLAIMED,
        lambda user, instalment, data: instalment_withhold(
            actor=user, instalment=instalment, reason=data["reason"]
        ),
        "The claim is withheld: the partner is told your reasons.",
    ),
    "paid": (
        InstalmentPaidForm,
        InstalmentStatus.APPROVED,
        lambda user, instalment, data: instalment_mark_paid(
            actor=user, instalment=instalment, paid_on=data["paid_on"]
        ),
        "The payment is recorded.",
    ),
}


def _money_procurement(request, pk: int):
    return borough_procurement(request, pk, may=can_see_money, refused=BOROUGH_ONLY)


@login_required
@require_GET
def money(request, pk: int):
    """Every partner's money per phase against the caps, the flags and the waiting claims."""
    procurement = _money_procurement(request, pk)
    return render(
        request,
        f"{TEMPLATES}/money.html",
        {
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "page_title": f"Money – {procurement.title}",
            "money": money_get(user=request.user, procurement=procurement),
            "tags": TAGS,
        },
    )


def _decision_forms(request, action: str | None) -> dict:
    return {
        name: form_class(request.POST if name == action else None, prefix=name)
        for name, (form_class, *_rest) in DECISIONS.items()
    }


def _decide(request, instalment, action: str, form) -> bool:
    """Call the action's service with the form's data; True when done."""
    _form_class, _state, call, success = DECISIONS[action]
    try:
        call(request.user, instalment, form.cleaned_data)
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    messages.success(request, success)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def instalment(request, pk: int, instalment_pk: int):
    """One instalment: its claim, evidence and history; the lead officer's decision forms."""
    procurement = _money_procurement(request, pk)
    found = officer_instalment_get(procurement=procurement, pk=instalment_pk)
    if found is None:
        raise Http404("No such instalment")
    may_decide = can_decide_instalments(request.user, procurement)
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(DECIDERS_ONLY)
        if action not in DECISIONS:
            return HttpResponseBadRequest("Choose what to do with the claim")
    forms = _decision_forms(request, action)
    if action and forms[action].is_valid() and _decide(request, found, action, forms[action]):
        return redirect("stages:instalment", pk=procurement.pk, instalment_pk=found.pk)
    days = unpaid_days(found, london_date(timezone.now()))
    return render(
        request,
        f"{TEMPLATES}/instalment.html",
        {
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "page_title": f"{found.schedule_item.milestone} – {procurement.title}",
            "instalment": found,
            "tag": TAGS[found.status],
            "history": instalment_history(found),
            "may_decide": may_decide,
            "forms": forms,
            "errored": forms[action] if action else None,
            "form": forms[action] if action else None,  # "Error: " in the title
            "unpaid_days": days if days > PAYMENT_DAYS else 0,
            "payment_rule": payment_rule(procurement),
        },
    )


# --- the partner's side -----------------------------------------------------------------------


@login_required
@require_GET
def partner_money(request):
    """Every partnership of the user's organisation with its instalments against the caps."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only suppliers have instalments")
    return render(
        request,
        f"{TEMPLATES}/partner_money.html",
        {
            "page_title": "Your instalments and payments",
            "organisation": membership.organisation,
            "entries": partner_money_list(user=request.user),
            "tags": TAGS,
        },
    )


def _claim_refusal(instalment) -> str:
    """Why the instalment cannot be claimed now whatever is typed, or ""."""
    participation = instalment.participation
    if participation.status == ParticipationStatus.NOT_STARTED:
        return (
            f"{participation.phase.name} has not started: its instalments are claimed only for "
            "work in a phase that has started."
        )
    if instalment.status not in CLAIMABLE:
        return NOT_CLAIMABLE[instalment.status]
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def partner_instalment_claim(request, pk: int):
    """The organisation administrator claims one instalment with evidence of its milestone."""
    found = partner_instalment_get(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such instalment")
    partnership = found.participation.partnership
    if not can_claim_instalments(request.user, partnership):
        raise PermissionDenied(CLAIMERS_ONLY)
    form = InstalmentClaimForm(
        posted(request),
        deliverables=claimable_deliverables(found),
        initial={"amount": found.amount},
    )
    if form.is_valid():
        try:
            instalment_claim(
                actor=request.user,
                instalment=found,
                amount=form.cleaned_data["amount"],
                evidence=form.cleaned_data["evidence"],
                deliverable=form.cleaned_data["deliverable"],
            )
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Your claim of {pounds_text(form.cleaned_data['amount'])} for "
                f"{found.schedule_item.milestone} is sent to the borough.",
            )
            return redirect("stages:partner-money")
    return render(
        request,
        f"{TEMPLATES}/claim.html",
        {
            "page_title": f"Claim {found.schedule_item.milestone}",
            "caption": f"{partnership.reference} {partnership.procurement.title}",
            "instalment": found,
            "refusal": _claim_refusal(found),
            "limit": claim_limit(found),
            "form": form,
        },
    )
