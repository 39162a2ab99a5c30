"""The invitation to tender (ITT) as a generated document: one per publication version.

Registered from ``ProcurementsConfig.ready()``. The context is the version's
frozen content, so the ITT of a version reads the same whatever changes later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.calendar import london_date
from core.documents import DocumentKind, register_document_kind

from .permissions_publication import can_read_itt, can_request_itt
from .sections import uk_date_text
from .selectors_publication import ITT_KIND

if TYPE_CHECKING:
    from core.models import User

    from .models import PublicationVersion


def itt_title(version: PublicationVersion) -> str:
    procurement = version.procurement
    return (
        f"Invitation to tender: {procurement.reference} {procurement.title}, "
        f"version {version.number}"
    )


def itt_context(
    *, target: PublicationVersion, actor: User, extra: dict | None = None
) -> dict[str, Any]:
    procurement = target.procurement
    first_published = procurement.published_at
    return {
        **target.content,
        "version_number": target.number,
        "version_reason": target.reason,
        "published_date": uk_date_text(london_date(target.created_at)),
        "first_published_date": uk_date_text(london_date(first_published))
        if first_published
        else "",
        **(extra or {}),
    }


ITT = register_document_kind(
    DocumentKind(
        name=ITT_KIND,
        template="procurements/documents/itt.html",
        title=itt_title,
        build_context=itt_context,
        may_request=can_request_itt,
        may_read=can_read_itt,
        description="The invitation to tender of one publication version: everything the "
        "procurement announces, frozen when the version was published.",
    )
)
