"""A real Celery worker against Redis renders the stage-gate report and the partner's letter
once the gate decision commits (eager mode hides transaction bugs)."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from core.models import DocumentStatus
from stages.documents_gate import LETTER_KIND, REPORT_KIND
from tests.core.test_documents_worker import (
    _published_for_real_to,
    _wait_until_finished,
    _worker,
)
from tests.stages.running_samples import running
from tests.stages.test_gate_reports import (
    decide,
    document_of,
    measure,
    pay_first_instalment,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("bank_holidays"),
]


def _text(settings, document) -> str:
    pdf = (settings.MEDIA_ROOT / document.file.name).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_real_worker_renders_the_report_and_the_letter_after_the_decision_commits(
    personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sample = running(personas)
    a, b = sample.participation(personas.org_a, 1), sample.participation(personas.org_b, 1)
    measure(a, ["24 homes", "93%"], by=personas.supplier_a_admin)
    pay_first_instalment(a, by=personas.officer_a)
    queue = f"test-gate-reports-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"

    with (
        _published_for_real_to(queue),
        _worker(queue=queue, media_root=settings.MEDIA_ROOT, log_path=log_path) as worker,
    ):
        decide(personas, b, terminate=True, scores=(3, 4))  # its own transaction: commits
        decision = decide(personas, a)
        report = _wait_until_finished(document_of(decision, REPORT_KIND))
        letter = _wait_until_finished(document_of(decision, LETTER_KIND))
        still_running = worker.poll() is None

    log = log_path.read_text(errors="replace")
    assert still_running, log
    assert report.status == DocumentStatus.READY, f"{report.error}\n{log}"
    assert letter.status == DocumentStatus.READY, f"{letter.error}\n{log}"
    text = _text(settings, report)
    assert "version 2" in text.lower()
    assert "Pass to the next phase" in text and "Terminate this partner" in text
    assert "An intermediate target of the phase is not met" in text
    assert "£30,000.00" in text and "£75,000.00" in text
    letter_text = _text(settings, letter)
    assert "Alpha Robotics Ltd" in letter_text and "24 homes" in letter_text
    assert "Beta Care CIC" not in letter_text
