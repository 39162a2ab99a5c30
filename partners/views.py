"""The selection questionnaire pages of the procurement builder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from procurements.views.common import completed_initial, posted, procurement_for_edit

from .forms import SelectionQuestionForm, SelectionQuestionnaireForm
from .sections import KEY, selection_questions
from .services import (
    selection_question_add,
    selection_question_change,
    selection_question_remove,
    selection_questionnaire_mark,
)

TITLE = "Selection questionnaire"


@login_required
@require_http_methods(["GET", "POST"])
def selection_questionnaire(request, pk: int):
    """The questions in two tables, and whether the section is completed."""
    procurement = procurement_for_edit(request, pk, section=KEY)
    questions = selection_questions(procurement)
    form = SelectionQuestionnaireForm(
        posted(request),
        questions=questions,
        initial={"completed": completed_initial(procurement, KEY)},
    )
    if form.is_valid():
        try:
            selection_questionnaire_mark(
                actor=request.user,
                procurement=procurement,
                completed=form.cleaned_data["completed"],
            )
        except ApplicationError as error:
            form.add_error("completed", error.message)
        else:
            return redirect("procurements:task-list", pk=procurement.pk)
    scored = [question for question in questions if question.is_scored]
    context = {
        "procurement": procurement,
        "form": form,
        "section_title": TITLE,
        "pass_fail": [question for question in questions if not question.is_scored],
        "scored": scored,
        "total_weight": sum(question.weight for question in scored),
    }
    return render(request, "partners/selection_questionnaire.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def selection_question_add_view(request, pk: int):
    procurement = procurement_for_edit(request, pk, section=KEY)
    form = SelectionQuestionForm(posted(request))
    if form.is_valid():
        try:
            selection_question_add(
                actor=request.user, procurement=procurement, data=form.question_data()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if "add_another" in request.POST:
                messages.success(request, "Question added. Add another question.")
                return redirect("partners:selection-question-add", pk=procurement.pk)
            return redirect("partners:selection-questionnaire", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "adding": True}
    return render(request, "partners/selection_question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def selection_question_change_view(request, pk: int, question_pk: int):
    procurement = procurement_for_edit(request, pk, section=KEY)
    question = get_object_or_404(procurement.selection_questions, pk=question_pk)
    form = SelectionQuestionForm(posted(request), instance=question)
    if form.is_valid():
        try:
            selection_question_change(
                actor=request.user, question=question, data=form.question_data()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("partners:selection-questionnaire", pk=procurement.pk)
    context = {"procurement": procurement, "form": form, "question": question}
    return render(request, "partners/selection_question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def selection_question_remove_view(request, pk: int, question_pk: int):
    procurement = procurement_for_edit(request, pk, section=KEY)
    question = get_object_or_404(procurement.selection_questions, pk=question_pk)
    error = None
    if request.method == "POST":
        try:
            selection_question_remove(actor=request.user, question=question)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Question removed.")
            return redirect("partners:selection-questionnaire", pk=procurement.pk)
    context = {"procurement": procurement, "question": question, "error": error}
    return render(request, "partners/selection_question_remove.html", context)
