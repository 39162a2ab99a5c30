"""The procurement's stage-gate reports page, for the borough, and generating a report again.

Every gate decision writes a new version of its phase's report and the decided partner's
letter (``stages.documents_gate``); this page lists them by phase, newest first, with each
document's status. When one failed, the decision stands and the lead officer can have it
generated again from the content frozen at the decision. The partner reads its letters from
its own pages (``selectors_reports.partner_letters``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ApplicationError, PermissionRefused
from core.models import DocumentStatus
from procurements.permissions import is_lead_officer

from .documents_gate import GATE_KINDS, gate_report_retry
from .selectors_reports import gate_decision_of, gate_reports_list
from .views_common import borough_procurement, procurement_caption

REFRESH_SECONDS = 3
BOROUGH_ONLY = (
    "Only the borough's officers, approvers and administrators see the stage-gate reports."
)
NOT_PREPARED = ("govuk-tag--red", "Failed")
TAGS = {
    DocumentStatus.PENDING: ("govuk-tag--grey", "Waiting"),
    DocumentStatus.RENDERING: ("govuk-tag--blue", "Being generated"),
    DocumentStatus.READY: ("govuk-tag--green", "Ready"),
    DocumentStatus.FAILED: ("govuk-tag--red", "Failed"),
}


def _rows(groups) -> list[dict]:
    return [
        {
            "phase": group.phase,
            "rows": [
                {
                    "row": row,
                    "documents": [
                        {
                            "kind": kind,
                            "label": label,
                            "document": document,
                            "tag": TAGS[document.status] if document else NOT_PREPARED,
                        }
                        for kind, label, document in row.documents
                    ],
                }
                for row in group.rows
            ],
        }
        for group in groups
    ]


@login_required
@require_GET
def reports(request, pk: int):
    """Every stage-gate report of the procurement, by phase, newest first."""
    procurement = borough_procurement(request, pk, refused=BOROUGH_ONLY)
    groups = gate_reports_list(user=request.user, procurement=procurement)
    return render(
        request,
        "stages/reports/page.html",
        {
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "page_title": f"Stage-gate reports – {procurement.title}",
            "groups": _rows(groups),
            "may_retry": is_lead_officer(request.user, procurement),
            "waiting": next(
                (
                    document
                    for group in groups
                    for row in group.rows
                    for _, _, document in row.documents
                    if document is not None and document.is_in_flight
                ),
                None,
            ),
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@login_required
@require_POST
def report_retry(request, pk: int, decision_pk: int):
    """Generate again a report or letter that failed (the lead officer)."""
    procurement = borough_procurement(request, pk, refused=BOROUGH_ONLY)
    decision = gate_decision_of(procurement=procurement, decision_pk=decision_pk)
    kind = request.POST.get("kind", "")
    if decision is None or kind not in GATE_KINDS:
        raise Http404("No such stage-gate document")
    try:
        gate_report_retry(actor=request.user, decision=decision, kind=kind)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "The document is being generated again. This page shows when it is ready."
        )
    return redirect("stages:reports", pk=procurement.pk)
