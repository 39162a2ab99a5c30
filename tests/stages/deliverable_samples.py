"""Deliverables submitted through ``stages.services_deliverables.deliverable_submit``, as the
partner's pages submit them, for the tests of deliverables, gates, instalments and reports.

- ``pdf()``: one small valid PDF evidence file;
- ``every_target(participation, value)``: a measured value for every intermediate target;
- ``progress_report(participation, by=...)``: a progress report without values or files.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from stages.models import Deliverable, DeliverableKind, StageParticipation
from stages.services_deliverables import deliverable_submit

PDF_BYTES = b"%PDF-1.7\n% a monitoring log\n"


def pdf(name: str = "monitoring-log.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def every_target(participation, value: str = "24") -> dict[int, tuple[str, str]]:
    return {target.pk: (value, "") for target in participation.phase.targets.all()}


def progress_report(
    participation: StageParticipation,
    *,
    by,
    title: str = "Interim monitoring report",
    summary: str = "Twenty homes.",
) -> Deliverable:
    return deliverable_submit(
        actor=by,
        participation=participation,
        kind=DeliverableKind.PROGRESS,
        title=title,
        summary=summary,
        measurements={},
        files=[],
    )
