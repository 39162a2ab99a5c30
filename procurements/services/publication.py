"""What publication freezes and announces: numbered versions, the notices and the ITT.

Publishing (``procurement_publish``) calls ``publication_record`` inside its
transaction: version 1 of everything the builder sections announce, the market
engagement notice if the borough's engagement was published and has none yet,
the tender notice of the regime (UK4 under PA 2023, the contract notice under
PCR 2015), and the request for version 1's ITT. A worker renders the ITT after
commit; if that fails the procurement stays published and a procurement officer
of the borough asks for it again (``itt_retry``). Each amendment freezes a new
version the same way (``publication_version_create``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.calendar import LONDON, london_date
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url
from core.models import DocumentStatus
from core.services.documents import document_request
from procurements.models import (
    MarketEngagement,
    Notice,
    NoticeKind,
    Procurement,
    PublicationVersion,
    Regime,
)
from procurements.permissions_publication import (
    can_create_publication_version,
    can_retry_itt,
    was_published,
)
from procurements.registry import builder_sections
from procurements.rules import regime_rules
from procurements.sections import pounds_text, uk_date_text, uk_datetime_text, uk_time_text
from procurements.selectors import procurement_prefetch_sections
from procurements.selectors_publication import ITT_KIND, itt_documents, publication_versions
from procurements.services.notices import (
    authority_section,
    notice_field,
    notice_publish,
    notice_section,
)
from procurements.services.sections import procurement_lock

if TYPE_CHECKING:
    from datetime import datetime

    from core.models import GeneratedDocument, User

FIRST_VERSION_REASON = "First publication of the call."
# A section that announces content but has no fragment of its own is shown as a table.
GENERIC_ITT_FRAGMENT = "procurements/itt/generic.html"

TENDER_NOTICE_KINDS = {
    Regime.PA2023: NoticeKind.UK4,
    Regime.PCR2015: NoticeKind.PCR_CONTRACT_NOTICE,
}
# PA 2023 has no named innovation partnership procedure: it is run as a competitive
# flexible procedure (s.20); PCR 2015 names it (reg. 31).
PROCEDURE_TEXT = {
    Regime.PA2023: "Competitive flexible procedure (Procurement Act 2023 section 20), "
    "run as an innovation partnership",
    Regime.PCR2015: "Innovation partnership procedure "
    "(Public Contracts Regulations 2015 regulation 31)",
}


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def opportunity_url(procurement: Procurement) -> str:
    """The public page of the opportunity, where the documents are and questions are asked."""
    return absolute_url(reverse("opportunities:detail", kwargs={"pk": procurement.pk}))


# --- the frozen content ------------------------------------------------------------------------


def publication_content(procurement: Procurement) -> dict[str, Any]:
    """Everything announced, as plain JSON, section by section in task-list order.

    Each announced builder section gives ``{"key", "title", "itt_template", "content"}``;
    sections that announce nothing (the team) are left out.
    """
    procurement_prefetch_sections(procurement)
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "itt_template": section.itt_template or GENERIC_ITT_FRAGMENT,
            "content": section.announce(procurement),
        }
        for section in builder_sections()
        if section.announce is not None
    ]
    content = {
        "reference": procurement.reference,
        "title": procurement.title,
        "borough": procurement.borough.name,
        "regime": procurement.regime,
        "regime_label": procurement.get_regime_display(),
        "procedure": PROCEDURE_TEXT.get(procurement.regime, procurement.get_regime_display()),
        "question_deadline": uk_datetime_text(procurement.question_deadline),
        "participation_deadline": uk_datetime_text(procurement.participation_deadline),
        "opportunity_url": opportunity_url(procurement),
        "sections": sections,
    }
    # Fail here, not in the worker, if a section announced something JSON cannot hold.
    json.dumps(content)
    return content


def _lock(procurement: Procurement) -> None:
    Procurement.objects.select_for_update().filter(pk=procurement.pk).values_list("pk").get()


@transaction.atomic
def publication_version_create(
    *, procurement: Procurement, actor: User, reason: str
) -> PublicationVersion:
    """Freeze the next numbered version of everything announced and ask for its ITT.

    Reads ``procurement`` as the caller holds it (publication or an amendment has just
    changed it); the ITT is rendered by a worker once the transaction commits.
    """
    _lock(procurement)
    if not can_create_publication_version(actor, procurement):
        if not was_published(procurement):
            raise ApplicationError(
                "This procurement has not been published: publish it before its documents "
                "can have a new version."
            )
        raise PermissionRefused(
            "Only the borough's procurement officers can publish a new version of the documents."
        )
    latest = PublicationVersion.objects.filter(procurement=procurement).aggregate(Max("number"))
    version = PublicationVersion(
        procurement=procurement,
        number=(latest["number__max"] or 0) + 1,
        content=publication_content(procurement),
        reason=(reason or "").strip(),
        created_by=actor,
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action="procurement.version_created",
        target=procurement,
        data={
            "version_id": version.pk,
            "number": version.number,
            "reason": version.reason,
            "sections": [section["key"] for section in version.content["sections"]],
        },
    )
    document_request(kind=ITT_KIND, target=version, actor=actor)
    return version


# --- notices -----------------------------------------------------------------------------------


def event_when_text(starts_at: datetime, ends_at: datetime | None = None) -> str:
    """When an event happens, in UK time, as every page and notice shows it.

    "7 December 2026 at 10am" with no end; "7 December 2026, 10am to 12:30pm" when it
    ends the same day in London; "7 December 2026 at 10am to 8 December 2026 at 4pm"
    when it ends another day.
    """
    if ends_at is None:
        return uk_datetime_text(starts_at)
    starts = timezone.localtime(starts_at, LONDON)
    ends = timezone.localtime(ends_at, LONDON)
    if starts.date() == ends.date():
        return f"{uk_date_text(starts.date())}, {uk_time_text(starts)} to {uk_time_text(ends)}"
    return f"{uk_datetime_text(starts_at)} to {uk_datetime_text(ends_at)}"


def market_engagement_notice_content(engagement: MarketEngagement) -> dict[str, Any]:
    """The preliminary market engagement notice (UK2 under PA 2023 s.17) of ``engagement``.

    Only what the engagement says is published: nothing of the draft procurement behind it.
    """
    procurement = engagement.procurement
    rules = regime_rules(procurement.regime)
    events = [
        notice_field(
            event.title,
            [
                event_when_text(event.starts_at, event.ends_at),
                f"Place: {event.place}" if event.place else "",
                f"Online: {event.online_url}" if event.online_url else "",
                event.description,
            ],
        )
        for event in engagement.events.all()
    ]
    return {
        "title": f"{_sentence_start(rules.market_engagement_notice)}: {engagement.title}",
        "sections": [
            authority_section(procurement),
            notice_section(
                "The engagement",
                [
                    notice_field("Title", engagement.title),
                    notice_field("What the borough wants to learn", engagement.summary),
                    notice_field("Law followed", procurement.get_regime_display()),
                ],
            ),
            notice_section(
                "Engagement events",
                events or [notice_field("Events", "No events have been arranged yet.")],
            ),
            notice_section("Contact", [notice_field("E-mail", engagement.contact_email)]),
        ],
    }


def tender_notice_kind(procurement: Procurement) -> str:
    """UK4 under PA 2023, the contract notice under PCR 2015."""
    return TENDER_NOTICE_KINDS[procurement.regime]


def _announced(version: PublicationVersion, key: str) -> dict[str, Any]:
    for section in version.content.get("sections", []):
        if section["key"] == key:
            return section["content"]
    return {}


def _engagement_fields(
    procurement: Procurement, engagement_notice: Notice | None
) -> list[dict[str, Any]]:
    """PA 2023 s.17: whether preliminary market engagement was carried out; where no
    engagement notice was published, the tender notice gives the reasons."""
    if engagement_notice is not None:
        published = uk_date_text(london_date(engagement_notice.published_at))
        return [
            notice_field("Carried out", "Yes"),
            notice_field("Notice", f"{engagement_notice.content['title']}, published {published}"),
        ]
    if procurement.market_engagement_evidence.strip():
        return [
            notice_field("Carried out", "Yes, without a preliminary market engagement notice"),
            notice_field("Reasons and what was done", procurement.market_engagement_evidence),
        ]
    return [notice_field("Carried out", "No")]


def tender_notice_content(
    *,
    procurement: Procurement,
    version: PublicationVersion,
    engagement_notice: Notice | None = None,
) -> dict[str, Any]:
    """The tender notice that starts the procedure (UK4 under PA 2023; the contract notice
    under PCR 2015 reg. 49), from the frozen version and the procurement."""
    rules = regime_rules(procurement.regime)
    content = version.content
    challenge = _announced(version, "challenge")
    timetable = _announced(version, "timetable")
    criteria = _announced(version, "award-criteria")
    weights = [
        f"{criterion['kind']}: {criterion['name']}, {criterion['weight']}"
        for criterion in criteria.get("criteria", [])
    ]
    return {
        "title": f"{_sentence_start(rules.tender_notice)}: {procurement.title}",
        "sections": [
            authority_section(procurement),
            notice_section(
                "The procurement",
                [
                    notice_field("Title", procurement.title),
                    notice_field("Reference", procurement.reference),
                    notice_field("Description of the challenge", challenge.get("problem")),
                    notice_field("Outcomes wanted", challenge.get("outcomes")),
                    notice_field("CPV codes", challenge.get("cpv_codes", [])),
                    notice_field("Sector", challenge.get("sector")),
                    notice_field(
                        "Estimated value, excluding VAT",
                        pounds_text(procurement.estimated_value),
                    ),
                    notice_field("Lots", "None: the procurement is not divided into lots"),
                ],
            ),
            notice_section(
                "Procedure",
                [
                    notice_field("Procedure", content.get("procedure")),
                    notice_field("Law followed", content.get("regime_label")),
                    notice_field("Maximum number of partners", timetable.get("max_partners")),
                    notice_field(
                        "Number of suppliers to be invited to tender",
                        timetable.get("number_to_invite"),
                    ),
                ],
            ),
            notice_section(
                "Award",
                [
                    notice_field("Award basis", criteria.get("award_basis")),
                    notice_field("Award criteria and weights", weights),
                ],
            ),
            notice_section(
                "Timetable (UK time)",
                [
                    notice_field("Date of this notice", uk_date_text(london_date(timezone.now()))),
                    notice_field(
                        "Deadline for clarification questions", timetable.get("question_deadline")
                    ),
                    notice_field(
                        "Deadline for requests to participate",
                        timetable.get("participation_deadline"),
                    ),
                    notice_field(
                        "Indicative date of the invitation to tender",
                        timetable.get("indicative_tender_date"),
                    ),
                    notice_field(
                        "Indicative start of the partnership",
                        timetable.get("indicative_start_date"),
                    ),
                    notice_field(
                        "Indicative dates of the phases",
                        [
                            f"{row['label']}: {row['dates']}"
                            for row in timetable.get("partnership_dates", [])
                        ],
                    ),
                ],
            ),
            notice_section(
                "Preliminary market engagement",
                _engagement_fields(procurement, engagement_notice),
            ),
            notice_section(
                "Procurement documents",
                [
                    notice_field("Where to find them", content.get("opportunity_url")),
                    notice_field("Version", f"Version {version.number}"),
                    notice_field(
                        "How to take part",
                        "Ask questions and request to participate through the portal, "
                        "from the address above.",
                    ),
                ],
            ),
        ],
    }


def engagement_notice_published(procurement: Procurement) -> Notice | None:
    """The market engagement notice already published for ``procurement``, if any."""
    return (
        Notice.objects.filter(procurement=procurement, kind=NoticeKind.UK2)
        .order_by("published_at", "pk")
        .first()
    )


def _engagement_notice(*, procurement: Procurement, actor: User) -> Notice | None:
    """The market engagement notice: the one already published, or one published now if the
    borough's engagement was published without one (before the tender notice)."""
    notice = engagement_notice_published(procurement)
    if notice is not None:
        return notice
    engagement = (
        MarketEngagement.objects.filter(procurement=procurement, published_at__isnull=False)
        .select_related("procurement__borough")
        .prefetch_related("events")
        .first()
    )
    if engagement is None:
        return None
    return notice_publish(
        procurement=procurement,
        kind=NoticeKind.UK2,
        content=market_engagement_notice_content(engagement),
        actor=actor,
    )


def publication_record(*, procurement: Procurement, actor: User) -> PublicationVersion:
    """Everything publishing announces, inside ``procurement_publish``'s transaction:
    version 1 (and the request for its ITT), the market engagement notice if due, then
    the tender notice of the regime."""
    version = publication_version_create(
        procurement=procurement, actor=actor, reason=FIRST_VERSION_REASON
    )
    engagement_notice = _engagement_notice(procurement=procurement, actor=actor)
    notice_publish(
        procurement=procurement,
        kind=tender_notice_kind(procurement),
        content=tender_notice_content(
            procurement=procurement, version=version, engagement_notice=engagement_notice
        ),
        actor=actor,
        version=version,
    )
    return version


# --- the ITT -----------------------------------------------------------------------------------

ITT_NOT_FAILED = {
    DocumentStatus.PENDING: "The ITT of version {number} is waiting to be generated: "
    "wait for it to finish.",
    DocumentStatus.RENDERING: "The ITT of version {number} is being generated: "
    "wait for it to finish.",
    DocumentStatus.READY: "The ITT of version {number} is ready: there is nothing to "
    "generate again.",
}


@transaction.atomic
def itt_retry(*, actor: User, procurement: Procurement) -> GeneratedDocument:
    """Ask again for the ITT of the latest version when generating it failed."""
    procurement = procurement_lock(procurement.pk)
    if not can_retry_itt(actor, procurement):
        if not was_published(procurement):
            raise ApplicationError("This procurement has not been published: it has no ITT.")
        raise PermissionRefused(
            "Only the borough's procurement officers can generate the ITT again."
        )
    version = publication_versions(procurement).first()
    if version is None:
        raise ApplicationError("This procurement has no published version to generate.")
    failed = itt_documents(procurement).filter(object_id=str(version.pk)).first()
    if failed is None or failed.status != DocumentStatus.FAILED:
        message = ITT_NOT_FAILED.get(
            failed.status if failed else None,
            "There is no failed ITT of version {number} to generate again.",
        )
        raise ApplicationError(message.format(number=version.number))
    document = document_request(kind=ITT_KIND, target=version, actor=actor)
    audit_record(
        actor=actor,
        action="procurement.itt_retried",
        target=procurement,
        data={
            "version": version.number,
            "failed_document_id": failed.pk,
            "document_id": document.pk,
            "error": failed.error[:300],
        },
    )
    return document
