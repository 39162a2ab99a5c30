"""The pages of the reduction of the tenderers between rounds (RULES.md point 7).

``/procurements/<pk>/reduction/`` lists the rounds evaluated to reduce the tenderers;
``/procurements/<pk>/reduction/<evaluation_pk>/`` shows the ranking of that round's tenders
and takes the lead officer's decision (the best-ranked ticked at first), then shows the
decision with its entries and the letters' progress. Every page loads the procurement as the
builder does (404 for anyone who may not know it) and is for the borough's officers,
approvers and administrators (403 for its other people); deciding is the lead officer's
(403 for anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from procurements.views.common import posted, procurement_for_view

from .evaluation_ranking import evaluation_ranking
from .forms_reduction import ReductionForm
from .permissions_reduction import (
    NOT_ANNOUNCED,
    can_decide_reduction,
    can_see_reduction,
    reduction_refusal,
)
from .selectors_reduction import (
    decided_reduction,
    reduction_evaluation_get,
    reduction_evaluations,
    reduction_letters,
)
from .services_reduction import reduction_decide

TEMPLATES = "partners/reduction"
SEE_ONLY = "Only the borough's officers, approvers and administrators see the reduction."


def _reduction_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_see_reduction(request.user, procurement):
        raise PermissionDenied(SEE_ONLY)
    return procurement


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


@login_required
@require_http_methods(["GET"])
def reduction_list(request, pk: int):
    """The rounds whose tenders are evaluated to reduce the tenderers, and their decisions."""
    procurement = _reduction_procurement(request, pk)
    evaluations = reduction_evaluations(procurement)
    context = {
        "page_title": f"Reducing the tenderers – {procurement.title}",
        "procurement": procurement,
        "caption": _caption(procurement),
        "rows": [(evaluation, decided_reduction(evaluation)) for evaluation in evaluations],
        "not_announced": "" if procurement.reduce_between_rounds else NOT_ANNOUNCED,
    }
    return render(request, f"{TEMPLATES}/list.html", context)


def _decide(request, evaluation, *, may_decide: bool, form) -> bool:
    if not may_decide:
        raise PermissionDenied("Only the lead officer reduces the tenderers, once, per round.")
    if form is None:
        messages.error(
            request, "Moderate every tender on every criterion before you reduce the tenderers."
        )
        return True
    if not form.is_valid():
        return False
    try:
        reduction_decide(
            actor=request.user,
            evaluation=evaluation,
            continuing=form.cleaned_data["continuing"],
            reason=form.cleaned_data["reason"],
            reasons=form.reasons(),
        )
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    messages.success(
        request,
        "The tenderers are reduced. Letters are being generated for those who do not continue; "
        "those who continue have been told.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def reduction_round(request, pk: int, evaluation_pk: int):
    """The ranking of a round's tenders and the lead officer's reduction, or the decision."""
    procurement = _reduction_procurement(request, pk)
    evaluation = reduction_evaluation_get(procurement, evaluation_pk)
    if evaluation is None:
        raise Http404("No evaluation to reduce the tenderers")
    reduction = decided_reduction(evaluation)
    ranking = evaluation_ranking(evaluation) if reduction is None else None
    may_decide = ranking is not None and can_decide_reduction(request.user, evaluation)
    form = (
        ReductionForm(posted(request), ranking=ranking) if may_decide and ranking.complete else None
    )
    if request.method == "POST" and _decide(request, evaluation, may_decide=may_decide, form=form):
        return redirect("partners:reduction-round", pk=procurement.pk, evaluation_pk=evaluation.pk)
    entries = list(reduction.entries.all()) if reduction is not None else []
    letters = reduction_letters(entry.pk for entry in entries if not entry.continues)
    context = {
        "page_title": f"Reducing the tenderers of round {evaluation.round.number} – "
        f"{procurement.title}",
        "procurement": procurement,
        "caption": _caption(procurement),
        "evaluation": evaluation,
        "ranking": ranking,
        "refusal": reduction_refusal(evaluation) if reduction is None else "",
        "form": form,
        "reduction": reduction,
        "entries": [(entry, letters.get(entry.pk)) for entry in entries],
        "rendering": any(doc is None or doc.status != "ready" for doc in letters.values()),
    }
    return render(request, f"{TEMPLATES}/round.html", context)
