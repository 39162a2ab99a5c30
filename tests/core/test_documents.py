import hashlib
import io
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.audit import audit_record
from core.documents import (
    DocumentKind,
    document_kind_get,
    register_document_kind,
    unregister_document_kind,
)
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.selectors.documents import document_list_for_target
from core.services.documents import (
    DOCUMENT_MAX_ATTEMPTS,
    document_render,
    document_request,
    document_requeue_stale,
)
from core.tasks import document_render_task
from portal.celery import app as celery_app

# Generated documents go to a throw-away directory (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def broken_kind():
    """A kind whose template does not exist: rendering fails the same way every time."""
    kind = register_document_kind(
        DocumentKind(
            name="test_broken",
            template="core/documents/does-not-exist.html",
            title=lambda target: f"Broken: {target}",
            build_context=lambda *, target, actor, extra: {},
            may_request=lambda user, target: True,
            may_read=lambda user, document: user.is_superuser,
        )
    )
    yield kind
    unregister_document_kind(kind.name)


def _request_extract(personas, django_capture_on_commit_callbacks, *, execute=True):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        document = document_request(
            kind="audit_extract", target=personas.borough_a, actor=personas.borough_admin_a
        )
    return document, callbacks


def _pdf_files(media_root):
    return sorted(p.name for p in media_root.rglob("*.pdf"))


def _age(document, **delta):
    GeneratedDocument.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - timedelta(**delta)
    )


# --- request -------------------------------------------------------------


def test_request_freezes_the_context_records_it_and_enqueues_only_after_commit(
    personas, django_capture_on_commit_callbacks
):
    audit_record(actor=personas.borough_admin_a, action="test.before", target=personas.borough_a)

    document, callbacks = _request_extract(
        personas, django_capture_on_commit_callbacks, execute=False
    )

    assert document.status == DocumentStatus.PENDING
    assert document.title == "Audit extract: London Borough of Aldgate"
    assert document.target == personas.borough_a
    assert document.requested_by == personas.borough_admin_a
    assert [e["action"] for e in document.context["events"]] == ["test.before"]
    assert len(callbacks) == 1  # the render task is published on commit, not before
    event = AuditEvent.objects.get(action="document.requested")
    assert event.actor == personas.borough_admin_a
    assert event.target_type == "core.borough"
    assert event.data["document_id"] == document.pk


def test_nothing_is_enqueued_when_the_request_rolls_back(
    personas, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        document_request(kind="audit_extract", target=personas.borough_a, actor=personas.superuser)
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize(
    "persona", ["officer_a", "officer_b", "approver_a", "supplier_a_admin", "anonymous"]
)
def test_people_other_than_superusers_and_the_borough_administrator_may_not_request_an_extract(
    personas, persona
):
    with pytest.raises(PermissionRefused):
        document_request(
            kind="audit_extract", target=personas.borough_a, actor=getattr(personas, persona)
        )

    assert not GeneratedDocument.objects.exists()


def test_borough_administrator_may_not_request_another_boroughs_extract(personas):
    with pytest.raises(PermissionRefused):
        document_request(
            kind="audit_extract", target=personas.borough_b, actor=personas.borough_admin_a
        )


def test_a_second_request_while_the_first_is_in_flight_returns_the_same_document(
    personas, django_capture_on_commit_callbacks
):
    first, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    second, callbacks = _request_extract(
        personas, django_capture_on_commit_callbacks, execute=False
    )

    assert second.pk == first.pk
    assert callbacks == []
    assert GeneratedDocument.objects.count() == 1


def test_an_unknown_kind_is_refused_with_a_message(personas):
    with pytest.raises(ApplicationError, match="does not know how to generate"):
        document_request(kind="no_such_kind", target=None, actor=personas.superuser)


def test_registering_a_different_kind_under_a_taken_name_is_an_error():
    kind = document_kind_get("audit_extract")
    impostor = DocumentKind(
        name="audit_extract",
        template="other.html",
        title=kind.title,
        build_context=kind.build_context,
        may_request=kind.may_request,
        may_read=kind.may_read,
    )

    with pytest.raises(ValueError, match="already registered"):
        register_document_kind(impostor)
    assert document_kind_get("audit_extract") is kind


# --- rendering -----------------------------------------------------------


def test_render_makes_a_tagged_pdf_of_the_frozen_events_with_their_hashes(
    personas, django_capture_on_commit_callbacks, media_root
):
    before = audit_record(
        actor=personas.borough_admin_a,
        action="role.granted",
        target=personas.officer_a,
        data={"role": "approver"},
    )
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    audit_record(actor=None, action="test.after.request", target=personas.borough_a)

    document_render_task(document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 1
    assert document.file.name == f"documents/audit_extract/audit_extract-{document.pk}.pdf"
    pdf = document.file.read()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Audit extract: London Borough of Aldgate"
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Audit extract: London Borough of Aldgate" in text
    assert "role.granted" in text
    assert "admin-a@example.org" in text
    assert "role: approver" in text
    assert before.hash[:20] in text.replace(" ", "")
    assert "test.after.request" not in text  # the context was frozen at the request
    rendered = AuditEvent.objects.get(action="document.rendered")
    assert rendered.actor is None
    assert rendered.data["sha256"] == document.sha256


def test_running_the_render_task_twice_leaves_one_file_and_one_ready_document(
    personas, django_capture_on_commit_callbacks, media_root
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)

    document_render_task(document.pk)
    document_render_task(document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 1
    assert _pdf_files(media_root) == [f"audit_extract-{document.pk}.pdf"]
    assert GeneratedDocument.objects.filter(status=DocumentStatus.READY).count() == 1
    assert AuditEvent.objects.filter(action="document.rendered").count() == 1


def test_rendering_again_overwrites_the_same_file_instead_of_adding_a_copy(
    personas, django_capture_on_commit_callbacks, media_root
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    document_render(document_id=document.pk)
    # A redelivered task after a worker died mid-save: the row is rendering
    # again past the time limit, and the first file is already there.
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.RENDERING)
    _age(document, seconds=settings.CELERY_TASK_TIME_LIMIT + 1)

    again = document_render(document_id=document.pk)

    assert again.status == DocumentStatus.READY
    assert again.attempts == 2
    assert _pdf_files(media_root) == [f"audit_extract-{document.pk}.pdf"]


def test_a_document_another_worker_is_rendering_is_left_alone(
    personas, django_capture_on_commit_callbacks, media_root
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING, attempts=1
    )

    assert document_render(document_id=document.pk) is None

    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING
    assert document.attempts == 1
    assert _pdf_files(media_root) == []


def test_a_render_error_marks_the_document_failed_with_the_reason(
    personas, broken_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=broken_kind.name, target=None, actor=personas.superuser)

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.attempts == 1  # not retried: it would fail the same way
    assert "TemplateDoesNotExist" in document.error
    event = AuditEvent.objects.get(action="document.failed")
    assert event.data["attempts"] == 1


def test_a_storage_error_is_retried_and_fails_for_good_after_the_last_attempt(
    personas, django_capture_on_commit_callbacks, settings, tmp_path
):
    not_a_directory = tmp_path / "occupied"
    not_a_directory.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = not_a_directory / "media"
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)

    with pytest.raises(OSError):
        document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING  # back in the queue for another try
    assert document.attempts == 1
    assert "NotADirectoryError" in document.error

    # Eager here, so Celery runs its retries at once; without propagation it
    # hands the Retry to its own loop instead of raising it to us.
    celery_app.conf.task_eager_propagates = False
    try:
        document_render_task.delay(document.pk)
    finally:
        celery_app.conf.task_eager_propagates = True

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.attempts == DOCUMENT_MAX_ATTEMPTS
    assert AuditEvent.objects.filter(action="document.retrying").count() == 2
    assert AuditEvent.objects.filter(action="document.failed").count() == 1


# --- broker down and the sweep -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_request_page_answers_quickly_and_the_document_waits(
    personas, broker_down, login
):
    client = login(personas.borough_admin_a)
    url = reverse("core:audit-extract-request", args=[personas.borough_a.slug])

    started = time.monotonic()
    response = client.post(url)
    elapsed = time.monotonic() - started

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert elapsed < 4
    assert document.status == DocumentStatus.PENDING
    assert document.attempts == 0


def test_the_sweep_leaves_documents_pending_while_the_broker_is_down(
    personas, django_capture_on_commit_callbacks, broker_down
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks)
    _age(document, minutes=settings.DOCUMENT_REQUEUE_AFTER_MINUTES + 1)

    assert document_requeue_stale() == 0

    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING


def test_the_sweep_enqueues_documents_left_pending_once_the_broker_is_back(
    personas, django_capture_on_commit_callbacks, media_root
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    recent = document_request(
        kind="audit_extract", target=personas.borough_b, actor=personas.superuser
    )
    _age(document, minutes=settings.DOCUMENT_REQUEUE_AFTER_MINUTES + 1)

    enqueued = document_requeue_stale()  # tasks run eagerly in the tests

    document.refresh_from_db()
    recent.refresh_from_db()
    assert enqueued == 1
    assert document.status == DocumentStatus.READY
    assert recent.status == DocumentStatus.PENDING  # not yet stale: its own task is on its way


def test_the_sweep_gives_up_on_a_document_whose_worker_died_on_every_attempt(
    personas, django_capture_on_commit_callbacks
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING, attempts=DOCUMENT_MAX_ATTEMPTS
    )
    _age(document, seconds=settings.CELERY_TASK_TIME_LIMIT + 1)

    assert document_requeue_stale() == 0

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "stopped 3 times" in document.error


def test_the_beat_schedule_runs_the_sweep():
    schedule = celery_app.conf.beat_schedule
    entry = next(
        e for e in schedule.values() if e["task"].endswith("document_requeue_pending_task")
    )
    assert entry["schedule"] == 60.0 * settings.DOCUMENT_REQUEUE_AFTER_MINUTES
    assert entry["task"] in celery_app.tasks


def test_celery_is_configured_not_to_lose_tasks():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.task_soft_time_limit < conf.task_time_limit


# --- pages ---------------------------------------------------------------


def _document(personas, status, **fields):
    document = GeneratedDocument.objects.create(
        kind="audit_extract",
        target=personas.borough_a,
        title="Audit extract: London Borough of Aldgate",
        requested_by=personas.borough_admin_a,
        **fields,
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(status=status)
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("status", [DocumentStatus.PENDING, DocumentStatus.RENDERING])
def test_status_page_checks_for_itself_while_the_document_is_on_its_way(personas, login, status):
    document = _document(personas, status)
    client = login(personas.borough_admin_a)

    response = client.get(document.get_absolute_url())

    html = response.content.decode()
    status_url = reverse("core:document-status", args=[document.pk])
    assert response.status_code == 200
    assert "This page will refresh when the document is ready: it checks every 3 seconds" in html
    assert f'data-status="{status}" data-status-url="{status_url}"' in html
    assert f'<script type="module" nonce="{response.wsgi_request.csp_nonce}">' in html
    assert 'http-equiv="refresh"' not in html  # a timed refresh fails WCAG 2.2.1
    assert f">{document.get_status_display()}</strong>" in html
    assert reverse("core:document-download", args=[document.pk]) not in html
    assert client.get(status_url).json() == {
        "status": status,
        "label": document.get_status_display(),
    }


def test_status_page_of_a_ready_document_offers_the_download_with_size_and_fingerprint(
    personas, login, django_capture_on_commit_callbacks
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY

    response = login(personas.borough_admin_a).get(document.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "data-status-url" not in html
    assert reverse("core:document-download", args=[document.pk]) in html
    assert document.sha256 in html
    assert "KB)" in html
    assert html.count("<h1") == 1


def test_status_page_of_a_failed_document_says_what_went_wrong_and_what_to_do(personas, login):
    document = _document(personas, DocumentStatus.FAILED, error="TemplateDoesNotExist: x.html")

    response = login(personas.superuser).get(document.get_absolute_url())

    html = response.content.decode()
    assert "The portal could not generate this document." in html
    assert f"give them the reference DOC-{document.pk}" in html
    assert "TemplateDoesNotExist: x.html" in html
    assert "data-status-url" not in html


def test_download_streams_the_pdf_as_an_attachment_with_its_name(
    personas, login, django_capture_on_commit_callbacks
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks)

    response = login(personas.superuser).get(reverse("core:document-download", args=[document.pk]))

    body = b"".join(response.streaming_content)
    document.refresh_from_db()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    expected_name = f"audit-extract-london-borough-of-aldgate-{document.pk}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert hashlib.sha256(body).hexdigest() == document.sha256


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("superuser", 200),
        ("borough_admin_a", 200),
        ("officer_a", 404),
        ("officer_b", 404),
        ("approver_a", 404),
        ("supplier_a_admin", 404),
    ],
)
def test_only_superusers_and_the_borough_administrator_see_an_extract(
    personas, login, django_capture_on_commit_callbacks, persona, status_code
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks)
    client = login(getattr(personas, persona))

    detail = client.get(document.get_absolute_url())
    status = client.get(reverse("core:document-status", args=[document.pk]))
    download = client.get(reverse("core:document-download", args=[document.pk]))

    assert detail.status_code == status_code
    assert status.status_code == status_code
    assert download.status_code == status_code


def test_the_list_for_a_target_holds_only_what_the_user_may_read(
    personas, django_capture_on_commit_callbacks
):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    other = document_request(
        kind="audit_extract", target=personas.borough_b, actor=personas.superuser
    )

    for_admin = document_list_for_target(user=personas.borough_admin_a, target=personas.borough_a)
    for_officer = document_list_for_target(user=personas.officer_a, target=personas.borough_a)
    for_root = document_list_for_target(user=personas.superuser, target=personas.borough_b)

    assert for_admin == [document]
    assert for_officer == []
    assert for_root == [other]


def test_someone_else_gets_the_same_404_for_a_document_that_does_not_exist(personas, login):
    response = login(personas.officer_a).get(reverse("core:document-detail", args=[999999]))
    assert response.status_code == 404


def test_anonymous_people_are_sent_to_sign_in(personas, client, django_capture_on_commit_callbacks):
    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)

    for url in (
        document.get_absolute_url(),
        reverse("core:document-download", args=[document.pk]),
        reverse("core:document-status", args=[document.pk]),
        reverse("core:audit-extract-request", args=[personas.borough_a.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_download_of_a_document_not_yet_ready_is_not_found(personas, login):
    document = _document(personas, DocumentStatus.PENDING)

    response = login(personas.superuser).get(reverse("core:document-download", args=[document.pk]))

    assert response.status_code == 404


def test_borough_administrator_requests_an_extract_and_lands_on_its_status_page(
    personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.borough_admin_a)
    url = reverse("core:audit-extract-request", args=[personas.borough_a.slug])

    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    document = GeneratedDocument.objects.get()
    assert page.status_code == 200
    assert "Request audit extract" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.requested_by == personas.borough_admin_a
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


@pytest.mark.parametrize("persona", ["officer_a", "approver_a", "officer_b", "supplier_a_admin"])
def test_others_may_not_request_a_boroughs_extract(personas, login, persona):
    client = login(getattr(personas, persona))
    url = reverse("core:audit-extract-request", args=[personas.borough_a.slug])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not GeneratedDocument.objects.exists()


def test_status_page_makes_a_constant_number_of_queries(
    personas, login, django_assert_max_num_queries
):
    document = _document(personas, DocumentStatus.PENDING)
    client = login(personas.borough_admin_a)
    client.get(document.get_absolute_url())  # warm the session and content types

    with django_assert_max_num_queries(12):
        client.get(document.get_absolute_url())


def test_a_boroughs_audit_extract_leaves_out_what_its_people_did_for_another_borough(personas):
    from core.documents import audit_extract_context
    from core.models import OfficerRole
    from core.services.accounts import officer_role_grant

    shared = personas.officer_a
    officer_role_grant(actor=None, user=shared, borough=personas.borough_b, role="approver")
    officer_role_grant(
        actor=None, user=shared, borough=personas.borough_a, role=OfficerRole.EVALUATOR
    )
    audit_record(actor=shared, action="auth.signed_in", target=shared)
    audit_record(actor=shared, action="test.work_for_b", target=personas.borough_b)

    context = audit_extract_context(target=personas.borough_a, actor=personas.superuser)
    actions = [row["action"] for row in context["events"]]
    summaries = " ".join(row["summary"] for row in context["events"])

    assert "role.granted" in actions and "role: evaluator" in summaries
    assert "role: approver" not in summaries and personas.borough_b.name not in summaries
    assert "auth.signed_in" in actions
    assert "test.work_for_b" not in actions


def test_a_stalled_render_that_lost_its_claim_does_not_touch_the_file(
    personas, django_capture_on_commit_callbacks, media_root, monkeypatch
):
    """A worker stalls past the time limit; another reclaims and finishes; the first wakes."""
    from core.services import documents as service

    document, _ = _request_extract(personas, django_capture_on_commit_callbacks, execute=False)
    real_render_pdf = service.render_pdf

    def render_while_another_worker_takes_over(**kwargs):
        pdf = real_render_pdf(**kwargs)
        # While this worker was stuck, the document was reclaimed by another.
        GeneratedDocument.objects.filter(pk=document.pk).update(attempts=F("attempts") + 1)
        return pdf

    monkeypatch.setattr(service, "render_pdf", render_while_another_worker_takes_over)

    assert document_render(document_id=document.pk) is None

    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING
    assert document.attempts == 2
    assert _pdf_files(media_root) == []
    assert not AuditEvent.objects.filter(action="document.rendered").exists()
