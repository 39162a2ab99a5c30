"""Pages of consent to share a tenderer's information (RULES.md point 6).

The borough's pages load the procurement as the builder does (404 for anyone who may not know
it) and are for the tender box's officers (403 for the borough's other people); only the lead
officer asks. The tenderer's pages show its own organisation's requests and nobody else's
(404 for anyone else); its organisation admins answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.selectors.accounts import supplier_membership_get
from procurements.views.common import posted, procurement_for_view

from .forms_consents import ConsentAnswerForm, ConsentAskForm
from .permissions_consents import can_answer_consent, can_ask_consent, can_see_consents
from .selectors_consents import (
    consent_list,
    consent_tenderers,
    supplier_consent_get,
    supplier_consent_list,
)
from .services_consents import consent_answer, consent_ask

TEMPLATES = "partners/consents"
OFFICERS_ONLY = "Only the borough's procurement officers and approvers see consent requests."
LEAD_ONLY = "Only the lead officer asks a tenderer's consent, while tendering or negotiating."


def _officer_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_see_consents(request.user, procurement):
        raise PermissionDenied(OFFICERS_ONLY)
    return procurement


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


@login_required
def consents(request, pk: int):
    """The procurement's consent requests and their answers."""
    procurement = _officer_procurement(request, pk)
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {
            "procurement": procurement,
            "caption": _caption(procurement),
            "page_title": f"Consent to share – {procurement.title}",
            "consents": consent_list(user=request.user, procurement=procurement),
            "may_ask": can_ask_consent(request.user, procurement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_ask_view(request, pk: int):
    """The lead officer asks a tenderer's consent to share one item."""
    procurement = _officer_procurement(request, pk)
    if not can_ask_consent(request.user, procurement):
        raise PermissionDenied(LEAD_ONLY)
    tenderers = consent_tenderers(procurement)
    form = ConsentAskForm(posted(request), tenderers=tenderers)
    if request.method == "POST" and form.is_valid():
        chosen = form.tenderers[form.cleaned_data["request"]]
        try:
            consent_ask(
                actor=request.user,
                request=chosen,
                item=form.cleaned_data["item"],
                purpose=form.cleaned_data["purpose"],
            )
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from None
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"{chosen.organisation.name} has been asked for its consent by e-mail. The item "
                "cannot be shared until it gives it.",
            )
            return redirect("partners:consents", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/ask.html",
        {
            "procurement": procurement,
            "caption": _caption(procurement),
            "page_title": f"Ask a tenderer's consent to share – {procurement.title}",
            "tenderers": tenderers,
            "form": form,
        },
    )


# --- the tenderer's pages --------------------------------------------------------------------


@login_required
def supplier_consents(request):
    """The consent requests about the user's own organisation."""
    membership = supplier_membership_get(user=request.user)
    if membership is None:
        raise Http404("Only suppliers are asked for consent")
    return render(
        request,
        f"{TEMPLATES}/supplier_list.html",
        {
            "page_title": "Requests for consent to share your information",
            "organisation": membership.organisation,
            "consents": supplier_consent_list(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supplier_consent(request, pk: int):
    """One consent request about the user's organisation; its organisation admins answer."""
    consent = supplier_consent_get(user=request.user, pk=pk)
    if consent is None:
        raise Http404("No such request for consent")
    may_answer = can_answer_consent(request.user, consent)
    form = ConsentAnswerForm(posted(request))
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied("Only an organisation admin answers, and only once.")
        if form.is_valid():
            give = form.cleaned_data["answer"] == "give"
            try:
                consent_answer(
                    actor=request.user, consent=consent, give=give, note=form.cleaned_data["note"]
                )
            except PermissionRefused as refusal:
                raise PermissionDenied(refusal.message) from None
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    "You have given your consent to this item being shared."
                    if give
                    else "You have refused your consent: the item will not be shared.",
                )
                return redirect("tenders:consent", pk=consent.pk)
    procurement = consent.procurement
    return render(
        request,
        f"{TEMPLATES}/supplier_detail.html",
        {
            "page_title": f"Consent to share – {procurement.title}",
            "caption": _caption(procurement),
            "consent": consent,
            "procurement": procurement,
            "notices": list(consent.change_notices.all()),
            "form": form if may_answer else None,
        },
    )
