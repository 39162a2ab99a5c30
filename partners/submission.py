"""What a request to participate must hold before it is submitted, and what a submission
freezes.

``submission_problems`` lists everything missing, each with the page that fixes it (the
submit page shows them as an error summary). ``submission_content`` is the frozen record of
a submission: plain JSON, the same whoever reads it, whose SHA-256 over its canonical form
(``content_sha256``) is the supplier's receipt.

The participation window: requests may be started, changed, submitted and withdrawn while
the procurement is published and the server's clock is before the participation deadline
(``participation_open``); the page never decides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from procurements.models import CALL_PUBLISHED, Procurement, ProcurementStatus
from procurements.rules import REGIMES
from procurements.sections import uk_datetime_text

from .models import (
    ConsortiumMember,
    ExclusionDeclaration,
    ParticipationRequest,
    QuestionKind,
    RequestAnswer,
    SelectionQuestion,
)
from .sections import KEY as QUESTIONNAIRE_KEY


@dataclass(frozen=True)
class Problem:
    """Something missing from a request: what, and the page (a path) that fixes it."""

    message: str
    url: str


def participation_open(procurement: Procurement, *, now: datetime) -> bool:
    """The call is published and ``now`` (the server clock) is strictly before the
    participation deadline: one second after it, nothing is accepted."""
    deadline = procurement.participation_deadline
    return (
        procurement.status == ProcurementStatus.PUBLISHED
        and deadline is not None
        and now < deadline
    )


def participation_closed_message(procurement: Procurement) -> str:
    """Why nothing can change now: the deadline that has passed, if the call had one."""
    deadline = procurement.participation_deadline
    if deadline is None or procurement.status not in CALL_PUBLISHED:
        return "This procurement is not taking requests to participate."
    return (
        f"Requests to participate closed at {uk_datetime_text(deadline)} (UK time). "
        "Nothing can be started, changed, submitted or withdrawn after the deadline."
    )


def exclusion_grounds(procurement: Procurement):
    """The exclusion grounds of the procurement's regime, in order."""
    return REGIMES[procurement.regime].exclusion_grounds


def request_organisations(request: ParticipationRequest) -> list:
    """The lead organisation, then every consortium member's, by name."""
    members = [member.organisation for member in _members(request)]
    return [request.organisation, *members]


def _members(request: ParticipationRequest) -> list[ConsortiumMember]:
    if not request.is_consortium:
        return []
    return list(request.members.select_related("organisation", "confirmed_by"))


def published_questions(procurement: Procurement) -> list[SelectionQuestion]:
    """The selection questions as the latest publication version announced them, in order.

    Suppliers answer what was published: while an amendment is being prepared the
    questionnaire's rows may already hold its changes, so each question's wording, guidance,
    kind and weight come from the frozen version, and a question added since is left out
    until the amendment is published. A procurement with no version yet gives its rows.
    """
    rows = {question.pk: question for question in procurement.selection_questions.all()}
    latest = procurement.versions.order_by("-number").first()
    announced = None
    if latest is not None:
        announced = next(
            (
                part["content"]
                for part in latest.content.get("sections", [])
                if part["key"] == QUESTIONNAIRE_KEY
            ),
            None,
        )
    items = announced.get("questions", []) if announced is not None else None
    if items is None or any("id" not in item for item in items):
        # Not published yet, or published before versions named their questions' rows.
        return sorted(rows.values(), key=lambda question: (question.order, question.pk))
    questions = []
    for item in items:
        question = rows.get(item.get("id"))
        if question is None:
            continue
        question.text = item["text"]
        question.guidance = item.get("guidance", "")
        question.kind = QuestionKind.SCORED if item.get("scored") else QuestionKind.PASS_FAIL
        weight = (item.get("weight") or "").rstrip("%")
        question.weight = int(weight) if weight.isdigit() else None
        questions.append(question)
    return questions


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"requests:{name}", kwargs=kwargs)


def _answer_problems(
    request: ParticipationRequest,
    questions: list[SelectionQuestion],
    answers: dict[int, RequestAnswer],
) -> list[Problem]:
    problems = []
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.pk)
        url = _url("answer", pk=request.pk, question_pk=question.pk)
        if question.kind == QuestionKind.PASS_FAIL:
            if answer is None or answer.meets is None:
                problems.append(Problem(f"Answer question {number}: say whether you meet it", url))
        elif answer is None or not answer.text.strip():
            problems.append(Problem(f"Answer question {number}", url))
    return problems


def _conflict_problems(request: ParticipationRequest) -> list[Problem]:
    url = _url("conflicts", pk=request.pk)
    if request.has_conflict is None:
        return [Problem("Say whether you have any conflict of interest", url)]
    if request.has_conflict and not request.conflict_details.strip():
        return [Problem("Describe your conflict of interest", url)]
    return []


def _declaration_problems(request: ParticipationRequest) -> list[Problem]:
    grounds = exclusion_grounds(request.procurement)
    declared: dict[tuple[int, str], ExclusionDeclaration] = {
        (declaration.organisation_id, declaration.ground): declaration
        for declaration in request.declarations.all()
    }
    problems = []
    for organisation in request_organisations(request):
        url = _url("exclusions", pk=request.pk, organisation_pk=organisation.pk)
        missing = [
            ground
            for ground in grounds
            if declared.get((organisation.pk, ground.key)) is None
            or declared[(organisation.pk, ground.key)].applies is None
        ]
        if missing:
            problems.append(
                Problem(
                    f"{organisation.name}: declare whether each exclusion ground applies "
                    f"({len(missing)} not answered)",
                    url,
                )
            )
        unexplained = [
            ground.label.lower()
            for ground in grounds
            if (declaration := declared.get((organisation.pk, ground.key))) is not None
            and declaration.applies
            and not declaration.details.strip()
        ]
        if unexplained:
            problems.append(
                Problem(
                    f"{organisation.name}: give the details of {', '.join(unexplained)}",
                    url,
                )
            )
    return problems


def _consortium_problems(request: ParticipationRequest) -> list[Problem]:
    if not request.is_consortium:
        return []
    url = _url("consortium", pk=request.pk)
    members = _members(request)
    if not members:
        return [Problem("Add the members of the consortium, or say you are applying alone", url)]
    problems = [
        Problem(f"{member.organisation.name} has not confirmed it is in the consortium", url)
        for member in members
        if member.confirmed_at is None
    ]
    shares = sum(member.share_of_work for member in members)
    if shares >= 100:
        problems.append(
            Problem(
                f"The members' shares of the work add up to {shares}%: the lead organisation "
                "must keep a share, so they must add up to less than 100%",
                url,
            )
        )
    return problems


def submission_problems(request: ParticipationRequest) -> list[Problem]:
    """Everything the request still needs before it can be submitted, in page order."""
    questions = published_questions(request.procurement)
    answers = {answer.question_id: answer for answer in request.answers.all()}
    return [
        *_answer_problems(request, questions, answers),
        *_consortium_problems(request),
        *_declaration_problems(request),
        *_conflict_problems(request),
    ]


def submission_content(request: ParticipationRequest) -> dict[str, Any]:
    """Everything the request says, as plain JSON, for the frozen submission."""
    procurement = request.procurement
    questions = published_questions(procurement)
    answers = {
        answer.question_id: answer
        for answer in request.answers.prefetch_related("files").order_by("pk")
    }
    grounds = {ground.key: ground for ground in exclusion_grounds(procurement)}

    def organisation(org) -> dict[str, Any]:
        return {
            "id": org.pk,
            "name": org.name,
            "companies_house_number": org.companies_house_number,
        }

    def answer_content(question: SelectionQuestion) -> dict[str, Any]:
        answer = answers.get(question.pk)
        files = list(answer.files.all()) if answer is not None else []
        return {
            "question_id": question.pk,
            "question": question.text,
            "kind": question.kind,
            "meets": answer.meets if answer is not None else None,
            "text": answer.text if answer is not None else "",
            "files": [
                {"name": f.name, "size": f.size, "sha256": f.sha256, "content_type": f.content_type}
                for f in sorted(files, key=lambda f: (f.uploaded_at, f.pk))
            ],
        }

    return {
        "procurement": {"id": procurement.pk, "reference": procurement.reference},
        "organisation": organisation(request.organisation),
        "consortium": [
            {
                **organisation(member.organisation),
                "role": member.role,
                "share_of_work": member.share_of_work,
                "confirmed_at": member.confirmed_at.isoformat() if member.confirmed_at else None,
            }
            for member in _members(request)
        ],
        "subcontractors": [
            {
                "name": sub.name,
                "companies_house_number": sub.companies_house_number,
                "work": sub.work,
            }
            for sub in request.subcontractors.order_by("name", "pk")
        ],
        "answers": [answer_content(question) for question in questions],
        "exclusion_declarations": [
            {
                "organisation_id": declaration.organisation_id,
                "ground": declaration.ground,
                "label": grounds[declaration.ground].label
                if declaration.ground in grounds
                else declaration.ground,
                "mandatory": grounds[declaration.ground].mandatory
                if declaration.ground in grounds
                else None,
                "applies": declaration.applies,
                "details": declaration.details,
                "self_cleaning": declaration.self_cleaning,
            }
            for declaration in request.declarations.order_by("organisation_id", "ground")
        ],
        "conflict_of_interest": {
            "declared": request.has_conflict,
            "details": request.conflict_details,
        },
    }


def content_sha256(content: dict[str, Any]) -> str:
    """The SHA-256 of ``content`` in canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
