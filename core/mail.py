"""E-mail the portal sends about decisions: rendered from templates, one message per person,
sent after the decision commits, and never able to undo it.

A template pair ``<name>_subject.txt`` / ``<name>_message.txt`` makes each e-mail; the
context always has ``PORTAL_NAME``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A path of the portal as a full address, for e-mails and documents."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def render_email(template: str, context: dict) -> tuple[str, str]:
    """``<template>_subject.txt`` on one line, and ``<template>_message.txt``."""
    context = {**context, "PORTAL_NAME": settings.PORTAL_NAME}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return subject, render_to_string(f"{template}_message.txt", context)


def send_each(*, subject: str, message: str, recipients: Iterable[str]) -> int:
    """Send one e-mail per address (nobody sees anyone else's); return how many went.

    The decision that caused it is committed whatever happens here: a mail server that is
    down must not turn the page into an error. The audit trail has the decision.
    """
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        return 0
    connection = get_connection()
    sent = 0
    try:
        connection.open()
    except OSError:
        logger.warning("Could not reach the mail server to send %r", subject, exc_info=True)
        return 0
    try:
        for to in recipients:
            try:
                sent += EmailMessage(subject, message, to=[to], connection=connection).send()
            except OSError:
                logger.warning("Could not send the e-mail %r to %s", subject, to, exc_info=True)
    finally:
        try:
            connection.close()
        except OSError:
            logger.warning("Could not close the mail connection", exc_info=True)
    return sent


def send_after_commit(*, template: str, context: dict, recipients: Iterable[str]) -> None:
    """Render now (the context is what it is now), send once the transaction commits:
    nothing is sent if it rolls back."""
    recipients = [to for to in recipients if to]
    if not recipients:
        return
    subject, message = render_email(template, context)
    transaction.on_commit(
        lambda: send_each(subject=subject, message=message, recipients=recipients)
    )
