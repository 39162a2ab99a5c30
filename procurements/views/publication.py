"""What a procurement published: the officer page of versions, ITTs and notices, the ITT
retry, and the public routes to the latest ITT and to each notice (no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError, PermissionRefused
from core.models import DocumentStatus
from procurements.models import Notice, Procurement
from procurements.permissions_publication import can_retry_itt, notice_is_public, was_published
from procurements.sections import uk_datetime_text
from procurements.selectors_publication import (
    itt_latest_ready,
    procurement_notices,
    publication_versions_with_itt,
)
from procurements.services.publication import itt_retry
from procurements.views.common import procurement_for_view

ITT_TAGS = {
    DocumentStatus.PENDING: "govuk-tag--grey",
    DocumentStatus.RENDERING: "govuk-tag--blue",
    DocumentStatus.READY: "govuk-tag--green",
    DocumentStatus.FAILED: "govuk-tag--red",
}


def _version_rows(procurement: Procurement) -> list[dict]:
    return [
        {
            "version": version,
            "date": uk_datetime_text(version.created_at),
            "by": version.created_by.get_full_name() or version.created_by.email,
            "itt": version.itt,
            "itt_tag": ITT_TAGS[version.itt.status] if version.itt else "",
        }
        for version in publication_versions_with_itt(procurement)
    ]


@login_required
def publication(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not was_published(procurement):
        raise Http404("This procurement has not been published")
    rows = _version_rows(procurement)
    latest_itt = rows[0]["itt"] if rows else None
    context = {
        "page_title": f"Publication – {procurement.title}",
        "procurement": procurement,
        "published": uk_datetime_text(procurement.published_at),
        "rows": rows,
        "latest_failed": (
            latest_itt if latest_itt and latest_itt.status == DocumentStatus.FAILED else None
        ),
        "notices": [
            {"notice": notice, "date": uk_datetime_text(notice.published_at)}
            for notice in procurement_notices(procurement)
        ],
        "may_retry": can_retry_itt(request.user, procurement),
    }
    return render(request, "procurements/publication/page.html", context)


@login_required
@require_POST
def itt_retry_request(request, pk: int):
    procurement = procurement_for_view(request, pk)
    try:
        itt_retry(actor=request.user, procurement=procurement)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "The ITT is being generated again. This page shows when it is ready."
        )
    return redirect("procurements:publication", pk=procurement.pk)


# --- public: no sign-in -----------------------------------------------------------------------


def itt_download(request, pk: int):
    """The latest ready ITT of a published procurement, shown in the browser."""
    procurement = Procurement.objects.filter(pk=pk, published_at__isnull=False).first()
    document = itt_latest_ready(procurement) if procurement is not None else None
    if document is None or not document.file:
        raise Http404("There is no invitation to tender to download")
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404("The invitation to tender's file is missing") from None
    return FileResponse(
        handle,
        as_attachment=False,
        filename=document.download_filename,
        content_type="application/pdf",
    )


def notice(request, pk: int, notice_pk: int):
    """A notice as published, for anyone."""
    found = (
        Notice.objects.filter(pk=notice_pk, procurement_id=pk)
        .select_related("procurement__borough", "version")
        .first()
    )
    if found is None or not notice_is_public(found):
        raise Http404("No such notice")
    context = {
        "page_title": found.content["title"],
        "notice": found,
        "procurement": found.procurement,
        "published": uk_datetime_text(found.published_at),
        "opportunity_path": reverse("opportunities:detail", kwargs={"pk": pk}),
    }
    return render(request, "procurements/publication/notice.html", context)
