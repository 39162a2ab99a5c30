"""Invitation e-mails go through the task queue: a mail server or queue that is down never
loses the invitation or breaks the page, and the admin can send it again."""

from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from core.models import AuditEvent, SupplierInvitation, SupplierRole
from core.services.accounts import supplier_invitation_send
from core.tasks import supplier_invitation_send_task
from portal.celery import app as celery_app

INVITE = reverse("core:organisation-invite")
MEMBERS = reverse("core:organisation-members")
REFUSING_BACKEND = "tests.core.test_invitation_sending.RefusingEmailBackend"


class RefusingEmailBackend(EmailBackend):
    """Django's mail transport, when the mail server refuses every message."""

    attempts = 0

    def send_messages(self, email_messages):
        RefusingEmailBackend.attempts += 1
        raise SMTPException("451 Temporary local problem, try again later")


def send_again_url(invitation):
    return reverse("core:organisation-invitation-send-again", args=[invitation.pk])


@pytest.fixture
def unsent(personas):
    return SupplierInvitation.objects.create(
        organisation=personas.org_a,
        email="waiting@alpha.example",
        role=SupplierRole.MEMBER,
        invited_by=personas.supplier_a_admin,
    )


@pytest.mark.django_db
def test_the_invitation_email_is_sent_by_the_task_and_marked_sent(
    login, personas, django_capture_on_commit_callbacks
):
    client = login(personas.supplier_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": "colleague@alpha.example", "role": "member"})

    assert response.status_code == 302
    invitation = SupplierInvitation.objects.get()
    assert invitation.sent_at is not None
    assert [m.to for m in mail.outbox] == [["colleague@alpha.example"]]
    assert AuditEvent.objects.filter(action="supplier.invitation_sent").count() == 1
    html = client.get(MEMBERS).content.decode()
    assert "Not sent yet" not in html and "Send again" not in html


@pytest.mark.django_db
def test_a_mail_server_error_keeps_the_invitation_and_the_page_answers(
    login, personas, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client = login(personas.supplier_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"email": "colleague@alpha.example", "role": "member"})

    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    invitation = SupplierInvitation.objects.get()
    assert invitation.sent_at is None
    assert not AuditEvent.objects.filter(action="supplier.invitation_sent").exists()
    page = client.get(MEMBERS)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Not sent yet" in html
    assert f'action="{send_again_url(invitation)}"' in html


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_invitation_is_kept_and_shown_as_not_sent(
    login, personas, broker_down
):
    client = login(personas.supplier_a_admin)
    response = client.post(INVITE, {"email": "colleague@alpha.example", "role": "member"})

    assert response.status_code == 302
    invitation = SupplierInvitation.objects.get()
    assert invitation.sent_at is None
    assert mail.outbox == []
    assert "Not sent yet" in client.get(MEMBERS).content.decode()


@pytest.mark.django_db
def test_send_again_sends_a_waiting_invitation(
    login, personas, unsent, django_capture_on_commit_callbacks
):
    client = login(personas.supplier_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_again_url(unsent), follow=True)

    assert response.redirect_chain[-1][0] == MEMBERS
    assert "We are sending the invitation to waiting@alpha.example again." in (
        response.content.decode()
    )
    unsent.refresh_from_db()
    assert unsent.sent_at is not None
    assert [m.to for m in mail.outbox] == [["waiting@alpha.example"]]
    assert AuditEvent.objects.filter(
        action="supplier.invitation_send_again", actor=personas.supplier_a_admin
    ).exists()


@pytest.mark.django_db
def test_send_again_with_the_mail_server_still_down_answers_and_keeps_waiting(
    login, personas, unsent, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client = login(personas.supplier_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_again_url(unsent))

    assert response.status_code == 302
    unsent.refresh_from_db()
    assert unsent.sent_at is None


@pytest.mark.django_db
def test_an_invitation_already_sent_is_not_sent_again(login, personas, unsent):
    assert supplier_invitation_send(invitation_id=unsent.pk) is True
    assert supplier_invitation_send(invitation_id=unsent.pk) is False
    assert len(mail.outbox) == 1

    response = login(personas.supplier_a_admin).post(send_again_url(unsent), follow=True)
    assert "has already been sent" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status_code"),
    # Another organisation's admin may not know the invitation exists.
    [("supplier_a_member", 403), ("supplier_b_admin", 404), ("officer_a", 403)],
)
def test_only_the_organisations_admin_can_send_again(
    login, personas, unsent, persona, status_code, django_capture_on_commit_callbacks
):
    # The e-mail goes after the commit: run what was left for it, or nothing shows it.
    with django_capture_on_commit_callbacks(execute=True):
        response = login(getattr(personas, persona)).post(send_again_url(unsent))
    assert response.status_code == status_code
    unsent.refresh_from_db()
    assert unsent.sent_at is None
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="supplier.invitation_send_again").exists()


@pytest.mark.django_db
def test_the_task_tries_again_after_a_mail_server_error_and_then_gives_up(unsent, settings):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    RefusingEmailBackend.attempts = 0

    # Eager here, so Celery runs its retries at once; without propagation it hands
    # each retry to its own loop instead of raising it to us.
    celery_app.conf.task_eager_propagates = False
    try:
        result = supplier_invitation_send_task.apply(args=[unsent.pk])
    finally:
        celery_app.conf.task_eager_propagates = True

    assert result.failed()
    assert isinstance(result.result, SMTPException)
    assert RefusingEmailBackend.attempts == supplier_invitation_send_task.max_retries + 1 > 1
    unsent.refresh_from_db()
    assert unsent.sent_at is None
