"""Evidence files of answers, the evidence library, pulling an item into an answer, and who
may see or download any of it (its organisation's members, nobody else)."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, PermissionRefused
from core.models import AuditEvent
from partners.evidence import EvidenceRefused, evidence_check
from partners.models import (
    EvidenceFile,
    EvidenceKind,
    EvidenceLibraryItem,
    ParticipationRequest,
    RequestAnswer,
    RequestStatus,
    RequestSubmission,
    SelectionQuestion,
)
from partners.services_evidence import (
    evidence_file_add,
    evidence_file_remove,
    library_item_add,
    library_item_change,
    library_item_remove,
    library_pull,
)
from procurements.models import Procurement, ProcurementStatus
from tests.factories import ProcurementFactory
from tests.partners.test_evidence_files import ooxml_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NAME = "Accreditation certificate.pdf"


@pytest.fixture
def call(personas):
    """A procurement of borough A, published five days ago; requests close in 30 days."""
    now = timezone.now()
    return ProcurementFactory(
        borough=personas.borough_a,
        lead_officer=personas.officer_a,
        status=ProcurementStatus.PUBLISHED,
        published_at=now - timedelta(days=5),
        question_deadline=now + timedelta(days=20),
        participation_deadline=now + timedelta(days=30),
    )


def _question(call, order: int, text: str) -> SelectionQuestion:
    return SelectionQuestion.objects.create(
        procurement=call, order=order, kind="scored", topic="rd_capability", text=text, weight=50
    )


@pytest.fixture
def question(call):
    return _question(call, 0, "Describe your research and development team")


@pytest.fixture
def second_question(call):
    return _question(call, 1, "Describe a past innovation you brought to market")


@pytest.fixture
def participation(personas, call):
    """Org A's draft request to participate."""
    return ParticipationRequest.objects.create(
        procurement=call, organisation=personas.org_a, created_by=personas.supplier_a_admin
    )


@pytest.fixture
def item(personas):
    """A case study in org A's library, with a PDF."""
    item = EvidenceLibraryItem.objects.create(
        organisation=personas.org_a,
        kind=EvidenceKind.CASE_STUDY,
        title="Falls sensors in Aldgate care homes",
        text="We ran a 12-month trial with 40 residents.",
        created_by=personas.supplier_a_admin,
    )
    evidence_file_add(
        actor=personas.supplier_a_admin,
        upload=upload("Trial report.pdf", pdf_bytes("Trial")),
        library_item=item,
    )
    return item


def upload(name: str = NAME, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


def stored(evidence: EvidenceFile) -> bytes:
    with default_storage.open(evidence.file.name, "rb") as handle:
        return handle.read()


def add_to_answer(personas, participation, question, name=NAME, content=None, actor=None):
    return evidence_file_add(
        actor=actor or personas.supplier_a_member,
        upload=upload(name, content),
        request=participation,
        question=question,
    )


def answer_url(name: str, participation, question, **kwargs) -> str:
    return reverse(
        f"requests:{name}", kwargs={"pk": participation.pk, "question_pk": question.pk, **kwargs}
    )


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- files of an answer ----------------------------------------------------------------------


def test_a_member_adds_a_file_and_the_answer_is_created_for_it(personas, participation, question):
    content = pdf_bytes("Certificate")
    sha256 = evidence_check(name=NAME, file=upload(NAME, content)).sha256

    evidence = add_to_answer(personas, participation, question, content=content)

    answer = RequestAnswer.objects.get(request=participation, question=question)
    assert answer.updated_by == personas.supplier_a_member
    assert list(answer.files.all()) == [evidence]
    assert (evidence.name, evidence.content_type, evidence.size, evidence.sha256) == (
        NAME,
        "application/pdf",
        len(content),
        sha256,
    )
    assert evidence.organisation == personas.org_a
    assert evidence.uploaded_by == personas.supplier_a_member
    # Stored by its SHA-256 under its organisation: the supplier's name is never a path.
    assert evidence.file.name == f"evidence/{personas.org_a.pk}/{sha256}"
    assert stored(evidence) == content


def test_adding_a_file_to_an_existing_answer_keeps_its_text_and_records_who(
    personas, participation, question
):
    answer = RequestAnswer.objects.create(
        request=participation,
        question=question,
        text="Our team",
        updated_by=personas.supplier_a_admin,
    )

    evidence = evidence_file_add(actor=personas.supplier_a_member, upload=upload(), answer=answer)

    answer.refresh_from_db()
    assert evidence.answer == answer
    assert answer.text == "Our team"
    assert answer.updated_by == personas.supplier_a_member
    assert RequestAnswer.objects.filter(request=participation).count() == 1


def test_the_audit_event_holds_ids_sizes_and_hashes_never_names_or_text(
    personas, participation, question
):
    RequestAnswer.objects.create(
        request=participation,
        question=question,
        text="Secret method",
        updated_by=personas.supplier_a_admin,
    )

    evidence = add_to_answer(personas, participation, question)

    [event] = events("partners.evidence_file_added")
    assert event.actor == personas.supplier_a_member
    assert event.target_type == "partners.participationrequest"
    assert event.target_id == str(participation.pk)
    assert event.data == {
        "request_id": participation.pk,
        "question_id": question.pk,
        "answer_id": evidence.answer_id,
        "file_id": evidence.pk,
        "sha256": evidence.sha256,
        "size": evidence.size,
    }
    written = json.dumps(event.data) + event.target_label
    assert "Accreditation" not in written and "Secret" not in written


def test_the_same_content_is_stored_once_for_the_organisation(
    personas, participation, question, second_question
):
    first = add_to_answer(personas, participation, question, name="Certificate.pdf")
    second = add_to_answer(personas, participation, second_question, name="Copy of it.pdf")

    assert first.file.name == second.file.name
    assert (first.name, second.name) == ("Certificate.pdf", "Copy of it.pdf")
    _folders, files = default_storage.listdir(f"evidence/{personas.org_a.pk}")
    assert files == [first.sha256]


def test_a_refused_file_changes_nothing_already_saved(personas, participation, question):
    kept = add_to_answer(personas, participation, question)
    answer = kept.answer
    answer.text = "Our answer"
    answer.save()
    before = answer.updated_at
    audit_count = AuditEvent.objects.count()

    with pytest.raises(EvidenceRefused, match="it is not a PDF: it is a PNG image"):
        add_to_answer(
            personas,
            participation,
            question,
            name="Photo.pdf",
            content=png_bytes(),
            actor=personas.supplier_a_admin,
        )

    answer.refresh_from_db()
    assert (answer.text, answer.updated_by, answer.updated_at) == (
        "Our answer",
        personas.supplier_a_member,
        before,
    )
    assert list(EvidenceFile.objects.all()) == [kept]
    assert stored(kept) == pdf_bytes()
    assert AuditEvent.objects.count() == audit_count


def test_a_refused_file_does_not_create_the_answer(personas, participation, question):
    with pytest.raises(EvidenceRefused, match="The selected file is empty"):
        add_to_answer(personas, participation, question, content=b"")

    assert not RequestAnswer.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_only_members_of_the_lead_organisation_add_files(personas, participation, question):
    for outsider in (personas.supplier_b_admin, personas.consortium_member, personas.officer_a):
        with pytest.raises(PermissionRefused, match="Only people in Alpha Robotics Ltd"):
            add_to_answer(personas, participation, question, actor=outsider)

    assert not EvidenceFile.objects.exists()
    assert not RequestAnswer.objects.exists()


def test_a_question_of_another_procurement_is_refused(personas, participation):
    other = _question(ProcurementFactory(borough=personas.borough_a), 0, "Elsewhere")

    with pytest.raises(ApplicationError, match="not in the procurement's selection questionnaire"):
        add_to_answer(personas, participation, other)


def test_files_are_accepted_until_one_second_before_the_deadline_and_refused_after(
    personas, participation, question, clock
):
    deadline = timezone.now() + timedelta(hours=1)
    Procurement.objects.filter(pk=participation.procurement_id).update(
        participation_deadline=deadline
    )

    clock(deadline - timedelta(seconds=1))
    accepted = add_to_answer(personas, participation, question)

    for moment in (deadline, deadline + timedelta(seconds=1)):
        clock(moment)
        with pytest.raises(ApplicationError, match="Requests to participate closed at"):
            add_to_answer(
                personas, participation, question, name="Late.pdf", content=pdf_bytes("x")
            )
        with pytest.raises(ApplicationError, match="Requests to participate closed at"):
            evidence_file_remove(actor=personas.supplier_a_member, evidence=accepted)

    assert list(EvidenceFile.objects.all()) == [accepted]


def test_a_withdrawn_request_takes_no_files_until_it_is_started_again(
    personas, participation, question
):
    ParticipationRequest.objects.filter(pk=participation.pk).update(status=RequestStatus.WITHDRAWN)

    with pytest.raises(ApplicationError, match="This request has been withdrawn"):
        add_to_answer(personas, participation, question)


def test_a_submitted_request_still_takes_files_before_the_deadline(
    personas, participation, question
):
    ParticipationRequest.objects.filter(pk=participation.pk).update(status=RequestStatus.SUBMITTED)

    assert add_to_answer(personas, participation, question).pk


# --- removing files ---------------------------------------------------------------------------


def test_removing_a_file_deletes_its_content_once_nothing_holds_it(
    personas, participation, question, django_capture_on_commit_callbacks
):
    evidence = add_to_answer(personas, participation, question)
    path = evidence.file.name

    with django_capture_on_commit_callbacks(execute=True):
        evidence_file_remove(actor=personas.supplier_a_admin, evidence=evidence)

    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(path)
    assert RequestAnswer.objects.get().updated_by == personas.supplier_a_admin
    [event] = events("partners.evidence_file_removed")
    assert event.data == {
        "request_id": participation.pk,
        "question_id": question.pk,
        "answer_id": evidence.answer_id,
        "file_id": evidence.pk,
        "sha256": evidence.sha256,
        "size": evidence.size,
    }


def test_content_another_row_holds_is_kept(
    personas, participation, question, second_question, django_capture_on_commit_callbacks
):
    removed = add_to_answer(personas, participation, question)
    kept = add_to_answer(personas, participation, second_question)

    with django_capture_on_commit_callbacks(execute=True):
        evidence_file_remove(actor=personas.supplier_a_admin, evidence=removed)

    assert stored(kept) == pdf_bytes()


def test_content_a_submission_lists_is_kept_for_the_borough(
    personas, participation, question, django_capture_on_commit_callbacks
):
    evidence = add_to_answer(personas, participation, question)
    RequestSubmission.objects.create(
        request=participation,
        number=1,
        content={"answers": [{"question_id": question.pk, "files": [{"sha256": evidence.sha256}]}]},
        sha256="0" * 64,
        submitted_by=personas.supplier_a_admin,
    )

    with django_capture_on_commit_callbacks(execute=True):
        evidence_file_remove(actor=personas.supplier_a_admin, evidence=evidence)

    assert not EvidenceFile.objects.exists()
    assert default_storage.exists(evidence.file.name)


def test_only_members_remove_files(personas, participation, question):
    evidence = add_to_answer(personas, participation, question)

    with pytest.raises(PermissionRefused):
        evidence_file_remove(actor=personas.supplier_b_admin, evidence=evidence)

    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


# --- the answer's evidence page --------------------------------------------------------------


def test_the_page_lists_the_files_and_offers_a_govuk_file_upload(
    personas, participation, question, login
):
    evidence = add_to_answer(personas, participation, question)
    client = login(personas.supplier_a_admin)

    response = client.get(answer_url("answer-evidence", participation, question))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Evidence for question 1 – " in html
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html and 'type="file"' in html
    assert reverse("requests:evidence-file", kwargs={"pk": evidence.pk}) in html
    assert f">{NAME}</a>" in html
    assert '<td class="govuk-table__cell">PDF</td>' in html
    assert (
        answer_url("answer-evidence-remove", participation, question, file_pk=evidence.pk) in html
    )
    assert answer_url("library-pull", participation, question) in html
    assert answer_url("answer", participation, question) in html  # back to the answer


def test_a_member_uploads_a_file_on_the_page(personas, participation, question, login):
    client = login(personas.supplier_a_member)
    url = answer_url("answer-evidence", participation, question)

    response = client.post(url, {"file": upload()})

    assert response.status_code == 302 and response.url == url
    evidence = EvidenceFile.objects.get()
    assert evidence.answer.question == question and evidence.name == NAME
    page = client.get(url).content.decode()
    assert f"{NAME} has been uploaded." in page


def test_a_refused_upload_shows_the_reason_and_keeps_the_answer_and_its_files(
    personas, participation, question, login
):
    kept = add_to_answer(personas, participation, question)
    RequestAnswer.objects.filter(pk=kept.answer_id).update(text="Our answer")
    client = login(personas.supplier_a_member)

    response = client.post(
        answer_url("answer-evidence", participation, question),
        {"file": upload("Photo.pdf", png_bytes())},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.count("The file is called Photo.pdf but it is not a PDF: it is a PNG image.") == 2
    )  # the error summary and the field
    assert "<title>Error: " in html
    assert "govuk-file-upload--error" in html
    assert f">{NAME}</a>" in html  # the list still shows the saved file
    assert list(EvidenceFile.objects.all()) == [kept]
    assert RequestAnswer.objects.get().text == "Our answer"
    assert stored(kept) == pdf_bytes()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("Empty.pdf", b"", "The selected file is empty."),
        ("Program.pdf", b"MZ\x90\x00" + b"\x00" * 60, "it is a Windows program"),
        ("Report.pdf.exe", None, "The file name Report.pdf.exe ends in .exe, which is a program."),
        (".hidden.pdf", None, "The file name must not start with a full stop."),
        ("Report..pdf", None, "The file name must not contain two full stops in a row (..)."),
        ("CON.pdf", None, "The file name cannot start with CON: Windows reserves that name."),
        ("x" * 201 + ".pdf", None, "it must be 200 characters or fewer."),
        ("Report", None, "The file name Report has no extension (like .pdf)"),
    ],
)
def test_each_refusal_is_shown_on_the_page_and_nothing_is_stored(
    personas, participation, question, login, name, content, reason
):
    client = login(personas.supplier_a_member)

    response = client.post(
        answer_url("answer-evidence", participation, question), {"file": upload(name, content)}
    )

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_an_oversized_upload_is_refused_on_the_page(
    personas, participation, question, login, settings
):
    settings.EVIDENCE_MAX_BYTES = 1024
    client = login(personas.supplier_a_member)

    response = client.post(
        answer_url("answer-evidence", participation, question),
        {"file": upload(NAME, pdf_bytes() + b"0" * 1024)},
    )

    html = response.content.decode()
    assert "The selected file must be 1 KB or smaller." in html
    assert "Each file must be 1 KB or smaller." in html  # the hint says the limit
    assert not EvidenceFile.objects.exists()


def test_no_file_chosen_asks_for_one(personas, participation, question, login):
    client = login(personas.supplier_a_member)

    response = client.post(answer_url("answer-evidence", participation, question), {})

    assert "Select a file to upload" in response.content.decode()


def test_a_member_removes_a_file_on_the_page(
    personas, participation, question, login, django_capture_on_commit_callbacks
):
    evidence = add_to_answer(personas, participation, question)
    client = login(personas.supplier_a_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url("answer-evidence-remove", participation, question, file_pk=evidence.pk)
        )

    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(evidence.file.name)


def test_after_the_deadline_the_page_shows_the_files_but_takes_no_change(
    personas, participation, question, login, clock
):
    evidence = add_to_answer(personas, participation, question)
    deadline = participation.procurement.participation_deadline
    clock(deadline + timedelta(seconds=1))
    client = login(personas.supplier_a_member)
    url = answer_url("answer-evidence", participation, question)

    page = client.get(url).content.decode()
    refused = client.post(url, {"file": upload("Late.pdf", pdf_bytes("late"))}).content.decode()
    removal = client.post(
        answer_url("answer-evidence-remove", participation, question, file_pk=evidence.pk)
    ).content.decode()

    assert "Requests to participate closed at" in page
    assert f">{NAME}</a>" in page
    assert 'type="file"' not in page and "Remove<span" not in page
    assert "Requests to participate closed at" in refused
    assert "Requests to participate closed at" in removal
    assert list(EvidenceFile.objects.all()) == [evidence]


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outsider",
    ["supplier_b_admin", "consortium_member", "officer_a", "evaluator_a", "superuser"],
)
def test_nobody_outside_the_organisation_reaches_its_evidence(
    personas, participation, question, item, login, outsider
):
    evidence = add_to_answer(personas, participation, question)
    library_file = item.files.get()
    client = login(getattr(personas, outsider))

    urls = [
        answer_url("answer-evidence", participation, question),
        answer_url("library-pull", participation, question),
        reverse("requests:library-item", kwargs={"item_pk": item.pk}),
        reverse("requests:library-item-change", kwargs={"item_pk": item.pk}),
        reverse("requests:library-item-remove", kwargs={"item_pk": item.pk}),
        reverse("requests:evidence-file", kwargs={"pk": evidence.pk}),
        reverse("requests:evidence-file", kwargs={"pk": library_file.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        (answer_url("answer-evidence", participation, question), {"file": upload("Mine.pdf")}),
        (answer_url("answer-evidence-remove", participation, question, file_pk=evidence.pk), {}),
        (answer_url("library-pull", participation, question), {"item": item.pk}),
        (
            reverse(
                "requests:library-item-file-remove",
                kwargs={"item_pk": item.pk, "file_pk": library_file.pk},
            ),
            {},
        ),
        (reverse("requests:library-item-remove", kwargs={"item_pk": item.pk}), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert set(EvidenceFile.objects.all()) == {evidence, library_file}
    assert EvidenceLibraryItem.objects.filter(pk=item.pk).exists()


def test_a_member_downloads_a_file_as_an_attachment_under_its_name(
    personas, participation, question, login
):
    content = pdf_bytes("Certificate")
    evidence = add_to_answer(
        personas, participation, question, name="Résumé 2024.pdf", content=content
    )
    client = login(personas.supplier_a_admin)

    response = client.get(reverse("requests:evidence-file", kwargs={"pk": evidence.pk}))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''R%C3%A9sum%C3%A9%202024.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_library_file_downloads_for_any_member(personas, item, login):
    library_file = item.files.get()
    client = login(personas.supplier_a_member)

    response = client.get(reverse("requests:evidence-file", kwargs={"pk": library_file.pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Trial report.pdf"'
    assert b"".join(response.streaming_content) == pdf_bytes("Trial")


def test_another_organisations_request_is_404_even_with_the_right_question(
    personas, call, question, login
):
    theirs = ParticipationRequest.objects.create(
        procurement=call, organisation=personas.org_b, created_by=personas.supplier_b_admin
    )
    client = login(personas.supplier_a_admin)

    assert client.get(answer_url("answer-evidence", theirs, question)).status_code == 404


def test_a_question_of_another_procurement_is_404(personas, participation, login):
    other = _question(ProcurementFactory(borough=personas.borough_a), 0, "Elsewhere")
    client = login(personas.supplier_a_admin)

    assert client.get(answer_url("answer-evidence", participation, other)).status_code == 404


def test_people_outside_supplier_organisations_have_no_library(personas, login):
    for person in (personas.officer_a, personas.superuser):
        client = login(person)
        assert client.get(reverse("requests:library")).status_code == 403
        assert client.get(reverse("requests:library-item-add")).status_code == 403


# --- the library -----------------------------------------------------------------------------


def test_a_member_adds_changes_and_removes_a_library_item_with_audit_of_ids_only(
    personas, django_capture_on_commit_callbacks
):
    item = library_item_add(
        actor=personas.supplier_a_member,
        organisation=personas.org_a,
        data={"kind": EvidenceKind.COMPANY_FACT, "title": "Who we are", "text": "Founded 2015."},
    )
    library_item_change(
        actor=personas.supplier_a_admin,
        item=item,
        data={"kind": EvidenceKind.COMPANY_FACT, "title": "About us", "text": "Founded 2015."},
    )
    evidence = evidence_file_add(
        actor=personas.supplier_a_admin, upload=upload("Brochure.pdf"), library_item=item
    )
    item_pk = item.pk
    with django_capture_on_commit_callbacks(execute=True):
        library_item_remove(actor=personas.supplier_a_admin, item=item)

    assert not EvidenceLibraryItem.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(evidence.file.name)
    recorded = [
        (event.action, event.data)
        for event in AuditEvent.objects.filter(action__startswith="partners.library")
    ]
    assert recorded == [
        ("partners.library_item_added", {"library_item_id": item_pk, "kind": "company_fact"}),
        (
            "partners.library_item_changed",
            {"library_item_id": item_pk, "kind": "company_fact", "fields": ["title"]},
        ),
        (
            "partners.library_item_removed",
            {
                "library_item_id": item_pk,
                "kind": "company_fact",
                "files": [
                    {"file_id": evidence.pk, "sha256": evidence.sha256, "size": evidence.size}
                ],
            },
        ),
    ]
    assert all(
        event.target_label == personas.org_a.name
        for event in AuditEvent.objects.filter(action__startswith="partners.")
    )


def test_only_members_keep_an_organisations_library(personas, item):
    with pytest.raises(PermissionRefused):
        library_item_add(
            actor=personas.supplier_b_admin,
            organisation=personas.org_a,
            data={"kind": EvidenceKind.CASE_STUDY, "title": "Ours now", "text": ""},
        )
    with pytest.raises(PermissionRefused):
        library_item_change(
            actor=personas.supplier_b_admin,
            item=item,
            data={"kind": EvidenceKind.CASE_STUDY, "title": "Ours now", "text": ""},
        )
    with pytest.raises(PermissionRefused):
        library_item_remove(actor=personas.supplier_b_admin, item=item)
    with pytest.raises(PermissionRefused):
        evidence_file_add(actor=personas.supplier_b_admin, upload=upload(), library_item=item)

    item.refresh_from_db()
    assert item.title == "Falls sensors in Aldgate care homes"
    assert item.files.count() == 1


def test_the_library_pages_add_an_item_attach_a_file_and_list_it(personas, login):
    client = login(personas.supplier_b_member)

    response = client.post(
        reverse("requests:library-item-add"),
        {"kind": EvidenceKind.ACCREDITATION, "title": "Cyber Essentials", "text": "Since 2021."},
    )
    item = EvidenceLibraryItem.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("requests:library-item", kwargs={"item_pk": item.pk})
    assert item.organisation == personas.org_b and item.created_by == personas.supplier_b_member

    page = client.get(response.url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(response.url, {"file": upload("Certificate.pdf")})
    assert response.status_code == 302
    assert item.files.get().name == "Certificate.pdf"

    library = client.get(reverse("requests:library")).content.decode()
    assert "Accreditation or certificate" in library
    assert "Cyber Essentials" in library and "Certificate.pdf" in library


def _library_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("requests:library")).status_code == 200
    return len(queries)


def test_the_library_page_makes_as_many_queries_for_many_items_as_for_one(personas, item, login):
    client = login(personas.supplier_a_member)
    one = _library_queries(client)
    for number in range(5):
        more = EvidenceLibraryItem.objects.create(
            organisation=personas.org_a,
            kind=EvidenceKind.ACCREDITATION,
            title=f"Certificate {number}",
            created_by=personas.supplier_a_admin,
        )
        evidence_file_add(
            actor=personas.supplier_a_admin,
            upload=upload(f"Certificate {number}.pdf", pdf_bytes(str(number))),
            library_item=more,
        )

    assert _library_queries(client) == one


def test_the_library_item_form_says_what_is_missing(personas, login):
    client = login(personas.supplier_a_member)

    html = client.post(reverse("requests:library-item-add"), {"text": "x"}).content.decode()

    assert "Select what kind of evidence it is" in html
    assert "Enter a title" in html
    assert not EvidenceLibraryItem.objects.exists()


def test_a_refused_library_upload_keeps_the_item_and_its_files(personas, item, login):
    client = login(personas.supplier_a_member)
    url = reverse("requests:library-item", kwargs={"item_pk": item.pk})

    response = client.post(url, {"file": upload("Slides.pptx", ooxml_bytes("word"))})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The file is called Slides.pptx but it is not a PowerPoint presentation (.pptx): it is "
        "a Word document (.docx)."
    ) in html
    assert "Trial report.pdf" in html
    assert [f.name for f in item.files.all()] == ["Trial report.pdf"]


def test_the_library_pages_change_and_remove_an_item(
    personas, item, login, django_capture_on_commit_callbacks
):
    client = login(personas.supplier_a_admin)

    response = client.post(
        reverse("requests:library-item-change", kwargs={"item_pk": item.pk}),
        {"kind": EvidenceKind.CASE_STUDY, "title": "Care home trial", "text": item.text},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Care home trial"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("requests:library-item-remove", kwargs={"item_pk": item.pk}))
    assert response.status_code == 302 and response.url == reverse("requests:library")
    assert not EvidenceLibraryItem.objects.exists()


def test_a_member_removes_a_library_file_on_the_page(personas, item, login):
    library_file = item.files.get()
    client = login(personas.supplier_a_member)

    response = client.post(
        reverse(
            "requests:library-item-file-remove",
            kwargs={"item_pk": item.pk, "file_pk": library_file.pk},
        )
    )

    assert response.status_code == 302
    assert not item.files.exists()


# --- pulling an item into an answer ----------------------------------------------------------


def test_pulling_an_item_appends_its_text_and_attaches_its_files(
    personas, participation, question, item
):
    RequestAnswer.objects.create(
        request=participation,
        question=question,
        text="Our team has 12 researchers.\n",
        updated_by=personas.supplier_a_admin,
    )
    source = item.files.get()

    answer = library_pull(
        actor=personas.supplier_a_member, request=participation, question=question, item=item
    )

    assert answer.text == (
        "Our team has 12 researchers.\n\nWe ran a 12-month trial with 40 residents."
    )
    assert answer.updated_by == personas.supplier_a_member
    [copy] = answer.files.all()
    assert copy.pk != source.pk
    assert (copy.name, copy.sha256, copy.size, copy.content_type) == (
        source.name,
        source.sha256,
        source.size,
        source.content_type,
    )
    assert copy.file.name == source.file.name  # the same stored content
    assert copy.library_item is None and copy.uploaded_by == personas.supplier_a_member
    [event] = events("partners.library_item_pulled")
    assert event.data == {
        "request_id": participation.pk,
        "question_id": question.pk,
        "answer_id": answer.pk,
        "library_item_id": item.pk,
        "text_added": True,
        "files": [{"file_id": copy.pk, "sha256": copy.sha256, "size": copy.size}],
    }


def test_pulling_creates_the_answer_if_missing_and_twice_adds_nothing_twice(
    personas, participation, question, item
):
    library_pull(
        actor=personas.supplier_a_admin, request=participation, question=question, item=item
    )
    answer = library_pull(
        actor=personas.supplier_a_admin, request=participation, question=question, item=item
    )

    assert answer.text == "We ran a 12-month trial with 40 residents."
    assert answer.files.count() == 1
    assert RequestAnswer.objects.filter(request=participation).count() == 1


def test_a_pulled_file_keeps_its_content_when_the_library_item_is_removed(
    personas, participation, question, item, django_capture_on_commit_callbacks
):
    answer = library_pull(
        actor=personas.supplier_a_admin, request=participation, question=question, item=item
    )

    with django_capture_on_commit_callbacks(execute=True):
        library_item_remove(actor=personas.supplier_a_admin, item=item)

    [copy] = answer.files.all()
    assert stored(copy) == pdf_bytes("Trial")


def test_another_organisations_item_cannot_be_pulled(personas, participation, question):
    theirs = EvidenceLibraryItem.objects.create(
        organisation=personas.org_b,
        kind=EvidenceKind.CASE_STUDY,
        title="Beta's study",
        text="Theirs",
        created_by=personas.supplier_b_admin,
    )

    with pytest.raises(PermissionRefused, match="your own organisation's evidence library"):
        library_pull(
            actor=personas.supplier_a_admin, request=participation, question=question, item=theirs
        )

    assert not RequestAnswer.objects.exists()


def test_pulling_after_the_deadline_is_refused(personas, participation, question, item, clock):
    clock(participation.procurement.participation_deadline + timedelta(seconds=1))

    with pytest.raises(ApplicationError, match="Requests to participate closed at"):
        library_pull(
            actor=personas.supplier_a_admin, request=participation, question=question, item=item
        )

    assert not RequestAnswer.objects.exists()


def test_the_pull_page_offers_only_the_organisations_items(
    personas, participation, question, item, login
):
    theirs = EvidenceLibraryItem.objects.create(
        organisation=personas.org_b,
        kind=EvidenceKind.CASE_STUDY,
        title="Beta's study",
        created_by=personas.supplier_b_admin,
    )
    client = login(personas.supplier_a_member)
    url = answer_url("library-pull", participation, question)

    page = client.get(url).content.decode()
    refused = client.post(url, {"item": theirs.pk}).content.decode()
    response = client.post(url, {"item": item.pk})

    assert "Falls sensors in Aldgate care homes (case study of past research" in page
    assert "Beta&#x27;s study" not in page
    assert "Select an item of your evidence library" in refused
    assert response.status_code == 302
    assert response.url == answer_url("answer-evidence", participation, question)
    answer = RequestAnswer.objects.get()
    assert answer.text == item.text and answer.files.count() == 1
    assert (
        "has been added to your answer to question 1" in client.get(response.url).content.decode()
    )


def test_the_pull_page_says_when_the_library_is_empty(personas, participation, question, login):
    client = login(personas.supplier_a_member)

    page = client.get(answer_url("library-pull", participation, question)).content.decode()

    assert "Your evidence library is empty." in page
    assert reverse("requests:library-item-add") in page
