"""Celery tasks for procurements: thin wrappers that call a service."""

from celery import shared_task

from procurements.services.closing import participation_close_due


@shared_task
def participation_close_due_task() -> int:
    """Move every procurement whose participation deadline has passed to selection."""
    return len(participation_close_due())
