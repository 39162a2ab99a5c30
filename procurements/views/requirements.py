"""The minimum requirements section: the list, add, change and remove a requirement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from procurements.forms_lists import MinimumRequirementForm, RequirementsCompletedForm
from procurements.services.requirements import (
    SECTION_KEY,
    procurement_requirement_add,
    procurement_requirement_change,
    procurement_requirement_remove,
    procurement_requirements_mark,
)
from procurements.views.common import completed_initial, posted, procurement_for_edit

SECTION_TITLE = "Minimum requirements"


@login_required
@require_http_methods(["GET", "POST"])
def minimum_requirements(request, pk: int):
    procurement = procurement_for_edit(request, pk)
    form = RequirementsCompletedForm(
        posted(request), initial={"completed": completed_initial(procurement, SECTION_KEY)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            procurement_requirements_mark(
                actor=request.user,
                procurement=procurement,
                completed=form.cleaned_data["completed"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect("procurements:task-list", pk=procurement.pk)
    context = {
        "procurement": procurement,
        "form": form,
        "requirements": procurement.minimum_requirements.all(),
        "section_title": SECTION_TITLE,
    }
    return render(request, "procurements/requirements/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minimum_requirement_add(request, pk: int):
    procurement = procurement_for_edit(request, pk)
    form = MinimumRequirementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            procurement_requirement_add(
                actor=request.user, procurement=procurement, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Minimum requirement added")
            if "add_another" in request.POST:
                return redirect("procurements:minimum-requirement-add", pk=procurement.pk)
            return redirect("procurements:minimum-requirements", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "adding": True}
    return render(request, "procurements/requirements/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minimum_requirement_change(request, pk: int, requirement_pk: int):
    procurement = procurement_for_edit(request, pk)
    requirement = get_object_or_404(procurement.minimum_requirements, pk=requirement_pk)
    form = MinimumRequirementForm(posted(request), initial={"text": requirement.text})
    if request.method == "POST" and form.is_valid():
        try:
            procurement_requirement_change(
                actor=request.user, requirement=requirement, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Minimum requirement changed")
            return redirect("procurements:minimum-requirements", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "adding": False}
    return render(request, "procurements/requirements/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minimum_requirement_remove(request, pk: int, requirement_pk: int):
    procurement = procurement_for_edit(request, pk)
    requirement = get_object_or_404(procurement.minimum_requirements, pk=requirement_pk)
    error = None
    if request.method == "POST":
        try:
            procurement_requirement_remove(actor=request.user, requirement=requirement)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Minimum requirement removed")
            return redirect("procurements:minimum-requirements", pk=procurement.pk)
    context = {"procurement": procurement, "requirement": requirement, "error": error}
    return render(request, "procurements/requirements/remove.html", context)
