"""Document status and download pages, and the audit extract request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.documents import can_have_audit_extract
from core.exceptions import ApplicationError
from core.models import Borough, DocumentStatus, GeneratedDocument
from core.selectors.documents import document_get
from core.services.documents import document_request

# How often the status page asks whether the document is ready. The page polls
# with a script rather than <meta http-equiv="refresh">: a timed refresh fails
# WCAG 2.2.1 (axe's meta-refresh rule), and reloading every few seconds moves a
# screen reader back to the top of the page. The script reloads once, when the
# status changes.
REFRESH_SECONDS = 3
STATUS_TAG_COLOURS = {
    DocumentStatus.PENDING: "grey",
    DocumentStatus.RENDERING: "blue",
    DocumentStatus.READY: "green",
    DocumentStatus.FAILED: "red",
}


def _readable_or_404(request, pk: int) -> GeneratedDocument:
    try:
        return document_get(user=request.user, pk=pk)
    except GeneratedDocument.DoesNotExist:
        raise Http404("No such document") from None


def _file_size(document: GeneratedDocument) -> int | None:
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


@login_required
def document_detail(request, pk: int):
    document = _readable_or_404(request, pk)
    ready = document.status == DocumentStatus.READY
    context = {
        "document": document,
        "page_title": document.title,
        "tag_colour": STATUS_TAG_COLOURS[document.status],
        "refresh_seconds": REFRESH_SECONDS if document.is_in_flight else None,
        "refresh_milliseconds": REFRESH_SECONDS * 1000,
        "file_size": _file_size(document) if ready else None,
    }
    return render(request, "core/documents/detail.html", context)


@login_required
def document_status(request, pk: int):
    """The document's status as JSON, for the status page's script."""
    document = _readable_or_404(request, pk)
    response = JsonResponse({"status": document.status, "label": document.get_status_display()})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def document_download(request, pk: int):
    document = _readable_or_404(request, pk)
    if document.status != DocumentStatus.READY or not document.file:
        raise Http404("The document is not ready")
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404("The document's file is missing") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_filename,
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_extract_request(request, borough_slug: str):
    """Ask for a PDF extract of the audit trail of a borough and its people."""
    borough = get_object_or_404(Borough, slug=borough_slug)
    if not can_have_audit_extract(request.user, borough):
        raise PermissionDenied
    if request.method == "POST":
        try:
            document = document_request(kind="audit_extract", target=borough, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect(document)
    context = {"borough": borough, "page_title": f"Audit extract for {borough}"}
    return render(request, "core/documents/audit_extract_request.html", context)
