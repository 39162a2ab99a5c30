"""Reads about what a procurement published: versions, notices and the ITT of each version.

What these return is public once the procurement has been published; the pages
that show them decide who may see the procurement (the officer page) or whether
it was published at all (the public routes).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast

from core.models import DocumentStatus, GeneratedDocument

from .models import Notice, Procurement, PublicationVersion

ITT_KIND = "itt"


def publication_versions(procurement: Procurement) -> QuerySet[PublicationVersion]:
    """The procurement's versions, latest first, with who made each."""
    return (
        PublicationVersion.objects.filter(procurement=procurement)
        .select_related("created_by")
        .order_by("-number")
    )


def itt_documents(procurement: Procurement) -> QuerySet[GeneratedDocument]:
    """Every ITT document of every version of the procurement, in one query: the latest
    version's first, newest first within a version. Each carries ``version_number``."""
    versions = PublicationVersion.objects.filter(procurement=procurement).annotate(
        pk_text=Cast("pk", CharField())
    )
    return (
        GeneratedDocument.objects.filter(
            kind=ITT_KIND,
            content_type=ContentType.objects.get_for_model(PublicationVersion),
            object_id__in=versions.values("pk_text"),
        )
        .annotate(
            version_number=Subquery(
                versions.filter(pk_text=OuterRef("object_id")).values("number")[:1]
            )
        )
        .order_by("-version_number", "-created_at", "-pk")
    )


def itt_latest_ready(procurement: Procurement) -> GeneratedDocument | None:
    """The ITT to give people: the latest ready one of the latest version, else of the most
    recent version that has one (while a new version's ITT is being generated)."""
    return itt_documents(procurement).filter(status=DocumentStatus.READY).first()


def publication_versions_with_itt(procurement: Procurement) -> list[PublicationVersion]:
    """The versions, latest first, each with ``itt``: its latest ITT document or None
    (two queries)."""
    latest: dict[str, GeneratedDocument] = {}
    for document in itt_documents(procurement):
        latest.setdefault(document.object_id, document)
    versions = list(publication_versions(procurement))
    for version in versions:
        version.itt = latest.get(str(version.pk))
    return versions


def procurement_notices(procurement: Procurement) -> QuerySet[Notice]:
    """The notices published for the procurement, oldest first."""
    return (
        Notice.objects.filter(procurement=procurement)
        .select_related("version")
        .order_by("published_at", "pk")
    )
