"""Clarification questions: a supplier asks before the question deadline, the borough answers
everyone (anonymised) or, with a reason, the asker only.

Equal treatment (PCR 2015 reg. 18; PA 2023 s.12): an answer that could help any
supplier is published to everyone, without saying who asked. The deadline is the
server's clock against ``Procurement.question_deadline``, whatever the page showed.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from procurements.models import (
    UNPUBLISHED,
    ClarificationQuestion,
    Procurement,
    ProcurementStatus,
    QuestionStatus,
)
from procurements.permissions_market import can_answer_question, questions_open
from procurements.sections import uk_datetime_text
from procurements.services.engagement import (
    interested_recipients,
    refuse_unless_verified_supplier,
    register_interest_locked,
)
from procurements.services.publication import opportunity_url
from procurements.services.sections import procurement_lock

REASON_REQUIRED = "Enter why the answer is only for this supplier"


class QuestionsClosed(ApplicationError):
    """The procurement takes no questions now; the message says why (and since when)."""


# Words that end many organisation names; the name without them is checked too.
_LEGAL_SUFFIX = re.compile(
    r"[\s,.]+(ltd|limited|plc|llp|lp|cic|cio|inc|llc|gmbh|co|company|uk)\.?$", re.IGNORECASE
)


def questions_closed_message(procurement: Procurement, *, now=None) -> str:
    """Why ``procurement`` takes no questions at ``now`` (the server clock), or "" if it does."""
    now = now or timezone.now()
    if questions_open(procurement, now=now):
        return ""
    deadline = procurement.question_deadline
    if procurement.status == ProcurementStatus.CANCELLED:
        return "This opportunity has been cancelled: it no longer takes questions."
    if procurement.status in UNPUBLISHED:
        return "This opportunity takes questions once its call is published."
    if deadline is not None:
        return f"The deadline for questions was {uk_datetime_text(deadline)}."
    return "This opportunity does not take clarification questions."


def names_in_text(question: ClarificationQuestion, text: str) -> list[str]:
    """Who asked, as it appears in ``text``: the organisation's name (with or without "Ltd" and
    the like), the asker's name or e-mail address. Case is ignored."""
    organisation = question.organisation.name.strip()
    candidates = [organisation, _LEGAL_SUFFIX.sub("", organisation).strip()]
    candidates += [question.asked_by.full_name.strip(), question.asked_by.email.strip()]
    found = []
    lowered = text.lower()
    for name in candidates:
        if len(name) >= 3 and name.lower() in lowered and name not in found:
            found.append(name)
    return found


@transaction.atomic
def question_ask(*, actor: User, procurement: Procurement, text: str) -> ClarificationQuestion:
    """A verified supplier member asks a question before the question deadline; their
    organisation then follows the opportunity."""
    membership = refuse_unless_verified_supplier(actor)
    procurement = procurement_lock(procurement.pk)
    now = timezone.now()
    closed = questions_closed_message(procurement, now=now)
    if closed:
        raise QuestionsClosed(closed)
    text = (text or "").strip()
    if not text:
        raise ApplicationError("Enter your question", extra={"field": "text"})
    question = ClarificationQuestion(
        procurement=procurement,
        organisation=membership.organisation,
        asked_by=actor,
        text=text,
        asked_at=now,
    )
    question.full_clean(exclude=["status"])
    question.save()
    register_interest_locked(
        actor=actor, procurement=procurement, membership=membership, reason="asked a question"
    )
    audit_record(
        actor=actor,
        action="question.asked",
        target=question,
        data={
            "procurement": procurement.pk,
            "organisation": membership.organisation_id,
            "text": text,
            "asked_at": now.isoformat(),
            "question_deadline": procurement.question_deadline.isoformat(),
        },
    )
    return question


def _question_for_answer(*, actor: User, question: ClarificationQuestion) -> ClarificationQuestion:
    locked = (
        ClarificationQuestion.objects.select_for_update(of=("self",))
        .select_related("procurement__borough", "organisation", "asked_by")
        .get(pk=question.pk)
    )
    if not can_answer_question(actor, locked):
        if locked.status != QuestionStatus.OPEN:
            raise ApplicationError(
                f"This question has already been answered ({locked.get_status_display().lower()}"
                f", {uk_datetime_text(locked.answered_at)})."
            )
        if locked.procurement.status == ProcurementStatus.CANCELLED:
            raise ApplicationError("This procurement has been cancelled: questions are closed.")
        raise PermissionRefused(
            f"Only the procurement officers of {locked.procurement.borough.name} can answer "
            "its questions."
        )
    return locked


def _required(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, extra={"field": field})
    return value


def _audit_answer(actor: User, question: ClarificationQuestion, action: str, **data) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=question,
        data={
            "procurement": question.procurement_id,
            "organisation": question.organisation_id,
            "from": QuestionStatus.OPEN,
            "to": question.status,
            "answer": question.answer,
            **data,
        },
    )


@transaction.atomic
def question_publish_answer(
    *, actor: User, question: ClarificationQuestion, public_text: str, answer: str
) -> ClarificationQuestion:
    """Publish the question (edited so it does not say who asked) and its answer to everyone;
    everyone who follows the opportunity is e-mailed after commit."""
    question = _question_for_answer(actor=actor, question=question)
    public_text = _required(
        public_text, field="public_text", message="Enter the question as it will be published"
    )
    answer = _required(answer, field="answer", message="Enter the answer")
    for field, value in (("public_text", public_text), ("answer", answer)):
        names = names_in_text(question, value)
        if names:
            where = "question" if field == "public_text" else "answer"
            raise ApplicationError(
                f"Remove {' and '.join(names)} from the {where}: a published answer must not "
                "show who asked.",
                extra={"field": field},
            )
    question.publish_answer(public_text=public_text, answer=answer, by=actor)
    question.full_clean(exclude=["status"])
    question.save(update_fields=["status", "public_text", "answer", "answered_by", "answered_at"])
    _audit_answer(
        actor,
        question,
        "question.answer_published",
        public_text=public_text,
        reason="The answer may help every supplier, so it is published to everyone.",
    )
    procurement = question.procurement
    send_after_commit(
        template="procurements/questions/email/answer_published",
        context={
            "procurement": procurement,
            "public_text": public_text,
            "answer": answer,
            "url": opportunity_url(procurement),
        },
        recipients=interested_recipients(procurement),
    )
    return question


@transaction.atomic
def question_answer_privately(
    *, actor: User, question: ClarificationQuestion, answer: str, reason: str
) -> ClarificationQuestion:
    """Answer the asker only, saying why the answer is not for everyone; the asker is e-mailed
    after commit."""
    question = _question_for_answer(actor=actor, question=question)
    answer = _required(answer, field="answer", message="Enter the answer")
    reason = _required(reason, field="reason", message=REASON_REQUIRED)
    question.answer_privately(answer=answer, reason=reason, by=actor)
    question.full_clean(exclude=["status"])
    question.save(
        update_fields=["status", "answer", "private_reason", "answered_by", "answered_at"]
    )
    _audit_answer(actor, question, "question.answered_privately", reason=reason)
    procurement = question.procurement
    if question.asked_by.email:
        send_after_commit(
            template="procurements/questions/email/answered_privately",
            context={
                "procurement": procurement,
                "question": question,
                "url": absolute_url(
                    reverse("opportunities:my-questions", kwargs={"pk": procurement.pk})
                ),
            },
            recipients=[question.asked_by.email],
        )
    return question
