"""Permission-matrix entries: evidence files and the evidence library."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix import LOGIN, Entry, PatternInfo, outcomes

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _stored_file(personas, **owner):
    import hashlib

    from django.core.files.base import ContentFile

    from partners.models import EvidenceFile

    evidence = EvidenceFile(
        organisation=personas.org_a,
        name="Accreditation.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=personas.supplier_a_member,
        **owner,
    )
    evidence.file.save(evidence.name, ContentFile(PDF_BYTES), save=False)
    evidence.save()
    return evidence


def sample_answer_file(personas):
    """A file of org A's answer to a scored question of a published procurement of borough A,
    whose participation deadline is a month away."""
    from datetime import timedelta

    from django.utils import timezone

    from partners.models import ParticipationRequest, RequestAnswer, SelectionQuestion
    from procurements.models import ProcurementStatus
    from tests.factories import ProcurementFactory

    now = timezone.now()
    procurement = ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status=ProcurementStatus.PUBLISHED,
        published_at=now - timedelta(days=5),
        question_deadline=now + timedelta(days=20),
        participation_deadline=now + timedelta(days=30),
    )
    question = SelectionQuestion.objects.create(
        procurement=procurement,
        kind="scored",
        topic="rd_capability",
        text="Describe your research and development team",
        weight=100,
    )
    request = ParticipationRequest.objects.create(
        procurement=procurement, organisation=personas.org_a, created_by=personas.supplier_a_admin
    )
    answer = RequestAnswer.objects.create(
        request=request, question=question, text="Our team", updated_by=personas.supplier_a_admin
    )
    return _stored_file(personas, answer=answer)


def sample_library_file(personas):
    """A file of an item of org A's evidence library."""
    from partners.models import EvidenceKind, EvidenceLibraryItem

    item = EvidenceLibraryItem.objects.create(
        organisation=personas.org_a,
        kind=EvidenceKind.ACCREDITATION,
        title="ISO 9001",
        text="Certified since 2019.",
        created_by=personas.supplier_a_admin,
    )
    return _stored_file(personas, library_item=item)


def _answer_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    evidence = sample_answer_file(personas)
    values: dict[str, Any] = {
        "pk": evidence.answer.request_id,
        "question_pk": evidence.answer.question_id,
    }
    if "<int:file_pk>" in info.route:
        values["file_pk"] = evidence.pk
    return values


def _library_kwargs(personas, info: PatternInfo) -> dict[str, Any]:
    evidence = sample_library_file(personas)
    values: dict[str, Any] = {"item_pk": evidence.library_item_id}
    if "<int:file_pk>" in info.route:
        values["file_pk"] = evidence.pk
    return values


# Org A's evidence: its members, and nobody else may know it exists (officers and superusers
# included: the borough reads requests only after the deadline, through the assessment).
ORG_A_ONLY = outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN)
# Every supplier keeps its own library; people who are not in a supplier organisation have none.
SUPPLIERS_ONLY = outcomes(403, suppliers=200, anonymous=LOGIN)
POST_ONLY = outcomes(405, anonymous=LOGIN)

ENTRIES: list = [
    Entry("requests:answer-evidence", ORG_A_ONLY, kwargs=_answer_kwargs),
    Entry(
        "requests:answer-evidence-remove",
        POST_ONLY,
        kwargs=_answer_kwargs,
        why="Removing is a POST; tests/partners/test_evidence_library.py checks who may.",
    ),
    Entry("requests:library-pull", ORG_A_ONLY, kwargs=_answer_kwargs),
    Entry("requests:library", SUPPLIERS_ONLY),
    Entry("requests:library-item-add", SUPPLIERS_ONLY),
    Entry("requests:library-item", ORG_A_ONLY, kwargs=_library_kwargs),
    Entry("requests:library-item-change", ORG_A_ONLY, kwargs=_library_kwargs),
    Entry("requests:library-item-remove", ORG_A_ONLY, kwargs=_library_kwargs),
    Entry(
        "requests:library-item-file-remove",
        POST_ONLY,
        kwargs=_library_kwargs,
        why="Removing is a POST; tests/partners/test_evidence_library.py checks who may.",
    ),
    Entry(
        "requests:evidence-file",
        ORG_A_ONLY,
        kwargs=lambda personas, info: {"pk": sample_answer_file(personas).pk},
        why="The file of an answer: only the organisation that owns it downloads it.",
    ),
]
