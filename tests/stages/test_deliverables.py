"""The partner's deliverables and the borough's requests for more evidence (RULES.md points 8
and 9; PCR 2015 reg. 31(7)): the partner's organisation administrator submits progress
reports, deliverables and the final report with values measured against the phase's targets
and checked evidence files; the final report moves the phase to review; the lead officer
asks for more evidence and the partner answers, under review too. Nobody else, from no other
state; a refused file stores nothing; mail only once the decision commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.evidence import EvidenceRefused
from partners.services_common import REASON_MAX_LENGTH
from procurements.models import Procurement, ProcurementStatus
from stages.models import (
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    EvidenceRequest,
    MeasuredValue,
    ParticipationStatus,
)
from stages.services_deliverables import deliverable_submit, evidence_request
from tests.stages.deliverable_samples import PDF_BYTES, every_target, pdf
from tests.stages.gate_samples import passed, terminated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

SUBMITTED = "stages.deliverable_submitted"
REVIEW = "stages.participation_submitted_for_review"
REQUESTED = "stages.evidence_requested"


def csv(name: str = "falls.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"home,falls\n1,0\n", content_type="text/csv")


def submit(personas, participation, *, actor=None, **overrides) -> Deliverable:
    arguments = {
        "kind": DeliverableKind.PROGRESS,
        "title": "Interim report",
        "summary": "Twenty homes are monitored.",
        "measurements": {},
        "files": [],
        "answers": None,
        **overrides,
    }
    return deliverable_submit(
        actor=actor or personas.supplier_a_admin, participation=participation, **arguments
    )


def final_report(personas, participation, **overrides) -> Deliverable:
    arguments = {
        "kind": DeliverableKind.FINAL_REPORT,
        "title": "Final report",
        "measurements": every_target(participation),
        "files": [pdf()],
        **overrides,
    }
    return submit(personas, participation, **arguments)


def ask(personas, participation, text: str = "Send the raw monitoring log.", **kw):
    return evidence_request(
        actor=kw.pop("actor", personas.officer_a), participation=participation, request=text, **kw
    )


def stored_counts() -> tuple[int, int, int, int]:
    """Deliverables, files, values and submission events stored so far."""
    return (
        Deliverable.objects.count(),
        DeliverableFile.objects.count(),
        MeasuredValue.objects.count(),
        AuditEvent.objects.filter(action=SUBMITTED).count(),
    )


def nothing_stored(media_root: Path | None = None) -> bool:
    """No deliverable, value, file row or event; and no stored content under ``media_root``."""
    rows = (
        Deliverable.objects.exists()
        or DeliverableFile.objects.exists()
        or MeasuredValue.objects.exists()
        or AuditEvent.objects.filter(action=SUBMITTED).exists()
    )
    content = media_root is not None and any(
        path.is_file() for path in Path(media_root).glob("stage-evidence/**/*")
    )
    return not rows and not content


@pytest.fixture
def personas(shared_personas):
    """The module's personas: its sample is built once (tests/stages/conftest.py)."""
    return shared_personas


@pytest.fixture
def sample(shared_sample):
    return shared_sample


@pytest.fixture
def first(personas, sample):
    return sample.participation(personas.org_a)


# --- a progress report or deliverable ---------------------------------------------------------


def test_the_admin_submits_a_progress_report_with_values_and_files(
    personas, first, mailoutbox, django_capture_on_commit_callbacks
):
    homes = first.phase.targets.order_by("order").first()
    with django_capture_on_commit_callbacks(execute=True):
        deliverable = submit(
            personas,
            first,
            measurements={homes.pk: (" 12 ", "Half of the homes so far.")},
            files=[pdf(), csv()],
        )

    assert deliverable.kind == DeliverableKind.PROGRESS
    assert deliverable.submitted_by == personas.supplier_a_admin
    [value] = deliverable.measurements.all()
    assert (value.target, value.value, value.note) == (homes, "12", "Half of the homes so far.")
    files = list(deliverable.files.order_by("pk"))
    assert [f.name for f in files] == ["monitoring-log.pdf", "falls.csv"]
    assert files[0].content_type == "application/pdf"
    assert files[0].size == len(PDF_BYTES)
    with files[0].file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert files[0].file.name == f"stage-evidence/{first.partnership_id}/{files[0].sha256}"
    event = AuditEvent.objects.get(action=SUBMITTED)
    assert event.actor == personas.supplier_a_admin
    assert event.target_id == str(deliverable.pk)
    assert event.data["kind"] == "progress"
    assert event.data["title"] == "Interim report"
    assert event.data["targets_measured"] == [homes.pk]
    assert [(f["name"], f["sha256"]) for f in event.data["files"]] == [
        (f.name, f.sha256) for f in files
    ]
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert mailoutbox == []  # the lead officer hears of final reports and answers only


def test_the_same_content_twice_is_stored_once(personas, first):
    deliverable = submit(personas, first, files=[pdf("a.pdf"), pdf("b.pdf")])

    paths = {f.file.name for f in deliverable.files.all()}
    assert len(paths) == 1
    assert deliverable.files.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a Windows program", "it is a Windows program"),
        ("tool.exe", b"MZ\x90\x00", "ends in .exe, which is a program"),
        ("empty.pdf", b"", "The selected file is empty"),
        ("photo.png", PDF_BYTES, "it is a PDF"),
        ("archive.zip", b"PK\x03\x04", "Files ending in .zip cannot be uploaded"),
    ],
)
def test_a_refused_file_refuses_the_whole_submission_and_stores_nothing(
    personas, first, settings, name, content, message
):
    with pytest.raises(EvidenceRefused, match=message) as refused:
        submit(
            personas,
            first,
            measurements=every_target(first),
            files=[pdf(), SimpleUploadedFile(name, content)],
        )

    assert "files" in refused.value.extra["errors"]
    assert nothing_stored(settings.MEDIA_ROOT)


def test_more_files_than_allowed_are_refused(personas, first):
    with pytest.raises(ApplicationError, match="Select 10 files or fewer"):
        submit(personas, first, files=[pdf(f"part-{n}.pdf") for n in range(11)])
    assert nothing_stored()


def test_a_value_against_another_phases_target_is_refused(personas, sample, first):
    later = sample.participation(personas.org_a, 2)
    other = later.phase.targets.first()

    with pytest.raises(ApplicationError, match="intermediate targets announced for this phase"):
        submit(personas, first, measurements={other.pk: ("12", "")})
    assert nothing_stored()


def test_a_title_a_summary_and_given_values_are_required(personas, first):
    homes = first.phase.targets.order_by("order").first()

    with pytest.raises(ApplicationError) as refused:
        submit(personas, first, title=" ", summary="", measurements={homes.pk: ("  ", "")})

    errors = refused.value.extra["errors"]
    assert errors["title"] == "Enter a title"
    assert errors["summary"] == "Summarise what you are submitting"
    assert errors[f"value_{homes.pk}"] == "Give the value measured for Homes monitored"
    assert nothing_stored()


def test_a_summary_over_the_limit_is_refused(personas, first):
    with pytest.raises(ApplicationError, match="characters or fewer"):
        submit(personas, first, summary="x" * (REASON_MAX_LENGTH + 1))
    assert nothing_stored()


# --- the final report -------------------------------------------------------------------------


def test_the_final_report_moves_the_phase_to_review_and_tells_the_lead_officer_after_commit(
    personas, sample, first, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = final_report(personas, first)
        assert mailoutbox == []  # nothing is sent before the commit

    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
    assert first.review_requested_at == report.submitted_at
    review = AuditEvent.objects.get(action=REVIEW, target_id=str(first.pk))
    assert review.actor == personas.supplier_a_admin
    assert review.data["final_report_id"] == report.pk
    assert AuditEvent.objects.get(action=SUBMITTED).data["kind"] == "final_report"
    assert report.measurements.count() == 2
    # The other partner's phase is untouched.
    assert sample.participation(personas.org_b).status == ParticipationStatus.IN_PROGRESS

    for callback in callbacks:
        callback()
    [message] = mailoutbox
    assert message.to == [personas.officer_a.email]
    assert "Alpha Robotics Ltd has submitted its final report" in message.subject
    page = reverse(
        "stages:participation", kwargs={"pk": sample.procurement.pk, "participation_pk": first.pk}
    )
    assert page in message.body


def test_a_final_report_without_a_value_for_every_target_is_refused(personas, first):
    homes, falls = first.phase.targets.order_by("order")

    with pytest.raises(ApplicationError) as refused:
        final_report(personas, first, measurements={homes.pk: ("24", "")})

    assert refused.value.extra["errors"] == {
        f"value_{falls.pk}": "Give the value measured for Falls detected within a minute: a "
        "final report gives a value for every intermediate target"
    }
    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert nothing_stored()
    assert not AuditEvent.objects.filter(action=REVIEW).exists()


def test_a_final_report_without_an_evidence_file_is_refused(personas, first):
    with pytest.raises(ApplicationError, match="Select at least one evidence file"):
        final_report(personas, first, files=[])

    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert nothing_stored()


def test_a_second_final_report_is_refused_while_the_phase_is_under_review(personas, first):
    final_report(personas, first)

    with pytest.raises(ApplicationError, match="already been submitted for review"):
        final_report(personas, first, title="Another final report")

    assert Deliverable.objects.count() == 1
    assert AuditEvent.objects.filter(action=REVIEW).count() == 1


def test_under_review_a_deliverable_that_answers_no_request_is_refused(personas, first):
    final_report(personas, first)

    with pytest.raises(ApplicationError, match="only submit a deliverable that answers") as error:
        submit(personas, first)
    assert "answers" in error.value.extra["errors"]
    assert Deliverable.objects.count() == 1


# --- forbidden states and people --------------------------------------------------------------


def test_a_phase_not_started_takes_no_deliverable(personas, sample):
    later = sample.participation(personas.org_a, 2)

    with pytest.raises(ApplicationError, match="This phase has not started"):
        submit(personas, later)
    assert nothing_stored()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ParticipationStatus.PASSED, "has passed its gate"),
        (ParticipationStatus.TERMINATED, "was terminated"),
    ],
)
def test_a_phase_decided_at_its_gate_takes_no_deliverable(personas, sample, first, status, message):
    decide = passed if status == ParticipationStatus.PASSED else terminated
    decide(personas, sample, personas.org_a, 1)  # the final report, the marks, the decision
    before = stored_counts()

    with pytest.raises(ApplicationError, match=message):
        final_report(personas, first)
    assert stored_counts() == before


@pytest.mark.parametrize(
    "persona",
    ["supplier_a_member", "supplier_b_admin", "consortium_member", "officer_a", "approver_a"],
)
def test_nobody_but_the_partners_admin_submits(personas, first, persona):
    with pytest.raises(PermissionRefused, match="administrator of the partner's organisation"):
        final_report(personas, first, actor=getattr(personas, persona))

    first.refresh_from_db()
    assert first.status == ParticipationStatus.IN_PROGRESS
    assert nothing_stored()


# --- asking for more evidence and answering ---------------------------------------------------


def test_the_lead_officer_asks_for_more_evidence_and_the_partners_admins_are_emailed(
    personas, sample, first, mailoutbox, django_capture_on_commit_callbacks
):
    deliverable = submit(personas, first)
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(personas, first, deliverable=deliverable)

    assert asked.asked_by == personas.officer_a
    assert asked.deliverable == deliverable
    assert asked.answered_at is None
    event = AuditEvent.objects.get(action=REQUESTED)
    assert event.actor == personas.officer_a
    assert event.target_id == str(first.pk)
    assert event.data["request"] == "Send the raw monitoring log."
    assert event.data["deliverable_id"] == deliverable.pk
    [message] = mailoutbox
    assert message.to == [personas.supplier_a_admin.email]  # administrators, not members
    assert "Send the raw monitoring log." in message.body
    assert reverse("stages:partner-phase", kwargs={"pk": first.pk}) in message.body


def test_nothing_is_mailed_when_the_request_rolls_back(
    personas, first, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask(personas, first)
        raise RuntimeError("the page failed after the request")

    assert callbacks == []
    assert mailoutbox == []
    assert not EvidenceRequest.objects.exists()


def test_the_partner_answers_under_review_and_the_lead_officer_hears_of_it(
    personas, first, mailoutbox, django_capture_on_commit_callbacks
):
    final_report(personas, first)
    asked = ask(personas, first)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = submit(personas, first, kind=DeliverableKind.DELIVERABLE, answers=asked)

    asked.refresh_from_db()
    assert asked.answered_at == answer.submitted_at
    assert answer.answers == asked
    assert AuditEvent.objects.filter(action=SUBMITTED).last().data["answers_request_id"] == (
        asked.pk
    )
    first.refresh_from_db()
    assert first.status == ParticipationStatus.UNDER_REVIEW
    [message] = mailoutbox
    assert message.to == [personas.officer_a.email]
    assert "answered your request for more evidence" in message.subject


def test_an_answered_request_cannot_be_answered_again(personas, first):
    asked = ask(personas, first)
    submit(personas, first, answers=asked)

    with pytest.raises(ApplicationError, match="already been answered"):
        submit(personas, first, answers=asked, title="Again")
    assert Deliverable.objects.count() == 1


def test_a_request_of_another_phase_cannot_be_answered(personas, sample, first):
    theirs = ask(personas, sample.participation(personas.org_b))

    with pytest.raises(ApplicationError, match="not about this phase"):
        submit(personas, first, answers=theirs)
    assert nothing_stored()


def test_evidence_can_be_asked_under_review(personas, first):
    final_report(personas, first)

    asked = ask(personas, first)

    assert asked.participation_id == first.pk


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ParticipationStatus.NOT_STARTED, "has not started"),
        (ParticipationStatus.PASSED, "has passed its gate"),
        (ParticipationStatus.TERMINATED, "was terminated"),
    ],
)
def test_evidence_is_not_asked_of_a_phase_not_running(personas, sample, status, message):
    if status == ParticipationStatus.PASSED:
        passed(personas, sample, personas.org_a, 1)  # which starts phase 2
        passed(personas, sample, personas.org_a, 2)
    elif status == ParticipationStatus.TERMINATED:
        terminated(personas, sample, personas.org_a, 1)  # which ends phase 2 too
    participation = sample.participation(personas.org_a, 2)
    assert participation.status == status

    with pytest.raises(ApplicationError, match=message):
        ask(personas, participation)
    assert not EvidenceRequest.objects.exists()
    assert not AuditEvent.objects.filter(action=REQUESTED).exists()


@pytest.mark.parametrize(
    "persona", ["approver_a", "borough_admin_a", "evaluator_a", "officer_b", "supplier_a_admin"]
)
def test_only_the_lead_officer_asks_for_evidence(personas, first, persona):
    with pytest.raises(PermissionRefused, match="Only the lead officer"):
        ask(personas, first, actor=getattr(personas, persona))
    assert not EvidenceRequest.objects.exists()


def test_no_evidence_is_asked_once_the_procurement_is_closed(personas, sample, first):
    Procurement.objects.filter(pk=sample.procurement.pk).update(status=ProcurementStatus.CLOSED)

    with pytest.raises(PermissionRefused):
        ask(personas, first)
    assert not EvidenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("  ", "Say what evidence you need"), ("x" * (REASON_MAX_LENGTH + 1), "or fewer")],
)
def test_the_request_says_what_is_needed_within_the_limit(personas, first, text, message):
    with pytest.raises(ApplicationError, match=message) as refused:
        ask(personas, first, text=text)
    assert "request" in refused.value.extra["errors"]
    assert not EvidenceRequest.objects.exists()


def test_a_request_about_another_partners_deliverable_is_refused(personas, sample, first):
    theirs = submit(personas, sample.participation(personas.org_b), actor=personas.supplier_b_admin)

    with pytest.raises(ApplicationError, match="Choose a deliverable of this phase"):
        ask(personas, first, deliverable=theirs)
    assert not EvidenceRequest.objects.exists()
