"""Reads about generated documents, scoped to what the asking user may read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from core.documents import document_kind_get
from core.exceptions import ApplicationError
from core.models import GeneratedDocument

if TYPE_CHECKING:
    from core.models import User


def document_may_read(*, user: User, document: GeneratedDocument) -> bool:
    """The document's kind decides; a kind no longer registered is readable by nobody."""
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        kind = document_kind_get(document.kind)
    except ApplicationError:
        return False
    return kind.may_read(user, document)


def document_get(*, user: User, pk: int) -> GeneratedDocument:
    """The document ``pk`` if ``user`` may read it.

    Raises ``GeneratedDocument.DoesNotExist`` both when there is no such
    document and when the user may not read it, so a page cannot reveal that
    a document exists.
    """
    document = GeneratedDocument.objects.select_related("requested_by", "content_type").get(pk=pk)
    if not document_may_read(user=user, document=document):
        raise GeneratedDocument.DoesNotExist
    return document


def document_list_for_target(
    *, user: User, target: Model, kind: str | None = None
) -> list[GeneratedDocument]:
    """Documents about ``target`` that ``user`` may read, newest first."""
    documents = GeneratedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("requested_by", "content_type")
    if kind is not None:
        documents = documents.filter(kind=kind)
    readable = []
    for document in documents:
        document.target = target  # already at hand: no query per document
        if document_may_read(user=user, document=document):
            readable.append(document)
    return readable


def latest_documents_of(
    *, kind: str, model: type[Model], ids: Iterable[int]
) -> dict[int, GeneratedDocument]:
    """Target id -> the latest document of ``kind`` about each ``model`` row of ``ids``, in
    one query (a document generated again after a failure replaces the earlier one). For the
    borough's and the supplier's pages, which check who may read each document."""
    keys = [str(pk) for pk in ids]
    if not keys:
        return {}
    documents = GeneratedDocument.objects.filter(
        kind=kind, content_type=ContentType.objects.get_for_model(model), object_id__in=keys
    ).order_by("created_at", "pk")
    return {int(document.object_id): document for document in documents}
