"""Preliminary market engagement (PA 2023 s.16, the UK2 notice) and suppliers following an
opportunity.

Officers write the engagement notice, add or remove its events and publish it once,
as a UK2 preliminary market engagement notice, while the call itself is not yet
published. Verified supplier members follow an opportunity for their organisation;
everyone who follows is told, after commit, of events added later, of the call's
publication, of published answers, amendments and cancellation
(``interested_recipients``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import render_email, send_after_commit, send_each
from core.models import SupplierMembership, SupplierRole, User
from core.selectors.accounts import supplier_membership_get
from procurements.models import (
    UNPUBLISHED,
    EngagementEvent,
    InterestRegistration,
    MarketEngagement,
    NoticeKind,
    Procurement,
)
from procurements.permissions_market import (
    can_manage_engagement,
    is_open_to_interest,
    is_verified_supplier,
)
from procurements.sections import uk_datetime_text
from procurements.services.notices import notice_publish
from procurements.services.publication import market_engagement_notice_content, opportunity_url
from procurements.services.sections import procurement_lock

VERIFY_EMAIL_FIRST = (
    "Confirm your e-mail address first: use the link in the e-mail we sent you when you signed up."
)
SUPPLIERS_ONLY = "Only members of a supplier organisation can follow an opportunity."
ENGAGEMENT_PUBLISHED = (
    "The market engagement notice has been published and cannot be changed. You can still "
    "add events."
)


# --- who is told -------------------------------------------------------------------------------

# Apps above this one add organisations that take part in a procurement (for example those
# that started a request to participate) by registering a source from their AppConfig.ready():
# source(procurement) gives (organisation id, id of the person who started, or None) pairs.
InterestSource = Callable[[Procurement], Iterable[tuple[int, int | None]]]
_INTEREST_SOURCES: list[InterestSource] = []


def interest_source_register(source: InterestSource) -> InterestSource:
    if source not in _INTEREST_SOURCES:
        _INTEREST_SOURCES.append(source)
    return source


def interested_recipients(procurement: Procurement) -> list[str]:
    """The e-mail addresses of everyone to tell about ``procurement``: for every organisation
    that follows it (or takes part, by a registered source), the person who registered and
    the organisation's admins; each address once, sorted."""
    pairs: list[tuple[int, int | None]] = list(
        InterestRegistration.objects.filter(procurement=procurement).values_list(
            "organisation_id", "registered_by_id"
        )
    )
    for source in _INTEREST_SOURCES:
        pairs.extend(source(procurement))
    if not pairs:
        return []
    organisation_ids = {organisation_id for organisation_id, _person in pairs}
    person_ids = {person for _organisation, person in pairs if person is not None}
    admin_ids = SupplierMembership.objects.filter(
        organisation_id__in=organisation_ids, role=SupplierRole.ADMIN
    ).values("user_id")
    people = User.objects.filter(Q(pk__in=person_ids) | Q(pk__in=admin_ids), is_active=True)
    return sorted({email.lower() for email in people.values_list("email", flat=True) if email})


def interest_notify_published(procurement: Procurement) -> int:
    """E-mail everyone who follows ``procurement`` that its call is published, with the
    opportunity's address. Call it after the publication has committed; returns how many
    e-mails went."""
    procurement = Procurement.objects.select_related("borough").get(pk=procurement.pk)
    subject, message = render_email(
        "procurements/engagement/email/call_published",
        {
            "procurement": procurement,
            "url": opportunity_url(procurement),
            "question_deadline": uk_datetime_text(procurement.question_deadline),
            "participation_deadline": uk_datetime_text(procurement.participation_deadline),
        },
    )
    return send_each(
        subject=subject, message=message, recipients=interested_recipients(procurement)
    )


# --- the engagement notice (officers) ----------------------------------------------------------


def _procurement_for_engagement(*, actor: User, procurement: Procurement) -> Procurement:
    """Lock the procurement for a change to its engagement, refusing anyone who may not."""
    procurement = procurement_lock(procurement.pk)
    if not can_manage_engagement(actor, procurement):
        if procurement.status not in UNPUBLISHED:
            raise ApplicationError(
                f"This procurement is {procurement.get_status_display().lower()}: market "
                "engagement happens before the call is published, so it can no longer be "
                "changed."
            )
        raise PermissionRefused(
            f"Only the procurement officers of {procurement.borough.name} can change its "
            "market engagement."
        )
    return procurement


def _engagement_for_update(*, actor: User, procurement: Procurement) -> MarketEngagement:
    procurement = _procurement_for_engagement(actor=actor, procurement=procurement)
    engagement = (
        MarketEngagement.objects.select_for_update().filter(procurement=procurement).first()
    )
    if engagement is None:
        raise ApplicationError("Save the market engagement notice first.")
    engagement.procurement = procurement
    return engagement


def _clean_or_refuse(instance, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field = next(iter(getattr(error, "error_dict", {}) or {}), None)
        raise ApplicationError(" ".join(error.messages), extra={"field": field}) from error


@transaction.atomic
def market_engagement_save(
    *, actor: User, procurement: Procurement, title: str, summary: str, contact_email: str = ""
) -> MarketEngagement:
    """Write (or change) the engagement notice; not once it is published."""
    procurement = _procurement_for_engagement(actor=actor, procurement=procurement)
    engagement = (
        MarketEngagement.objects.select_for_update().filter(procurement=procurement).first()
    )
    created = engagement is None
    if engagement is None:
        engagement = MarketEngagement(procurement=procurement)
    elif engagement.is_published:
        raise ApplicationError(ENGAGEMENT_PUBLISHED)
    before = {"title": engagement.title, "summary": engagement.summary}
    engagement.title = title.strip()
    engagement.summary = summary.strip()
    engagement.contact_email = contact_email.strip()
    _clean_or_refuse(engagement)
    engagement.save()
    audit_record(
        actor=actor,
        action="engagement.created" if created else "engagement.changed",
        target=engagement,
        data={
            "procurement": procurement.pk,
            "title": engagement.title,
            "summary": engagement.summary,
            "contact_email": engagement.contact_email,
            "before": None if created else before,
        },
    )
    return engagement


def _event_data(event: EngagementEvent) -> dict:
    return {
        "event": event.pk,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat() if event.ends_at else None,
        "place": event.place,
        "online_url": event.online_url,
    }


def _event_context(engagement: MarketEngagement, event: EngagementEvent) -> dict:
    return {
        "engagement": engagement,
        "event": event,
        "starts": uk_datetime_text(event.starts_at),
        "ends": uk_datetime_text(event.ends_at),
        "url": opportunity_url(engagement.procurement),
    }


@transaction.atomic
def engagement_event_add(
    *,
    actor: User,
    procurement: Procurement,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    online_url: str = "",
    description: str = "",
) -> EngagementEvent:
    """Add an event to the engagement. Once the engagement is published, everyone who follows
    the opportunity is e-mailed about it after commit."""
    engagement = _engagement_for_update(actor=actor, procurement=procurement)
    event = EngagementEvent(
        engagement=engagement,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        description=description.strip(),
    )
    if starts_at <= timezone.now():
        raise ApplicationError(
            "The start of the event must be in the future", extra={"field": "starts_at"}
        )
    if ends_at is not None and ends_at <= starts_at:
        raise ApplicationError(
            "The end of the event must be after its start", extra={"field": "ends_at"}
        )
    if not (event.place or event.online_url):
        raise ApplicationError(
            "Enter where the event takes place, a link to join it online, or both",
            extra={"field": "place"},
        )
    _clean_or_refuse(event)
    event.save()
    audit_record(
        actor=actor,
        action="engagement.event_added",
        target=engagement,
        data={**_event_data(event), "after_publication": engagement.is_published},
    )
    if engagement.is_published:
        send_after_commit(
            template="procurements/engagement/email/event_added",
            context=_event_context(engagement, event),
            recipients=interested_recipients(engagement.procurement),
        )
    return event


@transaction.atomic
def engagement_event_remove(*, actor: User, procurement: Procurement, event_pk: int) -> None:
    """Remove an event. Once the engagement is published, everyone who follows the opportunity
    is told after commit that it will not take place."""
    engagement = _engagement_for_update(actor=actor, procurement=procurement)
    event = engagement.events.select_for_update().filter(pk=event_pk).first()
    if event is None:
        raise ApplicationError("This event has already been removed.")
    context = _event_context(engagement, event)
    data = {**_event_data(event), "after_publication": engagement.is_published}
    event.delete()
    audit_record(actor=actor, action="engagement.event_removed", target=engagement, data=data)
    if engagement.is_published:
        send_after_commit(
            template="procurements/engagement/email/event_removed",
            context=context,
            recipients=interested_recipients(engagement.procurement),
        )


@transaction.atomic
def market_engagement_publish(*, actor: User, procurement: Procurement) -> MarketEngagement:
    """Publish the engagement as a UK2 preliminary market engagement notice, once."""
    engagement = _engagement_for_update(actor=actor, procurement=procurement)
    if engagement.is_published:
        raise ApplicationError(
            "The market engagement notice was published on "
            f"{uk_datetime_text(engagement.published_at)}. It is published only once."
        )
    engagement.published_at = timezone.now()
    engagement.published_by = actor
    _clean_or_refuse(engagement)
    engagement.save(update_fields=["published_at", "published_by", "updated_at"])
    notice = notice_publish(
        procurement=engagement.procurement,
        kind=NoticeKind.UK2,
        content=market_engagement_notice_content(engagement),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="engagement.published",
        target=engagement,
        data={
            "procurement": engagement.procurement_id,
            "notice": notice.pk,
            "published_at": engagement.published_at.isoformat(),
            "events": list(engagement.events.values_list("pk", flat=True)),
        },
    )
    return engagement


# --- following an opportunity (suppliers) ------------------------------------------------------


def refuse_unless_verified_supplier(actor: User) -> SupplierMembership:
    membership = supplier_membership_get(user=actor)
    if membership is None:
        raise PermissionRefused(SUPPLIERS_ONLY)
    if not is_verified_supplier(actor):
        raise PermissionRefused(VERIFY_EMAIL_FIRST)
    return membership


def register_interest_locked(
    *, actor: User, procurement: Procurement, membership: SupplierMembership, reason: str
) -> tuple[InterestRegistration, bool]:
    """Record that the actor's organisation follows ``procurement``, once (the caller holds the
    procurement's row lock); audited when new. Returns the registration and whether it is new."""
    existing = InterestRegistration.objects.filter(
        procurement=procurement, organisation_id=membership.organisation_id
    ).first()
    if existing is not None:
        return existing, False
    registration = InterestRegistration(
        procurement=procurement, organisation=membership.organisation, registered_by=actor
    )
    registration.full_clean()
    registration.save()
    audit_record(
        actor=actor,
        action="interest.registered",
        target=procurement,
        data={
            "organisation": membership.organisation_id,
            "organisation_name": membership.organisation.name,
            "registration": registration.pk,
            "reason": reason,
        },
    )
    return registration, True


@transaction.atomic
def interest_register(*, actor: User, procurement: Procurement) -> InterestRegistration:
    """A verified supplier member follows an opportunity for their organisation. Following
    again changes nothing."""
    membership = refuse_unless_verified_supplier(actor)
    procurement = procurement_lock(procurement.pk)
    if not is_open_to_interest(procurement):
        raise ApplicationError(
            "You can follow an opportunity only while its market engagement or its call is "
            "open. This one is not."
        )
    registration, _new = register_interest_locked(
        actor=actor, procurement=procurement, membership=membership, reason="followed"
    )
    return registration


@transaction.atomic
def interest_withdraw(*, actor: User, procurement: Procurement) -> bool:
    """The organisation stops following an opportunity; returns whether it was following."""
    membership = refuse_unless_verified_supplier(actor)
    procurement = procurement_lock(procurement.pk)
    registration = InterestRegistration.objects.filter(
        procurement=procurement, organisation_id=membership.organisation_id
    ).first()
    if registration is None:
        return False
    data = {
        "organisation": membership.organisation_id,
        "organisation_name": membership.organisation.name,
        "registration": registration.pk,
        "registered_by": registration.registered_by_id,
    }
    registration.delete()
    audit_record(actor=actor, action="interest.withdrawn", target=procurement, data=data)
    return True
