"""The pages of a phase's deliverables (RULES.md points 8 and 9; PCR 2015 reg. 31(7)).

- The partner's phase (``/procurements/my-phases/<pk>/``): the phase, its announced targets,
  the deliverables with their measured values and files, and the borough's requests for more
  evidence. The partner's organisation administrator submits deliverables and the final
  report from it; its other members and its consortium members read. Another supplier and
  every officer get 404.
- The borough's view of one participation (``/procurements/<pk>/stages/participations/
  <participation_pk>/``): the same record, for the borough's officers, approvers and
  administrators and the phase's gate assessors (403 for its other people; 404 for anyone
  who may not know the procurement), and the lead officer's request for more evidence.
- An evidence file, as an attachment under the partner's name for it, for the borough and
  the partner's people only (404 for anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.selectors.accounts import supplier_membership_get
from procurements.views.common import procurement_for_view

from .forms_deliverables import DeliverableForm, EvidenceRequestForm
from .models import DeliverableKind, ParticipationStatus
from .permissions_gates import can_see_gate
from .selectors_deliverables import (
    borough_participation_get,
    deliverable_file_get,
    participation_record,
)
from .selectors_partner import partner_participation_get
from .services_deliverables import (
    LEAD_OFFICER_ONLY,
    NOT_ASKABLE,
    NOT_DELIVERABLE,
    PARTNER_ADMIN_ONLY,
    can_request_evidence,
    can_submit_deliverable,
    deliverable_kinds,
    deliverable_submit,
    evidence_request,
)
from .views_common import procurement_caption
from .views_progress import TAGS

TEMPLATES = "stages/deliverables"
BOROUGH_ONLY = (
    "Only the borough's officers, approvers and administrators, and the assessors of the "
    "phase's gate, see a partner's deliverables."
)


def _caption(participation) -> str:
    partnership = participation.partnership
    return f"{partnership.reference} {partnership.procurement.title}"


def _refused(refusal: PermissionRefused):
    raise PermissionDenied(refusal.message) from refusal


# --- the partner's phase ----------------------------------------------------------------------


def _partner_participation(request, pk: int):
    participation = partner_participation_get(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No such phase")
    return participation


def _is_lead(user, participation) -> bool:
    """The user is of the partner's lead organisation (not one of its consortium members)."""
    membership = supplier_membership_get(user=user)
    organisation = participation.partnership.request.organisation_id
    return membership is not None and membership.organisation_id == organisation


@login_required
@require_GET
def partner_phase(request, pk: int):
    """One of the partner's phases with its targets, deliverables and requests."""
    participation = _partner_participation(request, pk)
    record = participation_record(participation)
    may_submit = can_submit_deliverable(request.user, participation)
    kinds = deliverable_kinds(participation, open_requests=bool(record.open_requests))
    return render(
        request,
        f"{TEMPLATES}/partner_phase.html",
        {
            "page_title": f"{participation.phase.name} – your R&D phase",
            "caption": _caption(participation),
            "record": record,
            "tag": TAGS[participation.status],
            "may_submit": may_submit and bool(kinds),
            "may_submit_final": may_submit and DeliverableKind.FINAL_REPORT in kinds,
            "is_lead": _is_lead(request.user, participation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_deliverable_add(request, pk: int):
    """Submit a progress report, a deliverable or the final report, with the values measured
    against the phase's targets and evidence files."""
    participation = _partner_participation(request, pk)
    if not can_submit_deliverable(request.user, participation):
        raise PermissionDenied(PARTNER_ADMIN_ONLY)
    record = participation_record(participation)
    kinds = deliverable_kinds(participation, open_requests=bool(record.open_requests))
    back = reverse("stages:partner-phase", kwargs={"pk": participation.pk})
    if not kinds:
        messages.error(request, NOT_DELIVERABLE[participation.status])
        return redirect(back)
    initial = {"kind": request.GET.get("kind"), "answers": request.GET.get("answers")}
    form = DeliverableForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()),
        initial=initial,
        kinds=kinds,
        targets=record.targets,
        requests=record.open_requests,
        answer_required=participation.status == ParticipationStatus.UNDER_REVIEW,
    )
    if request.method == "POST" and form.is_valid():
        deliverable = _submit(request, participation, form)
        if deliverable is not None:
            messages.success(request, _submitted_message(participation, deliverable))
            return redirect(back)
    final = form["kind"].value() == DeliverableKind.FINAL_REPORT
    return render(
        request,
        f"{TEMPLATES}/deliverable_form.html",
        {
            "page_title": f"Submit {'the final report' if final else 'a deliverable'}",
            "caption": _caption(participation),
            "participation": participation,
            "form": form,
            "back": back,
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
    )


def _submit(request, participation, form: DeliverableForm):
    """The deliverable the service stored, or None with its refusal shown on the form."""
    try:
        return deliverable_submit(
            actor=request.user,
            participation=participation,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            measurements=form.measurements(),
            files=form.cleaned_data["files"],
            answers=form.answered_request(),
        )
    except PermissionRefused as refusal:
        _refused(refusal)
    except ApplicationError as error:
        form.add_service_error(error)
    return None


def _submitted_message(participation, deliverable) -> str:
    if deliverable.kind == DeliverableKind.FINAL_REPORT:
        return (
            f"Your final report of {participation.phase.name} has been submitted: the phase is "
            "now under review at its gate."
        )
    return f"“{deliverable.title}” has been submitted."


# --- the borough's view -----------------------------------------------------------------------


def _borough_participation(request, pk: int, participation_pk: int):
    procurement = procurement_for_view(request, pk)
    participation = borough_participation_get(
        procurement=procurement, participation_pk=participation_pk
    )
    if participation is None:
        raise Http404("No such participation")
    if not can_see_gate(request.user, participation.phase):
        raise PermissionDenied(BOROUGH_ONLY)
    return procurement, participation


@login_required
@require_GET
def participation(request, pk: int, participation_pk: int):
    """One partner's phase as the borough sees it, with the lead officer's request link."""
    procurement, found = _borough_participation(request, pk, participation_pk)
    record = participation_record(found)
    return render(
        request,
        f"{TEMPLATES}/participation.html",
        {
            "page_title": f"{found.partnership.request.organisation.name} in {found.phase.name}",
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "record": record,
            "tag": TAGS[found.status],
            "may_ask": can_request_evidence(request.user, found)
            and found.status in (ParticipationStatus.IN_PROGRESS, ParticipationStatus.UNDER_REVIEW),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_request_add(request, pk: int, participation_pk: int):
    """The lead officer asks the partner for more evidence of the phase."""
    procurement, found = _borough_participation(request, pk, participation_pk)
    if not can_request_evidence(request.user, found):
        raise PermissionDenied(LEAD_OFFICER_ONLY)
    back = reverse(
        "stages:participation", kwargs={"pk": procurement.pk, "participation_pk": found.pk}
    )
    if found.status in NOT_ASKABLE:
        messages.error(request, NOT_ASKABLE[found.status])
        return redirect(back)
    record = participation_record(found)
    form = EvidenceRequestForm(
        request.POST if request.method == "POST" else None,
        deliverables=[row.deliverable for row in record.deliverables],
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence_request(
                actor=request.user,
                participation=found,
                request=form.cleaned_data["request"],
                deliverable=form.chosen_deliverable(),
            )
        except PermissionRefused as refusal:
            _refused(refusal)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Your request has been sent to {found.partnership.request.organisation.name}.",
            )
            return redirect(back)
    return render(
        request,
        f"{TEMPLATES}/evidence_request.html",
        {
            "page_title": "Ask for more evidence",
            "procurement": procurement,
            "caption": procurement_caption(procurement),
            "participation": found,
            "form": form,
            "back": back,
        },
    )


# --- an evidence file -------------------------------------------------------------------------


@login_required
@require_GET
def deliverable_file(request, pk: int):
    """The file as the partner uploaded it, as an attachment under its name."""
    stored = deliverable_file_get(user=request.user, pk=pk)
    if stored is None:
        raise Http404("No such file")
    try:
        handle = stored.file.open("rb")
    except OSError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
