"""The approval panel's facts for the task list and check-your-answers pages."""

from django import template

from procurements.models import Procurement
from procurements.permissions import (
    can_publish_procurement,
    can_review_procurement,
    can_submit_for_approval,
)

register = template.Library()


@register.simple_tag
def approval_panel(procurement: Procurement, user) -> dict:
    """What the panel shows ``user``: the latest review and the buttons they may use.

    ``{% approval_panel procurement request.user as panel %}``. The permission
    predicates decide each button, so the page offers only what the services allow.
    """
    may_publish = can_publish_procurement(user, procurement)
    return {
        "latest_review": procurement.reviews.select_related("reviewer").first(),
        "may_submit": can_submit_for_approval(user, procurement),
        "may_review": can_review_procurement(user, procurement),
        "may_publish": may_publish,
        # The lead officer of an approved procurement may also take it back to a draft.
        "may_reopen": may_publish,
    }
