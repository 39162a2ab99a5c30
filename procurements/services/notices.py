"""Notices the portal composes (UK2, UK4 or the PCR contract notice, UK12, ...).

Every notice has the same shape, so one template shows any of them and the
content stays as it was published whatever changes later::

    {
        "title": "UK4 tender notice: Falls prevention at home",
        "sections": [
            {"heading": "Contracting authority",
             "fields": [{"label": "Name", "lines": ["London Borough of Camden"]}, ...]},
            ...
        ],
    }

A field's ``lines`` is a list of strings: one line is shown as text, several as
a list, none as "Not given". Whoever composes a kind of
notice builds this content; ``notice_publish`` checks its shape, stores it and
records the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from core.audit import audit_record
from core.calendar import london_date
from procurements.models import Notice, NoticeKind
from procurements.sections import uk_date_text

if TYPE_CHECKING:
    from core.models import User
    from procurements.models import Procurement, PublicationVersion


def notice_field(label: str, value: Any) -> dict[str, Any]:
    """One labelled value: a list or tuple gives one line per item, empty values none."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return {"label": label, "lines": [str(item) for item in items if item not in (None, "")]}


def notice_section(heading: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"heading": heading, "fields": fields}


def authority_section(procurement: Procurement) -> dict[str, Any]:
    """The contracting authority, as every notice opens."""
    borough = procurement.borough
    return notice_section(
        "Contracting authority",
        [notice_field("Name", borough.name), notice_field("Identifier", borough.identifier)],
    )


def procurement_section(
    procurement: Procurement, *more: dict[str, Any], published: bool = True
) -> dict[str, Any]:
    """ "The procurement" as a later notice names it: title, reference, the law followed and
    (``published``) the day its tender notice was published, then ``more`` fields."""
    fields = [
        notice_field("Title", procurement.title),
        notice_field("Reference", procurement.reference),
        notice_field("Procedure", procurement.get_regime_display()),
    ]
    if published:
        published_on = london_date(procurement.published_at) if procurement.published_at else None
        fields.append(notice_field("Tender notice published", uk_date_text(published_on)))
    return notice_section("The procurement", [*fields, *more])


def _check_content(content: dict[str, Any]) -> None:
    title = content.get("title")
    sections = content.get("sections")
    if not isinstance(title, str) or not title.strip() or not isinstance(sections, list):
        raise ValidationError("A notice needs a title and a list of sections.")
    for section in sections:
        fields = section.get("fields")
        if not isinstance(section.get("heading"), str) or not isinstance(fields, list):
            raise ValidationError("Each section of a notice needs a heading and fields.")
        for item in fields:
            lines = item.get("lines")
            if not isinstance(item.get("label"), str) or not isinstance(lines, list):
                raise ValidationError("Each field of a notice needs a label and lines of text.")
            if not all(isinstance(line, str) for line in lines):
                raise ValidationError("Each line of a notice field must be text.")


def notice_publish(
    *,
    procurement: Procurement,
    kind: str,
    content: dict[str, Any],
    actor: User,
    version: PublicationVersion | None = None,
) -> Notice:
    """Store a composed notice as published now and record it. Call inside the transaction
    of the decision that makes the notice (publication, cancellation, ...)."""
    if kind not in NoticeKind.values:
        raise ValidationError(f"The portal does not compose notices of kind {kind!r}.")
    _check_content(content)
    notice = Notice(
        procurement=procurement, kind=kind, version=version, content=content, created_by=actor
    )
    notice.full_clean()
    notice.save()
    audit_record(
        actor=actor,
        action="procurement.notice_published",
        target=procurement,
        data={
            "notice_id": notice.pk,
            "kind": kind,
            "title": content["title"],
            "version": version.number if version is not None else None,
        },
    )
    return notice
