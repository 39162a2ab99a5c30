"""Permission-matrix entries: requests to participate (the supplier's pages)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes


def sample_submitted_request(personas):
    """A request of supplier A's organisation (alone) to a call of borough A open for a
    month, with one scored question answered and submission 1."""
    from datetime import timedelta

    from django.utils import timezone

    from partners.models import (
        ParticipationRequest,
        RequestAnswer,
        RequestSubmission,
        SelectionQuestion,
    )
    from tests.procurements.publication_samples import published_opportunity

    procurement = published_opportunity(personas, closes=timezone.now() + timedelta(days=30))
    question = SelectionQuestion.objects.create(
        procurement=procurement,
        kind="scored",
        topic="rd_capability",
        text="Describe your research and development.",
        weight=100,
    )
    request = ParticipationRequest.objects.create(
        procurement=procurement, organisation=personas.org_a, created_by=personas.supplier_a_admin
    )
    RequestAnswer.objects.create(
        request=request,
        question=question,
        text="Three trials with two boroughs.",
        updated_by=personas.supplier_a_member,
    )
    RequestSubmission.objects.create(
        request=request,
        number=1,
        content={"answers": [], "organisation": {"id": personas.org_a.pk, "name": "Alpha"}},
        sha256="0" * 64,
        submitted_by=personas.supplier_a_admin,
    )
    return request


def _kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    request = sample_submitted_request(personas)
    values: dict[str, Any] = {"pk": request.pk}
    if "<int:question_pk>" in info.route:
        values["question_pk"] = request.answers.get().question_id
    if "<int:number>" in info.route:
        values["number"] = 1
    return values


def _start_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    from tests.procurements.publication_samples import published_opportunity

    return {"procurement_pk": published_opportunity(personas).pk}


# The lead organisation's people, and nobody else: anyone else may not know the request exists.
LEAD_PAGE = outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN)

ENTRIES: list = [
    Entry(
        "requests:list",
        outcomes(200, officers=403, superuser=403, anonymous=LOGIN),
        why="Every supplier sees its own organisation's requests; others have none.",
    ),
    Entry(
        "requests:start",
        outcomes(405, anonymous=LOGIN),
        kwargs=_start_kwargs,
        why="Starting is a POST; tests/partners/test_requests_start.py checks who may.",
    ),
    *[
        Entry(f"requests:{name}", LEAD_PAGE, kwargs=_kwargs, why=why)
        for name, why in [
            ("detail", "The task list of the request: the lead organisation's people only."),
            ("answer", "Any member of the lead organisation answers the questions."),
            ("conflicts", "Any member of the lead organisation declares conflicts."),
            ("applying-as", "Any member of the lead organisation chooses how it applies."),
            ("submit", "The check page; only an organisation admin sees the button."),
            ("receipt", "The receipt of a submission, for the lead organisation's people."),
            ("withdraw", "The confirmation page; only an organisation admin may withdraw."),
        ]
    ],
    Entry(
        "requests:restart",
        outcomes(405, anonymous=LOGIN),
        kwargs=_kwargs,
        why="Starting again is a POST; tests/partners/test_requests_withdraw.py checks who may.",
    ),
]
