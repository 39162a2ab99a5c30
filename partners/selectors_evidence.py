"""Reads of evidence, scoped to the signed-in supplier's organisation.

A request's answers and their files, the evidence library and every evidence file are seen
by the members of the organisation that owns them, and by nobody else: officers and
superusers included (the borough reads requests only after the deadline, through the
assessment). Anything else is None, and the page answers 404.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from core.models import SupplierOrganisation, User
from core.selectors.accounts import supplier_membership_get

from .models import (
    EvidenceFile,
    EvidenceLibraryItem,
    ParticipationRequest,
    RequestAnswer,
    SelectionQuestion,
)
from .submission import published_questions


def _files() -> Prefetch:
    return Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk"))


def evidence_organisation(*, user: User) -> SupplierOrganisation | None:
    """The user's supplier organisation, or None."""
    membership = supplier_membership_get(user=user)
    return membership.organisation if membership is not None else None


def evidence_request_get(*, user: User, pk: int) -> ParticipationRequest | None:
    """The request, if the user belongs to its (lead) organisation."""
    organisation = evidence_organisation(user=user)
    if organisation is None:
        return None
    return (
        ParticipationRequest.objects.select_related("procurement__borough", "organisation")
        .filter(pk=pk, organisation=organisation)
        .first()
    )


def evidence_question_get(
    *, request: ParticipationRequest, question_pk: int
) -> tuple[int, SelectionQuestion] | None:
    """The question as published, with its number in the questionnaire, or None."""
    for number, question in enumerate(published_questions(request.procurement), start=1):
        if question.pk == question_pk:
            return number, question
    return None


def evidence_answer_get(
    *, request: ParticipationRequest, question: SelectionQuestion
) -> RequestAnswer | None:
    return (
        RequestAnswer.objects.filter(request=request, question=question)
        .prefetch_related(_files())
        .first()
    )


def library_item_list(*, organisation: SupplierOrganisation) -> QuerySet[EvidenceLibraryItem]:
    """The organisation's library, by kind then title, each item with its files."""
    return (
        EvidenceLibraryItem.objects.filter(organisation=organisation)
        .prefetch_related(_files())
        .annotate(file_count=Count("files"))
        .order_by("kind", "title", "pk")
    )


def library_item_get(*, user: User, pk: int) -> EvidenceLibraryItem | None:
    """The library item, if the user belongs to its organisation."""
    organisation = evidence_organisation(user=user)
    if organisation is None:
        return None
    return library_item_list(organisation=organisation).filter(pk=pk).first()


def evidence_file_get(*, user: User, pk: int) -> EvidenceFile | None:
    """The evidence file, if the user belongs to the organisation that owns it."""
    organisation = evidence_organisation(user=user)
    if organisation is None:
        return None
    return EvidenceFile.objects.filter(pk=pk, organisation=organisation).first()
