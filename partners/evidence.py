"""What an evidence file must be before it is stored: a safe name, not empty, within the size
limit, and content of an accepted kind that agrees with the name's extension.

The kind is decided by the content (its first bytes, or the parts inside a zip), never by
the name or by what the browser says: a program renamed ``report.pdf`` is refused because it
is not a PDF. Every refusal (``EvidenceRefused``) says what is wrong and what to do. These
checks only read the file; storing it is the services' business.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

from core.exceptions import ApplicationError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
NAME_MAX_LENGTH = 200
_CHUNK = 64 * 1024


class EvidenceRefused(ApplicationError):
    """An evidence file refused for its name, size or content. Nothing is stored."""


@dataclass(frozen=True)
class EvidenceType:
    label: str  # what the file is, as a sentence says it: "a PDF"
    short: str  # for a table of files: "PDF"
    extensions: tuple[str, ...]
    content_type: str


PDF = EvidenceType("a PDF", "PDF", ("pdf",), "application/pdf")
PNG = EvidenceType("a PNG image", "PNG image", ("png",), "image/png")
JPEG = EvidenceType("a JPEG image", "JPEG image", ("jpg", "jpeg"), "image/jpeg")
DOCX = EvidenceType(
    "a Word document (.docx)",
    "Word document",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = EvidenceType(
    "an Excel spreadsheet (.xlsx)",
    "Excel spreadsheet",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
PPTX = EvidenceType(
    "a PowerPoint presentation (.pptx)",
    "PowerPoint presentation",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODT = EvidenceType(
    "an OpenDocument text document (.odt)",
    "OpenDocument text",
    ("odt",),
    "application/vnd.oasis.opendocument.text",
)
ODS = EvidenceType(
    "an OpenDocument spreadsheet (.ods)",
    "OpenDocument spreadsheet",
    ("ods",),
    "application/vnd.oasis.opendocument.spreadsheet",
)
TEXT = EvidenceType("a plain text file", "Text", ("txt",), "text/plain; charset=utf-8")
CSV = EvidenceType("a CSV file", "CSV", ("csv",), "text/csv; charset=utf-8")

TYPES = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, TEXT, CSV)
TYPE_BY_EXTENSION = {extension: kind for kind in TYPES for extension in kind.extensions}
ACCEPTED = (
    "a PDF, a PNG or JPEG image, a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx), "
    "an OpenDocument text or spreadsheet (.odt, .ods), or a plain text or CSV file"
)

# Extensions of programs and scripts: a name ending in one is refused whatever else it says
# (``report.pdf.exe`` shows as a PDF where extensions are hidden).
EXECUTABLE_EXTENSIONS = frozenset(
    [
        "app", "apk", "bat", "bin", "cmd", "com", "cpl", "dll", "dmg", "exe", "gadget", "hta",
        "inf", "ins", "isp", "jar", "js", "jse", "lnk", "msc", "msi", "msp", "pif", "ps1", "ps2",
        "psc1", "reg", "scf", "scr", "sct", "sh", "shb", "vb", "vbe", "vbs", "ws", "wsc", "wsf",
        "wsh",
    ]
)  # fmt: skip
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(1, 10)]
    + [f"LPT{n}" for n in range(1, 10)]
)
WINDOWS_FORBIDDEN = '<>:"|?*'

_ZIP_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}
# Kinds of file worth naming when refused, by their first bytes.
_NAMED_SIGNATURES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Office file (.doc, .xls or .ppt) or one "
     "protected with a password"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)  # fmt: skip


@dataclass(frozen=True)
class CheckedEvidence:
    """A file that passed every check: its display name and what its content is."""

    name: str
    content_type: str
    size: int
    sha256: str


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    """A size as people read it: "900 bytes", "12 KB", "1.5 MB"."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"


def type_label(content_type: str) -> str:
    """The short name of a stored file's kind, for a table of files."""
    for kind in TYPES:
        if kind.content_type == content_type:
            return kind.short
    return content_type


def upload_hint(max_bytes: int | None = None) -> str:
    limit = evidence_max_bytes() if max_bytes is None else max_bytes
    return f"Upload {ACCEPTED}. Each file must be {size_text(limit)} or smaller."


# --- the name -------------------------------------------------------------------------------


def _rename(problem: str) -> EvidenceRefused:
    return EvidenceRefused(f"{problem}. Rename the file and upload it again.")


def evidence_name_check(name: str) -> str:
    """The name to keep for display, or ``EvidenceRefused`` if it is not safe to use.

    The name is only ever shown and offered as the download's name (files are stored by
    their SHA-256), but a recipient saves it on their own computer, so it must be a plain
    file name there too.
    """
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise _rename("The file has no name")
    if len(name) > NAME_MAX_LENGTH:
        raise _rename(
            f"The file name is {len(name)} characters long: it must be "
            f"{NAME_MAX_LENGTH} characters or fewer"
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise _rename("The file name contains control or invisible characters")
    if "/" in name or "\\" in name:
        raise _rename("The file name must not contain a / or \\")
    if ".." in name:
        raise _rename("The file name must not contain two full stops in a row (..)")
    if name.startswith("."):
        raise _rename("The file name must not start with a full stop")
    forbidden = sorted({char for char in name if char in WINDOWS_FORBIDDEN})
    if forbidden:
        raise _rename(f"The file name must not contain {' or '.join(forbidden)}")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension:
        raise EvidenceRefused(
            f"The file name {name} has no extension (like .pdf), so the file's kind cannot be "
            "told from it. Rename the file to end in the extension of its kind and upload it "
            "again."
        )
    extension = extension.lower()
    if extension in EXECUTABLE_EXTENSIONS:
        raise EvidenceRefused(
            f"The file name {name} ends in .{extension}, which is a program. Programs cannot "
            f"be uploaded as evidence: upload {ACCEPTED}."
        )
    first = name.split(".", 1)[0].rstrip(" ").upper()
    if first in WINDOWS_RESERVED:
        raise _rename(f"The file name cannot start with {first}: Windows reserves that name")
    if extension not in TYPE_BY_EXTENSION:
        raise EvidenceRefused(
            f"Files ending in .{extension} cannot be uploaded as evidence. Upload {ACCEPTED}."
        )
    return name


# --- the content ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Measured:
    size: int
    sha256: str
    head: bytes
    is_text: bool  # valid UTF-8 with no NUL byte


def _measure(file: BinaryIO, limit: int) -> _Measured:
    """Read the file once: its size (stopping past the limit), SHA-256, first bytes, and
    whether it is UTF-8 text."""
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise _too_big(limit)
    file.seek(0)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, head, is_text = 0, b"", True
    while chunk := file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_big(limit)
        if len(head) < 16:
            head = (head + chunk)[:16]
        digest.update(chunk)
        if is_text:
            is_text = b"\x00" not in chunk and _decodes(decoder, chunk, final=False)
    if is_text:
        is_text = _decodes(decoder, b"", final=True)
    file.seek(0)
    return _Measured(size=size, sha256=digest.hexdigest(), head=head, is_text=is_text)


def _decodes(decoder, chunk: bytes, *, final: bool) -> bool:
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _too_big(limit: int) -> EvidenceRefused:
    return EvidenceRefused(
        f"The selected file must be {size_text(limit)} or smaller. Make it smaller (for "
        "example, compress its images) or split it into parts, and upload each part."
    )


@dataclass(frozen=True)
class _Sniffed:
    types: tuple[EvidenceType, ...]  # the accepted kinds the content may be (text: two)
    description: str  # what the content is, for a refusal: "" when it cannot be told
    refusal: str = ""  # a reason to refuse the content whatever its name


def _sniff_zip(file: BinaryIO) -> _Sniffed:
    """An Office Open XML or OpenDocument file, by the parts inside it. Only the zip's
    directory and the small ``mimetype`` entry are read: nothing is unpacked."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, kind in _ZIP_PARTS:
                    if any(name.startswith(prefix) for name in names):
                        if any(name.lower().endswith("vbaproject.bin") for name in names):
                            return _Sniffed((kind,), kind.label, refusal=_MACROS)
                        return _Sniffed((kind,), kind.label)
                return _Sniffed((), "an Office file of a kind not accepted")
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                kind = _ODF_MIMETYPES.get(mimetype)
                if kind is not None:
                    return _Sniffed((kind,), kind.label)
                return _Sniffed((), "an OpenDocument file of a kind not accepted")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError):  # fmt: skip
        return _Sniffed((), "a damaged zip file")
    return _Sniffed((), "a zip archive")


_MACROS = (
    "The file contains macros, which can run programs on the reader's computer. Save it "
    "without macros (as a .docx, .xlsx or .pptx file) and upload it again."
)


def _sniff(file: BinaryIO, measured: _Measured) -> _Sniffed:
    head = measured.head
    if head.startswith(b"%PDF-"):
        return _Sniffed((PDF,), PDF.label)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Sniffed((PNG,), PNG.label)
    if head.startswith(b"\xff\xd8\xff"):
        return _Sniffed((JPEG,), JPEG.label)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(file)
    for signature, description in _NAMED_SIGNATURES:
        if head.startswith(signature):
            return _Sniffed((), description)
    if measured.is_text:
        return _Sniffed((TEXT, CSV), "plain text")
    return _Sniffed((), "")


def evidence_check(*, name: str, file: BinaryIO, max_bytes: int | None = None) -> CheckedEvidence:
    """Check a file of evidence: its name, that it is not empty, its size against
    ``max_bytes`` (the EVIDENCE_MAX_BYTES setting by default) and that its content is of
    an accepted kind matching its extension. Raises ``EvidenceRefused`` with the reason."""
    name = evidence_name_check(name)
    extension = name.rpartition(".")[2].lower()
    expected = TYPE_BY_EXTENSION[extension]
    limit = evidence_max_bytes() if max_bytes is None else max_bytes
    measured = _measure(file, limit)
    if measured.size == 0:
        raise EvidenceRefused(
            "The selected file is empty. Check it is the right file and upload it again."
        )
    sniffed = _sniff(file, measured)
    file.seek(0)
    if sniffed.refusal:
        raise EvidenceRefused(sniffed.refusal)
    if expected not in sniffed.types:
        raise EvidenceRefused(_mismatch(name, expected, sniffed))
    return CheckedEvidence(
        name=name, content_type=expected.content_type, size=measured.size, sha256=measured.sha256
    )


def _mismatch(name: str, expected: EvidenceType, sniffed: _Sniffed) -> str:
    said = f"The file is called {name} but it is not {expected.label}"
    if sniffed.types:
        actual = sniffed.types[0]
        return (
            f"{said}: it is {sniffed.description}. Upload the file as {expected.label}, or "
            f"rename it to end in .{actual.extensions[0]} if it is meant to be "
            f"{actual.label}."
        )
    if sniffed.description:
        return f"{said}: it is {sniffed.description}, which cannot be uploaded. Upload {ACCEPTED}."
    return f"{said}. Save your evidence as {ACCEPTED}, and upload it again."
