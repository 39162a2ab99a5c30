"""Clarification questions: suppliers ask and read their answers; officers answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.models import OfficerRole
from core.permissions import has_role
from core.selectors.accounts import supplier_membership_get
from procurements.forms_questions import PUBLISH, QuestionAnswerForm, QuestionAskForm
from procurements.models import ProcurementStatus, QuestionStatus
from procurements.permissions_market import (
    can_answer_question,
    has_verified_email,
)
from procurements.sections import uk_datetime_text
from procurements.selectors_market import (
    question_counts,
    question_get_for_officer,
    question_get_for_supplier,
    question_list_for_officer,
    question_list_for_supplier,
)
from procurements.services.engagement import VERIFY_EMAIL_FIRST
from procurements.services.questions import (
    QuestionsClosed,
    names_in_text,
    question_answer_privately,
    question_ask,
    question_publish_answer,
    questions_closed_message,
)
from procurements.views.common import (
    posted,
    procurement_for_view,
    public_caption,
    public_procurement_or_404,
)

SUPPLIERS_ONLY = "Only members of a supplier organisation can ask questions."


def _verified_supplier_or_403(user):
    membership = supplier_membership_get(user=user)
    if membership is None:
        raise PermissionDenied(SUPPLIERS_ONLY)
    if not has_verified_email(user):
        raise PermissionDenied(VERIFY_EMAIL_FIRST)
    return membership


def _question_rows(questions) -> list[dict]:
    """Each question with when it was asked and answered, in UK time."""
    return [
        {
            "question": question,
            "asked": uk_datetime_text(question.asked_at),
            "answered": uk_datetime_text(question.answered_at),
        }
        for question in questions
    ]


def _closed_page(request, procurement, message: str, typed: str = ""):
    caption = public_caption(procurement)
    context = {
        "page_title": f"You cannot ask a question now – {caption}",
        "procurement": procurement,
        "caption": caption,
        "message": message,
        "typed": typed,
    }
    return render(request, "procurements/questions/closed.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, pk: int):
    procurement = public_procurement_or_404(pk)
    membership = _verified_supplier_or_403(request.user)
    typed = request.POST.get("text", "") if request.method == "POST" else ""
    closed = questions_closed_message(procurement, now=timezone.now())
    if closed:
        return _closed_page(request, procurement, closed, typed)
    form = QuestionAskForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            question = question_ask(
                actor=request.user, procurement=procurement, text=form.cleaned_data["text"]
            )
        except QuestionsClosed as error:
            return _closed_page(request, procurement, error.message, typed)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect(
                "opportunities:question-receipt", pk=procurement.pk, question_pk=question.pk
            )
    caption = public_caption(procurement)
    context = {
        "page_title": f"Ask a question – {caption}",
        "procurement": procurement,
        "caption": caption,
        "organisation": membership.organisation,
        "deadline": uk_datetime_text(procurement.question_deadline),
        "form": form,
    }
    return render(request, "procurements/questions/ask.html", context)


@login_required
def question_receipt(request, pk: int, question_pk: int):
    procurement = public_procurement_or_404(pk)
    _verified_supplier_or_403(request.user)
    question = question_get_for_supplier(user=request.user, procurement=procurement, pk=question_pk)
    if question is None:
        raise Http404("No such question")
    caption = public_caption(procurement)
    context = {
        "page_title": f"Question received – {caption}",
        "procurement": procurement,
        "caption": caption,
        "question": question,
        "asked": uk_datetime_text(question.asked_at),
    }
    return render(request, "procurements/questions/receipt.html", context)


@login_required
def my_questions(request, pk: int):
    procurement = public_procurement_or_404(pk)
    membership = _verified_supplier_or_403(request.user)
    rows = _question_rows(question_list_for_supplier(user=request.user, procurement=procurement))
    caption = public_caption(procurement)
    context = {
        "page_title": f"Your organisation's questions – {caption}",
        "procurement": procurement,
        "caption": caption,
        "organisation": membership.organisation,
        "rows": rows,
        "may_ask": not questions_closed_message(procurement, now=timezone.now()),
        "deadline": uk_datetime_text(procurement.question_deadline),
    }
    return render(request, "procurements/questions/mine.html", context)


# --- officers ----------------------------------------------------------------------------------


@login_required
def questions(request, pk: int):
    procurement = procurement_for_view(request, pk)
    rows = _question_rows(question_list_for_officer(user=request.user, procurement=procurement))
    context = {
        "page_title": f"Clarification questions – {procurement.title}",
        "procurement": procurement,
        "rows": rows,
        "counts": question_counts(procurement=procurement),
        "deadline": uk_datetime_text(procurement.question_deadline),
        "may_answer": procurement.status != ProcurementStatus.CANCELLED
        and has_role(request.user, procurement.borough, OfficerRole.OFFICER),
    }
    return render(request, "procurements/questions/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request, pk: int, question_pk: int):
    procurement = procurement_for_view(request, pk)
    question = question_get_for_officer(user=request.user, procurement=procurement, pk=question_pk)
    if question is None:
        raise Http404("No such question")
    if question.status != QuestionStatus.OPEN:
        messages.info(request, "This question has already been answered.")
        return redirect("procurements:questions", pk=procurement.pk)
    if not can_answer_question(request.user, question):
        raise PermissionDenied("Only the borough's procurement officers can answer questions.")
    form = QuestionAnswerForm(posted(request), initial={"public_text": question.text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == PUBLISH:
                question_publish_answer(
                    actor=request.user,
                    question=question,
                    public_text=data["public_text"],
                    answer=data["answer"],
                )
                done = "Answer published to everyone. Suppliers who follow it are being e-mailed."
            else:
                question_answer_privately(
                    actor=request.user,
                    question=question,
                    answer=data["answer"],
                    reason=data["reason"],
                )
                done = "Answer sent to the supplier who asked, and to nobody else."
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("procurements:questions", pk=procurement.pk)
    context = {
        "page_title": f"Answer a question – {procurement.title}",
        "procurement": procurement,
        "question": question,
        "asked": uk_datetime_text(question.asked_at),
        "names": names_in_text(question, question.text),
        "form": form,
    }
    return render(request, "procurements/questions/answer.html", context)
