"""The borough's pages of the evaluation of opened tenders: the dashboard and the start of an
evaluation (the lead officer names the panel), a panel member's list, conflicts declaration
and marking page, and the lead officer's moderation of each tender.

Every page loads the procurement as the builder does (404 for anyone who may not know it),
then asks ``partners.permissions_evaluation`` (403 for the borough's other people); a tender
is found only among those of the evaluated round, and a member with a declared conflict gets
404 for it. Services decide every change and record every reading.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from procurements.permissions import is_lead_officer
from procurements.views.common import posted, procurement_for_view

from .evaluation_ranking import evaluation_ranking
from .forms_evaluation import ConflictsForm, MarksForm, PanelForm
from .models import EvaluationPart, PanelMember, ProposalFile, TenderReview, TenderRound
from .permissions_evaluation import (
    can_moderate,
    can_see_evaluation,
    can_start_evaluation,
    evaluation_purpose_refusal,
    is_panel_member,
    round_evaluated,
)
from .scoring import scale_maximum
from .selectors_evaluation import (
    eligible_people,
    evaluation_board,
    evaluation_of,
    member_marks,
    member_parts,
    member_rows,
    opened_rounds,
    others_marks,
)
from .services_evaluation import (
    conflicts_declare,
    consensus_save,
    evaluated_proposals_of,
    evaluation_start,
    marks_save,
    part_criteria,
    part_of,
    tender_file_read,
    tender_read,
)

COMPLETE = "complete"
DASHBOARD_ONLY = "Only the borough's procurement officers and approvers see the evaluation."
LEAD_ONLY = "Only the lead officer starts the evaluation of the tenders."
PANEL_ONLY = "Only the members of the evaluation panel see this page."
TEMPLATES = "partners/evaluation"


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


def _dashboard_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_see_evaluation(request.user, procurement):
        raise PermissionDenied(DASHBOARD_ONLY)
    return procurement


def _evaluation_or_404(procurement, round_pk: int):
    evaluation = evaluation_of(procurement, round_pk)
    if evaluation is None:
        raise Http404("No evaluation of this round")
    return evaluation


def _panel_evaluation(request, pk: int, round_pk: int, part: str | None = None):
    """The evaluation for one of its panel members (of ``part`` when given)."""
    procurement = procurement_for_view(request, pk)
    if part is not None and part not in EvaluationPart.values:
        raise Http404("No such part")
    evaluation = evaluation_of(procurement, round_pk)
    if evaluation is None or not is_panel_member(request.user, evaluation, part):
        raise PermissionDenied(PANEL_ONLY)
    return evaluation


def _tender_or_404(evaluation, proposal_pk: int):
    for proposal in evaluated_proposals_of(evaluation.round):
        if proposal.pk == proposal_pk:
            proposal.round = evaluation.round
            return proposal
    raise Http404("No such tender")


# --- the dashboard and the start --------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def overview(request, pk: int):
    """The opened rounds, their evaluations and, for the lead officer, where one may start.
    A panel member who does not see the dashboard is taken to their own latest list."""
    procurement = procurement_for_view(request, pk)
    if not can_see_evaluation(request.user, procurement):
        seat = (
            PanelMember.objects.filter(
                evaluation__procurement=procurement, evaluator_id=request.user.pk
            )
            .order_by("-evaluation__round__number")
            .first()
        )
        if seat is None:
            raise PermissionDenied(DASHBOARD_ONLY)
        return redirect(
            "partners:evaluation-mine", pk=procurement.pk, round_pk=seat.evaluation.round_id
        )
    rounds = opened_rounds(procurement)
    lead = is_lead_officer(request.user, procurement)
    for tender_round in rounds:
        tender_round.procurement = procurement
        tender_round.startable = (
            lead
            and not round_evaluated(tender_round)
            and not evaluation_purpose_refusal(tender_round)
        )
    return render(
        request,
        f"{TEMPLATES}/overview.html",
        {
            "page_title": f"Evaluation – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "rounds": rounds,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request, pk: int, round_pk: int):
    """The lead officer names the quality and price evaluators and starts the evaluation."""
    procurement = _dashboard_procurement(request, pk)
    if not is_lead_officer(request.user, procurement):
        raise PermissionDenied(LEAD_ONLY)
    tender_round = get_object_or_404(
        TenderRound.objects.select_related("evaluation"), pk=round_pk, procurement=procurement
    )
    tender_round.procurement = procurement
    tenders = evaluated_proposals_of(tender_round)
    form = PanelForm(
        posted(request),
        quality=eligible_people(procurement, EvaluationPart.QUALITY),
        price=eligible_people(procurement, EvaluationPart.PRICE),
        named=list(procurement.evaluators.all()),
    )
    startable = can_start_evaluation(request.user, tender_round) and bool(tenders)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_start(
                actor=request.user,
                tender_round=tender_round,
                quality_evaluators=form.chosen("quality_evaluators"),
                price_evaluators=form.chosen("price_evaluators"),
            )
        except PermissionRefused as refusal:
            raise PermissionDenied(refusal.message) from None
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, "The evaluation has started. The panel members have been told by e-mail."
            )
            return redirect("partners:evaluation-round", pk=pk, round_pk=round_pk)
    return render(
        request,
        f"{TEMPLATES}/start.html",
        {
            "page_title": f"Start the evaluation – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "round": tender_round,
            "tenders": tenders,
            "form": form,
            "startable": startable,
            "refusal": evaluation_purpose_refusal(tender_round),
            "started": round_evaluated(tender_round),
        },
    )


@login_required
@require_http_methods(["GET"])
def board(request, pk: int, round_pk: int):
    """The panel, every member's progress on every tender, the flags and the ranking."""
    procurement = _dashboard_procurement(request, pk)
    evaluation = _evaluation_or_404(procurement, round_pk)
    found = evaluation_board(evaluation)
    ranking = evaluation_ranking(evaluation)
    return render(
        request,
        f"{TEMPLATES}/board.html",
        {
            "page_title": f"Evaluation of round {evaluation.round.number} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "evaluation": evaluation,
            "board": found,
            "rows": found.rows(),
            "ranking": ranking,
            "names": {pk: p.request.organisation.name for pk, p in ranking.proposals.items()},
            "may_moderate": can_moderate(request.user, evaluation),
        },
    )


# --- the panel member -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def mine(request, pk: int, round_pk: int):
    """A member's tenders for each part they sit on, with their progress."""
    evaluation = _panel_evaluation(request, pk, round_pk)
    parts = member_parts(request.user, evaluation)
    rows = member_rows(request.user, evaluation, parts)
    procurement = evaluation.procurement
    return render(
        request,
        f"{TEMPLATES}/mine.html",
        {
            "page_title": f"Your evaluation – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "evaluation": evaluation,
            "parts": [
                {
                    "part": part,
                    "label": EvaluationPart(part).label,
                    "rows": rows[part],
                    "declared": all(row["review"] is not None for row in rows[part]),
                }
                for part in parts
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare(request, pk: int, round_pk: int, part: str):
    """The member's conflicts of interest declaration for every tender, before any is read."""
    evaluation = _panel_evaluation(request, pk, round_pk, part)
    tenders = evaluated_proposals_of(evaluation.round)
    if TenderReview.objects.filter(
        proposal__in=tenders, evaluator=request.user, part=part
    ).exists():
        return redirect("partners:evaluation-mine", pk=pk, round_pk=round_pk)
    form = ConflictsForm(posted(request), tenders=tenders)
    if request.method == "POST" and form.is_valid():
        try:
            conflicts_declare(
                actor=request.user,
                evaluation=evaluation,
                part=part,
                declarations=form.declarations(),
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your declaration is recorded.")
            return redirect("partners:evaluation-mine", pk=pk, round_pk=round_pk)
    procurement = evaluation.procurement
    return render(
        request,
        f"{TEMPLATES}/declare.html",
        {
            "page_title": f"Declare conflicts of interest – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "evaluation": evaluation,
            "part_label": EvaluationPart(part).label.lower(),
            "form": form,
        },
    )


def _read_or_refuse(request, proposal, part):
    """The tender as the member's part sees it: 404 with a declared conflict, 403 before the
    declaration (both recorded by the service)."""
    try:
        return tender_read(actor=request.user, proposal=proposal, part=part)
    except PermissionRefused as refusal:
        if TenderReview.objects.filter(
            proposal=proposal, evaluator=request.user, part=part, has_conflict=True
        ).exists():
            raise Http404("No such tender") from None
        raise PermissionDenied(refusal.message) from None


@login_required
@require_http_methods(["GET", "POST"])
def tender(request, pk: int, round_pk: int, part: str, proposal_pk: int):
    """One tender as the member's part sees it, with their mark and reason per criterion."""
    evaluation = _panel_evaluation(request, pk, round_pk, part)
    proposal = _tender_or_404(evaluation, proposal_pk)
    seen = _read_or_refuse(request, proposal, part)
    review = TenderReview.objects.get(proposal=proposal, evaluator=request.user, part=part)
    procurement = evaluation.procurement
    criteria = part_criteria(procurement, part)
    may_mark = review.completed_at is None
    form = MarksForm(
        posted(request) if may_mark else None,
        criteria=criteria,
        scale=procurement.scoring_scale,
        marks=member_marks(request.user, proposal),
    )
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied("You have completed your marks for this tender.")
        if form.is_valid():
            complete = request.POST.get("action") == COMPLETE
            try:
                marks_save(
                    actor=request.user,
                    proposal=proposal,
                    part=part,
                    marks=form.marks(),
                    complete=complete,
                )
            except PermissionRefused as refusal:
                raise PermissionDenied(refusal.message) from None
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                name = proposal.request.organisation.name
                messages.success(
                    request,
                    f"Your marks for {name} are "
                    + ("complete." if complete else "saved. You can come back to them."),
                )
                return redirect("partners:evaluation-mine", pk=pk, round_pk=round_pk)
    answers = {c.pk: text for c, text in seen.answers}
    return render(
        request,
        f"{TEMPLATES}/tender.html",
        {
            "page_title": f"Evaluate {proposal.request.organisation.name} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "evaluation": evaluation,
            "proposal": proposal,
            "part": part,
            "seen": seen,
            "rows": [{**row, "answer": answers.get(row["criterion"].pk)} for row in form.rows()],
            "form": form,
            "may_mark": may_mark,
            "others": others_marks(request.user, proposal, review),
            "scale_top": scale_maximum(procurement.scoring_scale),
        },
    )


@login_required
@require_http_methods(["GET"])
def tender_file(request, pk: int, round_pk: int, proposal_pk: int, token):
    """A file of the tender, for a quality member who declared no conflict with it."""
    evaluation = _panel_evaluation(request, pk, round_pk, EvaluationPart.QUALITY)
    proposal = _tender_or_404(evaluation, proposal_pk)
    record = get_object_or_404(ProposalFile, proposal=proposal, token=token)
    record.proposal = proposal
    try:
        name, chunks = tender_file_read(actor=request.user, proposal=proposal, record=record)
    except PermissionRefused as refusal:
        if TenderReview.objects.filter(
            proposal=proposal, evaluator=request.user, has_conflict=True
        ).exists():
            raise Http404("No such tender") from None
        raise PermissionDenied(refusal.message) from None
    except ApplicationError:
        raise Http404("No such file") from None
    return FileResponse(chunks, as_attachment=True, filename=name, content_type=record.content_type)


# --- the lead officer's moderation -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk: int, round_pk: int, proposal_pk: int):
    """Every member's marks for a tender side by side, and the consensus with its reason."""
    procurement = _dashboard_procurement(request, pk)
    evaluation = _evaluation_or_404(procurement, round_pk)
    proposal = _tender_or_404(evaluation, proposal_pk)
    found = evaluation_board(evaluation, only=proposal)
    ready = found.ready_to_moderate(proposal)
    may_moderate = ready and can_moderate(request.user, evaluation)
    consensus = {c.pk: m for c in found.criteria if (m := found.consensus.get((proposal.pk, c.pk)))}
    form = MarksForm(
        posted(request) if may_moderate else None,
        criteria=found.criteria,
        scale=procurement.scoring_scale,
        marks=consensus,
    )
    if request.method == "POST":
        if not may_moderate:
            raise PermissionDenied(
                "Only the lead officer moderates, once every panel member has completed their "
                "marks and until an award or reduction is decided."
            )
        if form.is_valid():
            try:
                consensus_save(actor=request.user, proposal=proposal, marks=form.marks())
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, f"The consensus for {proposal.request.organisation.name} is saved."
                )
                return redirect("partners:evaluation-round", pk=pk, round_pk=round_pk)
    rows = [
        {
            **row,
            "given": [
                {
                    "seat": seat,
                    "review": found.review(proposal, seat),
                    # Nobody sees a member's marks before every member has completed.
                    "mark": found.scores.get((proposal.pk, seat.evaluator_id, row["criterion"].pk))
                    if ready
                    else None,
                }
                for seat in found.panel
                if seat.part == part_of(row["criterion"])
            ],
            "consensus": consensus.get(row["criterion"].pk),
        }
        for row in form.rows()
    ]
    return render(
        request,
        f"{TEMPLATES}/moderate.html",
        {
            "page_title": f"Moderate {proposal.request.organisation.name} – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "evaluation": evaluation,
            "proposal": proposal,
            "rows": rows,
            "form": form,
            "ready": ready,
            "waiting": found.waiting(proposal),
            "may_moderate": may_moderate,
        },
    )
