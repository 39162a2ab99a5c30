"""Writes to evidence: files attached to an answer of a request to participate or to an item
of the organisation's evidence library, the library's items, and pulling an item into an
answer (RULES.md point 3; issue "Evidence library").

A file is checked (partners/evidence.py) before anything is written, so a refused upload
changes nothing: the answer and its other files stay as they were. Files are stored once
per organisation under their SHA-256 and shared by every row that holds the same content
(a file pulled from the library is the library's stored file). Stored content is deleted
only when no row holds it and no submission lists it, since the borough assesses the files
of the submissions made before the deadline.

Audit events carry ids, sizes and SHA-256 only: never a file's name or any text, so nobody
at the borough can read a request through the audit trail before the deadline.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import ApplicationError, PermissionRefused
from core.models import SupplierOrganisation, User

from .evidence import CheckedEvidence, evidence_check
from .models import (
    EvidenceFile,
    EvidenceLibraryItem,
    ParticipationRequest,
    RequestAnswer,
    RequestSubmission,
    SelectionQuestion,
)
from .models.requests import evidence_upload_to
from .permissions_evidence import can_keep_evidence
from .services_common import refuse_unless_changeable, request_lock
from .submission import published_questions

LIBRARY_FIELDS = ("kind", "title", "text")
NOT_YOURS = "Only people in the organisation that owns this evidence can change it."
NOT_A_QUESTION = "This question is not in the procurement's selection questionnaire."


# --- locks and guards -------------------------------------------------------------------------


def _request_for_update(*, actor: User, request: ParticipationRequest) -> ParticipationRequest:
    """Lock the request and check that the actor may change its answers now: a member of
    its organisation, a draft or submitted request, before the deadline (server clock)."""
    request = request_lock(request.pk)
    if not can_keep_evidence(actor, request.organisation):
        raise PermissionRefused(
            f"Only people in {request.organisation.name} can change its request to participate."
        )
    refuse_unless_changeable(request)
    return request


def _library_item_for_update(*, actor: User, item: EvidenceLibraryItem) -> EvidenceLibraryItem:
    item = (
        EvidenceLibraryItem.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=item.pk)
    )
    if not can_keep_evidence(actor, item.organisation):
        raise PermissionRefused(NOT_YOURS)
    return item


def _lock_organisation(organisation_id: int) -> None:
    """Serialise, per organisation, the writers that add a reference to stored content with
    the clean-up that deletes unreferenced content, so content is never deleted under a row
    being written. Always taken after the request's or the library item's lock."""
    list(
        SupplierOrganisation.objects.select_for_update()
        .filter(pk=organisation_id)
        .values_list("pk", flat=True)
    )


def _published_question(request: ParticipationRequest, question: SelectionQuestion):
    for published in published_questions(request.procurement):
        if published.pk == question.pk:
            return published
    raise ApplicationError(NOT_A_QUESTION)


def _answer_touch(
    *, actor: User, request: ParticipationRequest, question: SelectionQuestion
) -> RequestAnswer:
    """The answer to ``question``, created if missing, as last changed by ``actor``."""
    answer, _created = RequestAnswer.objects.update_or_create(
        request=request, question=question, defaults={"updated_by": actor}
    )
    return answer


# --- stored content ---------------------------------------------------------------------------


def _store(evidence: EvidenceFile, upload: Any) -> None:
    """Point ``evidence`` at its content, writing it unless the organisation already holds
    the same content (the organisation's lock is held)."""
    path = evidence_upload_to(evidence, evidence.name)
    storage = evidence.file.storage
    if storage.exists(path):
        evidence.file.name = path
        return
    upload.seek(0)
    evidence.file.save(evidence.name, File(upload), save=False)


def _listed_in_a_submission(organisation_id: int, sha256: str) -> bool:
    contents = RequestSubmission.objects.filter(request__organisation_id=organisation_id)
    for content in contents.values_list("content", flat=True).iterator():
        for answer in content.get("answers", []):
            if any(listed.get("sha256") == sha256 for listed in answer.get("files", [])):
                return True
    return False


def _forget_content_after_commit(evidence: EvidenceFile) -> None:
    """Once the removal is committed, delete the stored content if nothing holds it."""
    organisation_id, path, sha256 = evidence.organisation_id, evidence.file.name, evidence.sha256
    storage = evidence.file.storage

    def forget() -> None:
        with transaction.atomic():
            _lock_organisation(organisation_id)
            if EvidenceFile.objects.filter(organisation_id=organisation_id, file=path).exists():
                return
            if _listed_in_a_submission(organisation_id, sha256):
                return
            storage.delete(path)

    transaction.on_commit(forget)


def _file_data(evidence: EvidenceFile) -> dict[str, Any]:
    return {"file_id": evidence.pk, "sha256": evidence.sha256, "size": evidence.size}


# --- files ------------------------------------------------------------------------------------


@transaction.atomic
def evidence_file_add(
    *,
    actor: User,
    upload: Any,
    answer: RequestAnswer | None = None,
    request: ParticipationRequest | None = None,
    question: SelectionQuestion | None = None,
    library_item: EvidenceLibraryItem | None = None,
) -> EvidenceFile:
    """Attach an uploaded file to an answer (``answer``, or ``request`` and ``question``:
    the answer is created if missing) or to a library item. The file is checked first;
    ``EvidenceRefused`` says why it is refused and nothing is written."""
    if answer is not None:
        request, question = answer.request, answer.question
    if (request is None) == (library_item is None) or (request is None) != (question is None):
        raise ValueError("Give an answer, a request and its question, or a library item.")
    if library_item is not None:
        item = _library_item_for_update(actor=actor, item=library_item)
        checked = evidence_check(name=upload.name, file=upload)
        _lock_organisation(item.organisation_id)
        evidence = _new_file(checked, actor=actor, organisation=item.organisation)
        evidence.library_item = item
        target: Any = item.organisation
        data = {"library_item_id": item.pk, "kind": item.kind}
    else:
        request = _request_for_update(actor=actor, request=request)
        question = _published_question(request, question)
        checked = evidence_check(name=upload.name, file=upload)
        _lock_organisation(request.organisation_id)
        answer = _answer_touch(actor=actor, request=request, question=question)
        evidence = _new_file(checked, actor=actor, organisation=request.organisation)
        evidence.answer = answer
        target = request
        data = {"request_id": request.pk, "question_id": question.pk, "answer_id": answer.pk}
    _store(evidence, upload)
    evidence.full_clean()
    evidence.save()
    audit_record(
        actor=actor,
        action="partners.evidence_file_added",
        target=target,
        data={**data, **_file_data(evidence)},
    )
    return evidence


def _new_file(
    checked: CheckedEvidence, *, actor: User, organisation: SupplierOrganisation
) -> EvidenceFile:
    return EvidenceFile(
        organisation=organisation,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )


@transaction.atomic
def evidence_file_remove(*, actor: User, evidence: EvidenceFile) -> None:
    """Remove a file from its answer or library item. Removing a file from an answer is a
    change to the request, so it is allowed only while the request may change."""
    if evidence.answer_id is not None:
        request = _request_for_update(actor=actor, request=evidence.answer.request)
        target: Any = request
        data: dict[str, Any] = {
            "request_id": request.pk,
            "question_id": evidence.answer.question_id,
            "answer_id": evidence.answer_id,
        }
    else:
        item = _library_item_for_update(actor=actor, item=evidence.library_item)
        target = item.organisation
        data = {"library_item_id": item.pk}
    found = EvidenceFile.objects.filter(pk=evidence.pk).first()
    if found is None:
        raise ApplicationError("This file has already been removed.")
    found.delete()
    if evidence.answer_id is not None:
        RequestAnswer.objects.filter(pk=evidence.answer_id).update(
            updated_by=actor, updated_at=timezone.now()
        )
    audit_record(
        actor=actor,
        action="partners.evidence_file_removed",
        target=target,
        data={**data, **_file_data(evidence)},
    )
    _forget_content_after_commit(evidence)


# --- the library ------------------------------------------------------------------------------


def _library_values(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(LIBRARY_FIELDS)
    if unknown:
        raise ValueError(f"Not evidence library fields: {sorted(unknown)}")
    return dict(data)


@transaction.atomic
def library_item_add(
    *, actor: User, organisation: SupplierOrganisation, data: dict[str, Any]
) -> EvidenceLibraryItem:
    """Add an item (kind, title, text) to the organisation's evidence library."""
    if not can_keep_evidence(actor, organisation):
        raise PermissionRefused(NOT_YOURS)
    item = EvidenceLibraryItem(organisation=organisation, created_by=actor, **_library_values(data))
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="partners.library_item_added",
        target=organisation,
        data={"library_item_id": item.pk, "kind": item.kind},
    )
    return item


@transaction.atomic
def library_item_change(
    *, actor: User, item: EvidenceLibraryItem, data: dict[str, Any]
) -> EvidenceLibraryItem:
    item = _library_item_for_update(actor=actor, item=item)
    values = _library_values(data)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    if not changed:
        return item
    for name in changed:
        setattr(item, name, values[name])
    item.full_clean()
    item.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="partners.library_item_changed",
        target=item.organisation,
        data={"library_item_id": item.pk, "kind": item.kind, "fields": changed},
    )
    return item


@transaction.atomic
def library_item_remove(*, actor: User, item: EvidenceLibraryItem) -> None:
    """Remove an item and its files. Answers it was pulled into keep their copies."""
    item = _library_item_for_update(actor=actor, item=item)
    files = list(item.files.all())
    data = {
        "library_item_id": item.pk,
        "kind": item.kind,
        "files": [_file_data(evidence) for evidence in files],
    }
    item.delete()
    audit_record(
        actor=actor, action="partners.library_item_removed", target=item.organisation, data=data
    )
    for evidence in files:
        _forget_content_after_commit(evidence)


@transaction.atomic
def library_pull(
    *,
    actor: User,
    request: ParticipationRequest,
    question: SelectionQuestion,
    item: EvidenceLibraryItem,
) -> RequestAnswer:
    """Use a library item in the answer to ``question``: its text is added at the end of the
    answer (created if missing) and its files are attached to the answer, sharing their
    stored content. Pulling the same item again adds nothing twice."""
    request = _request_for_update(actor=actor, request=request)
    question = _published_question(request, question)
    if item.organisation_id != request.organisation_id:
        raise PermissionRefused("You can only use your own organisation's evidence library.")
    _lock_organisation(request.organisation_id)
    item = EvidenceLibraryItem.objects.filter(pk=item.pk).first()
    if item is None:
        raise ApplicationError("This item has been removed from your evidence library.")
    answer = _answer_touch(actor=actor, request=request, question=question)
    text = item.text.strip()
    text_added = bool(text) and text not in answer.text
    if text_added:
        answer.text = f"{answer.text.rstrip()}\n\n{text}" if answer.text.strip() else text
        answer.full_clean()
        answer.save(update_fields=["text", "updated_at"])
    held = set(answer.files.values_list("sha256", flat=True))
    copies = []
    for source in item.files.order_by("uploaded_at", "pk"):
        if source.sha256 in held:
            continue
        held.add(source.sha256)
        copy = EvidenceFile(
            organisation_id=source.organisation_id,
            answer=answer,
            file=source.file.name,
            name=source.name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            uploaded_by=actor,
        )
        copy.full_clean()
        copy.save()
        copies.append(copy)
    audit_record(
        actor=actor,
        action="partners.library_item_pulled",
        target=request,
        data={
            "request_id": request.pk,
            "question_id": question.pk,
            "answer_id": answer.pk,
            "library_item_id": item.pk,
            "text_added": text_added,
            "files": [_file_data(copy) for copy in copies],
        },
    )
    return answer
