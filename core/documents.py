"""Document kinds and PDF rendering.

A *kind* says how one sort of generated document is made and who may have it:
its template, its title, how its context is frozen from the target when it is
requested, who may request it and who may read it. ``core`` ships the
``audit_extract`` kind; other apps register theirs from ``AppConfig.ready()``::

    from core.documents import DocumentKind, register_document_kind

    register_document_kind(
        DocumentKind(
            name="itt",
            template="procurements/documents/itt.html",
            title=lambda target: f"Invitation to tender: {target}",
            build_context=itt_context,            # (*, target, actor, extra) -> dict
            may_request=can_edit_procurement,     # (user, target) -> bool
            may_read=can_read_itt,                # (user, document) -> bool
        )
    )

The context must be plain JSON (it is stored on the document, so rendering
again later gives the same document whatever has changed since). Templates are
complete HTML documents with ``<html lang="...">`` and a ``<title>``: PDF/UA
needs both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model, Q
from django.template.loader import render_to_string

from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from core.models import GeneratedDocument, User

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document is made and who may have it.

    ``build_context(*, target, actor, extra)`` runs when the document is
    requested and returns a JSON-able dict (the frozen context).
    ``may_request(user, target)`` guards ``document_request``;
    ``may_read(user, document)`` guards the status page and the download.
    """

    name: str
    template: str
    title: Callable[[Any], str]
    build_context: Callable[..., dict]
    may_request: Callable[[Any, Any], bool]
    may_read: Callable[[Any, GeneratedDocument], bool]
    description: str = ""


class UnknownDocumentKind(ApplicationError):
    pass


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: DocumentKind) -> DocumentKind:
    """Make ``kind`` available to ``document_request``; registering a name twice is an error."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"A document kind called {kind.name!r} is already registered.")
    _KINDS[kind.name] = kind
    return kind


def unregister_document_kind(name: str) -> None:
    """Forget a kind (tests register throwaway kinds and remove them again)."""
    _KINDS.pop(name, None)


def document_kind_get(name: str) -> DocumentKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownDocumentKind(
            f"The portal does not know how to generate a document of kind {name!r}."
        ) from None


def document_kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)


# --- rendering -----------------------------------------------------------


def _local_only_url_fetcher(url: str, *args, **kwargs):
    """Fetch nothing from the network: a document is made from its context and local files."""
    from weasyprint.urls import default_url_fetcher

    if not url.startswith(("file:", "data:")):
        raise ValueError(f"Documents may not fetch {url!r}")
    return default_url_fetcher(url, *args, **kwargs)


def render_html(*, template: str, context: dict) -> str:
    return render_to_string(template, context)


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render ``template`` with ``context`` to a tagged PDF (PDF/UA-1).

    The template must set ``<html lang>`` and ``<title>``; WeasyPrint turns
    the HTML structure (headings, tables, lists) into the PDF's structure tree.
    """
    from weasyprint import HTML  # imported here: pango loads slowly, web pages do not need it

    html = render_html(template=template, context=context)
    document = HTML(
        string=html,
        base_url=str(settings.BASE_DIR),
        url_fetcher=_local_only_url_fetcher,
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")


# --- the audit extract ---------------------------------------------------

AUDIT_EXTRACT_MAX_EVENTS = 5000


def _borough_of(target: Model | None):
    from core.models import Borough

    if isinstance(target, Borough):
        return target
    return getattr(target, "borough", None)


def can_have_audit_extract(user: User, target: Model | None) -> bool:
    """Superusers, and the borough administrators of the borough the target belongs to.

    The borough is the target itself when it is a ``Borough``, else the
    target's ``borough`` attribute; a target with no borough is for
    superusers only.
    """
    from core.permissions import is_borough_admin

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    borough = _borough_of(target)
    return borough is not None and is_borough_admin(user, borough)


def _may_read_audit_extract(user: User, document: GeneratedDocument) -> bool:
    return can_have_audit_extract(user, document.target)


def _target_key(obj: Model) -> tuple[str, str]:
    return f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk)


def _audit_events_for(target: Model):
    """Events about ``target``; for a borough also those about its people in that borough.

    A person may hold roles in several boroughs: what concerns another
    borough (an event whose data names another ``borough_id``) stays out of
    this borough's extract. Of what its people did themselves, only their
    sign-in events are included; their work appears through its targets.
    """
    from core.models import AuditEvent, Borough, OfficerMembership

    target_type, target_id = _target_key(target)
    about = Q(target_type=target_type, target_id=target_id)
    if isinstance(target, Borough):
        memberships = OfficerMembership.objects.filter(borough=target)
        user_ids = list(memberships.values_list("user_id", flat=True).distinct())
        membership_ids = [str(pk) for pk in memberships.values_list("pk", flat=True)]
        this_borough = Q(data__borough_id=target.pk) | ~Q(data__has_key="borough_id")
        about |= Q(target_type="core.user", target_id__in=[str(pk) for pk in user_ids]) & (
            this_borough
        )
        about |= Q(target_type="core.officermembership", target_id__in=membership_ids)
        about |= Q(actor_id__in=user_ids, action__startswith="auth.")
    return AuditEvent.objects.filter(about).order_by("id")


def _summarise(data: dict, limit: int = 300) -> str:
    text = "; ".join(f"{key}: {value}" for key, value in sorted(data.items()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_extract_context(*, target: Model, actor: User, extra: dict | None = None) -> dict:
    from django.utils import timezone

    events = list(_audit_events_for(target)[: AUDIT_EXTRACT_MAX_EVENTS + 1])
    truncated = len(events) > AUDIT_EXTRACT_MAX_EVENTS
    rows = [
        {
            "id": event.pk,
            "when": event.created_at.astimezone(LONDON).strftime("%d %b %Y %H:%M:%S"),
            "actor": event.actor_label or "system",
            "action": event.action,
            "target": event.target_label,
            "summary": _summarise(event.data),
            "prev_hash": event.prev_hash,
            "hash": event.hash,
        }
        for event in events[:AUDIT_EXTRACT_MAX_EVENTS]
    ]
    return {
        "subject": str(target),
        "subject_type": target._meta.verbose_name,
        "requested_by": actor.get_username(),
        "requested_at": timezone.now().astimezone(LONDON).strftime("%d %B %Y at %H:%M %Z"),
        "events": rows,
        "truncated": truncated,
        "max_events": AUDIT_EXTRACT_MAX_EVENTS,
        **(extra or {}),
    }


AUDIT_EXTRACT = register_document_kind(
    DocumentKind(
        name="audit_extract",
        template="core/documents/audit_extract.html",
        title=lambda target: f"Audit extract: {target}",
        build_context=audit_extract_context,
        may_request=can_have_audit_extract,
        may_read=_may_read_audit_extract,
        description="The audit trail of a record, or of a borough and its people, "
        "with the hash chain that proves it has not been changed.",
    )
)
