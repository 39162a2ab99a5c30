"""Assessing the requests to participate and deciding the shortlist (issue: selection).

Every service takes the acting user, checks the permission predicates of
``partners.permissions_selection`` against rows it has locked, validates what the person
gave, writes, and records an audit event with the actor and the reasons' subject (never a
supplier's own words) as its last write. Messages name what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import OfficerRole, User
from core.permissions import has_role
from core.services.documents import document_request
from procurements.models import Procurement
from procurements.rules import REGIMES

from .documents import LETTER_KIND
from .models import (
    ConsensusScore,
    DiscretionaryExclusion,
    EvaluatorReview,
    EvaluatorScore,
    Outcome,
    ParticipationRequest,
    SelectionQuestion,
    SelfCleaning,
    Shortlist,
    ShortlistEntry,
)
from .permissions_selection import (
    can_assess,
    can_decide_exclusions,
    can_decide_shortlist,
    can_moderate,
    can_score_request,
    in_selection,
)
from .scoring import Mark, scale_maximum, shortlist_size_problem
from .selectors_assessment import (
    AssessedRequest,
    assessed_requests,
    ranking,
)
from .selectors_selection import RECEIVED, requests_received
from .services_common import (
    REASON_MAX_LENGTH,
    approver_emails,
    organisation_admin_emails,
    procurement_lock,
    text_problem,
    written,
)
from .submission import exclusion_grounds, published_questions

NOT_IN_SELECTION = "The procurement is not in selection: nothing can be assessed now."


def _audit(*, actor: User, action: str, target: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _request_lock(pk: int) -> ParticipationRequest:
    return (
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("procurement__borough", "organisation")
        .get(pk=pk)
    )


def _refuse(errors: dict[str, str], message: str) -> None:
    if errors:
        raise ApplicationError(message, extra={"errors": errors})


# --- conflicts of interest ------------------------------------------------------------------


def conflict_field(request_id: int) -> str:
    return f"request_{request_id}"


@transaction.atomic
def conflicts_declare(
    *,
    actor: User,
    procurement: Procurement,
    declarations: Mapping[int, tuple[bool | None, str]],
) -> list[EvaluatorReview]:
    """The evaluator declares, for every request received, whether they have a conflict of
    interest (PA 2023 ss.81-83), before seeing any. ``declarations`` maps each request's id
    to (has conflict, details). Made once; a conflict found later is declared on its own
    (``conflict_declare_later``)."""
    procurement = procurement_lock(procurement.pk)
    if not can_assess(actor, procurement):
        raise PermissionRefused(
            "Only the evaluators named on this procurement can declare conflicts of interest, "
            "while it is in selection."
        )
    received = list(
        ParticipationRequest.objects.filter(procurement=procurement, status__in=RECEIVED)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if EvaluatorReview.objects.filter(request__in=received, evaluator=actor).exists():
        raise ApplicationError(
            "You have already declared your conflicts of interest for this procurement. If a "
            "conflict arises now, declare it from that request's page."
        )
    errors = {}
    for request in received:
        has_conflict, details = declarations.get(request.pk, (None, ""))
        name = request.organisation.name
        if has_conflict is None:
            errors[conflict_field(request.pk)] = f"Say whether you have a conflict with {name}"
        elif has_conflict and not details.strip():
            errors[f"{conflict_field(request.pk)}_details"] = (
                f"Describe your conflict of interest with {name}"
            )
        elif len(details) > REASON_MAX_LENGTH:
            errors[f"{conflict_field(request.pk)}_details"] = (
                f"Describe your conflict with {name} in {REASON_MAX_LENGTH:,} characters or fewer"
            )
    _refuse(errors, "Declare whether you have a conflict with each supplier")
    now = timezone.now()
    reviews = EvaluatorReview.objects.bulk_create(
        [
            EvaluatorReview(
                request=request,
                evaluator=actor,
                has_conflict=bool(declarations[request.pk][0]),
                conflict_details=declarations[request.pk][1].strip()
                if declarations[request.pk][0]
                else "",
                declared_at=now,
            )
            for request in received
        ]
    )
    _audit(
        actor=actor,
        action="partners.selection_conflicts_declared",
        target=procurement,
        requests=len(received),
        conflicts_with=[r.pk for r in received if declarations[r.pk][0]],
    )
    return reviews


@transaction.atomic
def conflict_declare_later(
    *, actor: User, request: ParticipationRequest, details: str
) -> EvaluatorReview:
    """A conflict that arises after the first declaration: the evaluator loses access to the
    request and the marks they gave it are set aside (kept out of moderation)."""
    request = _request_lock(request.pk)
    if not can_score_request(actor, request):
        raise PermissionRefused(
            "You can declare a conflict here only on a request you are assessing, before you "
            "complete your marks for it. Tell the lead officer otherwise."
        )
    details = written(
        details,
        field="details",
        missing="Describe your conflict of interest",
        what="Describe your conflict of interest",
    )
    review = EvaluatorReview.objects.select_for_update().get(request=request, evaluator=actor)
    review.has_conflict = True
    review.conflict_details = details
    review.declared_at = timezone.now()
    review.save(update_fields=["has_conflict", "conflict_details", "declared_at"])
    set_aside = EvaluatorScore.objects.filter(request=request, evaluator=actor).delete()[0]
    _audit(
        actor=actor,
        action="partners.selection_conflict_declared",
        target=request,
        procurement_id=request.procurement_id,
        marks_set_aside=set_aside,
    )
    return review


# --- marks -------------------------------------------------------------------------------------


def mark_field(question_id: int) -> str:
    return f"q{question_id}_mark"


def reason_field(question_id: int) -> str:
    return f"q{question_id}_reason"


def _mark_errors(
    questions: list[SelectionQuestion],
    marks: Mapping[int, Mark],
    *,
    maximum: int,
    every_question: bool,
) -> dict[str, str]:
    """What is wrong with ``marks``: a mark without a reason is always refused; with
    ``every_question`` every question needs both."""
    errors = {}
    for number, question in enumerate(questions, start=1):
        mark = marks.get(question.pk, Mark())
        value = mark.score if question.is_scored else mark.passed
        if question.is_scored and value is not None and not 0 <= value <= maximum:
            errors[mark_field(question.pk)] = (
                f"Question {number}: give a score from 0 to {maximum}, the published scale"
            )
        elif value is None and (every_question or mark.reason.strip()):
            errors[mark_field(question.pk)] = (
                f"Question {number}: give a score from 0 to {maximum}"
                if question.is_scored
                else f"Question {number}: say whether the request passes or fails"
            )
        if len(mark.reason) > REASON_MAX_LENGTH:
            errors[reason_field(question.pk)] = (
                f"Question {number}: the reason must be {REASON_MAX_LENGTH:,} characters or fewer"
            )
        elif not mark.reason.strip() and (value is not None or every_question):
            errors[reason_field(question.pk)] = f"Question {number}: give the reason for your mark"
    return errors


def _write_marks(model, *, request, questions, marks, **identity) -> int:
    now = timezone.now()
    written = 0
    for question in questions:
        mark = marks.get(question.pk)
        if mark is None:
            continue
        value = mark.score if question.is_scored else mark.passed
        if value is None:
            continue
        model.objects.update_or_create(
            request=request,
            question_id=question.pk,
            **{k: v for k, v in identity.items() if k != "moderated_by"},
            defaults={
                "passed": mark.passed if not question.is_scored else None,
                "score": mark.score if question.is_scored else None,
                "reason": mark.reason.strip(),
                "updated_at": now,
                **(
                    {"moderated_by": identity["moderated_by"]} if "moderated_by" in identity else {}
                ),
            },
        )
        written += 1
    return written


@transaction.atomic
def evaluator_marks_save(
    *,
    actor: User,
    request: ParticipationRequest,
    marks: Mapping[int, Mark],
    complete: bool = False,
) -> int:
    """Save the evaluator's marks for a request (each with its reason); with ``complete``
    every question must be marked and the evaluator's assessment of it is done."""
    request = _request_lock(request.pk)
    if not can_score_request(actor, request):
        raise PermissionRefused(
            "You can mark a request only as a named evaluator who has declared no conflict "
            "with it, while the procurement is in selection and before you complete it."
        )
    procurement = request.procurement
    questions = published_questions(procurement)
    maximum = scale_maximum(procurement.scoring_scale)
    errors = _mark_errors(questions, marks, maximum=maximum, every_question=complete)
    _refuse(errors, "Your marks could not be saved")
    written = _write_marks(
        EvaluatorScore, request=request, questions=questions, marks=marks, evaluator=actor
    )
    if complete:
        EvaluatorReview.objects.filter(request=request, evaluator=actor).update(
            completed_at=timezone.now()
        )
    _audit(
        actor=actor,
        action="partners.selection_marks_completed"
        if complete
        else "partners.selection_marks_saved",
        target=request,
        procurement_id=procurement.pk,
        questions_marked=written,
    )
    return written


def outstanding_evaluators(request: ParticipationRequest) -> list[User]:
    """The named evaluators who must still declare or complete their marks for ``request``
    before it can be moderated."""
    evaluators = list(request.procurement.evaluators.order_by("email"))
    reviews = {r.evaluator_id: r for r in EvaluatorReview.objects.filter(request=request)}
    return [
        evaluator
        for evaluator in evaluators
        if (review := reviews.get(evaluator.pk)) is None
        or (not review.has_conflict and review.completed_at is None)
    ]


@transaction.atomic
def consensus_save(*, actor: User, request: ParticipationRequest, marks: Mapping[int, Mark]) -> int:
    """The lead officer's consensus mark for every question of a request, each with its
    reason, once every evaluator without a conflict has completed theirs."""
    request = _request_lock(request.pk)
    procurement = procurement_lock(request.procurement_id)
    if not can_moderate(actor, procurement):
        raise PermissionRefused(
            "Only the lead officer can moderate, while the procurement is in selection and "
            "before a shortlist is proposed."
        )
    waiting = outstanding_evaluators(request)
    if waiting:
        raise ApplicationError(
            "Wait for every evaluator to complete their marks before you moderate: "
            + ", ".join(e.get_full_name() or e.email for e in waiting)
            + " still to do."
        )
    if not EvaluatorReview.objects.filter(request=request, completed_at__isnull=False).exists():
        raise ApplicationError(
            "No evaluator without a conflict has marked this request: name another evaluator "
            "on the procurement's team first."
        )
    questions = published_questions(procurement)
    errors = _mark_errors(
        questions, marks, maximum=scale_maximum(procurement.scoring_scale), every_question=True
    )
    _refuse(errors, "The consensus could not be saved")
    written = _write_marks(
        ConsensusScore, request=request, questions=questions, marks=marks, moderated_by=actor
    )
    _audit(
        actor=actor,
        action="partners.selection_moderated",
        target=request,
        procurement_id=procurement.pk,
        consensus={
            str(q.pk): (marks[q.pk].score if q.is_scored else marks[q.pk].passed) for q in questions
        },
    )
    return written


# --- self-cleaning ---------------------------------------------------------------------------


@transaction.atomic
def _refuse_unless_deciding_exclusions(actor: User, procurement: Procurement, doing: str) -> None:
    if can_decide_exclusions(actor, procurement):
        return
    if in_selection(procurement) and has_role(actor, procurement.borough, OfficerRole.OFFICER):
        raise ApplicationError(
            f"A shortlist has been proposed: ask the approver to return it before you {doing}."
        )
    raise PermissionRefused(
        f"Only the borough's procurement officers can {doing}, while the procurement is in "
        "selection."
    )


def _received_row(request: ParticipationRequest):
    """The request as the borough received it, with its flags."""
    rows = requests_received(
        procurement=request.procurement, on=london_date(timezone.now()), only=request.pk
    )
    return rows[0] if rows else None


def self_cleaning_record(
    *, actor: User, request: ParticipationRequest, evidence: str
) -> SelfCleaning:
    """An officer records the evidence that a supplier blocked by a debarment list entry or a
    declared mandatory exclusion ground has self-cleaned, which lifts the block."""
    request = _request_lock(request.pk)
    procurement = request.procurement
    _refuse_unless_deciding_exclusions(actor, procurement, "record self-cleaning evidence")
    if hasattr(request, "self_cleaning"):
        raise ApplicationError("Self-cleaning evidence is already recorded for this request.")
    received = _received_row(request)
    if received is None or not (received.debarred or received.mandatory_grounds):
        raise ApplicationError(
            "Nothing blocks this request: self-cleaning evidence is needed only for a "
            "debarment list entry or a declared mandatory exclusion ground."
        )
    evidence = written(
        evidence,
        field="evidence",
        missing="Describe the self-cleaning evidence",
        what="Describe the evidence",
    )
    record = SelfCleaning.objects.create(request=request, evidence=evidence, recorded_by=actor)
    _audit(
        actor=actor,
        action="partners.self_cleaning_recorded",
        target=request,
        procurement_id=procurement.pk,
        debarment_entries=[entry.pk for _, entry in received.debarred],
        mandatory_grounds=len(received.mandatory_grounds),
    )
    return record


@transaction.atomic
def discretionary_exclusion_record(
    *, actor: User, request: ParticipationRequest, ground: str, reason: str
) -> DiscretionaryExclusion:
    """An officer excludes a request on a discretionary exclusion ground of the regime, with
    the reasons (for example a ground the supplier declared, weighed with its self-cleaning
    evidence): the request no longer qualifies for the shortlist."""
    request = _request_lock(request.pk)
    procurement = request.procurement
    _refuse_unless_deciding_exclusions(actor, procurement, "exclude a request")
    if _received_row(request) is None:
        raise ApplicationError("Only a request received before the deadline can be excluded.")
    if DiscretionaryExclusion.objects.filter(request=request).exists():
        raise ApplicationError("This request is already excluded.")
    grounds = {g.key: g for g in exclusion_grounds(procurement) if not g.mandatory}
    if ground not in grounds:
        message = "Choose the discretionary exclusion ground the exclusion relies on"
        raise ApplicationError(message, extra={"errors": {"ground": message}})
    reason = written(
        reason,
        field="reason",
        missing="Give the reasons for excluding the request",
        what="Give the reasons",
    )
    decision = DiscretionaryExclusion.objects.create(
        request=request,
        ground=ground,
        ground_label=grounds[ground].label,
        reason=reason,
        decided_by=actor,
    )
    _audit(
        actor=actor,
        action="partners.request_excluded",
        target=request,
        procurement_id=procurement.pk,
        ground=ground,
    )
    return decision


# --- the shortlist -------------------------------------------------------------------------


def _entries(
    assessed: list[AssessedRequest],
    questions: list[SelectionQuestion],
    chosen: set[int],
) -> list[ShortlistEntry]:
    ranked = ranking(assessed, questions)
    rank_of = {candidate.request_id: position for position, candidate in ranked}
    entries = []
    for row in assessed:
        pk = row.request.pk
        if pk in chosen:
            outcome, reasons = Outcome.SHORTLISTED, ""
        elif pk in rank_of:
            outcome = Outcome.NOT_SHORTLISTED
            reasons = (
                f"Ranked {rank_of[pk]} of the {len(ranked)} requests that qualified; "
                f"{len(chosen)} suppliers are invited to tender."
            )
        else:
            outcome = Outcome.EXCLUDED
            reasons = "; ".join(row.disqualified_because(questions))
        entries.append(
            ShortlistEntry(
                request=row.request,
                rank=rank_of.get(pk),
                total=row.total,
                outcome=outcome,
                reasons=reasons,
            )
        )
    return entries


@transaction.atomic
def shortlist_propose(
    *, actor: User, procurement: Procurement, chosen: list[int], reason: str
) -> Shortlist:
    """The lead officer proposes which qualifying requests to invite, with the reasons; the
    approver decides. Refused while any request is not moderated, if it names a request that
    does not qualify, above the number announced, or below 3 while 3 qualify."""
    procurement = procurement_lock(procurement.pk)
    if not can_moderate(actor, procurement):
        raise PermissionRefused(
            "Only the lead officer can propose the shortlist, while the procurement is in "
            "selection and no shortlist is waiting or confirmed."
        )
    questions = published_questions(procurement)
    assessed = assessed_requests(
        procurement=procurement, on=london_date(timezone.now()), questions=questions
    )
    if not assessed:
        raise ApplicationError("No request to participate was received: there is no one to invite.")
    unmoderated = [
        row.request.organisation.name for row in assessed if not row.moderated(questions)
    ]
    if unmoderated:
        raise ApplicationError(
            "Moderate every request before you propose the shortlist: "
            + ", ".join(unmoderated)
            + " still to do."
        )
    qualifying = {candidate.request_id for _, candidate in ranking(assessed, questions)}
    chosen_set = set(chosen)
    errors = {}
    if chosen_set - qualifying:
        errors["chosen"] = (
            "Only requests that qualify can be invited: a request that failed a pass/fail "
            "question or is blocked by an exclusion cannot"
        )
    else:
        problem = shortlist_size_problem(
            chosen=len(chosen_set),
            qualifying=len(qualifying),
            to_invite=procurement.number_to_invite,
            minimum=REGIMES[procurement.regime].min_to_invite,
        )
        if problem:
            errors["chosen"] = problem
    problem = text_problem(
        reason, missing="Give the reasons for this shortlist", what="Give the reasons"
    )
    if problem:
        errors["reason"] = problem
    _refuse(errors, "The shortlist could not be proposed")
    shortlist = Shortlist.objects.create(
        procurement=procurement, reason=reason.strip(), proposed_by=actor
    )
    entries = _entries(assessed, questions, chosen_set)
    for entry in entries:
        entry.shortlist = shortlist
    ShortlistEntry.objects.bulk_create(entries)
    _ask_the_approver(procurement, shortlist)
    _audit(
        actor=actor,
        action="partners.shortlist_proposed",
        target=procurement,
        shortlist_id=shortlist.pk,
        **_outcome_ids(entries),
    )
    return shortlist


def _ask_the_approver(procurement: Procurement, shortlist: Shortlist) -> None:
    """E-mail the named approver, or else every approver of the borough but the proposer,
    once the proposal commits."""
    recipients = approver_emails(procurement, exclude=[shortlist.proposed_by_id])
    send_after_commit(
        template="partners/selection/email/shortlist_proposed",
        context={
            "procurement": procurement,
            "shortlist": shortlist,
            "url": absolute_url(
                reverse("partners:selection-decide", kwargs={"pk": procurement.pk})
            ),
        },
        recipients=recipients,
    )


def _outcome_ids(entries) -> dict[str, list[int]]:
    return {
        outcome: [e.request_id for e in entries if e.outcome == outcome]
        for outcome in Outcome.values
    }


def _shortlist_lock(shortlist: Shortlist) -> tuple[Shortlist, Procurement]:
    procurement = procurement_lock(shortlist.procurement_id)
    locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    locked.procurement = procurement
    return locked, procurement


TRANSITION_FOR = {
    Outcome.SHORTLISTED: "shortlist",
    Outcome.NOT_SHORTLISTED: "not_shortlist",
    Outcome.EXCLUDED: "exclude",
}


def _tell_outcome(entry: ShortlistEntry, procurement: Procurement) -> None:
    """E-mail the admins of the lead organisation (pointing to the request) and of each
    consortium member (pointing to their consortium invitations), once the decision commits."""
    request = entry.request
    recipients = [(request.organisation, reverse("requests:detail", kwargs={"pk": request.pk}))]
    if request.is_consortium:
        members_page = reverse("requests:consortium-invitations")
        recipients += [
            (member.organisation, members_page)
            for member in request.members.select_related("organisation")
        ]
    for organisation, path in recipients:
        send_after_commit(
            template="partners/selection/email/outcome",
            context={
                "entry": entry,
                "procurement": procurement,
                "organisation": organisation,
                "lead": request.organisation,
                "invited": entry.outcome == Outcome.SHORTLISTED,
                "url": absolute_url(path),
            },
            recipients=organisation_admin_emails(organisation),
        )


@transaction.atomic
def shortlist_decide(*, actor: User, shortlist: Shortlist, confirm: bool, reason: str) -> Shortlist:
    """The approver confirms the shortlist (the requests are decided, the procurement moves to
    tendering, letters are generated and the suppliers told) or returns it with reasons."""
    shortlist, procurement = _shortlist_lock(shortlist)
    if not can_decide_shortlist(actor, shortlist):
        raise PermissionRefused(
            "Only an approver of the borough who did not propose the shortlist can decide it, "
            "while it waits for a decision."
        )
    reason = written(
        reason,
        field="reason",
        missing="Give the reasons for returning the shortlist",
        what="Give the reasons",
        required=not confirm,
    )
    if not confirm:
        shortlist.return_to_officer(by=actor, reason=reason)
        shortlist.save()
        _audit(
            actor=actor,
            action="partners.shortlist_returned",
            target=procurement,
            shortlist_id=shortlist.pk,
        )
        return shortlist
    shortlist.confirm(by=actor, reason=reason)
    shortlist.save()
    entries = list(
        shortlist.entries.select_related("request__organisation", "request__procurement__borough")
    )
    for entry in entries:
        request = _request_lock(entry.request_id)
        getattr(request, TRANSITION_FOR[entry.outcome])()
        request.save(update_fields=["status", "updated_at"])
    procurement.start_tendering()
    procurement.save(update_fields=["status", "updated_at"])
    for entry in entries:
        document_request(kind=LETTER_KIND, target=entry, actor=actor)
        _tell_outcome(entry, procurement)
    _audit(
        actor=actor,
        action="partners.shortlist_confirmed",
        target=procurement,
        shortlist_id=shortlist.pk,
        status=procurement.status,
        **_outcome_ids(entries),
    )
    return shortlist
