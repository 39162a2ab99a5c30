"""Loading a procurement for a page, with the permission checks every builder page needs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from procurements.models import Procurement
from procurements.permissions import can_edit_procurement, can_view_procurement


def procurement_for_view(request, pk: int) -> Procurement:
    """The procurement, or 404 when it does not exist or the user may not know it does."""
    procurement = Procurement.objects.select_related("borough").filter(pk=pk).first()
    if procurement is None or not can_view_procurement(request.user, procurement):
        raise Http404("No such procurement")
    return procurement


def procurement_for_edit(request, pk: int) -> Procurement:
    """As ``procurement_for_view``, then 403 unless the user may change it now."""
    procurement = procurement_for_view(request, pk)
    if not can_edit_procurement(request.user, procurement):
        raise PermissionDenied("Only the borough's procurement officers can change a draft.")
    return procurement
