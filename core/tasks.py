"""Celery tasks for core: thin wrappers that take ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from core.services.documents import (
    DOCUMENT_MAX_ATTEMPTS,
    TRANSIENT_ERRORS,
    document_render,
    document_requeue_stale,
)


@shared_task(
    autoretry_for=(*TRANSIENT_ERRORS, OperationalError),
    max_retries=DOCUMENT_MAX_ATTEMPTS - 1,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
)
def document_render_task(document_id: int) -> None:
    """Render one generated document; safe to run twice (the service claims the row)."""
    document_render(document_id=document_id)


@shared_task
def document_requeue_pending_task() -> int:
    """Enqueue again documents left pending (broker was down) or abandoned mid-render."""
    return document_requeue_stale()


@shared_task(
    # A mail server that is down or refuses for now: smtplib.SMTPException is an OSError.
    autoretry_for=(OSError,),
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
)
def supplier_invitation_send_task(invitation_id: int, base_url: str = "") -> bool:
    """Send one supplier invitation e-mail; safe to run twice (a sent one is not sent again)."""
    from core.services.accounts import supplier_invitation_send

    return supplier_invitation_send(invitation_id=invitation_id, base_url=base_url)
