"""Writes to a request to participate, on the supplier's side: start it, answer the
selection questionnaire, declare conflicts of interest, choose to apply alone or as a
consortium, submit (or submit again to replace), withdraw and start again.

A verified supplier starts a request for its organisation; any of the organisation's people
work on it; only its organisation admins submit or withdraw it (RULES.md point 3; PCR 2015
reg. 31(1) and (6); PA 2023 ss.20 and 54). Nothing changes after the participation deadline
by the server's clock, whatever a page showed or a scheduled task did.

Every service locks the request's row, checks who acts and that the request can still
change, changes it and writes the audit event. Audit data holds ids, counts, states and
SHA-256 digests only: the borough must not be able to read anything a supplier wrote before
the deadline, so no answer, no declaration and no detail goes into it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from procurements.models import Procurement
from procurements.sections import UK_TIME, uk_date_text, uk_datetime_text
from procurements.services.engagement import (
    refuse_unless_verified_supplier,
    register_interest_locked,
)
from procurements.services.sections import procurement_lock

from .models import (
    ParticipationRequest,
    QuestionKind,
    RequestAnswer,
    RequestStatus,
    RequestSubmission,
    SelectionQuestion,
)
from .permissions import request_organisation_admin, request_organisation_member
from .services_common import (
    ParticipationClosed,
    organisation_admin_emails,
    refuse_unless_changeable,
    refuse_unless_open,
    request_lock,
)
from .submission import (
    content_sha256,
    participation_closed_message,
    participation_open,
    published_questions,
    submission_content,
    submission_problems,
)

ANSWER_MAX_LENGTH = 10_000
CONFLICT_DETAILS_MAX_LENGTH = 5_000
ANSWER_TOO_LONG = f"Your answer must be {ANSWER_MAX_LENGTH:,} characters or fewer"
MEETS_REQUIRED = "Select yes if you meet this requirement, or no if you do not"
CONFLICT_CHOICE_REQUIRED = "Select yes if you have a conflict of interest, or no if you do not"
CONFLICT_DETAILS_REQUIRED = (
    "Describe your conflict of interest: who has it, and with whom or in what"
)
CONFLICT_DETAILS_TOO_LONG = (
    f"The description must be {CONFLICT_DETAILS_MAX_LENGTH:,} characters or fewer"
)
APPLYING_AS_REQUIRED = "Select whether you are applying alone or as a consortium"
QUESTION_NOT_PUBLISHED = (
    "This question is not in the questionnaire as published. Go back to the request to see "
    "the questions to answer."
)


class RequestExists(ApplicationError):
    """The organisation already has a request for this procurement: ``extra["request_id"]``
    names it, and the page sends the supplier there."""


class SubmissionIncomplete(ApplicationError):
    """Something is missing: ``extra["problems"]`` lists each ``Problem`` (a message and
    the page that fixes it)."""


def receipt_time_text(value: datetime) -> str:
    """A moment in UK time to the second, for receipts: "1 June 2027 at 4:59:59pm"."""
    local = timezone.localtime(value, UK_TIME)
    hour = local.hour % 12 or 12
    return (
        f"{uk_date_text(local.date())} at {hour}:{local.minute:02d}:{local.second:02d}"
        f"{'pm' if local.hour >= 12 else 'am'}"
    )


# --- shared steps ----------------------------------------------------------------------------


def _refuse_unless_member(actor: User, request: ParticipationRequest, doing: str) -> None:
    if not request_organisation_member(actor, request):
        raise PermissionRefused(f"Only people in {request.organisation.name} can {doing}.")


def _refuse_unless_admin(actor: User, request: ParticipationRequest, doing: str) -> None:
    if not request_organisation_admin(actor, request):
        raise PermissionRefused(
            f"Only an organisation admin of {request.organisation.name} can {doing}."
        )


def _audit(*, actor: User, action: str, request: ParticipationRequest, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=request,
        data={
            "request_id": request.pk,
            "procurement_id": request.procurement_id,
            "organisation_id": request.organisation_id,
            "status": request.status,
            **data,
        },
    )


def _save(request: ParticipationRequest, *fields: str) -> None:
    request.save(update_fields=[*fields, "updated_at"])


# --- starting --------------------------------------------------------------------------------


@transaction.atomic
def request_start(*, actor: User, procurement: Procurement) -> ParticipationRequest:
    """A verified supplier starts its organisation's request for a published procurement,
    before the participation deadline; the organisation then follows the opportunity, so it
    is told of answers and amendments. One request per organisation: if it has one, the
    refusal names it."""
    membership = refuse_unless_verified_supplier(actor)
    procurement = procurement_lock(procurement.pk)
    existing = ParticipationRequest.objects.filter(
        procurement=procurement, organisation_id=membership.organisation_id
    ).first()
    if existing is not None:
        raise RequestExists(
            f"{membership.organisation.name} already has a request to participate in "
            f"{procurement.reference}. Carry on with it.",
            extra={"request_id": existing.pk},
        )
    if not participation_open(procurement, now=timezone.now()):
        raise ParticipationClosed(participation_closed_message(procurement))
    request = ParticipationRequest(
        procurement=procurement, organisation=membership.organisation, created_by=actor
    )
    request.full_clean(exclude=["status"])  # protected: only transitions change it
    request.save()
    register_interest_locked(
        actor=actor,
        procurement=procurement,
        membership=membership,
        reason="started a request to participate",
    )
    _audit(actor=actor, action="partners.request_started", request=request)
    return request


# --- answers ---------------------------------------------------------------------------------


def answer_is_complete(question: SelectionQuestion, answer: RequestAnswer | None) -> bool:
    """What the submit check asks of an answer: a yes or no to a pass/fail question, some
    text for a scored one."""
    if answer is None:
        return False
    if question.kind == QuestionKind.PASS_FAIL:
        return answer.meets is not None
    return bool(answer.text.strip())


@transaction.atomic
def request_answer_save(
    *,
    actor: User,
    request: ParticipationRequest,
    question: SelectionQuestion,
    meets: bool | None,
    text: str,
) -> RequestAnswer:
    """Save the answer to one question, finished or not: a draft may be half done, the
    submit check lists what is missing. ``meets`` counts for pass/fail questions only."""
    request = request_lock(request.pk)
    _refuse_unless_member(actor, request, "answer the questions of its request")
    refuse_unless_changeable(request, timezone.now())
    published = {item.pk: item for item in published_questions(request.procurement)}
    question = published.get(question.pk)
    if question is None:
        raise ApplicationError(QUESTION_NOT_PUBLISHED)
    text = (text or "").strip()
    if len(text) > ANSWER_MAX_LENGTH:
        raise ApplicationError(ANSWER_TOO_LONG, extra={"field": "text"})
    if question.kind != QuestionKind.PASS_FAIL:
        meets = None
    answer = RequestAnswer.objects.filter(request=request, question=question).first()
    if answer is not None and (answer.meets, answer.text) == (meets, text):
        return answer
    if answer is None:
        answer = RequestAnswer(request=request, question=question)
    answer.meets = meets
    answer.text = text
    answer.updated_by = actor
    answer.save()
    _audit(
        actor=actor,
        action="partners.request_answer_saved",
        request=request,
        question_id=question.pk,
        answer_id=answer.pk,
        complete=answer_is_complete(question, answer),
    )
    return answer


# --- conflicts of interest and how the organisation applies ----------------------------------


@transaction.atomic
def request_conflicts_save(
    *, actor: User, request: ParticipationRequest, has_conflict: bool | None, details: str
) -> ParticipationRequest:
    """Declare whether the organisation (or anyone in it) has a conflict of interest in this
    procurement, and describe it if so (PA 2023 ss.81-83)."""
    request = request_lock(request.pk)
    _refuse_unless_member(actor, request, "declare its conflicts of interest")
    refuse_unless_changeable(request, timezone.now())
    details = (details or "").strip()
    if has_conflict is None:
        raise ApplicationError(CONFLICT_CHOICE_REQUIRED, extra={"field": "has_conflict"})
    if has_conflict and not details:
        raise ApplicationError(CONFLICT_DETAILS_REQUIRED, extra={"field": "details"})
    if len(details) > CONFLICT_DETAILS_MAX_LENGTH:
        raise ApplicationError(CONFLICT_DETAILS_TOO_LONG, extra={"field": "details"})
    if not has_conflict:
        details = ""
    if (request.has_conflict, request.conflict_details) == (has_conflict, details):
        return request
    request.has_conflict = has_conflict
    request.conflict_details = details
    _save(request, "has_conflict", "conflict_details")
    _audit(actor=actor, action="partners.request_conflicts_declared", request=request)
    return request


@transaction.atomic
def request_consortium_choice(
    *, actor: User, request: ParticipationRequest, is_consortium: bool
) -> ParticipationRequest:
    """Apply alone, or lead a consortium (PCR 2015 reg. 19(2); PA 2023 s.20). A consortium
    with members must remove them before it applies alone: nobody is dropped by surprise."""
    request = request_lock(request.pk)
    _refuse_unless_member(actor, request, "choose how it applies")
    refuse_unless_changeable(request, timezone.now())
    if request.is_consortium == is_consortium:
        return request
    members = request.members.count() if not is_consortium else 0
    if members:
        raise ApplicationError(
            f"The consortium has {members} member{'s' if members != 1 else ''}. Remove "
            f"{'them' if members != 1 else 'it'} on the consortium page first, then choose "
            "to apply alone.",
            extra={"field": "is_consortium"},
        )
    request.is_consortium = is_consortium
    _save(request, "is_consortium")
    _audit(
        actor=actor,
        action="partners.request_applying_as_chosen",
        request=request,
        is_consortium=is_consortium,
    )
    return request


# --- submitting ------------------------------------------------------------------------------


def _send_receipt(request: ParticipationRequest, submission: RequestSubmission) -> None:
    path = reverse("requests:receipt", kwargs={"pk": request.pk, "number": submission.number})
    send_after_commit(
        template="partners/requests/email/receipt",
        context={
            "request": request,
            "procurement": request.procurement,
            "organisation": request.organisation,
            "submission": submission,
            "received": receipt_time_text(submission.submitted_at),
            "deadline": uk_datetime_text(request.procurement.participation_deadline),
            "url": absolute_url(path),
        },
        recipients=[
            submission.submitted_by.email,
            *organisation_admin_emails(request.organisation),
        ],
    )


@transaction.atomic
def request_submit(*, actor: User, request: ParticipationRequest) -> RequestSubmission:
    """Submit the request, or submit it again to replace the last submission, before the
    participation deadline by the server's clock (PCR 2015 reg. 31(1); PA 2023 s.54).

    Everything the request says is frozen in a new numbered submission with the SHA-256 of
    its canonical JSON: the supplier's receipt, and what the borough assesses after the
    deadline. Submitting a submitted request whose content has not changed since (two admins
    pressing the button at once) creates nothing and returns the submission that stands.
    """
    request = request_lock(request.pk)
    _refuse_unless_admin(actor, request, "submit its request")
    now = timezone.now()
    refuse_unless_changeable(request, now)
    problems = submission_problems(request)
    if problems:
        raise SubmissionIncomplete(
            "The request cannot be submitted yet: "
            f"{len(problems)} thing{'s' if len(problems) != 1 else ''} still to do.",
            extra={"problems": problems},
        )
    content = submission_content(request)
    sha256 = content_sha256(content)
    latest = request.submissions.order_by("-number").first()
    if latest is not None and latest.sha256 == sha256 and request.status == RequestStatus.SUBMITTED:
        return latest
    replaces = latest.number if latest is not None else None
    request.submit()
    request.submitted_at = now  # the moment the deadline was checked against
    _save(request, "status", "submitted_at", "withdrawn_at")
    submission = RequestSubmission(
        request=request,
        number=(replaces or 0) + 1,
        content=content,
        sha256=sha256,
        submitted_at=now,
        submitted_by=actor,
    )
    submission.full_clean()
    submission.save()
    _audit(
        actor=actor,
        action="partners.request_submitted",
        request=request,
        submission_id=submission.pk,
        number=submission.number,
        sha256=sha256,
        replaces=replaces,
        submitted_at=now.isoformat(),
    )
    _send_receipt(request, submission)
    return submission


# --- withdrawing and starting again ----------------------------------------------------------


@transaction.atomic
def request_withdraw(*, actor: User, request: ParticipationRequest) -> ParticipationRequest:
    """Withdraw the request before the deadline: its last submission is no longer assessed.
    It can be started again, and submitted again, until the deadline."""
    request = request_lock(request.pk)
    _refuse_unless_admin(actor, request, "withdraw its request")
    refuse_unless_changeable(request, timezone.now())
    was = request.status
    latest = request.submissions.order_by("-number").values_list("number", flat=True).first()
    request.withdraw()
    _save(request, "status", "withdrawn_at")
    _audit(
        actor=actor,
        action="partners.request_withdrawn",
        request=request,
        previous_status=was,
        latest_submission=latest,
    )
    return request


@transaction.atomic
def request_restart(*, actor: User, request: ParticipationRequest) -> ParticipationRequest:
    """Make a withdrawn request a draft again, before the deadline, with everything it held;
    it must be submitted again to be assessed."""
    request = request_lock(request.pk)
    _refuse_unless_member(actor, request, "start its request again")
    refuse_unless_open(request, timezone.now())
    if request.status != RequestStatus.WITHDRAWN:
        raise ApplicationError(
            f"This request is {request.get_status_display().lower()}, not withdrawn: there is "
            "nothing to start again."
        )
    request.restart()
    _save(request, "status", "withdrawn_at")
    _audit(actor=actor, action="partners.request_restarted", request=request)
    return request
