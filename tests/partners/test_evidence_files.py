"""The checks an evidence file passes before it is stored: its kind decided by its content
and agreeing with its extension, not empty, within the size limit, and a safe name.

The files are small real files built here: a minimal PDF, a PNG drawn with zlib, Office and
OpenDocument files made with zipfile.
"""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest

from partners.evidence import (
    ACCEPTED,
    DEFAULT_MAX_BYTES,
    EvidenceRefused,
    evidence_check,
    evidence_max_bytes,
    evidence_name_check,
    size_text,
    type_label,
)

# --- small real files -------------------------------------------------------------------------


def pdf_bytes(text: str = "Evidence") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> "
        b"endobj\n"
        + f"4 0 obj << /Length {len(body)} >> stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bytes() -> bytes:
    """A one-pixel white PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """The start of a JFIF file: start of image, the APP0 segment, end of image."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


OOXML_MAIN = {
    "word": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xl": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "ppt": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def ooxml_bytes(part: str = "word", *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package: its content types, relationships and main part."""
    main, content_type = OOXML_MAIN[part]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/{main}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{content_type}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main}"/></Relationships>'
    )
    entries = [
        ("[Content_Types].xml", types.encode()),
        ("_rels/.rels", rels.encode()),
        (main, b'<?xml version="1.0" encoding="UTF-8"?><document/>'),
    ]
    if macros:
        entries.append((f"{part}/vbaProject.bin", b"\xd0\xcf\x11\xe0macros"))
    return _zip(entries)


def odf_bytes(kind: str = "text") -> bytes:
    """A minimal OpenDocument file: the uncompressed mimetype entry first, then content."""
    return _zip(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", b'<?xml version="1.0" encoding="UTF-8"?><office:document-content/>'),
        ]
    )


def windows_program_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def check(name: str, content: bytes, **options):
    return evidence_check(name=name, file=io.BytesIO(content), **options)


def refusal(name: str, content: bytes = b"Some evidence.", **options) -> str:
    with pytest.raises(EvidenceRefused) as refused:
        check(name, content, **options)
    return refused.value.message


# --- each kind accepted -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Annual report.pdf", pdf_bytes(), "application/pdf"),
        ("Team photo.png", png_bytes(), "image/png"),
        ("Site visit.jpg", jpeg_bytes(), "image/jpeg"),
        ("Site visit.jpeg", jpeg_bytes(), "image/jpeg"),
        (
            "Case study.docx",
            ooxml_bytes("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Costs.xlsx",
            ooxml_bytes("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "Pitch.pptx",
            ooxml_bytes("ppt"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("Method.odt", odf_bytes("text"), "application/vnd.oasis.opendocument.text"),
        ("Budget.ods", odf_bytes("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("Notes.txt", "Trials in 3 care homes – 2024.\n".encode(), "text/plain; charset=utf-8"),
        ("Results.csv", "site,falls\nAldgate,3\nBów,1\n".encode(), "text/csv; charset=utf-8"),
        ("Results with BOM.csv", b"\xef\xbb\xbfsite,falls\n", "text/csv; charset=utf-8"),
        ("SHOUTING.PDF", pdf_bytes(), "application/pdf"),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(name, content, content_type):
    checked = check(name, content)

    assert checked.name == name
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_the_file_is_read_from_the_start_and_left_at_the_start():
    content = pdf_bytes()
    file = io.BytesIO(content)
    file.seek(10)

    checked = evidence_check(name="report.pdf", file=file)

    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0


def test_a_good_name_is_kept_for_display_without_surrounding_spaces():
    assert (
        check("  Évaluation 2024 (final).pdf ", pdf_bytes()).name == "Évaluation 2024 (final).pdf"
    )


# --- content that disagrees with the name -----------------------------------------------------


def test_a_png_called_pdf_is_refused_and_told_what_it_is():
    message = refusal("report.pdf", png_bytes())

    assert message == (
        "The file is called report.pdf but it is not a PDF: it is a PNG image. Upload the "
        "file as a PDF, or rename it to end in .png if it is meant to be a PNG image."
    )


def test_a_renamed_windows_program_is_refused():
    message = refusal("report.pdf", windows_program_bytes())

    assert message == (
        "The file is called report.pdf but it is not a PDF: it is a Windows program, which "
        f"cannot be uploaded. Upload {ACCEPTED}."
    )


def test_a_renamed_program_is_refused_whatever_accepted_extension_it_is_given():
    for name in ("notes.txt", "photo.png", "case.docx"):
        assert "it is a Windows program" in refusal(name, windows_program_bytes())


def test_a_spreadsheet_called_docx_is_refused_with_its_real_kind():
    message = refusal("Case study.docx", ooxml_bytes("xl"))

    assert message.startswith(
        "The file is called Case study.docx but it is not a Word document (.docx): it is an "
        "Excel spreadsheet (.xlsx)."
    )
    assert "rename it to end in .xlsx" in message


def test_text_called_pdf_is_refused():
    message = refusal("report.pdf", b"Just some words.\n")

    assert message.startswith(
        "The file is called report.pdf but it is not a PDF: it is plain text."
    )


def test_a_pdf_called_txt_is_refused():
    assert refusal("notes.txt", pdf_bytes()).startswith(
        "The file is called notes.txt but it is not a plain text file: it is a PDF."
    )


def test_a_plain_zip_called_docx_is_refused():
    content = _zip([("readme.txt", b"hello")])

    assert refusal("Case study.docx", content) == (
        "The file is called Case study.docx but it is not a Word document (.docx): it is a "
        f"zip archive, which cannot be uploaded. Upload {ACCEPTED}."
    )


def test_a_damaged_zip_called_docx_is_refused():
    assert "it is a damaged zip file" in refusal("x.docx", b"PK\x03\x04 not really a zip")


def test_an_office_file_with_macros_is_refused():
    assert refusal("Case study.docx", ooxml_bytes("word", macros=True)) == (
        "The file contains macros, which can run programs on the reader's computer. Save it "
        "without macros (as a .docx, .xlsx or .pptx file) and upload it again."
    )


def test_an_opendocument_of_another_kind_is_refused():
    message = refusal("Slides.odt", odf_bytes("presentation"))

    assert "it is an OpenDocument file of a kind not accepted" in message


def test_an_old_or_password_protected_office_file_is_refused_with_a_hint():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    assert "an older Office file (.doc, .xls or .ppt) or one protected with a password" in (
        refusal("Case study.docx", content)
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"text with a \x00 NUL byte"),
        ("results.csv", "caf\xe9,1\n".encode("latin-1")),  # not UTF-8
        ("results.csv", "naïve".encode()[:-1] + b"\xc3"),  # cut in the middle of a character
    ],
)
def test_text_must_be_utf8_without_nul_bytes(name, content):
    message = refusal(name, content)

    assert message.startswith(f"The file is called {name} but it is not a ")
    assert message.endswith(f"Save your evidence as {ACCEPTED}, and upload it again.")


# --- empty and too big ------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal("report.pdf", b"") == (
        "The selected file is empty. Check it is the right file and upload it again."
    )


def test_the_size_limit_is_a_setting_of_20_mb_by_default(settings):
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    assert evidence_max_bytes() == settings.EVIDENCE_MAX_BYTES == DEFAULT_MAX_BYTES


def test_a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused(settings):
    content = pdf_bytes()
    settings.EVIDENCE_MAX_BYTES = len(content)

    assert check("report.pdf", content).size == len(content)
    message = refusal("report.pdf", content + b"\n")
    assert message == (
        f"The selected file must be {size_text(len(content))} or smaller. Make it smaller (for "
        "example, compress its images) or split it into parts, and upload each part."
    )


def test_an_oversized_file_is_refused_by_its_declared_size_before_it_is_read(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024

    class Declared(io.BytesIO):
        size = 5 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("an oversized file must not be read")

    with pytest.raises(EvidenceRefused, match=r"must be 1 MB or smaller"):
        evidence_check(name="report.pdf", file=Declared(pdf_bytes()))


def test_an_oversized_file_that_understates_its_size_is_refused_while_read():
    class Understated(io.BytesIO):
        size = 10

    content = pdf_bytes() + b"0" * 5000

    with pytest.raises(EvidenceRefused, match="must be 4 KB or smaller"):
        evidence_check(name="report.pdf", file=Understated(content), max_bytes=4096)


# --- dangerous names --------------------------------------------------------------------------

RENAME = "Rename the file and upload it again."


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../report.pdf", "The file name must not contain a / or \\"),
        ("evidence/report.pdf", "The file name must not contain a / or \\"),
        ("C:\\evidence\\report.pdf", "The file name must not contain a / or \\"),
        ("report..pdf", "The file name must not contain two full stops in a row (..)"),
        (".report.pdf", "The file name must not start with a full stop"),
        ("report\x00.pdf", "The file name contains control or invisible characters"),
        ("report\n.pdf", "The file name contains control or invisible characters"),
        # A right-to-left override makes "report‮fdp.exe" look like "reportexe.pdf".
        ("report\u202efdp.pdf", "The file name contains control or invisible characters"),
        ("report:final.pdf", "The file name must not contain :"),
        ('re"port<1>.pdf', 'The file name must not contain " or < or >'),
        ("CON.pdf", "The file name cannot start with CON: Windows reserves that name"),
        ("nul.txt", "The file name cannot start with NUL: Windows reserves that name"),
        ("lpt1.tar.pdf", "The file name cannot start with LPT1: Windows reserves that name"),
        ("x" * 197 + ".pdf", "The file name is 201 characters long: it must be 200 characters "
         "or fewer"),
        ("", "The file has no name"),
    ],
)  # fmt: skip
def test_a_dangerous_name_is_refused_with_the_reason(name, problem):
    assert refusal(name, pdf_bytes()) == f"{problem}. {RENAME}"


def test_a_name_of_200_characters_is_accepted():
    name = "x" * 196 + ".pdf"

    assert check(name, pdf_bytes()).name == name


@pytest.mark.parametrize("name", ["report.pdf.exe", "report.exe", "invoice.PDF.scr", "run.js"])
def test_a_name_ending_in_a_program_extension_is_refused(name):
    extension = name.rpartition(".")[2].lower()

    assert refusal(name, pdf_bytes()) == (
        f"The file name {name} ends in .{extension}, which is a program. Programs cannot be "
        f"uploaded as evidence: upload {ACCEPTED}."
    )


@pytest.mark.parametrize("name", ["report", "report.", "README"])
def test_a_name_without_an_extension_is_refused(name):
    message = refusal(name, pdf_bytes())

    assert message.startswith(f"The file name {name} has no extension (like .pdf)")
    assert message.endswith(
        "Rename the file to end in the extension of its kind and upload it again."
    )


@pytest.mark.parametrize("name", ["archive.zip", "page.html", "image.gif", "old.doc"])
def test_an_extension_not_accepted_is_refused(name):
    extension = name.rpartition(".")[2]

    assert refusal(name, pdf_bytes()) == (
        f"Files ending in .{extension} cannot be uploaded as evidence. Upload {ACCEPTED}."
    )


def test_the_name_is_checked_before_the_content_is_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("a refused name must not need the content")

    with pytest.raises(EvidenceRefused, match="which is a program"):
        evidence_check(name="report.pdf.exe", file=Unreadable(b""))


def test_the_name_check_alone_returns_the_display_name():
    assert evidence_name_check(" Case study.docx ") == "Case study.docx"


# --- helpers of the pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [(1, "1 byte"), (900, "900 bytes"), (12 * 1024, "12 KB"), (1536 * 1024, "1.5 MB"),
     (20 * 1024 * 1024, "20 MB")],
)  # fmt: skip
def test_sizes_read_as_people_say_them(size, text):
    assert size_text(size) == text


def test_the_kind_of_a_stored_file_has_a_short_name():
    assert type_label("application/pdf") == "PDF"
    assert type_label("text/csv; charset=utf-8") == "CSV"
