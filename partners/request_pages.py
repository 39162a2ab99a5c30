"""What the pages of a request to participate show: the task list with each task's status,
and a submission's frozen content arranged for reading.

A task's status comes from ``partners.submission.submission_problems``, the same check the
submit page and the service make: a task is completed when no problem links to its page.
"""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.text import Truncator

from .models import ParticipationRequest, QuestionKind, RequestStatus, RequestSubmission
from .selectors_requests import answer_map
from .services_requests import answer_is_complete
from .submission import (
    content_sha256,
    published_questions,
    request_organisations,
    submission_content,
    submission_problems,
)


def _tag(words: str, modifier: str = "") -> dict:
    return {"words": words, "tag": f"govuk-tag {modifier}".strip() if modifier else ""}


NOT_STARTED = ("Not yet started", "govuk-tag--blue")
IN_PROGRESS = ("In progress", "govuk-tag--light-blue")
COMPLETED = ("Completed", "")


def _question_rows(participation, questions, answers) -> list[dict]:
    rows = []
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.pk)
        if answer_is_complete(question, answer):
            status = COMPLETED
        else:
            status = IN_PROGRESS if answer is not None else NOT_STARTED
        kind = (
            "Pass or fail"
            if question.kind == QuestionKind.PASS_FAIL
            else f"Scored, weight {question.weight}%"
        )
        rows.append(
            {
                "id": f"question-{question.pk}",
                "name": f"Question {number}: {Truncator(question.text).chars(90)}",
                "hint": kind,
                "url": reverse(
                    "requests:answer",
                    kwargs={"pk": participation.pk, "question_pk": question.pk},
                ),
                "status": _tag(*status),
            }
        )
    return rows


def _problem_urls(problems) -> Counter:
    return Counter(problem.url for problem in problems)


def _applying_rows(participation, open_urls: Counter) -> list[dict]:
    consortium_url = reverse("requests:consortium", kwargs={"pk": participation.pk})
    rows = [
        {
            "id": "applying-as",
            "name": "Applying alone or as a consortium",
            "hint": "",
            "url": reverse("requests:applying-as", kwargs={"pk": participation.pk}),
            "status": _tag("As a consortium" if participation.is_consortium else "Alone"),
        }
    ]
    if participation.is_consortium:
        members_done = not open_urls[consortium_url]
        rows.append(
            {
                "id": "consortium",
                "name": "Consortium members and subcontractors",
                "hint": "Each member confirms its place from its own account.",
                "url": consortium_url,
                "status": _tag(*(COMPLETED if members_done else IN_PROGRESS)),
            }
        )
    else:
        rows.append(
            {
                "id": "consortium",
                "name": "Subcontractors",
                "hint": "Name any organisation you will subcontract part of the work to.",
                "url": consortium_url,
                "status": _tag("Optional"),
            }
        )
    return rows


def _declaration_rows(participation, open_urls: Counter) -> list[dict]:
    answered = Counter(
        participation.declarations.filter(applies__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    rows = []
    for organisation in request_organisations(participation):
        url = reverse(
            "requests:exclusions",
            kwargs={"pk": participation.pk, "organisation_pk": organisation.pk},
        )
        is_lead = organisation.pk == participation.organisation_id
        if not open_urls[url]:
            status = COMPLETED
        else:
            status = IN_PROGRESS if answered[organisation.pk] else NOT_STARTED
        rows.append(
            {
                "id": f"exclusions-{organisation.pk}",
                "name": f"Exclusion grounds: {organisation.name}",
                "hint": "" if is_lead else f"{organisation.name} declares from its own account.",
                "url": url if is_lead else "",
                "status": _tag(*status),
            }
        )
    return rows


def _conflict_row(participation, open_urls: Counter) -> dict:
    url = reverse("requests:conflicts", kwargs={"pk": participation.pk})
    if participation.has_conflict is None:
        status = NOT_STARTED
    else:
        status = IN_PROGRESS if open_urls[url] else COMPLETED
    return {
        "id": "conflicts",
        "name": "Conflicts of interest",
        "hint": "",
        "url": url,
        "status": _tag(*status),
    }


def _changed_since(participation, latest) -> bool:
    """The request says something other than its standing submission does."""
    if latest is None or participation.status != RequestStatus.SUBMITTED:
        return False
    return content_sha256(submission_content(participation)) != latest.sha256


def _submit_row(participation, problems, changed: bool) -> dict:
    if problems:
        status = _tag("Cannot submit yet")
    elif participation.status == RequestStatus.SUBMITTED and not changed:
        status = _tag("Submitted", "govuk-tag--green")
    else:
        status = _tag("Ready to submit", "govuk-tag--blue")
    return {
        "id": "submit",
        "name": "Check and submit",
        "hint": "",
        "url": reverse("requests:submit", kwargs={"pk": participation.pk}),
        "status": status,
    }


def request_task_list(
    participation: ParticipationRequest, *, latest: RequestSubmission | None
) -> dict:
    """The groups of tasks, how many of the tasks to complete are completed, and whether the
    request has changed since its standing submission (``latest``)."""
    questions = published_questions(participation.procurement)
    problems = submission_problems(participation)
    open_urls = _problem_urls(problems)
    changed = _changed_since(participation, latest)
    groups = [
        (
            "Answer the questions",
            _question_rows(participation, questions, answer_map(request=participation)),
        ),
        ("Who is applying", _applying_rows(participation, open_urls)),
        ("Declare exclusion grounds", _declaration_rows(participation, open_urls)),
        ("Declare conflicts of interest", [_conflict_row(participation, open_urls)]),
        ("Submit", [_submit_row(participation, problems, changed)]),
    ]
    # The tasks with a state to complete (not the choice nor the optional subcontractors).
    steps = {COMPLETED[0], NOT_STARTED[0], IN_PROGRESS[0]}
    tasks = [row for _name, rows in groups[:-1] for row in rows if row["status"]["words"] in steps]
    return {
        "groups": groups,
        "completed": sum(1 for row in tasks if row["status"]["words"] == COMPLETED[0]),
        "task_count": len(tasks),
        "changed": changed,
    }


def content_for_reading(content: dict) -> dict:
    """A frozen submission's content arranged for a page: the exclusion declarations under
    each organisation's name, the lead first."""
    organisations = [content.get("organisation", {}), *content.get("consortium", [])]
    declarations = content.get("exclusion_declarations", [])
    return {
        **content,
        "declarations_by_organisation": [
            {
                "name": organisation.get("name", ""),
                "declarations": [
                    item
                    for item in declarations
                    if item.get("organisation_id") == organisation.get("id")
                ],
            }
            for organisation in organisations
        ],
    }
