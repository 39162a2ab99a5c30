"""What many procurement pages share: loading a procurement with the permission checks every
builder page needs, the public opportunity behind a supplier's page, and small page helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from procurements.models import UNPUBLISHED, Procurement, SectionStatus
from procurements.permissions import can_edit_procurement, can_view_procurement
from procurements.permissions_amendments import can_edit_section
from procurements.permissions_market import engagement_of
from procurements.selectors_public import opportunity_get
from procurements.services.closing import procurement_close_if_due
from procurements.services.publication import event_when_text


def procurement_for_view(request, pk: int) -> Procurement:
    """The procurement, or 404 when it does not exist or the user may not know it does."""
    procurement = Procurement.objects.select_related("borough").filter(pk=pk).first()
    if procurement is None or not can_view_procurement(request.user, procurement):
        raise Http404("No such procurement")
    # If the scheduled task is late, the first officer visit after the deadline closes the call.
    return procurement_close_if_due(procurement)


def procurement_for_edit(request, pk: int, *, section: str = "") -> Procurement:
    """As ``procurement_for_view``, then 403 unless the user may change it (or its builder
    ``section``, which an amendment being prepared may open after publication) now."""
    procurement = procurement_for_view(request, pk)
    if section:
        if not can_edit_section(request.user, procurement, section):
            raise PermissionDenied(
                "Only the borough's procurement officers can change this part of a "
                "procurement, while it is a draft or while they prepare an amendment."
            )
    elif not can_edit_procurement(request.user, procurement):
        raise PermissionDenied("Only the borough's procurement officers can change a draft.")
    return procurement


def public_procurement_or_404(pk: int) -> Procurement:
    """A procurement the public may know of (see ``selectors_public``), or 404."""
    procurement = opportunity_get(pk=pk)
    if procurement is None:
        raise Http404("No such opportunity")
    return procurement


def public_caption(procurement: Procurement) -> str:
    """How the public knows the opportunity: before the call only by its engagement notice
    (nothing of the draft is public), then by its reference and title."""
    if procurement.status in UNPUBLISHED:
        engagement = engagement_of(procurement)
        return engagement.title if engagement is not None else ""
    return f"{procurement.reference} {procurement.title}"


def posted(request):
    """The submitted data on a POST, even an empty one (so the form says what is missing)."""
    return request.POST if request.method == "POST" else None


def completed_initial(procurement: Procurement, key: str) -> str | None:
    """The "Have you completed this section?" answer given last time, if any."""
    status = procurement.section_status.get(key)
    if status is None:
        return None
    return "yes" if status == SectionStatus.COMPLETED else "no"


def event_rows(events) -> list[dict]:
    """Market engagement events with when each takes place, in UK time."""
    return [
        {"event": event, "when": event_when_text(event.starts_at, event.ends_at)}
        for event in events
    ]
