"""The pages of the award (RULES.md point 5; PA 2023 ss.50-51; PCR 2015 reg. 86-87).

The borough's award page (``/procurements/<pk>/award/``) shows the ranking of the final
tenders and the award decisions, and takes the lead officer's proposal, the publication of
the contract award notice, and the reasons for suspending, resuming or reversing the award
during standstill; the approver decides on its own page. Every page loads the procurement as
the builder does (404 for anyone who may not know it) and is for the borough's officers,
approvers and administrators (403 for its other people); each action is refused with 403 to
anyone its predicate does not allow. A tenderer's page under /tenders/ shows its own outcome
and assessment summary once the contract award notice is published, never another's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, PermissionRefused
from core.views.documents import REFRESH_SECONDS
from procurements.rules import REGIMES
from procurements.sections import uk_date_text
from procurements.views.common import posted, procurement_for_view

from .evaluation_ranking import evaluation_ranking
from .forms_award import AwardDecisionForm, AwardProposalForm, StandstillReasonForm
from .models import AwardStatus
from .permissions_award import (
    can_decide_award,
    can_propose_award,
    can_publish_award_notice,
    can_reverse_award,
    can_see_award,
    can_suspend_award,
)
from .selectors_award import (
    award_decisions,
    award_evaluation,
    award_notice,
    live_decision,
    open_suspension,
    published_entry,
    summaries,
    summaries_ready,
)
from .services_award import (
    award_decide,
    award_notice_publish,
    award_propose,
    award_resume,
    award_reverse,
    award_summaries_send,
    award_suspend,
    contracts_may_be_entered,
)
from .tender_pages import proposal_caption, proposal_or_404

TEMPLATES = "partners/award"
SEE_ONLY = "Only the borough's officers, approvers and administrators see the award."
STANDSTILL_ACTIONS = ("suspend", "resume", "reverse")


def _award_procurement(request, pk: int):
    procurement = procurement_for_view(request, pk)
    if not can_see_award(request.user, procurement):
        raise PermissionDenied(SEE_ONLY)
    return procurement


def _caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


def _refused(refusal: PermissionRefused):
    raise PermissionDenied(refusal.message) from refusal


class AwardPage:
    """What the award page shows and who may do what on it, read once per request."""

    def __init__(self, request, procurement):
        user = request.user
        self.procurement = procurement
        self.evaluation = award_evaluation(procurement)
        self.decisions = award_decisions(procurement)
        self.live = live_decision(self.decisions)
        self.ranking = evaluation_ranking(self.evaluation) if self.evaluation else None
        self.may_propose = self.evaluation is not None and can_propose_award(
            user, self.evaluation, live=self.live
        )
        live = self.live
        self.may_publish = live is not None and can_publish_award_notice(user, live)
        self.may_suspend = live is not None and can_suspend_award(user, live)
        self.may_reverse = live is not None and can_reverse_award(user, live)
        self.may_decide = live is not None and can_decide_award(user, live)
        entries = list(live.entries.all()) if live is not None else []
        self.summaries = summaries(entry.pk for entry in entries)
        self.entries = [(entry, self.summaries.get(entry.pk)) for entry in entries]
        self.ready = summaries_ready(entries, self.summaries)
        self.suspension = open_suspension(live) if live is not None else None

    def context(self, **forms) -> dict:
        live = self.live
        in_standstill = live is not None and live.status == AwardStatus.STANDSTILL
        rules = REGIMES.get(self.procurement.regime)
        return {
            "page_title": f"Award – {self.procurement.title}",
            "procurement": self.procurement,
            "caption": _caption(self.procurement),
            "evaluation": self.evaluation,
            "ranking": self.ranking,
            "decisions": self.decisions,
            "live": live,
            "entries": self.entries,
            "ready": self.ready,
            "all_ready": bool(self.entries) and self.ready == len(self.entries),
            "waiting": next(
                (doc for _, doc in self.entries if doc is not None and doc.is_in_flight), None
            ),
            "refresh_seconds": REFRESH_SECONDS,
            "may_propose": self.may_propose and self.ranking is not None,
            "may_publish": self.may_publish,
            "may_suspend": self.may_suspend,
            "may_reverse": self.may_reverse,
            "may_decide": self.may_decide,
            "in_standstill": in_standstill,
            "suspension": self.suspension,
            "last_day": uk_date_text(live.standstill_last_day) if in_standstill else "",
            "contracts_refusal": contracts_may_be_entered(live, timezone.now())
            if in_standstill
            else "",
            "notice": award_notice(live) if in_standstill else None,
            "standstill_source": rules.standstill_source if rules else "",
            **forms,
        }


def _proposal_form(page: AwardPage, request):
    if not page.may_propose or page.ranking is None:
        return None
    data = posted(request) if request.POST.get("action") == "propose" else None
    return AwardProposalForm(
        data,
        ranked=page.ranking.ranked,
        not_compliant=page.ranking.not_compliant,
        max_partners=page.procurement.max_partners,
    )


def _reason_forms(request) -> dict[str, StandstillReasonForm]:
    action = request.POST.get("action")
    return {
        name: StandstillReasonForm(posted(request) if action == name else None, prefix=name)
        for name in STANDSTILL_ACTIONS
    }


def _propose(request, page: AwardPage, form) -> bool:
    if form is None or not form.is_valid():
        if form is None:
            raise PermissionDenied("Only the lead officer proposes the award, while none stands.")
        return False
    try:
        award_propose(
            actor=request.user,
            evaluation=page.evaluation,
            awarded=form.cleaned_data["awarded"],
            reason=form.cleaned_data["reason"],
            reasons=form.reasons(),
        )
    except PermissionRefused as refusal:
        _refused(refusal)
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    messages.success(request, "The award is proposed. The approver has been asked to decide it.")
    return True


def _publish(request, page: AwardPage) -> bool:
    """Send the assessment summaries, or then publish the contract award notice."""
    if page.live is None:
        raise PermissionDenied("There is no award to publish.")
    sending = page.live.summaries_sent_at is None
    service = award_summaries_send if sending else award_notice_publish
    try:
        decision = service(actor=request.user, decision=page.live)
    except PermissionRefused as refusal:
        _refused(refusal)
    except ApplicationError as error:
        messages.error(request, error.message)
        return True
    if decision.status == AwardStatus.STANDSTILL:
        done = "The standstill period has begun."
        if sending:
            done = "The assessment summaries are sent as the standstill letters. " + done
        else:
            done = "The contract award notice is published. " + done
    else:
        done = "The assessment summaries are sent. Publish the contract award notice next."
    messages.success(request, done)
    return True


STANDSTILL_SERVICES = {
    "suspend": (award_suspend, "The award is suspended: no contract may be entered."),
    "resume": (award_resume, "The award is resumed."),
    "reverse": (
        award_reverse,
        "The award is reversed: the procurement is back in evaluation and a new award may be "
        "proposed.",
    ),
}


def _standstill(request, page: AwardPage, action: str, form) -> bool:
    if page.live is None:
        raise PermissionDenied("There is no award to act on.")
    if not form.is_valid():
        return False
    service, success = STANDSTILL_SERVICES[action]
    try:
        service(actor=request.user, decision=page.live, reason=form.cleaned_data["reason"])
    except PermissionRefused as refusal:
        _refused(refusal)
    except ApplicationError as error:
        form.add_service_error(error)
        return False
    messages.success(request, success)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def award(request, pk: int):
    """The ranking of the final tenders, the award decisions and the standstill."""
    procurement = _award_procurement(request, pk)
    page = AwardPage(request, procurement)
    proposal_form = _proposal_form(page, request)
    reason_forms = _reason_forms(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "propose":
            done = _propose(request, page, proposal_form)
        elif action == "publish":
            done = _publish(request, page)
        elif action in STANDSTILL_ACTIONS:
            done = _standstill(request, page, action, reason_forms[action])
        else:
            raise PermissionDenied("Choose what to do with the award.")
        if done:
            return redirect("partners:award", pk=procurement.pk)
    return render(
        request,
        f"{TEMPLATES}/award.html",
        page.context(
            proposal_form=proposal_form, **{f"{k}_form": f for k, f in reason_forms.items()}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_decision(request, pk: int):
    """The approver approves the proposed award or returns it with reasons."""
    procurement = _award_procurement(request, pk)
    decisions = award_decisions(procurement)
    live = live_decision(decisions)
    if live is None:
        raise Http404("No award waits for a decision")
    may_decide = can_decide_award(request.user, live)
    form = AwardDecisionForm(posted(request) if may_decide else None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(
                "Only an approver who did not propose the award and is not the lead officer can "
                "decide it, while it waits."
            )
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                award_decide(
                    actor=request.user,
                    decision=live,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
            except PermissionRefused as refusal:
                _refused(refusal)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    "The award is approved: the assessment summaries are being generated."
                    if approve
                    else "The award is returned to the lead officer with your reasons.",
                )
                return redirect("partners:award", pk=pk)
    return render(
        request,
        f"{TEMPLATES}/decide.html",
        {
            "page_title": f"Decide the award – {procurement.title}",
            "procurement": procurement,
            "caption": _caption(procurement),
            "live": live,
            "form": form,
            "may_decide": may_decide,
        },
    )


@login_required
@require_http_methods(["GET"])
def tender_outcome(request, pk: int):
    """The tenderer's outcome and assessment summary, once the contract award notice is
    published; before that, only that the award is not yet published."""
    proposal = proposal_or_404(request, pk)
    entry = published_entry(proposal)
    summary = summaries([entry.pk]).get(entry.pk) if entry is not None else None
    return render(
        request,
        f"{TEMPLATES}/outcome.html",
        {
            "page_title": f"Outcome of your tender – {proposal.round.procurement.title}",
            "proposal": proposal,
            "caption": proposal_caption(proposal),
            "entry": entry,
            "summary": summary,
            "last_day": uk_date_text(entry.decision.standstill_last_day) if entry else "",
        },
    )
