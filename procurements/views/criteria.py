"""The award criteria section: award settings, criteria and their sub-criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from procurements.forms_lists import AwardCriterionForm, AwardSettingsForm, AwardSubCriterionForm
from procurements.models import CriterionKind
from procurements.services.criteria import (
    CRITERION_FIELDS,
    SECTION_KEY,
    procurement_award_settings_save,
    procurement_criterion_add,
    procurement_criterion_change,
    procurement_criterion_remove,
    procurement_subcriterion_add,
    procurement_subcriterion_remove,
)
from procurements.views.common import completed_initial, posted, procurement_for_edit

SECTION_TITLE = "Award criteria"


def _criterion(procurement, criterion_pk: int):
    return get_object_or_404(procurement.award_criteria, pk=criterion_pk)


@login_required
@require_http_methods(["GET", "POST"])
def award_criteria(request, pk: int):
    procurement = procurement_for_edit(request, pk)
    initial = {
        "scoring_scale": procurement.scoring_scale,
        "price_formula": procurement.price_formula,
        "reduce_between_rounds": "yes" if procurement.reduce_between_rounds else "no",
        "completed": completed_initial(procurement, SECTION_KEY),
    }
    form = AwardSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            procurement_award_settings_save(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect("procurements:task-list", pk=procurement.pk)
    criteria = list(procurement.award_criteria.prefetch_related("sub_criteria"))
    kinds = {criterion.kind for criterion in criteria}
    context = {
        "procurement": procurement,
        "form": form,
        "criteria": criteria,
        "weights_total": sum(criterion.weight for criterion in criteria),
        "has_price_and_quality": {CriterionKind.PRICE, CriterionKind.QUALITY} <= kinds,
        "section_title": SECTION_TITLE,
    }
    return render(request, "procurements/criteria/section.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_criterion_add(request, pk: int):
    procurement = procurement_for_edit(request, pk)
    form = AwardCriterionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            procurement_criterion_add(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Award criterion added")
            return redirect("procurements:award-criteria", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "criterion": None}
    return render(request, "procurements/criteria/criterion_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_criterion_change(request, pk: int, criterion_pk: int):
    procurement = procurement_for_edit(request, pk)
    criterion = _criterion(procurement, criterion_pk)
    initial = {field: getattr(criterion, field) for field in CRITERION_FIELDS}
    form = AwardCriterionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            procurement_criterion_change(
                actor=request.user, criterion=criterion, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Award criterion changed")
            return redirect("procurements:award-criteria", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "form": form,
        "criterion": criterion,
        "sub_criteria": criterion.sub_criteria.all(),
    }
    return render(request, "procurements/criteria/criterion_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_criterion_remove(request, pk: int, criterion_pk: int):
    procurement = procurement_for_edit(request, pk)
    criterion = _criterion(procurement, criterion_pk)
    error = None
    if request.method == "POST":
        try:
            procurement_criterion_remove(actor=request.user, criterion=criterion)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Award criterion removed")
            return redirect("procurements:award-criteria", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "page_heading": "Are you sure you want to remove this award criterion?",
        "item": f"{criterion.name} ({criterion.weight}%)",
        "warning": "Its sub-criteria will be removed too."
        if criterion.sub_criteria.exists()
        else "",
        "cancel_url": reverse("procurements:award-criteria", kwargs={"pk": procurement.pk}),
        "error": error,
    }
    return render(request, "procurements/criteria/remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_subcriterion_add(request, pk: int, criterion_pk: int):
    procurement = procurement_for_edit(request, pk)
    criterion = _criterion(procurement, criterion_pk)
    form = AwardSubCriterionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            procurement_subcriterion_add(
                actor=request.user, criterion=criterion, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Sub-criterion added")
            return redirect(
                "procurements:award-criterion-change", pk=procurement.pk, criterion_pk=criterion.pk
            )
    context = {"procurement": procurement, "form": form, "criterion": criterion}
    return render(request, "procurements/criteria/subcriterion_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_subcriterion_remove(request, pk: int, criterion_pk: int, subcriterion_pk: int):
    procurement = procurement_for_edit(request, pk)
    criterion = _criterion(procurement, criterion_pk)
    subcriterion = get_object_or_404(criterion.sub_criteria, pk=subcriterion_pk)
    error = None
    if request.method == "POST":
        try:
            procurement_subcriterion_remove(actor=request.user, subcriterion=subcriterion)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Sub-criterion removed")
            return redirect(
                "procurements:award-criterion-change", pk=procurement.pk, criterion_pk=criterion.pk
            )
    context = {
        "procurement": procurement,
        "criterion": criterion,
        "page_heading": "Are you sure you want to remove this sub-criterion?",
        "item": subcriterion.name,
        "warning": "",
        "cancel_url": reverse(
            "procurements:award-criterion-change",
            kwargs={"pk": procurement.pk, "criterion_pk": criterion.pk},
        ),
        "error": error,
    }
    return render(request, "procurements/criteria/remove.html", context)
