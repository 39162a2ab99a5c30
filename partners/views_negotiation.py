"""The borough's pages of the rounds after the initial tenders: opening the next round,
negotiation notes with each tenderer, change notices and a later deadline (RULES.md points
5 and 6). Every page loads the procurement as the builder does (404 for anyone who may not
know it), is for the tender box's officers (403 for the borough's other people), and the
lead officer's pages refuse everyone else with 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from procurements.rules import REGIMES
from procurements.sections import uk_date_text, uk_datetime_text
from procurements.views.common import posted, procurement_for_view

from .forms_negotiation import ChangeNoticeForm, DeadlineForm, NegotiationNoteForm, NextRoundForm
from .models import RoundKind, RoundStatus, TenderRound
from .permissions_tenders import can_manage_rounds, is_box_officer, round_takes_proposals
from .selectors_consents import consents_to_share
from .services_negotiation import (
    change_notice_issue,
    latest_round,
    may_negotiate,
    negotiation_note_add,
    negotiation_notes_for,
    remaining_tenderers,
    round_deadline_extend,
    round_next,
    round_tenderers,
)

BOX_ONLY = "Only the borough's procurement officers and approvers see the rounds of tenders."
LEAD_ONLY = "Only the lead officer manages the rounds of tenders."
TEMPLATES = "partners/tenders/negotiation"


def _box_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not is_box_officer(request.user, procurement):
        raise PermissionDenied(BOX_ONLY)
    return procurement


def _lead_procurement(request, pk: int):
    procurement = _box_procurement(request, pk)
    if not can_manage_rounds(request.user, procurement):
        raise PermissionDenied(LEAD_ONLY)
    return procurement


def _round_or_404(procurement, round_pk: int) -> TenderRound:
    tender_round = get_object_or_404(TenderRound, pk=round_pk, procurement=procurement)
    tender_round.procurement = procurement
    return tender_round


def _context(procurement, **context) -> dict:
    return {
        "procurement": procurement,
        "caption": f"{procurement.reference} {procurement.title}",
    } | context


def _earliest(procurement) -> tuple[str, str]:
    rules = REGIMES.get(procurement.regime)
    if rules is None:
        return "", ""
    earliest = rules.earliest_resubmission_deadline(london_date(timezone.now()))
    return uk_date_text(earliest), rules.resubmission_source


def next_round_possible(procurement) -> TenderRound | None:
    """The latest round when a next round may follow it: opened and not the final one."""
    latest = latest_round(procurement)
    if latest is None or latest.kind == RoundKind.FINAL or latest.status != RoundStatus.OPENED:
        return None
    return latest


@login_required
@require_http_methods(["GET", "POST"])
def next_round(request, pk: int):
    """The lead officer invites the tenderers of the latest opened round to the next one."""
    procurement = _lead_procurement(request, pk)
    latest = next_round_possible(procurement)
    earliest, source = _earliest(procurement)
    form = NextRoundForm(posted(request), earliest_text=earliest)
    if request.method == "POST" and latest is not None and form.is_valid():
        try:
            tender_round = round_next(
                actor=request.user, procurement=procurement, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Round {tender_round.number} is open for tenders. The tenderers have been told "
                "by e-mail.",
            )
            return redirect("partners:tenders", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/next_round.html",
        _context(
            procurement,
            page_title=f"Open the next round – {procurement.title}",
            latest=latest,
            tenderers=round_tenderers(latest) if latest else [],
            earliest_source=source,
            form=form,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def notes(request, pk: int, round_pk: int):
    """The notes of a round by tenderer; the borough's procurement officers add one."""
    procurement = _box_procurement(request, pk)
    tender_round = _round_or_404(procurement, round_pk)
    negotiates = may_negotiate(request.user, procurement)
    opened = tender_round.status == RoundStatus.OPENED
    open_for_notes = opened and tender_round.kind != RoundKind.FINAL
    # Who submitted in a round stays sealed until the round is opened.
    tenderers = round_tenderers(tender_round) if opened else []
    form = NegotiationNoteForm(posted(request), tenderers=tenderers)
    if request.method == "POST":
        if not negotiates:
            raise PermissionDenied("Only the borough's procurement officers negotiate.")
        if form.is_valid():
            chosen = form.tenderers[form.cleaned_data["request"]]
            try:
                negotiation_note_add(
                    actor=request.user,
                    tender_round=tender_round,
                    request=chosen,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    met_on=form.cleaned_data["met_on"],
                )
            except PermissionRefused as refusal:
                raise PermissionDenied(refusal.message) from None
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"The note with {chosen.organisation.name} is added.")
                return redirect(
                    "partners:tenders-notes", pk=procurement.pk, round_pk=tender_round.pk
                )
    found = negotiation_notes_for(request.user, tender_round)
    groups = [
        (tenderer, [n for n in found if n.request_id == tenderer.pk]) for tenderer in tenderers
    ]
    return render(
        request,
        f"{TEMPLATES}/notes.html",
        _context(
            procurement,
            page_title=f"Negotiation in round {tender_round.number} – {procurement.title}",
            round=tender_round,
            groups=groups,
            form=form if negotiates and open_for_notes and tenderers else None,
            open_for_notes=open_for_notes,
        ),
    )


def _notices(procurement) -> list:
    return list(
        procurement.change_notices.select_related("issued_for", "issued_by")
        .prefetch_related("shared_items__request__organisation")
        .order_by("-number")
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_notice(request, pk: int, round_pk: int):
    """The lead officer changes the tender documents for the latest round, in writing to
    every tenderer still in the procedure at once."""
    procurement = _lead_procurement(request, pk)
    tender_round = _round_or_404(procurement, round_pk)
    latest = latest_round(procurement)
    may_issue = latest.pk == tender_round.pk and round_takes_proposals(
        tender_round, now=timezone.now()
    )
    form = ChangeNoticeForm(
        posted(request), consents=consents_to_share(procurement) if may_issue else ()
    )
    if request.method == "POST" and may_issue and form.is_valid():
        try:
            notice = change_notice_issue(
                actor=request.user, tender_round=tender_round, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Change notice {notice.number} is issued. Every tenderer still in the procedure "
                "has been told by e-mail.",
            )
            return redirect(
                "partners:tenders-change-notice", pk=procurement.pk, round_pk=tender_round.pk
            )
    return render(
        request,
        f"{TEMPLATES}/change_notice.html",
        _context(
            procurement,
            page_title=f"Issue a change notice – {procurement.title}",
            round=tender_round,
            deadline=uk_datetime_text(tender_round.deadline),
            tenderers=remaining_tenderers(tender_round),
            may_issue=may_issue,
            notices=_notices(procurement),
            form=form,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline(request, pk: int, round_pk: int):
    """The lead officer moves a round's deadline later, before it passes."""
    procurement = _lead_procurement(request, pk)
    tender_round = _round_or_404(procurement, round_pk)
    may_move = round_takes_proposals(tender_round, now=timezone.now())
    form = DeadlineForm(posted(request), initial={"deadline": tender_round.deadline})
    if request.method == "POST" and may_move and form.is_valid():
        try:
            tender_round = round_deadline_extend(
                actor=request.user,
                tender_round=tender_round,
                deadline=form.cleaned_data["deadline"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"The deadline of round {tender_round.number} is now "
                f"{uk_datetime_text(tender_round.deadline)} (UK time). The tenderers have been "
                "told.",
            )
            return redirect("partners:tenders", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/deadline.html",
        _context(
            procurement,
            page_title=f"Move the deadline – {procurement.title}",
            round=tender_round,
            deadline=uk_datetime_text(tender_round.deadline),
            opens_at=uk_datetime_text(tender_round.opens_at),
            may_move=may_move,
            form=form,
        ),
    )
