"""What the borough's stages pages share: the procurement loaded for a person who may see it
(404 for anyone who may not know it, 403 for the borough's people without the right) and the
caption above each page's heading."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from procurements.views.common import procurement_for_view

from .permissions import can_see_stages


def procurement_caption(procurement) -> str:
    return f"{procurement.reference} {procurement.title}"


def borough_procurement(
    request, pk: int, *, refused: str, may: Callable[..., bool] = can_see_stages
):
    """The procurement, if ``may(user, procurement)``; else 403 with ``refused``."""
    procurement = procurement_for_view(request, pk)
    if not may(request.user, procurement):
        raise PermissionDenied(refused)
    return procurement
