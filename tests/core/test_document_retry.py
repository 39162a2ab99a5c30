"""Generating a failed document again: back to pending from the context frozen when it was
requested, enqueued only after commit, audited, for whoever may request its kind only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.documents import (
    AUDIT_EXTRACT,
    DocumentKind,
    register_document_kind,
    unregister_document_kind,
)
from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent, DocumentStatus, GeneratedDocument
from core.services.documents import document_render, document_request, document_retry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

KIND = "test_retry"


@pytest.fixture
def kind():
    """A kind whose template is missing at first: its render fails for good."""
    broken = register_document_kind(
        DocumentKind(
            name=KIND,
            template="core/documents/does-not-exist.html",
            title=lambda target: f"Retry: {target}",
            build_context=lambda *, target, actor, extra: {"events": [], "subject": "frozen"},
            may_request=AUDIT_EXTRACT.may_request,
            may_read=AUDIT_EXTRACT.may_read,
        )
    )
    yield broken
    unregister_document_kind(KIND)


def _repaired(kind: DocumentKind) -> None:
    """The template is put right (a fix deployed), as the same kind."""
    unregister_document_kind(KIND)
    register_document_kind(replace(kind, template="core/documents/audit_extract.html"))


@pytest.fixture
def failed(personas, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=KIND, target=personas.borough_a, actor=personas.borough_admin_a
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    return document


def test_a_failed_document_is_generated_again_from_its_frozen_context(
    personas, kind, failed, django_capture_on_commit_callbacks
):
    _repaired(kind)
    with django_capture_on_commit_callbacks() as callbacks:
        document = document_retry(actor=personas.borough_admin_a, document=failed)
        assert document.status == DocumentStatus.PENDING
        assert document.attempts == 0

    assert len(callbacks) == 1  # enqueued after commit
    callbacks[0]()  # the task (eager here) renders it
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.pk == failed.pk
    assert document.context == {"events": [], "subject": "frozen"}
    assert document.error == ""
    assert GeneratedDocument.objects.filter(kind=KIND).count() == 1
    event = AuditEvent.objects.get(action="document.retried")
    assert event.actor == personas.borough_admin_a
    assert event.data["kind"] == KIND
    assert "TemplateDoesNotExist" in event.data["error"]


def test_only_someone_who_may_request_the_kind_may_retry(personas, failed):
    for person in (personas.officer_a, personas.supplier_a_admin, personas.officer_b):
        with pytest.raises(PermissionRefused):
            document_retry(actor=person, document=failed)
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.FAILED
    assert not AuditEvent.objects.filter(action="document.retried").exists()


def test_a_document_that_has_not_failed_is_not_retried(personas, kind, failed):
    _repaired(kind)
    document_retry(actor=personas.borough_admin_a, document=failed)
    with pytest.raises(ApplicationError, match="already waiting"):
        document_retry(actor=personas.borough_admin_a, document=failed)
    document_render(document_id=failed.pk)
    with pytest.raises(ApplicationError, match="ready"):
        document_retry(actor=personas.borough_admin_a, document=failed)


def test_a_failed_document_is_not_retried_while_a_newer_one_is_on_its_way(
    personas, failed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        newer = document_request(
            kind=KIND, target=personas.borough_a, actor=personas.borough_admin_a
        )
    assert newer.pk != failed.pk

    with pytest.raises(ApplicationError, match="newer copy"):
        document_retry(actor=personas.borough_admin_a, document=failed)
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.FAILED


def test_nothing_is_enqueued_when_the_retry_is_rolled_back(
    personas, failed, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        document_retry(actor=personas.borough_admin_a, document=failed)
        raise RuntimeError("rolled back")

    assert callbacks == []
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.FAILED
