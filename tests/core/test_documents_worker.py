"""A real Celery worker against Redis renders a real PDF (eager mode hides transaction bugs)."""

import io
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from core.audit import audit_record
from core.models import DocumentStatus, GeneratedDocument
from core.services.documents import document_request
from portal.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@contextmanager
def _published_for_real_to(queue: str):
    """Publish the render task to ``queue`` on the broker instead of running it in-process.

    A queue of its own keeps this worker away from any other test run sharing
    the Redis database.
    """
    conf, amqp = celery_app.conf, celery_app.amqp
    saved = conf.task_always_eager, conf.task_routes
    conf.task_always_eager = False
    conf.task_routes = {"core.tasks.document_render_task": {"queue": queue}}
    amqp.flush_routes()
    amqp.router = amqp.Router()
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_routes = saved
        amqp.flush_routes()
        amqp.router = amqp.Router()
        broker = redis.Redis.from_url(conf.broker_url)
        leftovers = list(broker.scan_iter(match=f"*{queue}*"))
        if leftovers:
            broker.delete(*leftovers)


@contextmanager
def _worker(*, queue: str, media_root, log_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_app.conf.broker_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(media_root),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker",
        "--pool=solo", "--loglevel=INFO", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_finished(document: GeneratedDocument) -> GeneratedDocument:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
            return document
        time.sleep(0.25)
    return document


def test_a_real_worker_renders_a_requested_extract_to_a_tagged_pdf(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"test-documents-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    audit_record(actor=personas.borough_admin_a, action="role.granted", target=personas.officer_a)

    with (
        _published_for_real_to(queue),
        _worker(queue=queue, media_root=settings.MEDIA_ROOT, log_path=log_path) as worker,
    ):
        document = document_request(
            kind="audit_extract", target=personas.borough_a, actor=personas.borough_admin_a
        )  # autocommit: on_commit publishes at once
        document = _wait_until_finished(document)
        still_running = worker.poll() is None

    log = log_path.read_text(errors="replace")
    assert still_running, log
    assert document.status == DocumentStatus.READY, f"{document.status}: {document.error}\n{log}"
    assert document.attempts == 1
    pdf = (settings.MEDIA_ROOT / document.file.name).read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Audit extract: London Borough of Aldgate" in text
    assert "role.granted" in text
    assert "document.requested" not in text  # frozen before its own request was recorded
    assert "document_render_task[" in log
