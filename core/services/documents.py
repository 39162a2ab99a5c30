"""Generated documents: request, render, fail and re-enqueue.

A request freezes the context and enqueues the render task after commit. The
task claims the row with a conditional UPDATE that must touch exactly one row,
so two workers (or a task delivered twice) never render the same document at
once; rendering again overwrites the same file name, so running the task twice
leaves one file and one ready document.

If the broker is down the request still succeeds: the document stays pending
and ``document_requeue_stale`` (run by Celery beat) enqueues it again.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django.db.models import F, Model, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from core.audit import audit_record
from core.documents import document_kind_get, render_pdf
from core.exceptions import ApplicationError, PermissionRefused
from core.models import DocumentStatus, GeneratedDocument

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)

DOCUMENT_MAX_ATTEMPTS = 3
# Errors worth another try: the storage or the database was briefly unreachable.
# A template or layout error fails the same way every time, so it is not retried.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, DatabaseOperationalError)
_ERROR_MAX = 2000


def _target_fields(target: Model | None) -> dict[str, Any]:
    if target is None:
        return {"content_type": None, "object_id": ""}
    return {
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": str(target.pk),
    }


def document_enqueue(*, document_id: int) -> bool:
    """Publish the render task; return False (and log) if the broker is unreachable.

    ``retry=False`` and ``CELERY_BROKER_CONNECTION_TIMEOUT`` keep a failed
    publish to about two seconds, so a page never hangs on a dead broker.
    """
    from core.tasks import document_render_task

    try:
        document_render_task.apply_async(args=[document_id], retry=False)
    except (BrokerError, RedisError, OSError):
        logger.warning(
            "Could not enqueue document %s: the broker is unreachable. It stays pending "
            "and will be enqueued again by document_requeue_pending_task.",
            document_id,
            exc_info=True,
        )
        return False
    return True


def document_request(
    *,
    kind: str,
    target: Model | None,
    actor: User,
    context_extra: dict | None = None,
) -> GeneratedDocument:
    """Ask for a document of ``kind`` about ``target``; it is rendered in the background.

    If a document of this kind about this target is already waiting or being
    generated, that document is returned instead of a second one.
    """
    document_kind = document_kind_get(kind)
    if not document_kind.may_request(actor, target):
        raise PermissionRefused("You do not have permission to request this document.")

    fields = _target_fields(target)
    in_flight = GeneratedDocument.objects.filter(
        kind=kind,
        status__in=[DocumentStatus.PENDING, DocumentStatus.RENDERING],
        **fields,
    )
    existing = in_flight.first()
    if existing is not None:
        return existing

    context = document_kind.build_context(target=target, actor=actor, extra=context_extra)
    try:
        with transaction.atomic():
            document = GeneratedDocument(
                kind=kind,
                title=document_kind.title(target)[:300],
                context=context,
                requested_by=actor,
                **fields,
            )
            document.full_clean(exclude=["status"])  # protected FSM field: set by transitions
            document.save()
            audit_record(
                actor=actor,
                action="document.requested",
                target=target,
                data={"document_id": document.pk, "kind": kind, "title": document.title},
            )
    except IntegrityError:
        # Another request for the same document won the race; return that one.
        existing = in_flight.first()
        if existing is None:
            raise
        return existing
    transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    return document


def _claim(*, document_id: int) -> bool:
    """Take the document for rendering; True only for the one caller whose UPDATE hit the row.

    Claimable: pending, or rendering for longer than the hard time limit with
    attempts left (its worker died: Celery's hard limit means no live render
    lasts that long).
    """
    now = timezone.now()
    abandoned_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=DocumentStatus.PENDING) | Q(
        status=DocumentStatus.RENDERING,
        updated_at__lt=abandoned_before,
        attempts__lt=DOCUMENT_MAX_ATTEMPTS,
    )
    claimed = GeneratedDocument.objects.filter(claimable, pk=document_id).update(
        status=DocumentStatus.RENDERING, attempts=F("attempts") + 1, updated_at=now
    )
    return claimed == 1


def _store(*, document: GeneratedDocument, pdf: bytes) -> str:
    """Save under the document's deterministic name, replacing an earlier file of that name."""
    name = document.file.field.generate_filename(document, document.storage_filename)
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:  # a storage that renames instead of overwriting would leave copies
        default_storage.delete(saved)
        raise OSError(f"Storage saved the document as {saved!r} instead of {name!r}.")
    return saved


def document_render(*, document_id: int) -> GeneratedDocument | None:
    """Render a claimed document to a tagged PDF and mark it ready.

    Returns None when the document was not claimable (another worker has it,
    it is finished, or it no longer exists). A transient error
    (``TRANSIENT_ERRORS``) with attempts left puts the document back to
    pending and is raised again so the task retries with backoff; any other
    error, or the last attempt, marks it failed.
    """
    if not _claim(document_id=document_id):
        return None
    try:
        document = GeneratedDocument.objects.get(pk=document_id)
        claimed_attempt = document.attempts
        pdf = render_pdf(
            template=document_kind_get(document.kind).template, context=document.context
        )
        with transaction.atomic():
            document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
            if (document.status, document.attempts) != (DocumentStatus.RENDERING, claimed_attempt):
                # This render stalled past the time limit and another worker
                # reclaimed the document (or finished it): leave its file alone.
                return None
            name = _store(document=document, pdf=pdf)
            document.mark_ready(name=name, sha256=hashlib.sha256(pdf).hexdigest())
            document.save(
                update_fields=["status", "file", "sha256", "error", "rendered_at", "updated_at"]
            )
            audit_record(
                actor=None,
                action="document.rendered",
                target=document,
                data={"kind": document.kind, "sha256": document.sha256, "bytes": len(pdf)},
            )
    except TRANSIENT_ERRORS as exc:
        logger.warning("Document %s could not be generated this time", document_id, exc_info=True)
        document = _document_render_failed(document_id=document_id, exc=exc)
        if document.status == DocumentStatus.PENDING:
            raise
        return document
    except Exception as exc:
        logger.exception("Document %s could not be generated", document_id)
        return _document_render_failed(document_id=document_id, exc=exc, final=True)
    return document


def _document_render_failed(
    *, document_id: int, exc: BaseException, final: bool = False
) -> GeneratedDocument:
    """Back to pending for another try, or failed for good; recorded either way."""
    error = f"{type(exc).__name__}: {exc}"[:_ERROR_MAX]
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.RENDERING:
            return document
        if final or document.attempts >= DOCUMENT_MAX_ATTEMPTS:
            document.mark_failed(error=error)
            action = "document.failed"
        else:
            document.mark_retrying(error=error)
            action = "document.retrying"
        document.save(update_fields=["status", "error", "updated_at"])
        audit_record(
            actor=None,
            action=action,
            target=document,
            data={"kind": document.kind, "attempts": document.attempts, "error": error[:300]},
        )
    return document


def document_fail(*, document_id: int, error: str) -> GeneratedDocument:
    """Mark a pending or rendering document failed with ``error`` and record it."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status in (DocumentStatus.PENDING, DocumentStatus.RENDERING):
            document.mark_failed(error=error[:_ERROR_MAX])
            document.save(update_fields=["status", "error", "updated_at"])
            audit_record(
                actor=None,
                action="document.failed",
                target=document,
                data={"kind": document.kind, "attempts": document.attempts, "error": error[:300]},
            )
    return document


def document_requeue_stale(*, pending_for: timedelta | None = None) -> int:
    """Enqueue again the documents no worker has taken; return how many were enqueued.

    A document pending for longer than ``pending_for`` was probably requested
    while the broker was down; one rendering for longer than the hard time
    limit lost its worker. Each is enqueued at most once per ``pending_for``
    (its ``updated_at`` is moved on), so a slow queue is not flooded.
    """
    if pending_for is None:
        pending_for = timedelta(minutes=settings.DOCUMENT_REQUEUE_AFTER_MINUTES)
    now = timezone.now()
    abandoned_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stale = GeneratedDocument.objects.filter(
        Q(status=DocumentStatus.PENDING, updated_at__lt=now - pending_for)
        | Q(status=DocumentStatus.RENDERING, updated_at__lt=abandoned_before)
    )
    worn_out = stale.filter(status=DocumentStatus.RENDERING, attempts__gte=DOCUMENT_MAX_ATTEMPTS)
    for document_id in list(worn_out.values_list("pk", flat=True)):
        document_fail(
            document_id=document_id,
            error=f"Generating the document stopped {DOCUMENT_MAX_ATTEMPTS} times "
            "without finishing.",
        )
    ids = list(stale.values_list("pk", flat=True))
    enqueued = 0
    for document_id in ids:
        if not document_enqueue(document_id=document_id):
            break  # the broker is still down: try again at the next sweep
        GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.PENDING).update(
            updated_at=now
        )
        enqueued += 1
    return enqueued


RETRY_REFUSED = {
    DocumentStatus.PENDING: "This document is already waiting to be generated.",
    DocumentStatus.RENDERING: "This document is being generated now.",
    DocumentStatus.READY: "This document is ready: there is nothing to generate again.",
}


def document_retry(*, actor: User, document: GeneratedDocument) -> GeneratedDocument:
    """Generate again a document that failed, from the context frozen when it was requested:
    it goes back to pending with its attempts reset and is enqueued after commit.

    For whoever may request a document of its kind about its target. Refused unless it failed,
    and while another document of the same kind about the same target is on its way.
    """
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        kind = document_kind_get(document.kind)
        if not kind.may_request(actor, document.target):
            raise PermissionRefused("You do not have permission to generate this document again.")
        if document.status != DocumentStatus.FAILED:
            raise ApplicationError(RETRY_REFUSED[document.status])
        in_flight = GeneratedDocument.objects.filter(
            kind=document.kind,
            content_type_id=document.content_type_id,
            object_id=document.object_id,
            status__in=[DocumentStatus.PENDING, DocumentStatus.RENDERING],
        )
        if in_flight.exists():
            raise ApplicationError(
                "A newer copy of this document is already being generated: wait for it."
            )
        # Failed is final for the worker; only this service brings a document back, so the
        # status is moved with a conditional UPDATE, like the worker's claim.
        GeneratedDocument.objects.filter(pk=document.pk, status=DocumentStatus.FAILED).update(
            status=DocumentStatus.PENDING, attempts=0, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="document.retried",
            target=document,
            data={
                "kind": document.kind,
                "attempts": document.attempts,
                "error": document.error[:300],
            },
        )
        document_id = document.pk
        transaction.on_commit(lambda: document_enqueue(document_id=document_id))
    document.refresh_from_db()
    return document
