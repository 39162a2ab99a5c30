"""Amendments and cancellation on the task list and the amendments page."""

from django import template

from procurements.models import Procurement
from procurements.permissions_amendments import can_amend_procurement, can_cancel_procurement
from procurements.permissions_publication import was_published
from procurements.sections import uk_datetime_text

register = template.Library()


@register.simple_tag
def amendment_links(procurement: Procurement, user) -> dict:
    """Which of amend, see the amendments and cancel the task list offers ``user``.

    ``{% amendment_links procurement request.user as links %}``; the permission
    predicates decide, so the page offers only what the services allow.
    """
    return {
        "may_amend": can_amend_procurement(user, procurement),
        "may_cancel": can_cancel_procurement(user, procurement),
        "was_published": was_published(procurement),
    }


@register.filter
def uk_datetime(value) -> str:
    """A moment in UK time, like "27 March 2026 at 5:30pm"."""
    return uk_datetime_text(value)
