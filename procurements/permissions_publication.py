"""Who may do what with what a procurement published: its versions, notices and ITT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.models import OfficerRole
from core.permissions import has_role

from .models import UNPUBLISHED, MarketEngagement, NoticeKind

if TYPE_CHECKING:
    from core.models import GeneratedDocument, User

    from .models import Notice, Procurement, PublicationVersion


def was_published(procurement: Procurement) -> bool:
    """Published at some point, whatever has happened since (closed, cancelled, ...)."""
    return procurement.published_at is not None


def can_create_publication_version(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, once the procurement is published (or has moved on
    from publication): publishing makes version 1, each amendment the next."""
    return procurement.status not in UNPUBLISHED and has_role(
        user, procurement.borough, OfficerRole.OFFICER
    )


def can_request_itt(user: User, version: PublicationVersion) -> bool:
    """The same people, for a version of such a procurement."""
    return can_create_publication_version(user, version.procurement)


def can_read_itt(user: User, document: GeneratedDocument) -> bool:
    """Anyone, signed in or not: the ITT of a published procurement is public. Nobody when the
    procurement was never published."""
    version = document.target
    return version is not None and was_published(version.procurement)


def can_retry_itt(user: User, procurement: Procurement) -> bool:
    """Procurement officers of the borough, once the procurement has been published."""
    return was_published(procurement) and has_role(user, procurement.borough, OfficerRole.OFFICER)


def notice_is_public(notice: Notice) -> bool:
    """Anyone may read a notice of a procurement that was published, and the market
    engagement notice of an engagement that was published before the call."""
    procurement = notice.procurement
    if was_published(procurement):
        return True
    return (
        notice.kind == NoticeKind.UK2
        and MarketEngagement.objects.filter(
            procurement=procurement, published_at__isnull=False
        ).exists()
    )
