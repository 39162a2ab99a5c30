"""The invitation to tender: rendered for real by WeasyPrint from the frozen version, as a
tagged PDF (PDF/UA-1) with everything the procurement announces."""

import io
import itertools
import re
from datetime import date

import pytest
from pypdf import PdfReader

from core.documents import render_html
from core.models import DocumentStatus, GeneratedDocument
from procurements import registry
from procurements.models import Procurement
from procurements.registry import BuilderSection
from procurements.sections import uk_datetime_text
from procurements.selectors_publication import itt_documents
from procurements.services.approval import procurement_publish
from procurements.services.publication import publication_content, publication_version_create
from tests.procurements.publication_samples import announced_procurement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "bank_holidays")]

HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")


def published(personas, django_capture_on_commit_callbacks, **fields) -> Procurement:
    procurement = announced_procurement(personas, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        procurement_publish(actor=personas.officer_a, procurement=procurement)
    return Procurement.objects.get(pk=procurement.pk)


def read(document: GeneratedDocument) -> tuple[PdfReader, str]:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def structure_tags(reader: PdfReader) -> list[str]:
    """The structure tree's element types, in document order."""
    tags = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "keys"):
            return
        if "/S" in node:
            tags.append(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return tags


def test_the_itt_of_version_1_is_a_tagged_pdf_with_everything_announced(
    personas, django_capture_on_commit_callbacks
):
    procurement = published(personas, django_capture_on_commit_callbacks)
    [document] = itt_documents(procurement)
    reader, text = read(document)

    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Invitation to tender: Falls prevention at home"
    # The cover, and the table of contents with the page each part starts on.
    assert "London Borough of Aldgate Invitation to tender: Falls prevention at home" in text
    assert f"Reference {procurement.reference} Version 1" in text
    assert re.search(r"1\. The challenge \.+ \d+", text)
    assert re.search(r"About this document \.+ \d+", text)
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The challenge, the minimum requirements (numbered) and the award criteria with weights.
    assert "Around 1,900 Kingsmead residents aged 65 and over fall at home" in text
    assert "CPV codes 73000000-2, 33000000-0, 85000000-9" in text
    assert "MR1 No camera or microphone recording may be used" in text
    assert "MR3 All personal data must be processed in the UK" in text
    assert "Quality of the proposed solution and research plan" in text
    assert "Approach to detecting night-time falls" in text  # a sub-criterion
    for weight in ("60%", "30%", "10%"):
        assert weight in text
    assert "Total 100%" in text
    assert "Lowest price ÷ tendered price × the price weight" in text
    # The selection questionnaire and the timetable in UK time.
    assert "Scored, weight 60%" in text and "Pass or fail" in text
    assert uk_datetime_text(procurement.participation_deadline) in text
    # The phase plan: phases, remuneration, targets, instalments, gates, terminations.
    assert "Phase 1: Research" in text and "Phase 3: Pilot" in text
    assert "£60,000.00" in text and "£460,000.00" in text
    assert "Fall detection in laboratory trials" in text
    assert "Research plan agreed" in text and "20 weeks after the phase starts" in text
    assert "Laboratory detection accuracy" in text
    assert "A serious incident shows the solution is not safe" in text
    assert "Maximum cost £1,200,000.00" in text
    assert "Night-time falls detected At least 95%" in text
    assert "£2,600,000.00" in text
    # The IP terms in full, with the fixed confidentiality rule.
    assert "A free, non-exclusive, irrevocable licence to use, copy and adapt" in text
    assert "The borough's share 5%" in text
    assert "Sales of the solution to other buyers in the five years after the pilot." in text
    assert "never revealed to other participants without that partner's consent" in text
    # How to ask questions and the deadline.
    assert "How to ask a question" in text
    assert f"/opportunities/{procurement.pk}/" in text
    assert "Requests to participate must be submitted through the portal by" in text

    headings = [tag for tag in structure_tags(reader) if tag in HEADINGS]
    assert headings[0] == "/H1" and headings.count("/H1") == 1
    levels = [int(tag[2]) for tag in headings]
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
    assert {"/Table", "/TH", "/Caption", "/L"} <= set(structure_tags(reader))


def test_a_new_version_has_its_own_itt_and_the_first_stays_as_it_was(
    personas, django_capture_on_commit_callbacks
):
    procurement = published(personas, django_capture_on_commit_callbacks)
    [first] = itt_documents(procurement)
    first.refresh_from_db()
    first_sha = first.sha256
    Procurement.objects.filter(pk=procurement.pk).update(
        problem="Falls at night go unnoticed for hours."
    )
    procurement.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        version = publication_version_create(
            procurement=procurement,
            actor=personas.officer_a,
            reason="The problem statement was clarified.",
        )

    second, again_first = itt_documents(procurement)
    assert (second.version_number, again_first.pk) == (2, first.pk)
    assert second.object_id == str(version.pk)
    _, text = read(second)
    assert "Version 2" in text
    assert "Why this version was published The problem statement was clarified." in text
    assert "Falls at night go unnoticed for hours." in text
    assert "Around 1,900 Kingsmead residents" not in text
    first.refresh_from_db()
    assert first.sha256 == first_sha
    _, first_text = read(first)
    assert "Around 1,900 Kingsmead residents" in first_text


def test_a_section_without_a_fragment_of_its_own_is_shown_as_a_table(personas, monkeypatch):
    monkeypatch.setitem(
        registry._SECTIONS,
        "test-extra",
        BuilderSection(
            key="test-extra",
            title="Social value commitments",
            order=80,
            url_name="procurements:task-list",
            has_content=lambda procurement: True,
            summary=lambda procurement: [],
            announce=lambda procurement: {"apprenticeships": "At least 4 a year"},
        ),
    )
    procurement = announced_procurement(personas)
    content = publication_content(procurement)
    [extra] = [section for section in content["sections"] if section["key"] == "test-extra"]
    assert extra["itt_template"] == "procurements/itt/generic.html"
    html = render_html(
        template="procurements/documents/itt.html",
        context={**content, "version_number": 1, "published_date": "1 June 2026"},
    )
    assert '<h2 id="section-test-extra">9. Social value commitments</h2>' in html
    assert "At least 4 a year" in html
    assert '<a href="#section-test-extra">9. Social value commitments</a>' in html


def _itt_html(procurement) -> str:
    content = publication_content(procurement)
    html = render_html(
        template="procurements/documents/itt.html",
        context={**content, "version_number": 1, "published_date": "1 June 2026"},
    )
    return " ".join(html.split())


def test_the_itt_timetable_gives_the_indicative_start_and_each_phases_dates(personas):
    # The demo's phases last 12, 20 and 26 weeks, one after another.
    procurement = announced_procurement(personas, indicative_start_date=date(2027, 6, 1))

    html = _itt_html(procurement)

    for label, dates in [
        ("Indicative start of the partnership", "1 June 2027"),
        ("Phase 1: Research", "1 June 2027 to 23 August 2027"),
        ("Phase 2: Prototype", "24 August 2027 to 10 January 2028"),
        ("Phase 3: Pilot", "11 January 2028 to 10 July 2028"),
    ]:
        assert f'<tr><th scope="row">{label}</th><td>{dates}</td></tr>' in html, label


def test_the_itt_timetable_says_when_a_phase_has_no_dates_yet(personas):
    procurement = announced_procurement(personas, indicative_start_date=date(2027, 6, 1))
    procurement.phases.filter(order=1).update(duration_weeks=None)

    html = _itt_html(procurement)

    assert '<tr><th scope="row">Phase 1: Research</th><td>1 June 2027 to 23 August 2027' in html
    assert '<tr><th scope="row">Phase 2: Prototype</th><td>Dates to be set</td></tr>' in html
    assert '<tr><th scope="row">Phase 3: Pilot</th><td>Dates to be set</td></tr>' in html


def test_under_pcr_2015_the_itt_says_when_the_procedure_began(personas):
    procurement = announced_procurement(
        personas, regime="pcr2015", procedure_began_on=date(2025, 2, 3)
    )

    html = _itt_html(procurement)

    assert (
        "This procurement follows the Public Contracts Regulations 2015 (regulation 31): the "
        "procedure began on 3 February 2025." in html
    )
