"""The gate pages of a phase (RULES.md point 9; PCR 2015 reg. 31(2); PA 2023 s.20 and s.80).

- The gate page (the borough's officers, approvers and administrators, and the gate's
  assessors): the assessors, each partner's state, scoring progress, recommendation and
  decision, with the links each person may follow.
- The lead officer names the assessors and moderates; each assessor scores; the approver
  decides; the partner's people read their own gate result once decided.

Every page loads the procurement with ``procurement_for_view`` (404 for anyone who may not
know it: suppliers, other boroughs), then 403 for borough people without the right.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.models import OfficerMembership, User
from procurements.views.common import posted, procurement_for_view

from .forms_gates import AssessorsForm, GateDecisionForm, GateMarksForm
from .models import ParticipationStatus
from .permissions_gates import (
    ASSESSOR_ROLES,
    can_decide_gate,
    can_moderate_gate,
    can_name_assessors,
    can_score_gate,
    can_see_gate,
)
from .selectors_gates import (
    decision_of,
    gate_page_get,
    gate_participation_get,
    gate_phase_get,
    moderation_get,
    partner_gate_get,
    scoring_get,
)
from .services_gate_decisions import already_decided, gate_decide
from .services_gates import (
    NOT_UNDER_REVIEW,
    gate_assessors_name,
    gate_consensus_save,
    gate_marks_save,
)
from .views_common import procurement_caption
from .views_progress import TAGS

TEMPLATES = "stages/gates"


def _phase(request, pk: int, phase_pk: int):
    procurement = procurement_for_view(request, pk)
    phase = gate_phase_get(procurement=procurement, pk=phase_pk)
    if phase is None:
        raise Http404("No such phase")
    return phase


def _participation(request, pk: int, phase_pk: int, participation_pk: int):
    phase = _phase(request, pk, phase_pk)
    participation = gate_participation_get(phase=phase, pk=participation_pk)
    if participation is None:
        raise Http404("No such partner at this gate")
    return participation


def _context(phase, **extra) -> dict:
    procurement = phase.procurement
    return {
        "procurement": procurement,
        "phase": phase,
        "caption": procurement_caption(procurement),
        **extra,
    }


def _why_closed(
    participation, *, decision=None, completed: bool = False, ready=True, outstanding=()
) -> str:
    """Why a gate page takes no more input for ``participation``, and what happens next."""
    partner = participation.partnership.request.organisation.name
    if decision is not None:
        return already_decided(decision)
    if participation.status != ParticipationStatus.UNDER_REVIEW:
        return NOT_UNDER_REVIEW[participation.status].format(
            partner=partner, phase=participation.phase.name
        )
    if completed:
        return "You completed your scoring of this partner: your marks can no longer change."
    if not ready and not outstanding:
        return "Name the gate's assessors first: the gate is moderated once they have scored."
    if not ready:
        names = ", ".join(p.get_full_name() or p.email for p in outstanding)
        return (
            f"Not every assessor has completed their scoring yet ({names} still to do): the "
            "gate is moderated once they have, and you are e-mailed then."
        )
    return (
        "Every criterion is moderated before the gate is decided: the lead officer has "
        "criteria still to moderate."
    )


def _call(form, call) -> bool:
    """Run the service; its refusal goes on the form (403 for a permission refusal)."""
    try:
        call()
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    return True


@login_required
@require_GET
def gate(request, pk: int, phase_pk: int):
    phase = _phase(request, pk, phase_pk)
    if not can_see_gate(request.user, phase):
        raise PermissionDenied("Only the borough's officers and the gate's assessors see it.")
    page = gate_page_get(user=request.user, phase=phase)
    return render(
        request,
        f"{TEMPLATES}/gate.html",
        _context(
            phase,
            page_title=f"Gate of {phase.name} – {phase.procurement.title}",
            page=page,
            rows=[{"row": row, "tag": TAGS[row.participation.status]} for row in page.rows],
        ),
    )


def assessor_candidates(phase) -> list[User]:
    """The borough's active evaluators and procurement officers not yet named (nor the
    procurement's named approver, who decides the gate)."""
    procurement = phase.procurement
    ids = (
        OfficerMembership.objects.filter(borough=procurement.borough, role__in=ASSESSOR_ROLES)
        .exclude(user__in=phase.gate_assessors.values("user"))
        .values("user")
    )
    people = User.objects.filter(pk__in=ids, is_active=True)
    if procurement.approver_id is not None:
        people = people.exclude(pk=procurement.approver_id)
    return list(people.order_by("full_name", "email"))


@login_required
@require_http_methods(["GET", "POST"])
def gate_assessors(request, pk: int, phase_pk: int):
    phase = _phase(request, pk, phase_pk)
    if not can_name_assessors(request.user, phase):
        raise PermissionDenied("Only the lead officer names the assessors of a gate.")
    form = AssessorsForm(posted(request), people=assessor_candidates(phase))
    if form.is_valid() and _call(
        form,
        lambda: gate_assessors_name(actor=request.user, phase=phase, assessors=form.chosen()),
    ):
        messages.success(request, "The assessors are named and have been told by e-mail.")
        return redirect("stages:gate", pk=pk, phase_pk=phase_pk)
    return render(
        request,
        f"{TEMPLATES}/assessors.html",
        _context(
            phase,
            page_title=f"Name the assessors of the gate of {phase.name}",
            form=form,
            named=list(phase.gate_assessors.select_related("user")),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def gate_score(request, pk: int, phase_pk: int, participation_pk: int):
    participation = _participation(request, pk, phase_pk, participation_pk)
    if not can_score_gate(request.user, participation):
        raise PermissionDenied("Only the assessors of this gate score it.")
    scoring = scoring_get(user=request.user, participation=participation)
    open_for_marks = (
        participation.status == ParticipationStatus.UNDER_REVIEW and not scoring.completed
    )
    form = GateMarksForm(
        posted(request) if open_for_marks else None,
        criteria=[row.criterion for row in scoring.criteria],
        marks=scoring.my_marks,
    )
    if request.method == "POST":
        if not open_for_marks:
            messages.error(request, _why_closed(participation, completed=scoring.completed))
            return redirect(request.path)
        complete = "complete" in request.POST
        if form.is_valid() and _call(
            form,
            lambda: gate_marks_save(
                actor=request.user,
                participation=participation,
                marks=form.marks(),
                complete=complete,
            ),
        ):
            messages.success(
                request,
                "Your scoring is complete." if complete else "Your marks are saved.",
            )
            return redirect(request.path)
    return render(
        request,
        f"{TEMPLATES}/score.html",
        _context(
            phase=participation.phase,
            page_title=f"Score {participation.partnership.request.organisation.name}",
            participation=participation,
            scoring=scoring,
            form=form,
            open_for_marks=open_for_marks,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def gate_moderate(request, pk: int, phase_pk: int, participation_pk: int):
    participation = _participation(request, pk, phase_pk, participation_pk)
    if not can_moderate_gate(request.user, participation):
        raise PermissionDenied("Only the lead officer moderates a gate.")
    moderation = moderation_get(participation=participation)
    open_for_marks = (
        moderation.ready
        and participation.status == ParticipationStatus.UNDER_REVIEW
        and decision_of(participation) is None
    )
    form = GateMarksForm(
        posted(request) if open_for_marks else None,
        criteria=[row.criterion for row in moderation.criteria],
        marks={row.criterion.pk: row.consensus for row in moderation.criteria if row.consensus},
    )
    if request.method == "POST":
        if not open_for_marks:
            messages.error(
                request,
                _why_closed(
                    participation,
                    decision=decision_of(participation),
                    ready=moderation.ready,
                    outstanding=moderation.outstanding,
                ),
            )
            return redirect(request.path)
        if form.is_valid() and _call(
            form,
            lambda: gate_consensus_save(
                actor=request.user, participation=participation, marks=form.marks()
            ),
        ):
            messages.success(request, "The consensus marks are saved.")
            return redirect(request.path)
    return render(
        request,
        f"{TEMPLATES}/moderate.html",
        _context(
            phase=participation.phase,
            page_title=f"Moderate {participation.partnership.request.organisation.name}",
            participation=participation,
            moderation=moderation,
            form=form,
            open_for_marks=open_for_marks,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def gate_decision(request, pk: int, phase_pk: int, participation_pk: int):
    participation = _participation(request, pk, phase_pk, participation_pk)
    if not can_decide_gate(request.user, participation):
        raise PermissionDenied(
            "Only an approver who is neither the lead officer nor an assessor of this gate "
            "decides it."
        )
    moderation = moderation_get(participation=participation)
    decision = decision_of(participation)
    open_for_decision = (
        decision is None
        and participation.status == ParticipationStatus.UNDER_REVIEW
        and moderation.recommendation.complete
    )
    conditions = list(participation.phase.termination_conditions.order_by("order", "pk"))
    form = GateDecisionForm(posted(request) if open_for_decision else None, conditions=conditions)
    if request.method == "POST":
        if not open_for_decision:
            messages.error(request, _why_closed(participation, decision=decision))
            return redirect(request.path)
        if form.is_valid() and _call(
            form,
            lambda: gate_decide(
                actor=request.user,
                participation=participation,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                condition=form.chosen_condition(),
            ),
        ):
            messages.success(request, "The gate is decided. The partner has been told.")
            return redirect("stages:gate", pk=pk, phase_pk=phase_pk)
    return render(
        request,
        f"{TEMPLATES}/decide.html",
        _context(
            phase=participation.phase,
            page_title=f"Decide the gate of {participation.partnership.request.organisation.name}",
            participation=participation,
            moderation=moderation,
            decision=decision,
            form=form,
            open_for_decision=open_for_decision,
        ),
    )


@login_required
@require_GET
def partner_gate(request, pk: int):
    """The partner's own gate result: the decision, the cited condition, the reasons and the
    consensus scores. 404 to anyone else, and before the decision."""
    participation = partner_gate_get(user=request.user, pk=pk)
    if participation is None:
        raise Http404("No gate result")
    partnership = participation.partnership
    return render(
        request,
        f"{TEMPLATES}/partner.html",
        {
            "page_title": f"Gate result: {participation.phase.name}",
            "caption": f"{partnership.reference} {partnership.procurement.title}",
            "participation": participation,
            "decision": participation.gate_decision,
            "consensus": list(participation.gate_consensus.all()),
        },
    )
