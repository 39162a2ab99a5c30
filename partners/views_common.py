"""What the partners' pages share when they call a service for a POST: a permission refusal
becomes 403, any other refusal's message is shown to the person, and nothing else changes."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from core.exceptions import ApplicationError, PermissionRefused


def refusal_of(call: Callable[[], object]) -> str:
    """Run ``call``; "" when it is done, the message of its refusal otherwise (403 when the
    refusal is about permission)."""
    try:
        call()
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except ApplicationError as refusal:
        return refusal.message
    return ""


def perform(request, call: Callable[[], object], *, success: str) -> bool:
    """Run ``call`` and tell the person: ``success`` when done, the refusal as an error
    otherwise. True when it was done."""
    refusal = refusal_of(call)
    if refusal:
        messages.error(request, refusal)
        return False
    messages.success(request, success)
    return True
