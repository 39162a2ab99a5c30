"""Requests to participate for the tests of the supplier's pages and services."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from partners.models import (
    ExclusionDeclaration,
    ParticipationRequest,
    QuestionKind,
    RequestAnswer,
    SelectionQuestion,
)
from partners.submission import exclusion_grounds
from procurements.models import Procurement
from tests.procurements.publication_samples import published_opportunity


def open_call(personas, *, closes: datetime | None = None, scored: int = 1) -> Procurement:
    """A call of borough A published yesterday (requests close in ten days unless ``closes``
    says otherwise), with a pass/fail question and ``scored`` scored questions."""
    procurement = published_opportunity(personas, closes=closes)
    SelectionQuestion.objects.create(
        procurement=procurement,
        kind=QuestionKind.PASS_FAIL,
        topic="other",
        text="Do you hold public liability insurance of at least £5 million?",
        guidance="We check the certificate before the contract is signed.",
        order=1,
    )
    for number in range(scored):
        SelectionQuestion.objects.create(
            procurement=procurement,
            kind=QuestionKind.SCORED,
            topic="rd_capability",
            text=f"Describe your research and development capability ({number + 1}).",
            weight=100 // scored if number else 100 - (100 // scored) * (scored - 1),
            order=2 + number,
        )
    return procurement


def questions(procurement: Procurement) -> list[SelectionQuestion]:
    return list(procurement.selection_questions.order_by("order", "pk"))


def a_request(personas, procurement: Procurement, *, organisation=None, created_by=None):
    return ParticipationRequest.objects.create(
        procurement=procurement,
        organisation=organisation or personas.org_a,
        created_by=created_by or personas.supplier_a_admin,
    )


def answer_everything(personas, request: ParticipationRequest, *, text: str = "") -> None:
    """Every question, every exclusion ground of the lead and the conflicts: ready to submit."""
    for question in questions(request.procurement):
        RequestAnswer.objects.update_or_create(
            request=request,
            question=question,
            defaults={
                "meets": True if question.kind == QuestionKind.PASS_FAIL else None,
                "text": text or f"Our answer to question {question.pk}.",
                "updated_by": personas.supplier_a_member,
            },
        )
    for ground in exclusion_grounds(request.procurement):
        ExclusionDeclaration.objects.update_or_create(
            request=request,
            organisation=request.organisation,
            ground=ground.key,
            defaults={"applies": False, "declared_by": personas.supplier_a_admin},
        )
    ParticipationRequest.objects.filter(pk=request.pk).update(has_conflict=False)
    request.refresh_from_db()


def url(name: str, request: ParticipationRequest, **kwargs) -> str:
    return reverse(f"requests:{name}", kwargs={"pk": request.pk, **kwargs})
