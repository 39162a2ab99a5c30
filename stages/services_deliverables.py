"""The partner's deliverables and the officer's requests for more evidence (RULES.md points 8
and 9; PCR 2015 reg. 31(7); PA 2023 s.20).

During a phase the partner's organisation administrator submits progress reports,
deliverables and, last, the phase's final report: each with the values it measured against
the phase's announced intermediate targets and its evidence files. The final report gives a
value for every target and at least one file, and moves the participation to review at the
phase's gate in the same transaction. The lead officer may ask for more evidence of a phase
in progress or under review; the partner answers with a deliverable that cites the request,
which it may submit while the phase is under review too.

Every evidence file is checked (``partners.evidence.evidence_check``: name, size and content)
before anything is written, so one refused file refuses the whole submission and nothing is
stored. Files are stored under the partnership by SHA-256, once per content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.mail import absolute_url, send_after_commit
from core.models import User
from partners.evidence import CheckedEvidence, EvidenceRefused, evidence_check
from partners.services_common import organisation_admin_emails, text_problem

from .models import (
    Deliverable,
    DeliverableFile,
    DeliverableKind,
    EvidenceRequest,
    MeasuredValue,
    ParticipationStatus,
    StageParticipation,
)
from .models.running import deliverable_upload_to
from .permissions import is_partner_admin, is_running_officer
from .services_participation import (
    NOT_SUBMITTABLE,
    participation_to_review,
    refuse_unless_partner_admin,
)

EMAILS = "stages/deliverables/email"
TITLE_MAX_LENGTH = 200
VALUE_MAX_LENGTH = 200
MAX_FILES = 10

PARTNER_ADMIN_ONLY = "Only an administrator of the partner's organisation submits its deliverables."
LEAD_OFFICER_ONLY = (
    "Only the lead officer asks a partner for more evidence, while the procurement is active."
)

# Why nothing can be delivered in a phase in each state.
NOT_DELIVERABLE = {
    ParticipationStatus.NOT_STARTED: (
        "This phase has not started: deliverables are submitted once it starts, after the gate "
        "of the phase before it is passed."
    ),
    ParticipationStatus.UNDER_REVIEW: (
        "This phase is under review at its gate: you can only submit a deliverable that "
        "answers the borough's request for more evidence."
    ),
    ParticipationStatus.PASSED: (
        "This phase has passed its gate: deliverables are submitted in the phase in progress."
    ),
    ParticipationStatus.TERMINATED: (
        "This partner's participation in this phase was terminated: nothing more can be "
        "submitted for it."
    ),
}
# Why the borough cannot ask for more evidence of a phase in each state.
NOT_ASKABLE = {
    ParticipationStatus.NOT_STARTED: (
        "This phase has not started: ask for evidence once the partner is working on it."
    ),
    ParticipationStatus.PASSED: "This phase has passed its gate: its evidence is closed.",
    ParticipationStatus.TERMINATED: (
        "This partner's participation in this phase was terminated: there is nothing to ask."
    ),
}
ASKABLE = (ParticipationStatus.IN_PROGRESS, ParticipationStatus.UNDER_REVIEW)


def can_submit_deliverable(user: User, participation: StageParticipation) -> bool:
    """An administrator of the partner's organisation, while its partnership is active."""
    return is_partner_admin(user, participation.partnership)


def can_request_evidence(user: User, participation: StageParticipation) -> bool:
    """The lead officer, while the procurement is active."""
    return is_running_officer(user, participation.partnership.procurement)


def deliverable_kinds(
    participation: StageParticipation, *, open_requests: bool
) -> list[DeliverableKind]:
    """What may be submitted in the participation's state: anything while in progress; while
    under review, only an answer to an open request for more evidence (never a second final
    report); nothing otherwise."""
    if participation.status == ParticipationStatus.IN_PROGRESS:
        return list(DeliverableKind)
    if participation.status == ParticipationStatus.UNDER_REVIEW and open_requests:
        return [DeliverableKind.PROGRESS, DeliverableKind.DELIVERABLE]
    return []


def _lock(participation: StageParticipation) -> StageParticipation:
    return (
        StageParticipation.objects.select_for_update(of=("self",))
        .select_related(
            "partnership__request__organisation",
            "partnership__procurement__lead_officer",
            "partnership__procurement__borough",
            "phase",
        )
        .get(pk=participation.pk)
    )


def _refuse(errors: dict[str, str], message: str) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise ApplicationError(first if len(errors) == 1 else message, extra={"errors": errors})


# --- submitting -------------------------------------------------------------------------------


def _open_request(participation: StageParticipation, answers: EvidenceRequest) -> EvidenceRequest:
    request = (
        EvidenceRequest.objects.select_for_update()
        .filter(pk=answers.pk, participation=participation)
        .first()
    )
    if request is None:
        raise ApplicationError(
            "This request for more evidence is not about this phase.",
            extra={"errors": {"answers": "Choose a request for more evidence of this phase"}},
        )
    if request.answered_at is not None:
        problem = "This request for more evidence has already been answered"
        raise ApplicationError(f"{problem}.", extra={"errors": {"answers": problem}})
    return request


def _refuse_unless_deliverable(
    participation: StageParticipation, kind: str, answers: EvidenceRequest | None
) -> None:
    """In progress: anything. Under review: only an answer to a request, never a second
    final report. Any other state: nothing."""
    status = participation.status
    if status == ParticipationStatus.IN_PROGRESS:
        return
    if status == ParticipationStatus.UNDER_REVIEW:
        if kind == DeliverableKind.FINAL_REPORT:
            raise ApplicationError(NOT_SUBMITTABLE[status])
        if answers is not None:
            return
        raise ApplicationError(
            NOT_DELIVERABLE[status],
            extra={"errors": {"answers": "Choose the request for more evidence it answers"}},
        )
    raise ApplicationError(NOT_DELIVERABLE[status])


def _text_errors(kind: str, title: str, summary: str) -> dict[str, str]:
    errors = {}
    if kind not in DeliverableKind.values:
        errors["kind"] = "Choose what you are submitting"
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"Write the title in {TITLE_MAX_LENGTH} characters or fewer"
    problem = text_problem(
        summary, missing="Summarise what you are submitting", what="Write the summary"
    )
    if problem:
        errors["summary"] = problem
    return errors


def _measurement_errors(
    participation: StageParticipation,
    kind: str,
    measurements: Mapping[int, tuple[str, str]],
) -> dict[str, str]:
    """Values only against the phase's targets, each given and short enough; a final report
    gives one for every target."""
    targets = {target.pk: target for target in participation.phase.targets.all()}
    if set(measurements) - set(targets):
        raise ApplicationError(
            "Measured values can only be given against the intermediate targets announced for "
            "this phase."
        )
    errors = {}
    for target_id, target in targets.items():
        field = f"value_{target_id}"
        if target_id not in measurements:
            if kind == DeliverableKind.FINAL_REPORT:
                errors[field] = (
                    f"Give the value measured for {target.metric}: a final report gives a "
                    "value for every intermediate target"
                )
            continue
        value, note = measurements[target_id]
        value = (value or "").strip()
        if not value:
            errors[field] = f"Give the value measured for {target.metric}"
        elif len(value) > VALUE_MAX_LENGTH:
            errors[field] = (
                f"Write the value measured for {target.metric} in {VALUE_MAX_LENGTH} "
                "characters or fewer"
            )
        problem = text_problem(
            note, missing="", what=f"Write the note on {target.metric}", required=False
        )
        if problem:
            errors[f"note_{target_id}"] = problem
    return errors


def _checked_files(files: Sequence[Any]) -> list[tuple[Any, CheckedEvidence]]:
    """Every file checked before anything is written: the first refused refuses them all."""
    if len(files) > MAX_FILES:
        problem = f"Select {MAX_FILES} files or fewer: submit more in another deliverable"
        raise ApplicationError(f"{problem}.", extra={"errors": {"files": problem}})
    checked = []
    for upload in files:
        try:
            checked.append((upload, evidence_check(name=upload.name, file=upload)))
        except EvidenceRefused as refusal:
            name = upload.name or ""
            message = refusal.message if name in refusal.message else f"{name}: {refusal.message}"
            raise EvidenceRefused(message, extra={"errors": {"files": message}}) from refusal
    return checked


def _store(stored: DeliverableFile, upload: Any) -> None:
    """Point the row at its content, writing it unless the partnership already holds it."""
    path = deliverable_upload_to(stored, stored.name)
    storage = stored.file.storage
    if storage.exists(path):
        stored.file.name = path
        return
    upload.seek(0)
    stored.file.save(stored.name, File(upload), save=False)


def _files_save(
    deliverable: Deliverable, checked: list[tuple[Any, CheckedEvidence]], actor: User
) -> list[DeliverableFile]:
    saved = []
    for upload, evidence in checked:
        stored = DeliverableFile(
            deliverable=deliverable,
            name=evidence.name,
            content_type=evidence.content_type,
            size=evidence.size,
            sha256=evidence.sha256,
            uploaded_by=actor,
        )
        _store(stored, upload)
        stored.full_clean()
        stored.save()
        saved.append(stored)
    return saved


def _measurements_save(
    deliverable: Deliverable, measurements: Mapping[int, tuple[str, str]]
) -> list[MeasuredValue]:
    rows = [
        MeasuredValue(
            deliverable=deliverable,
            target_id=target_id,
            value=(value or "").strip(),
            note=(note or "").strip(),
        )
        for target_id, (value, note) in measurements.items()
    ]
    for row in rows:
        row.full_clean(exclude=["deliverable", "target"])
    return MeasuredValue.objects.bulk_create(rows)


@transaction.atomic
def deliverable_submit(
    *,
    actor: User,
    participation: StageParticipation,
    kind: str,
    title: str,
    summary: str,
    measurements: Mapping[int, tuple[str, str]],
    files: Sequence[Any],
    answers: EvidenceRequest | None = None,
) -> Deliverable:
    """The partner's organisation administrator submits a progress report, a deliverable or
    the phase's final report, with values measured against the phase's intermediate targets
    (``measurements``: target id -> (value, note)) and evidence files (RULES.md point 8).

    Refused for anyone else; while the phase is not in progress, except an answer to an open
    request for more evidence while it is under review; values against any other phase's
    targets; any file the evidence check refuses (nothing is stored). The final report gives
    a value for every target and at least one file, and moves the participation to review at
    its gate (point 9). The lead officer is e-mailed when a final report arrives or a request
    is answered."""
    participation = _lock(participation)
    refuse_unless_partner_admin(
        actor, participation, refused=PARTNER_ADMIN_ONLY, why_not=NOT_DELIVERABLE
    )
    request = _open_request(participation, answers) if answers is not None else None
    _refuse_unless_deliverable(participation, kind, request)
    errors = _text_errors(kind, title, summary)
    errors.update(_measurement_errors(participation, kind, measurements))
    final = kind == DeliverableKind.FINAL_REPORT
    if final and not files:
        errors["files"] = (
            "Select at least one evidence file: a final report needs evidence of its results"
        )
    _refuse(errors, "The deliverable could not be submitted: correct the problems shown.")
    checked = _checked_files(files)
    now = timezone.now()
    deliverable = Deliverable(
        participation=participation,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        answers=request,
        submitted_by=actor,
        submitted_at=now,
    )
    deliverable.full_clean()
    deliverable.save()
    values = _measurements_save(deliverable, measurements)
    stored = _files_save(deliverable, checked, actor)
    if request is not None:
        request.answered_at = now
        request.save(update_fields=["answered_at"])
    _audit_submitted(actor, participation, deliverable, values, stored)
    if final:
        participation_to_review(actor=actor, participation=participation, final_report=deliverable)
    if final or request is not None:
        _tell_the_lead_officer(participation, deliverable)
    return deliverable


def _audit_submitted(
    actor: User,
    participation: StageParticipation,
    deliverable: Deliverable,
    values: list[MeasuredValue],
    stored: list[DeliverableFile],
) -> None:
    audit_record(
        actor=actor,
        action="stages.deliverable_submitted",
        target=deliverable,
        data={
            "participation_id": participation.pk,
            "partnership": participation.partnership.reference,
            "phase": participation.phase.name,
            "kind": deliverable.kind,
            "title": deliverable.title,
            "answers_request_id": deliverable.answers_id,
            "targets_measured": sorted(value.target_id for value in values),
            "files": [{"name": row.name, "sha256": row.sha256, "size": row.size} for row in stored],
        },
    )


def _tell_the_lead_officer(participation: StageParticipation, deliverable: Deliverable) -> None:
    procurement = participation.partnership.procurement
    officer = procurement.lead_officer
    if officer is None:
        return
    final = deliverable.kind == DeliverableKind.FINAL_REPORT
    send_after_commit(
        template=f"{EMAILS}/{'final_report' if final else 'answered'}",
        context={
            "procurement": procurement,
            "participation": participation,
            "partner": participation.partnership.request.organisation.name,
            "deliverable": deliverable,
            "url": absolute_url(
                reverse(
                    "stages:participation",
                    kwargs={"pk": procurement.pk, "participation_pk": participation.pk},
                )
            ),
        },
        recipients=[officer.email],
    )


# --- asking for more evidence -----------------------------------------------------------------


@transaction.atomic
def evidence_request(
    *,
    actor: User,
    participation: StageParticipation,
    request: str,
    deliverable: Deliverable | None = None,
) -> EvidenceRequest:
    """The lead officer asks the partner for more evidence of a phase in progress or under
    review (or of one of its deliverables), saying what and why; the partner's organisation
    administrators are e-mailed a link to the phase. Refused for anyone else, and in any
    other state."""
    participation = _lock(participation)
    if not can_request_evidence(actor, participation):
        raise PermissionRefused(LEAD_OFFICER_ONLY)
    if participation.status not in ASKABLE:
        raise ApplicationError(NOT_ASKABLE[participation.status])
    errors = {}
    problem = text_problem(
        request, missing="Say what evidence you need, and why", what="Write the request"
    )
    if problem:
        errors["request"] = problem
    if deliverable is not None and deliverable.participation_id != participation.pk:
        errors["deliverable"] = "Choose a deliverable of this phase"
    _refuse(errors, "The request could not be sent: correct the problems shown.")
    asked = EvidenceRequest(
        participation=participation,
        deliverable=deliverable,
        request=request.strip(),
        asked_by=actor,
    )
    asked.full_clean()
    asked.save()
    audit_record(
        actor=actor,
        action="stages.evidence_requested",
        target=participation,
        data={
            "request_id": asked.pk,
            "partnership": participation.partnership.reference,
            "phase": participation.phase.name,
            "deliverable_id": asked.deliverable_id,
            "request": asked.request,
        },
    )
    send_after_commit(
        template=f"{EMAILS}/evidence_requested",
        context={
            "procurement": participation.partnership.procurement,
            "participation": participation,
            "asked": asked,
            "url": absolute_url(reverse("stages:partner-phase", kwargs={"pk": participation.pk})),
        },
        recipients=organisation_admin_emails(participation.partnership.request.organisation),
    )
    return asked
