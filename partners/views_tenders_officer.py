"""The borough's pages of the sealed tender box (RULES.md, Annex IV): the rounds with what
each shows before and after opening, the lead officer's opening date, opening by two
authorised officers, and reading what was opened.

Every page loads the procurement as the builder does (404 for anyone who may not know it)
and asks ``partners.permissions_tenders``. Reading the box always goes through the service,
which records every access and every refused attempt: a refusal is shown to an authorised
officer (403 with the reason) and hidden from anyone else (404).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Prefetch, Q
from django.db.models.functions import Cast
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import london_date
from core.exceptions import ApplicationError
from core.models import AuditEvent, OfficerMembership
from procurements.rules import REGIMES
from procurements.sections import UK_TIME, uk_date_text, uk_datetime_text
from procurements.views.common import posted, procurement_for_view

from .forms_tenders_officer import OpeningDateForm, RoundOpenForm
from .models import (
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposalSubmission,
    RoundStatus,
    TenderRound,
)
from .permissions_tenders import (
    can_confirm_opening,
    can_manage_rounds,
    can_read_opened_proposal,
    can_request_opening,
    is_box_officer,
)
from .selectors_tenders import standing_submission
from .services_tenders import (
    TenderBoxRefused,
    file_read,
    opening_confirm,
    opening_request,
    reading_refused_record,
    round_open,
    round_opening_date_set,
    submission_read,
)
from .tender_content import announced_phases, answerable_criteria, money

BOX_ONLY = "Only the borough's procurement officers and approvers see the tender box."
SEALED = (
    "The tender box is sealed: nothing in it can be read until two authorised officers have "
    "opened the round after its deadline."
)
TEMPLATES = "partners/tenders/officer"


def _box_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not is_box_officer(request.user, procurement):
        raise PermissionDenied(BOX_ONLY)
    return procurement


def _round_or_404(procurement, round_pk: int) -> TenderRound:
    tender_round = get_object_or_404(
        TenderRound.objects.select_related("opening_requested_by", "opened_by"),
        pk=round_pk,
        procurement=procurement,
    )
    tender_round.procurement = procurement
    return tender_round


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


def _sealed(request, procurement, reason: str):
    """The refusal page an authorised officer sees (the service has recorded the attempt)."""
    context = {"procurement": procurement, "caption": _caption(procurement), "reason": reason}
    return render(request, f"{TEMPLATES}/sealed.html", context, status=403)


# --- the rounds ------------------------------------------------------------------------------


def _earliest(procurement) -> tuple[str, str]:
    """The earliest deadline for tenders invited today, and the rule that sets it."""
    rules = REGIMES.get(procurement.regime)
    if rules is None:
        return "", ""
    earliest = rules.earliest_tender_deadline(london_date(timezone.now()))
    return uk_date_text(earliest), rules.tender_source


def _round_status(tender_round: TenderRound, now) -> tuple[str, str]:
    if tender_round.status == RoundStatus.OPENED:
        return "Opened", "govuk-tag--green"
    if now < tender_round.deadline:
        return "Taking tenders", "govuk-tag--blue"
    if now < tender_round.opens_at:
        return "Sealed until the opening date", "govuk-tag--grey"
    if tender_round.opening_requested_by_id:
        return "Waiting for a second officer to open it", "govuk-tag--yellow"
    return "Sealed: ready to open", "govuk-tag--yellow"


def _opened_proposals(rounds: list[TenderRound]) -> list[Proposal]:
    """Every proposal of the opened rounds, each with its submissions newest first (their
    sealed content left in the database)."""
    opened = [r.pk for r in rounds if r.status == RoundStatus.OPENED]
    if not opened:
        return []
    submissions = ProposalSubmission.objects.defer("sealed_content").order_by("-number")
    return list(
        Proposal.objects.filter(round__in=opened)
        .defer("sealed_draft")
        .select_related("request__organisation")
        .prefetch_related(Prefetch("submissions", queryset=submissions, to_attr="newest_first"))
        .order_by("request__organisation__name", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_rounds(request, pk: int):
    """The rounds of tenders: before opening only how many proposals were submitted; the
    lead officer's round 1 form; opening by two officers; the box's audit trail."""
    procurement = _box_procurement(request, pk)
    rounds = list(
        TenderRound.objects.filter(procurement=procurement)
        .select_related("opening_requested_by", "opened_by")
        .annotate(
            submitted=Count("proposals", filter=Q(proposals__status=ProposalStatus.SUBMITTED))
        )
        .order_by("number")
    )
    manages = can_manage_rounds(request.user, procurement)
    form, earliest = None, ("", "")
    if not rounds and manages:
        earliest = _earliest(procurement)
        form = RoundOpenForm(posted(request), earliest_text=earliest[0])
        if request.method == "POST" and form.is_valid():
            try:
                round_open(actor=request.user, procurement=procurement, **form.cleaned_data)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    "Round 1 is open for tenders. The invited suppliers have been told by e-mail.",
                )
                return redirect("partners:tenders", pk=procurement.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the lead officer opens the first round, once.")
    proposals = _opened_proposals(rounds)
    rows = _round_rows(request.user, procurement, rounds, proposals, manages=manages)
    return render(
        request,
        f"{TEMPLATES}/rounds.html",
        {
            "page_title": f"Tenders – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "form": form,
            "earliest_source": earliest[1],
            "rows": rows,
            "manages_rounds": manages,
            "events": _box_events(procurement, rounds, proposals),
        },
    )


def _round_rows(user, procurement, rounds, proposals, *, manages: bool) -> list[dict]:
    now = timezone.now()
    rows = []
    for tender_round in rounds:
        tender_round.procurement = procurement
        rows.append(
            {
                "round": tender_round,
                "status": _round_status(tender_round, now),
                "deadline": uk_datetime_text(tender_round.deadline),
                "opens_at": uk_datetime_text(tender_round.opens_at),
                "may_change_date": manages and now < tender_round.deadline,
                "may_request": can_request_opening(user, tender_round, now=now),
                "may_confirm": can_confirm_opening(user, tender_round, now=now),
                "proposals": [
                    _proposal_row(p)
                    for p in proposals
                    if p.round_id == tender_round.pk and p.status == ProposalStatus.SUBMITTED
                ],
            }
        )
    return rows


def _proposal_row(proposal: Proposal) -> dict:
    latest = proposal.newest_first[0] if proposal.newest_first else None
    return {
        "proposal": proposal,
        "submission": latest,
        "received": uk_datetime_text(latest.submitted_at) if latest else "",
    }


# --- the box's audit trail -------------------------------------------------------------------

EVENT_TEXT = {
    "tenders.round_opened": "Opened {target} for tenders",
    "tenders.opening_date_changed": "Changed the opening date of {target} to {after}",
    "tenders.opening_date_refused": "Tried to change the opening date of {target}",
    "tenders.opening_requested": "Asked to open {target}",
    "tenders.round_opened_by_two": "Confirmed the opening of {target}",
    "tenders.opening_refused": "Tried to open {target}",
    "tenders.proposal_read": "Read {target}",
    "tenders.read_refused": "Tried to read {target}",
    "tenders.file_read": "Downloaded a file of {target}",
    "tenders.proposal_started": "Started {target}",
    "tenders.proposal_saved": "Saved {target}",
    "tenders.proposal_file_added": "Added a file to {target}",
    "tenders.proposal_file_removed": "Removed a file from {target}",
    "tenders.proposal_submitted": "Submitted {target}",
    "tenders.proposal_withdrawn": "Withdrew {target}",
    "tenders.proposal_restarted": "Started {target} again",
    "tenders.own_submission_read": "Read its own submission of {target}",
    "evaluation.tender_read": "Read {target} to evaluate it",
    "evaluation.file_read": "Downloaded a file of {target} to evaluate it",
    "evaluation.read_refused": "Tried to read {target} to evaluate it",
}
# The reading of tenders and the refused attempts, in the box and in the evaluation: every
# access and every attempt is shown (Annex IV (g)).
BOX_ACTIONS = Q(action__startswith="tenders.") | Q(
    action__in=["evaluation.tender_read", "evaluation.file_read", "evaluation.read_refused"]
)


def _box_events(procurement, rounds: list[TenderRound], opened: list[Proposal]) -> list[dict]:
    """Every ``tenders.*`` event and every reading of a tender for its evaluation on the
    procurement, its rounds and its proposals, newest first, in three queries. A proposal of
    a round not yet opened is never named, nor are the suppliers' own people acting on it
    (Annex IV (b))."""
    proposal_keys = (
        Proposal.objects.filter(round__procurement=procurement)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    events = AuditEvent.objects.filter(BOX_ACTIONS).filter(
        Q(target_type="procurements.procurement", target_id=str(procurement.pk))
        | Q(target_type="partners.tenderround", target_id__in=[str(r.pk) for r in rounds])
        | Q(target_type="partners.proposal", target_id__in=proposal_keys)
    )
    officers = set(
        OfficerMembership.objects.filter(borough=procurement.borough).values_list(
            "user_id", flat=True
        )
    )
    numbers = {str(r.pk): r.number for r in rounds}
    named = {str(p.pk): p for p in opened}
    rows = []
    for event in events.order_by("-id"):
        data = event.data or {}
        who = event.actor_label
        if event.target_type == "partners.proposal":
            proposal = named.get(event.target_id)
            if proposal is not None:
                target = f"the proposal of {proposal.request.organisation.name}"
            else:
                target = "a sealed proposal"
                if event.actor_id not in officers:
                    who = "An invited supplier"
            number = data.get("submission", data.get("number"))
            if number is not None:
                target += f" (submission {number})"
        elif event.target_type == "partners.tenderround":
            target = f"round {numbers.get(event.target_id, '')}"
        else:
            target = f"round {data.get('number', '')}"
        text = EVENT_TEXT.get(event.action, event.action)
        rows.append(
            {
                "event": event,
                "who": who,
                "when": timezone.localtime(event.created_at, UK_TIME),
                "what": text.format(target=target, after=_moment_text(data.get("after"))),
                "refused": event.action.endswith("_refused"),
                "reason": data.get("reason", ""),
            }
        )
    return rows


def _moment_text(value) -> str:
    try:
        return f"{uk_datetime_text(datetime.fromisoformat(value))} (UK time)"
    except (TypeError, ValueError):
        return ""


# --- the opening date and opening ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opening_date(request, pk: int, round_pk: int):
    """The lead officer sets the opening date, before the deadline only (Annex IV (c))."""
    procurement = _box_procurement(request, pk)
    tender_round = _round_or_404(procurement, round_pk)
    may_change = (
        can_manage_rounds(request.user, procurement) and timezone.now() < tender_round.deadline
    )
    form = OpeningDateForm(posted(request), initial={"opens_at": tender_round.opens_at})
    # A refused attempt must be recorded, which the service does: it is asked even when
    # this page already knows the answer.
    if request.method == "POST" and (not may_change or form.is_valid()):
        opens_at = form.cleaned_data["opens_at"] if may_change else tender_round.opens_at
        try:
            tender_round = round_opening_date_set(
                actor=request.user, tender_round=tender_round, opens_at=opens_at
            )
        except TenderBoxRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("partners:tenders", pk=procurement.pk)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"Round {tender_round.number} may now be opened from "
                f"{uk_datetime_text(tender_round.opens_at)} (UK time). The invited suppliers "
                "have been told.",
            )
            return redirect("partners:tenders", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/opening_date.html",
        {
            "page_title": f"Change the opening date – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "round": tender_round,
            "deadline": uk_datetime_text(tender_round.deadline),
            "opens_at": uk_datetime_text(tender_round.opens_at),
            "may_change": may_change,
            "form": form,
        },
    )


@login_required
@require_POST
def open_round(request, pk: int, round_pk: int):
    """Ask for the box to be opened, or confirm someone else's asking: the service decides
    whether it may, and records a refusal."""
    procurement = procurement_for_view(request, pk)
    tender_round = _round_or_404(procurement, round_pk)
    asking = tender_round.opening_requested_by_id is None
    service = opening_request if asking else opening_confirm
    try:
        service(actor=request.user, tender_round=tender_round)
    except TenderBoxRefused as refusal:
        if not is_box_officer(request.user, procurement):
            raise PermissionDenied(refusal.message) from None
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            "You have asked for the tender box to be opened: another authorised officer must "
            "now confirm it."
            if asking
            else f"Round {tender_round.number} is open: the proposals submitted are listed.",
        )
    return redirect("partners:tenders", pk=procurement.pk)


# --- reading what was opened -----------------------------------------------------------------


def _proposal_or_404(procurement, proposal_pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.defer("sealed_draft").select_related("round", "request__organisation"),
        pk=proposal_pk,
        round__procurement=procurement,
    )
    proposal.round.procurement = procurement
    return proposal


def _latest_submission(proposal: Proposal) -> ProposalSubmission | None:
    """The submission that stands; none for a proposal the opened round did not receive."""
    if proposal.round.status == RoundStatus.OPENED and proposal.status != ProposalStatus.SUBMITTED:
        raise Http404("No such proposal")
    return standing_submission(proposal)


@login_required
@require_GET
def proposal_read_view(request, pk: int, proposal_pk: int):
    """The latest submission of a proposal, once opened, for the authorised officers; the
    reading is recorded."""
    procurement = procurement_for_view(request, pk)
    proposal = _proposal_or_404(procurement, proposal_pk)
    box_officer = is_box_officer(request.user, procurement)
    submission = _latest_submission(proposal)
    if submission is None:
        reading_refused_record(actor=request.user, proposal=proposal, reason=SEALED)
        if box_officer:
            return _sealed(request, procurement, SEALED)
        raise Http404("No such proposal")
    try:
        content = submission_read(actor=request.user, submission=submission)
    except TenderBoxRefused as refusal:
        if not box_officer:
            raise Http404("No such proposal") from None
        return _sealed(request, procurement, refusal.message)
    answers = content.get("answers", {})
    prices = content.get("prices", {})
    phases = [
        (phase, money(prices.get(str(phase.number), ""))) for phase in announced_phases(procurement)
    ]
    return render(
        request,
        f"{TEMPLATES}/proposal.html",
        {
            "page_title": f"Proposal of {proposal.request.organisation.name} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "proposal": proposal,
            "submission": submission,
            "received": uk_datetime_text(submission.submitted_at),
            "answers": [
                (criterion, answers.get(str(criterion.pk), ""))
                for criterion in answerable_criteria(procurement)
            ],
            "phases": phases,
            "total": sum((price for _, price in phases if price), start=Decimal("0.00")),
            "background_ip": content.get("background_ip", ""),
            "files": content.get("files", []),
        },
    )


@login_required
@require_GET
def proposal_file_view(request, pk: int, proposal_pk: int, token):
    """A file of the submission that stands, once opened, as an attachment; recorded."""
    procurement = procurement_for_view(request, pk)
    proposal = _proposal_or_404(procurement, proposal_pk)
    record = get_object_or_404(ProposalFile, proposal=proposal, token=token)
    box_officer = is_box_officer(request.user, procurement)
    try:
        if can_read_opened_proposal(request.user, proposal):
            # Only a file of the submission that stands, not one of an earlier submission.
            submission = _latest_submission(proposal)
            content = submission_read(actor=request.user, submission=submission)
            if str(record.token) not in {f["token"] for f in content.get("files", [])}:
                raise Http404("No such file")
        name, chunks = file_read(actor=request.user, record=record)
    except TenderBoxRefused as refusal:
        if not box_officer:
            raise Http404("No such file") from None
        return _sealed(request, procurement, refusal.message)
    response = StreamingHttpResponse(chunks, content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
