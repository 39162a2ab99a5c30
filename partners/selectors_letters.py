"""The selection letters suppliers read: for each request decided by a confirmed shortlist,
its letter (an invitation to tender or a regret letter), in one query whatever the number of
requests. Callers pass requests the user may already see."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, OuterRef, Subquery
from django.db.models.functions import Cast

from core.models import GeneratedDocument

from .documents import LETTER_KIND
from .models import RequestStatus, ShortlistEntry, ShortlistStatus

# A request in one of these has been decided by a confirmed shortlist and has a letter.
DECIDED = (RequestStatus.SHORTLISTED, RequestStatus.NOT_SHORTLISTED, RequestStatus.EXCLUDED)


def selection_letters(*, request_ids: Iterable[int]) -> dict[int, GeneratedDocument]:
    """Request id -> the latest letter of its entry in a confirmed shortlist."""
    request_ids = list(request_ids)
    if not request_ids:
        return {}
    entries = ShortlistEntry.objects.filter(
        request_id__in=request_ids, shortlist__status=ShortlistStatus.CONFIRMED
    )
    entry_request = ShortlistEntry.objects.filter(
        pk=Cast(OuterRef("object_id"), BigIntegerField())
    ).values("request_id")[:1]
    documents = (
        GeneratedDocument.objects.filter(
            kind=LETTER_KIND,
            content_type=ContentType.objects.get_for_model(ShortlistEntry),
            object_id__in=entries.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .annotate(participation_request_id=Subquery(entry_request))
        .order_by("created_at", "pk")
    )
    # Later documents (a letter generated again after a failure) replace earlier ones.
    return {document.participation_request_id: document for document in documents}
