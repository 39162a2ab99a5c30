"""The phase plan pages of the procurement builder.

Each view loads the procurement with ``procurement_for_edit`` (404 for people who
may not know it exists, 403 unless they may change it now), validates a form,
calls one service and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from procurements.views.common import completed_initial, posted, procurement_for_edit

from . import services
from .forms import (
    GateCriterionForm,
    InstalmentForm,
    IntermediateTargetForm,
    PerformanceLevelForm,
    PhaseForm,
    PhasePlanCompletedForm,
    PurchaseTermsForm,
    TerminationConditionForm,
)
from .models import (
    GateCriterion,
    InstalmentScheduleItem,
    IntermediateTarget,
    PerformanceLevel,
    Phase,
    TerminationCondition,
    percent,
)
from .selectors import instalment_share_total, phase_get, phase_plan_get, purchase_terms_get


@dataclass(frozen=True)
class PhaseItemKind:
    """One kind of row a phase holds, with its form and its add and remove services."""

    slug: str
    singular: str
    model: type[models.Model]
    form: type[forms.Form]
    add: Callable
    remove: Callable
    remove_argument: str


ITEM_KINDS = {
    kind.slug: kind
    for kind in [
        PhaseItemKind(
            "targets",
            "intermediate target",
            IntermediateTarget,
            IntermediateTargetForm,
            services.target_add,
            services.target_remove,
            "target",
        ),
        PhaseItemKind(
            "instalments",
            "instalment",
            InstalmentScheduleItem,
            InstalmentForm,
            services.instalment_add,
            services.instalment_remove,
            "instalment",
        ),
        PhaseItemKind(
            "gate-criteria",
            "gate criterion",
            GateCriterion,
            GateCriterionForm,
            services.gate_criterion_add,
            services.gate_criterion_remove,
            "criterion",
        ),
        PhaseItemKind(
            "termination-conditions",
            "termination condition",
            TerminationCondition,
            TerminationConditionForm,
            services.termination_condition_add,
            services.termination_condition_remove,
            "condition",
        ),
    ]
}


def _add_errors(form: forms.Form, error: ApplicationError | ValidationError) -> None:
    """A refusal from a service shows in the error summary, linked to the first field."""
    for message in getattr(error, "messages", None) or [error.message]:
        form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def phase_plan(request, pk: int):
    """The plan: phases with their money and counts, the purchase, and "completed?"."""
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    form = PhasePlanCompletedForm(
        posted(request),
        initial={"completed": completed_initial(procurement, services.SECTION_KEY)},
    )
    if form.is_valid():
        try:
            services.phase_plan_mark(
                actor=request.user,
                procurement=procurement,
                completed=form.cleaned_data["completed"],
            )
        except services.PhasePlanIncomplete as error:
            for problem in error.problems:
                form.add_error("completed", problem)
        except ApplicationError as error:
            form.add_error("completed", error.message)
        else:
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "plan": phase_plan_get(procurement=procurement),
        "form": form,
        "section_title": "Phase plan and final purchase",
    }
    return render(request, "stages/phase_plan.html", context)


def _phase_form_page(request, procurement, form, phase=None):
    context = {"procurement": procurement, "form": form, "phase": phase}
    return render(request, "stages/phase_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phase_add(request, pk: int):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    form = PhaseForm(posted(request))
    if form.is_valid():
        try:
            phase = services.phase_add(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{phase.name} added to the plan")
            return redirect("stages:phase-detail", pk=procurement.pk, phase_pk=phase.pk)
    return _phase_form_page(request, procurement, form)


@login_required
@require_http_methods(["GET"])
def phase_detail(request, pk: int, phase_pk: int):
    """A phase's targets, instalments, gate criteria and termination conditions."""
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    phase = phase_get(procurement=procurement, pk=phase_pk)
    if phase is None:
        raise Http404("No such phase")
    context = {
        "procurement": procurement,
        "phase": phase,
        "share_total": percent(instalment_share_total(phase)),
    }
    return render(request, "stages/phase_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phase_change(request, pk: int, phase_pk: int):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    phase = get_object_or_404(Phase, pk=phase_pk, procurement=procurement)
    initial = {name: getattr(phase, name) for name in services.PHASE_FIELDS}
    form = PhaseForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            phase = services.phase_change(actor=request.user, phase=phase, **form.cleaned_data)
        except (ApplicationError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{phase.name} saved")
            return redirect("stages:phase-detail", pk=procurement.pk, phase_pk=phase.pk)
    return _phase_form_page(request, procurement, form, phase)


@login_required
@require_http_methods(["GET", "POST"])
def phase_remove(request, pk: int, phase_pk: int):
    """Confirm first: removing a phase removes everything in it."""
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    phase = get_object_or_404(Phase, pk=phase_pk, procurement=procurement)
    error = None
    if request.method == "POST":
        try:
            services.phase_remove(actor=request.user, phase=phase)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"{phase.name} removed from the plan")
            return redirect("stages:phase-plan", pk=procurement.pk)
    context = {"procurement": procurement, "phase": phase, "error": error}
    return render(request, "stages/phase_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phase_item_add(request, pk: int, phase_pk: int, item: str):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    phase = get_object_or_404(Phase, pk=phase_pk, procurement=procurement)
    kind = ITEM_KINDS[item]
    form = kind.form(posted(request))
    if form.is_valid():
        try:
            kind.add(actor=request.user, phase=phase, **form.cleaned_data)
        except (ApplicationError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{kind.singular.capitalize()} added to {phase.name}")
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect("stages:phase-detail", pk=procurement.pk, phase_pk=phase.pk)
    context = {
        "procurement": procurement,
        "form": form,
        "title": f"Add {'an' if kind.singular[0] in 'aeiou' else 'a'} {kind.singular}",
        "caption": phase.name,
        "back_url": reverse(
            "stages:phase-detail", kwargs={"pk": procurement.pk, "phase_pk": phase.pk}
        ),
        "back_text": f"Back to {phase.name}",
    }
    return render(request, "stages/item_form.html", context)


@login_required
@require_POST
def phase_item_remove(request, pk: int, phase_pk: int, item: str, item_pk: int):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    kind = ITEM_KINDS[item]
    row = get_object_or_404(
        kind.model, pk=item_pk, phase_id=phase_pk, phase__procurement=procurement
    )
    try:
        kind.remove(actor=request.user, **{kind.remove_argument: row})
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{kind.singular.capitalize()} removed")
    return redirect("stages:phase-detail", pk=procurement.pk, phase_pk=phase_pk)


@login_required
@require_http_methods(["GET", "POST"])
def purchase_terms(request, pk: int):
    """The final purchase: its performance levels, maximum cost and scope."""
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    terms = purchase_terms_get(procurement=procurement)
    initial = {"max_cost": terms.max_cost, "scope": terms.scope} if terms else {}
    initial["estimated_value"] = procurement.estimated_value
    form = PurchaseTermsForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            services.purchase_terms_save(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Final purchase saved")
            return redirect("stages:phase-plan", pk=procurement.pk)
    levels = list(terms.performance_levels.all()) if terms else []
    context = {"procurement": procurement, "form": form, "levels": levels}
    return render(request, "stages/purchase_terms.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def performance_level_add(request, pk: int):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    form = PerformanceLevelForm(posted(request))
    if form.is_valid():
        try:
            services.performance_level_add(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Performance level added")
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect("stages:purchase-terms", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "form": form,
        "title": "Add a performance level",
        "caption": "Final purchase",
        "back_url": reverse("stages:purchase-terms", kwargs={"pk": procurement.pk}),
        "back_text": "Back to the final purchase",
    }
    return render(request, "stages/item_form.html", context)


@login_required
@require_POST
def performance_level_remove(request, pk: int, level_pk: int):
    procurement = procurement_for_edit(request, pk, section=services.SECTION_KEY)
    level = get_object_or_404(
        PerformanceLevel, pk=level_pk, purchase_terms__procurement=procurement
    )
    try:
        services.performance_level_remove(actor=request.user, level=level)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Performance level removed")
    return redirect("stages:purchase-terms", pk=procurement.pk)
