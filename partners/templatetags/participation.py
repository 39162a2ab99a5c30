"""The "Request to participate" part of a public opportunity's page.

The opportunity page belongs to ``procurements``, which knows nothing of requests: its
template loads this tag, which asks the partners app what the signed-in supplier may do.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from ..permissions import can_start_request
from ..selectors_requests import request_for_procurement

register = template.Library()


@register.inclusion_tag("partners/requests/_opportunity_panel.html", takes_context=True)
def request_to_participate(context, procurement) -> dict:
    """A link to the organisation's request for ``procurement`` if it has one; else, while
    participation is open and to a verified supplier, the button that starts one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    existing = request_for_procurement(user=user, procurement=procurement)
    if existing is not None:
        return {
            "existing": existing,
            "url": reverse("requests:detail", kwargs={"pk": existing.pk}),
        }
    if can_start_request(user, procurement, now=timezone.now()):
        return {
            "start_url": reverse("requests:start", kwargs={"procurement_pk": procurement.pk}),
            "csrf_token": context.get("csrf_token"),
        }
    return {}
