"""The evidence pages: an answer's files, pulling a library item into an answer, the
organisation's evidence library, and downloading a file.

Only members of the organisation that owns the evidence see these pages; for anyone else,
officers and superusers included, the request, the item or the file does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError

from .evidence import EvidenceRefused, size_text, type_label
from .forms_evidence import EvidenceUploadForm, LibraryItemForm, LibraryPullForm
from .models import EvidenceFile, EvidenceKind, RequestStatus
from .permissions_evidence import can_change_answer_evidence
from .selectors_evidence import (
    evidence_answer_get,
    evidence_file_get,
    evidence_organisation,
    evidence_question_get,
    evidence_request_get,
    library_item_get,
    library_item_list,
)
from .services_evidence import (
    evidence_file_add,
    evidence_file_remove,
    library_item_add,
    library_item_change,
    library_item_remove,
    library_pull,
)
from .submission import participation_closed_message

SUPPLIERS_ONLY = "Only people in a supplier organisation keep an evidence library."


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _file_rows(files, remove_url) -> list[dict]:
    return [
        {
            "file": evidence,
            "size": size_text(evidence.size),
            "type": type_label(evidence.content_type),
            "download_url": reverse("requests:evidence-file", kwargs={"pk": evidence.pk}),
            "remove_url": remove_url(evidence),
        }
        for evidence in files
    ]


# --- an answer's files ----------------------------------------------------------------------


def _answer_objects(request, pk: int, question_pk: int):
    participation = evidence_request_get(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No such request to participate")
    found = evidence_question_get(request=participation, question_pk=question_pk)
    if found is None:
        raise Http404("No such question")
    number, question = found
    return participation, number, question


def _answer_context(request, participation, number, question) -> dict:
    """What both answer pages show: the question, and whether the answer may change now."""
    may_change = can_change_answer_evidence(request.user, participation, now=timezone.now())
    closed = ""
    if not may_change:
        closed = (
            "This request has been withdrawn: start it again from the request's page to "
            "change its answers."
            if participation.status == RequestStatus.WITHDRAWN
            else participation_closed_message(participation.procurement)
        )
    return {
        "participation": participation,
        "procurement": participation.procurement,
        "question": question,
        "number": number,
        "may_change": may_change,
        "closed": closed,
        "submitted": participation.status == RequestStatus.SUBMITTED,
    }


def _answer_evidence_page(request, participation, number, question, form, error=""):
    answer = evidence_answer_get(request=participation, question=question)
    files = list(answer.files.all()) if answer is not None else []
    context = _answer_context(request, participation, number, question)
    context.update(
        form=form,
        error=error,
        page_title=f"Evidence for question {number}",
        rows=_file_rows(
            files,
            lambda evidence: reverse(
                "requests:answer-evidence-remove",
                kwargs={"pk": participation.pk, "question_pk": question.pk, "file_pk": evidence.pk},
            ),
        ),
    )
    return render(request, "partners/evidence/answer_evidence.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer_evidence(request, pk: int, question_pk: int):
    """The answer's files, and a file upload to add one."""
    participation, number, question = _answer_objects(request, pk, question_pk)
    form = EvidenceUploadForm(*_posted(request))
    if form.is_valid():
        try:
            evidence = evidence_file_add(
                actor=request.user,
                upload=form.cleaned_data["file"],
                request=participation,
                question=question,
            )
        except EvidenceRefused as refusal:
            form.add_error("file", refusal.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{evidence.name} has been uploaded.")
            return redirect("requests:answer-evidence", pk=pk, question_pk=question.pk)
    return _answer_evidence_page(request, participation, number, question, form)


@login_required
@require_POST
def answer_evidence_remove(request, pk: int, question_pk: int, file_pk: int):
    participation, number, question = _answer_objects(request, pk, question_pk)
    evidence = (
        EvidenceFile.objects.select_related("answer__request")
        .filter(pk=file_pk, answer__request=participation, answer__question=question)
        .first()
    )
    if evidence is None:
        raise Http404("No such file")
    try:
        evidence_file_remove(actor=request.user, evidence=evidence)
    except ApplicationError as error:
        return _answer_evidence_page(
            request, participation, number, question, EvidenceUploadForm(), error=error.message
        )
    messages.success(request, f"{evidence.name} has been removed.")
    return redirect("requests:answer-evidence", pk=pk, question_pk=question.pk)


@login_required
@require_http_methods(["GET", "POST"])
def answer_library_pull(request, pk: int, question_pk: int):
    """Choose an item of the evidence library to use in this answer."""
    participation, number, question = _answer_objects(request, pk, question_pk)
    items = library_item_list(organisation=participation.organisation)
    form = LibraryPullForm(request.POST if request.method == "POST" else None, items=items)
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            library_pull(actor=request.user, request=participation, question=question, item=item)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"“{item.title}” has been added to your answer to question {number}: its text "
                "at the end of your answer, and its files below.",
            )
            return redirect("requests:answer-evidence", pk=pk, question_pk=question.pk)
    context = _answer_context(request, participation, number, question)
    context.update(
        form=form,
        has_items=bool(form.fields["item"].queryset),
        page_title=f"Use your evidence library in question {number}",
    )
    return render(request, "partners/evidence/library_pull.html", context)


# --- the evidence library --------------------------------------------------------------------


def _organisation_or_403(request):
    organisation = evidence_organisation(user=request.user)
    if organisation is None:
        raise PermissionDenied(SUPPLIERS_ONLY)
    return organisation


def _library_item_or_404(request, item_pk: int):
    item = library_item_get(user=request.user, pk=item_pk)
    if item is None:
        raise Http404("No such item in your evidence library")
    return item


@login_required
def library(request):
    """The organisation's evidence library, by kind."""
    organisation = _organisation_or_403(request)
    items = list(library_item_list(organisation=organisation))
    groups = [
        {"label": label, "kind": kind, "items": [item for item in items if item.kind == kind]}
        for kind, label in EvidenceKind.choices
    ]
    context = {
        "organisation": organisation,
        "groups": groups,
        "has_items": bool(items),
        "page_title": "Your evidence library",
    }
    return render(request, "partners/evidence/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_add_view(request):
    organisation = _organisation_or_403(request)
    form = LibraryItemForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            item = library_item_add(
                actor=request.user, organisation=organisation, data=form.item_data()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The item has been added to your evidence library.")
            return redirect("requests:library-item", item_pk=item.pk)
    context = {"form": form, "adding": True, "page_title": "Add to your evidence library"}
    return render(request, "partners/evidence/library_item_form.html", context)


def _library_item_page(request, item, form, error=""):
    context = {
        "item": item,
        "form": form,
        "error": error,
        "page_title": item.title,
        "rows": _file_rows(
            item.files.all(),
            lambda evidence: reverse(
                "requests:library-item-file-remove",
                kwargs={"item_pk": item.pk, "file_pk": evidence.pk},
            ),
        ),
    }
    return render(request, "partners/evidence/library_item.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_detail(request, item_pk: int):
    """An item of the library: its text and files, and a file upload to add one."""
    item = _library_item_or_404(request, item_pk)
    form = EvidenceUploadForm(*_posted(request))
    if form.is_valid():
        try:
            evidence = evidence_file_add(
                actor=request.user, upload=form.cleaned_data["file"], library_item=item
            )
        except EvidenceRefused as refusal:
            form.add_error("file", refusal.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{evidence.name} has been uploaded.")
            return redirect("requests:library-item", item_pk=item.pk)
    return _library_item_page(request, item, form)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_change_view(request, item_pk: int):
    item = _library_item_or_404(request, item_pk)
    form = LibraryItemForm(request.POST if request.method == "POST" else None, instance=item)
    if form.is_valid():
        try:
            library_item_change(actor=request.user, item=item, data=form.item_data())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The item has been changed.")
            return redirect("requests:library-item", item_pk=item.pk)
    context = {"form": form, "item": item, "page_title": "Change an item of your evidence library"}
    return render(request, "partners/evidence/library_item_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_remove_view(request, item_pk: int):
    item = _library_item_or_404(request, item_pk)
    error = ""
    if request.method == "POST":
        try:
            library_item_remove(actor=request.user, item=item)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"“{item.title}” has been removed from your library.")
            return redirect("requests:library")
    context = {"item": item, "error": error, "page_title": "Remove an item of your library"}
    return render(request, "partners/evidence/library_item_remove.html", context)


@login_required
@require_POST
def library_item_file_remove(request, item_pk: int, file_pk: int):
    item = _library_item_or_404(request, item_pk)
    evidence = EvidenceFile.objects.filter(pk=file_pk, library_item=item).first()
    if evidence is None:
        raise Http404("No such file")
    try:
        evidence_file_remove(actor=request.user, evidence=evidence)
    except ApplicationError as error:
        return _library_item_page(request, item, EvidenceUploadForm(), error=error.message)
    messages.success(request, f"{evidence.name} has been removed.")
    return redirect("requests:library-item", item_pk=item.pk)


# --- downloading -----------------------------------------------------------------------------


@login_required
def evidence_file_download(request, pk: int):
    """The file as uploaded, as an attachment under its name, for its organisation only."""
    evidence = evidence_file_get(user=request.user, pk=pk)
    if evidence is None:
        raise Http404("No such file")
    try:
        handle = evidence.file.open("rb")
    except OSError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
