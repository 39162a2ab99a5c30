"""Market engagement before the call (UK2), and suppliers following an opportunity: who may,
when, what is audited and who is e-mailed (only after commit)."""

import socket
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.calendar import LONDON
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, OfficerRole, SupplierRole
from procurements.models import (
    EngagementEvent,
    InterestRegistration,
    MarketEngagement,
    Notice,
    NoticeKind,
    ProcurementStatus,
)
from procurements.services.engagement import (
    engagement_event_add,
    engagement_event_remove,
    interest_notify_published,
    interest_register,
    interest_withdraw,
    interested_recipients,
    market_engagement_publish,
    market_engagement_save,
)
from tests import factories

pytestmark = pytest.mark.django_db

UNPUBLISHED_STATES = [
    ProcurementStatus.DRAFT,
    ProcurementStatus.AWAITING_APPROVAL,
    ProcurementStatus.APPROVED,
]
LATER_STATES = [
    ProcurementStatus.PUBLISHED,
    ProcurementStatus.SELECTION,
    ProcurementStatus.CANCELLED,
]


def draft(personas, **fields):
    values = {"borough": personas.borough_a, "lead_officer": personas.officer_a, **fields}
    return factories.ProcurementFactory(**values)


def published_call(personas, **fields):
    now = timezone.now()
    values = {
        "status": ProcurementStatus.PUBLISHED,
        "published_at": now,
        "question_deadline": now + timedelta(days=10),
        "participation_deadline": now + timedelta(days=40),
        **fields,
    }
    return draft(personas, **values)


def with_engagement(procurement, *, published=False, by=None):
    engagement = MarketEngagement.objects.create(
        procurement=procurement,
        title="Detecting falls at home: what can you offer?",
        summary="We want to hear how falls could be detected without a wearable.",
        contact_email="market@aldgate.example",
        published_at=timezone.now() if published else None,
        published_by=by,
    )
    return engagement


def next_week():
    return timezone.now() + timedelta(days=7)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def add_event(actor, procurement, **fields):
    values = {"title": "Supplier briefing", "starts_at": next_week(), "place": "Town Hall"}
    values.update(fields)
    return engagement_event_add(actor=actor, procurement=procurement, **values)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2


# --- the engagement notice --------------------------------------------------------------------


def test_an_officer_writes_the_engagement_notice_and_it_is_audited(personas):
    procurement = draft(personas)

    engagement = market_engagement_save(
        actor=personas.officer_a,
        procurement=procurement,
        title="  Falls at home  ",
        summary="What can the market do?",
        contact_email="market@aldgate.example",
    )
    market_engagement_save(
        actor=personas.officer_a,
        procurement=procurement,
        title="Falls at home: engagement",
        summary="What can the market do?",
    )

    engagement.refresh_from_db()
    assert engagement.title == "Falls at home: engagement"
    assert engagement.contact_email == ""
    assert not engagement.is_published
    [created] = events("engagement.created")
    [changed] = events("engagement.changed")
    assert created.data["title"] == "Falls at home"
    assert changed.data["before"]["title"] == "Falls at home"
    assert changed.actor_id == personas.officer_a.pk


@pytest.mark.parametrize("who", ["approver_a", "evaluator_a", "borough_admin_a", "officer_b"])
def test_only_procurement_officers_of_the_borough_write_the_engagement(personas, who):
    procurement = draft(personas)
    with pytest.raises(PermissionRefused, match="Only the procurement officers"):
        market_engagement_save(
            actor=getattr(personas, who), procurement=procurement, title="T", summary="S"
        )
    assert not MarketEngagement.objects.exists()


@pytest.mark.parametrize("status", UNPUBLISHED_STATES)
def test_engagement_can_be_written_before_the_call_is_published(personas, status):
    procurement = draft(personas, status=status)
    market_engagement_save(
        actor=personas.officer_a, procurement=procurement, title="T", summary="S"
    )
    assert MarketEngagement.objects.filter(procurement=procurement).exists()


@pytest.mark.parametrize("status", LATER_STATES)
def test_engagement_cannot_be_written_added_to_or_published_after_the_call(personas, status):
    procurement = draft(personas, status=status)
    with_engagement(procurement)

    with pytest.raises(ApplicationError, match="before the call is published"):
        market_engagement_save(
            actor=personas.officer_a, procurement=procurement, title="T", summary="S"
        )
    with pytest.raises(ApplicationError, match="before the call is published"):
        add_event(personas.officer_a, procurement)
    with pytest.raises(ApplicationError, match="before the call is published"):
        market_engagement_publish(actor=personas.officer_a, procurement=procurement)
    assert not EngagementEvent.objects.exists()
    assert not Notice.objects.exists()


def test_after_the_call_the_engagement_page_is_read_only(personas, login):
    procurement = published_call(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    client = login(personas.officer_a)
    url = reverse("procurements:engagement", kwargs={"pk": procurement.pk})

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Detecting falls at home" in html
    assert 'name="summary"' not in html
    assert reverse("procurements:engagement-event-add", kwargs={"pk": procurement.pk}) not in html
    assert client.post(url, {"title": "New", "summary": "New"}).status_code == 403
    add_page = reverse("procurements:engagement-event-add", kwargs={"pk": procurement.pk})
    assert client.get(add_page).status_code == 403


def test_the_officer_saves_the_notice_on_the_page(personas, login):
    procurement = draft(personas)
    client = login(personas.officer_a)
    url = reverse("procurements:engagement", kwargs={"pk": procurement.pk})

    empty = client.post(url, {"title": "", "summary": ""})
    response = client.post(url, {"title": "Falls at home", "summary": "Tell us what works."})

    assert "Enter the title of the market engagement" in empty.content.decode()
    assert response.status_code == 302
    assert MarketEngagement.objects.get(procurement=procurement).title == "Falls at home"


def test_another_boroughs_officer_cannot_find_the_engagement_page(personas, login):
    procurement = draft(personas)
    with_engagement(procurement)
    client = login(personas.officer_b)
    url = reverse("procurements:engagement", kwargs={"pk": procurement.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Mine", "summary": "Mine"}).status_code == 404
    publish = reverse("procurements:engagement-publish", kwargs={"pk": procurement.pk})
    assert client.post(publish).status_code == 404
    assert not MarketEngagement.objects.get(procurement=procurement).is_published


def test_the_task_list_links_to_the_engagement(personas, login):
    procurement = draft(personas)
    html = login(personas.officer_a).get(procurement.get_absolute_url()).content.decode()
    assert reverse("procurements:engagement", kwargs={"pk": procurement.pk}) in html
    assert reverse("procurements:questions", kwargs={"pk": procurement.pk}) not in html


# --- events ----------------------------------------------------------------------------------


def test_events_are_added_and_removed_before_publication_audited_and_nobody_emailed(
    personas, django_capture_on_commit_callbacks
):
    procurement = draft(personas)
    with_engagement(procurement)

    with django_capture_on_commit_callbacks(execute=True):
        event = add_event(personas.officer_a, procurement, online_url="https://meet.example/x")
        engagement_event_remove(
            actor=personas.officer_a, procurement=procurement, event_pk=event.pk
        )

    assert not EngagementEvent.objects.exists()
    [added] = events("engagement.event_added")
    [removed] = events("engagement.event_removed")
    assert added.data["title"] == "Supplier briefing"
    assert added.data["after_publication"] is False
    assert removed.data["event"] == event.pk
    assert mail.outbox == []


def test_an_event_needs_the_notice_first(personas):
    procurement = draft(personas)
    with pytest.raises(ApplicationError, match="Save the market engagement notice first"):
        add_event(personas.officer_a, procurement)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_at": timezone.now() - timedelta(minutes=1)}, "must be in the future"),
        ({"place": "", "online_url": ""}, "Enter where the event takes place"),
        ({"ends_at": timezone.now() + timedelta(days=6)}, "must be after its start"),
    ],
)
def test_an_event_must_make_sense(personas, fields, message):
    procurement = draft(personas)
    with_engagement(procurement)
    with pytest.raises(ApplicationError, match=message):
        add_event(personas.officer_a, procurement, **fields)
    assert not EngagementEvent.objects.exists()


def test_the_event_form_shows_what_is_wrong(personas, login):
    procurement = draft(personas)
    with_engagement(procurement)
    client = login(personas.officer_a)
    url = reverse("procurements:engagement-event-add", kwargs={"pk": procurement.pk})
    day = next_week()

    missing = client.post(url, {"title": "Briefing"}).content.decode()
    nowhere = client.post(
        url,
        {
            "title": "Briefing",
            "starts_at_day": day.day,
            "starts_at_month": day.month,
            "starts_at_year": day.year,
            "starts_at_time": "2pm",
        },
    ).content.decode()
    added = client.post(
        url,
        {
            "title": "Briefing",
            "starts_at_day": day.day,
            "starts_at_month": day.month,
            "starts_at_year": day.year,
            "starts_at_time": "2pm",
            "online_url": "meet.example/briefing",
        },
    )

    assert "Enter when the event starts" in missing
    assert "Enter where the event takes place" in nowhere
    assert added.status_code == 302
    event = EngagementEvent.objects.get()
    assert event.online_url == "https://meet.example/briefing"
    assert timezone.localtime(event.starts_at, LONDON).hour == 14  # 2pm UK time


def test_removing_is_for_officers_only(personas, login):
    procurement = draft(personas)
    with_engagement(procurement)
    event = add_event(personas.officer_a, procurement)
    url = reverse(
        "procurements:engagement-event-remove", kwargs={"pk": procurement.pk, "event_pk": event.pk}
    )
    assert login(personas.approver_a).post(url).status_code == 403
    assert login(personas.officer_b).post(url).status_code == 404
    assert login(personas.supplier_a_admin).post(url).status_code == 404
    assert EngagementEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(PermissionRefused):
        engagement_event_remove(
            actor=personas.officer_b, procurement=procurement, event_pk=event.pk
        )
    assert not events("engagement.event_removed")
    assert login(personas.officer_a).post(url).status_code == 302
    assert not EngagementEvent.objects.filter(pk=event.pk).exists()


# --- publishing the UK2 notice -----------------------------------------------------------------


def test_publishing_composes_the_uk2_notice_once(personas, login):
    procurement = draft(personas, status=ProcurementStatus.APPROVED)
    engagement = with_engagement(procurement)
    add_event(personas.officer_a, procurement, title="Show and tell")
    client = login(personas.officer_a)
    url = reverse("procurements:engagement-publish", kwargs={"pk": procurement.pk})

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == 302
    [notice] = Notice.objects.filter(procurement=procurement)
    assert notice.kind == NoticeKind.UK2
    assert notice.created_by == personas.officer_a
    assert "Detecting falls at home" in notice.content["title"]
    assert "Show and tell" in str(notice.content)
    assert procurement.title not in str(notice.content)  # nothing of the draft is published
    engagement.refresh_from_db()
    assert engagement.is_published and engagement.published_by == personas.officer_a
    [published] = events("engagement.published")
    assert published.data["notice"] == notice.pk
    assert second.status_code == 200
    assert "It is published only once" in second.content.decode()
    assert Notice.objects.filter(procurement=procurement).count() == 1
    assert type(procurement).objects.get(pk=procurement.pk).status == ProcurementStatus.APPROVED


def test_an_approver_cannot_publish_the_engagement(personas, login):
    procurement = draft(personas)
    with_engagement(procurement)
    url = reverse("procurements:engagement-publish", kwargs={"pk": procurement.pk})
    assert login(personas.approver_a).post(url).status_code == 403
    assert not Notice.objects.exists()


def test_an_event_added_after_publication_emails_followers_after_commit(
    personas, django_capture_on_commit_callbacks
):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_event(personas.officer_a, procurement, title="Late briefing")
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    # The member who registered and the organisation's admin, one e-mail each.
    assert sorted(m.to[0] for m in mail.outbox) == [
        personas.supplier_a_admin.email,
        personas.supplier_a_member.email,
    ]
    email = mail.outbox[0]
    assert "Late briefing" in email.subject
    assert reverse("opportunities:detail", kwargs={"pk": procurement.pk}) in email.body
    assert procurement.title not in email.body + email.subject  # the draft is not public
    [added] = events("engagement.event_added")
    assert added.data["after_publication"] is True


def test_an_event_rolled_back_sends_nothing(personas, django_capture_on_commit_callbacks):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add_event(personas.officer_a, procurement)
        raise RuntimeError("something later failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not EngagementEvent.objects.exists()


def test_removing_an_event_after_publication_tells_followers(
    personas, django_capture_on_commit_callbacks
):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    event = add_event(personas.officer_a, procurement, title="Cancelled briefing")
    interest_register(actor=personas.supplier_b_member, procurement=procurement)

    with django_capture_on_commit_callbacks(execute=True):
        engagement_event_remove(
            actor=personas.officer_a, procurement=procurement, event_pk=event.pk
        )

    assert {m.to[0] for m in mail.outbox} == {
        personas.supplier_b_member.email,
        personas.supplier_b_admin.email,
    }
    assert all("Cancelled briefing" in m.subject for m in mail.outbox)


# --- following an opportunity -----------------------------------------------------------------


def follow_url(procurement):
    return reverse("opportunities:follow", kwargs={"pk": procurement.pk})


def test_a_supplier_follows_a_published_engagement_once(personas, login):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    client = login(personas.supplier_a_member)

    first = client.post(follow_url(procurement))
    second = client.post(follow_url(procurement))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("opportunities:detail", kwargs={"pk": procurement.pk})
    [registration] = InterestRegistration.objects.all()
    assert registration.organisation == personas.org_a
    assert registration.registered_by == personas.supplier_a_member
    [registered] = events("interest.registered")
    assert registered.target_id == str(procurement.pk)
    assert registered.data["organisation"] == personas.org_a.pk


def test_following_goes_back_to_the_page_it_came_from_on_this_site(personas, login):
    procurement = published_call(personas)
    client = login(personas.supplier_a_admin)
    back = client.post(follow_url(procurement), {"next": "/opportunities/?q=falls"})
    away = client.post(follow_url(procurement), {"next": "https://evil.example/"})
    assert back["Location"] == "/opportunities/?q=falls"
    assert away["Location"] == reverse("opportunities:detail", kwargs={"pk": procurement.pk})


def test_another_member_of_the_organisation_following_changes_nothing(personas):
    procurement = published_call(personas)
    interest_register(actor=personas.supplier_a_admin, procurement=procurement)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)
    assert InterestRegistration.objects.get().registered_by == personas.supplier_a_admin
    assert len(events("interest.registered")) == 1


def test_following_needs_sign_in(personas, client):
    procurement = published_call(personas)
    response = client.post(follow_url(procurement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not InterestRegistration.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "approver_a", "officer_b", "superuser"])
def test_officers_cannot_follow(personas, login, who):
    procurement = published_call(personas)
    assert login(getattr(personas, who)).post(follow_url(procurement)).status_code == 403
    assert not InterestRegistration.objects.exists()


def test_a_supplier_with_an_unconfirmed_email_address_cannot_follow(personas, login):
    procurement = published_call(personas)
    EmailAddress.objects.filter(user=personas.supplier_a_member).update(verified=False)
    with pytest.raises(PermissionRefused, match="Confirm your e-mail address"):
        interest_register(actor=personas.supplier_a_member, procurement=procurement)
    assert login(personas.supplier_a_member).post(follow_url(procurement)).status_code == 403
    assert not InterestRegistration.objects.exists()


def test_a_draft_without_published_engagement_cannot_be_followed_or_found(personas, login):
    procurement = draft(personas)
    with_engagement(procurement)  # not published
    client = login(personas.supplier_a_admin)
    assert client.post(follow_url(procurement)).status_code == 404
    with pytest.raises(ApplicationError, match="only while its market engagement or its call"):
        interest_register(actor=personas.supplier_a_admin, procurement=procurement)


def test_following_closes_with_the_call_by_the_server_clock(personas, login, clock):
    now = timezone.now()
    procurement = published_call(
        personas,
        question_deadline=now + timedelta(minutes=30),
        participation_deadline=now + timedelta(hours=1),
    )
    deadline = procurement.participation_deadline
    client = login(personas.supplier_a_admin)

    clock(deadline + timedelta(seconds=1))
    assert client.post(follow_url(procurement)).status_code == 302
    assert not InterestRegistration.objects.exists()
    clock(deadline)
    with pytest.raises(ApplicationError, match="only while its market engagement or its call"):
        interest_register(actor=personas.supplier_a_member, procurement=procurement)
    assert not InterestRegistration.objects.exists()

    clock(deadline - timedelta(seconds=1))
    interest_register(actor=personas.supplier_a_member, procurement=procurement)
    assert InterestRegistration.objects.get().organisation == personas.org_a


@pytest.mark.parametrize("status", [ProcurementStatus.CANCELLED, ProcurementStatus.SELECTION])
def test_a_cancelled_or_closed_call_cannot_be_followed(personas, login, status):
    procurement = published_call(personas, status=status)
    response = login(personas.supplier_a_admin).post(follow_url(procurement))
    assert response.status_code == 302
    assert not InterestRegistration.objects.exists()


def test_a_supplier_unfollows(personas, login):
    procurement = published_call(personas)
    interest_register(actor=personas.supplier_a_admin, procurement=procurement)
    url = reverse("opportunities:unfollow", kwargs={"pk": procurement.pk})

    assert login(personas.supplier_b_admin).post(url).status_code == 302  # not theirs: no-op
    assert InterestRegistration.objects.exists()
    assert login(personas.supplier_a_member).post(url).status_code == 302

    assert not InterestRegistration.objects.exists()
    [withdrawn] = events("interest.withdrawn")
    assert withdrawn.data["organisation"] == personas.org_a.pk
    assert interest_withdraw(actor=personas.supplier_a_member, procurement=procurement) is False


# --- who is told ------------------------------------------------------------------------------


def test_interested_recipients_are_registrants_and_admins_once_each(personas):
    procurement = published_call(personas)
    second_admin = factories.supplier(personas.org_a, SupplierRole.ADMIN, email="a2@example.org")
    gone = factories.supplier(personas.org_a, SupplierRole.ADMIN, email="gone@example.org")
    gone.is_active = False
    gone.save()
    interest_register(actor=personas.supplier_a_admin, procurement=procurement)
    interest_register(actor=personas.supplier_b_member, procurement=procurement)
    interest_register(actor=personas.consortium_member, procurement=another_call(personas))

    assert interested_recipients(procurement) == sorted(
        [
            personas.supplier_a_admin.email,
            second_admin.email,
            personas.supplier_b_member.email,
            personas.supplier_b_admin.email,
        ]
    )


def another_call(personas):
    """Another opportunity, so its followers must not be told about the first."""
    return published_call(personas)


def test_the_call_published_email_goes_to_every_follower_with_the_opportunity_url(personas):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)
    interest_register(actor=personas.supplier_b_admin, procurement=procurement)
    type(procurement).objects.filter(pk=procurement.pk).update(
        status=ProcurementStatus.PUBLISHED,
        published_at=timezone.now(),
        question_deadline=timezone.now() + timedelta(days=10),
    )

    sent = interest_notify_published(procurement)

    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            personas.supplier_a_member.email,
            personas.supplier_a_admin.email,
            personas.supplier_b_admin.email,
        ]
    )
    url = reverse("opportunities:detail", kwargs={"pk": procurement.pk})
    for email in mail.outbox:
        assert len(email.to) == 1  # nobody sees who else follows
        assert procurement.reference in email.subject
        assert url in email.body
        assert "Deadline for clarification questions" in email.body


def test_a_mail_server_that_is_down_does_not_fail_the_call_published_email(
    personas, mail_server_down
):
    procurement = published_call(personas)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)
    assert interest_notify_published(procurement) == 0


def test_an_event_added_while_the_mail_server_is_down_is_still_added(
    personas, mail_server_down, django_capture_on_commit_callbacks
):
    procurement = draft(personas)
    with_engagement(procurement, published=True, by=personas.officer_a)
    interest_register(actor=personas.supplier_a_member, procurement=procurement)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_event(personas.officer_a, procurement)
    assert len(callbacks) == 1
    assert EngagementEvent.objects.count() == 1


def test_an_officer_who_is_also_an_approver_may_manage_the_engagement(personas):
    both = factories.officer(personas.borough_a, OfficerRole.OFFICER, OfficerRole.APPROVER)
    procurement = draft(personas)
    market_engagement_save(actor=both, procurement=procurement, title="T", summary="S")
    assert MarketEngagement.objects.filter(procurement=procurement).exists()
