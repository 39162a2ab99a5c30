"""Writes to the selection questionnaire.

Each service locks the procurement (only its borough's procurement officers may
change it, and only while it is a draft), changes one question, writes the audit
event, and reopens the section if the change leaves it no longer complete.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from core.exceptions import ApplicationError
from core.models import User
from procurements.models import Procurement
from procurements.services.sections import (
    procurement_for_update,
    procurement_section_mark,
    procurement_section_reopen_if_broken,
)

from .models import (
    QUESTION_FIELDS,
    QuestionKind,
    RequestAnswer,
    SelectionQuestion,
    selection_questionnaire_problems,
)
from .sections import KEY


def _question_values(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(QUESTION_FIELDS)
    if unknown:
        raise ValueError(f"Not selection question fields: {sorted(unknown)}")
    values = dict(data)
    if values.get("kind") == QuestionKind.PASS_FAIL:
        values["weight"] = None
    return values


def _reopen_if_incomplete(*, actor: User, procurement: Procurement) -> None:
    """A completed questionnaire that a change breaks is in progress again."""
    procurement_section_reopen_if_broken(
        actor=actor,
        procurement=procurement,
        key=KEY,
        problems=lambda: selection_questionnaire_problems(procurement.selection_questions.all()),
    )


def _audit(*, actor: User, action: str, question: SelectionQuestion, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=question.procurement,
        data={
            "question_id": question.pk,
            "kind": question.kind,
            "topic": question.topic,
            "weight": question.weight,
            **data,
        },
    )


@transaction.atomic
def selection_question_add(
    *, actor: User, procurement: Procurement, data: dict[str, Any]
) -> SelectionQuestion:
    """Add a question at the end; ``data`` holds kind, topic, text, guidance and weight."""
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=KEY)
    last = procurement.selection_questions.aggregate(last=Max("order"))["last"]
    question = SelectionQuestion(
        procurement=procurement, order=0 if last is None else last + 1, **_question_values(data)
    )
    question.full_clean()
    question.save()
    _reopen_if_incomplete(actor=actor, procurement=procurement)
    _audit(actor=actor, action="partners.selection_question_added", question=question)
    return question


@transaction.atomic
def selection_question_change(
    *, actor: User, question: SelectionQuestion, data: dict[str, Any]
) -> SelectionQuestion:
    """Change any of a question's kind, topic, text, guidance and weight."""
    procurement = procurement_for_update(actor=actor, pk=question.procurement_id, section=KEY)
    question = procurement.selection_questions.get(pk=question.pk)
    values = _question_values(data)
    changed = sorted(name for name, value in values.items() if getattr(question, name) != value)
    if not changed:
        return question
    for name in changed:
        setattr(question, name, values[name])
    question.full_clean()
    question.save(update_fields=changed)
    _reopen_if_incomplete(actor=actor, procurement=procurement)
    _audit(
        actor=actor,
        action="partners.selection_question_changed",
        question=question,
        fields=changed,
    )
    return question


@transaction.atomic
def selection_question_remove(*, actor: User, question: SelectionQuestion) -> None:
    procurement = procurement_for_update(actor=actor, pk=question.procurement_id, section=KEY)
    question = procurement.selection_questions.get(pk=question.pk)
    if RequestAnswer.objects.filter(question=question).exists():
        raise ApplicationError(
            "Suppliers have already answered this question, so it cannot be removed. Change "
            "its wording in this amendment instead, and say why in the amendment's reason."
        )
    _audit(
        actor=actor,
        action="partners.selection_question_removed",
        question=question,
        text=question.text,
    )
    question.delete()
    _reopen_if_incomplete(actor=actor, procurement=procurement)


@transaction.atomic
def selection_questionnaire_mark(*, actor: User, procurement: Procurement, completed: bool) -> None:
    """Record the "Have you completed this section?" answer; completed needs RULES.md point 3."""
    procurement = procurement_for_update(actor=actor, pk=procurement.pk, section=KEY)
    problems = selection_questionnaire_problems(procurement.selection_questions.all())
    if completed and problems:
        raise ApplicationError(problems[0])
    procurement_section_mark(actor=actor, procurement=procurement, key=KEY, completed=completed)
