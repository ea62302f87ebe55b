"""Word documents are sent as they are, if they are plain documents: no macros, no controls.

A DOCX is a ZIP of XML parts. We read its directory and the few parts that say what it
contains; we never extract anything to disk. The checks are about what Word would run or
fetch when the recipient opens it: VBA macros, ActiveX controls, embedded OLE objects and
templates or objects loaded from another computer (the "Follina" and template-injection
tricks). A ZIP that would unpack to far more than a document needs is refused as well, so
that neither we nor the recipient's computer inflate gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from . import errors

LABEL = "a Word (DOCX) document"
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # XML packs 5-20x; only checked for parts over 1 MB
MAX_ENTRIES = 2_000
MAX_XML_PART_BYTES = 2 * 1024 * 1024  # [Content_Types].xml and .rels parts we read
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "ms-office.vba")
_MACRO_OFFICE_FILES = re.compile(r"\.(doc|dot|xls|xlt|xla|ppt|pot|ppa|pps|sld)m$")
# Relationship types that make Word fetch and run or display something from elsewhere on open;
# hyperlinks (and linked pictures) are external too but only followed on a click.
_DANGEROUS_EXTERNAL = ("attachedtemplate", "oleobject", "subdocument", "frame", "package")


def looks_like_zip(data: bytes) -> bool:
    return data.startswith(_ZIP_SIGNATURE)


def is_encrypted_word(data: bytes) -> bool:
    """A password-protected .docx is not a ZIP but an OLE container with an EncryptedPackage."""
    return data.startswith(OLE_SIGNATURE) and "EncryptedPackage".encode("utf-16-le") in data


def password_protected(name: str) -> str:
    return (
        f"{errors.quoted(name)} is password-protected, so we can't check it. "
        "Remove the password and send it again."
    )


def _refuse(name: str, reason: str) -> errors.AttachmentRejected:
    return errors.AttachmentRejected(name, reason)


def check_docx(name: str, data: bytes) -> None:
    """Raise AttachmentRejected unless `data` is a plain Word document."""
    if not looks_like_zip(data):
        raise _refuse(name, errors.not_really(name, LABEL))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(name, archive)
    except errors.AttachmentRejected:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ElementTree.ParseError,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _refuse(name, errors.damaged(name, LABEL)) from exc


def _check_archive(name: str, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    q = errors.quoted(name)
    if len(entries) > MAX_ENTRIES:
        raise _refuse(name, f"{q} has far more parts than a Word document, so we can't accept it.")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _refuse(name, password_protected(name))
    bomb = f"{q} would unpack to far more data than a Word document holds, so we can't accept it."
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(name, bomb)
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _refuse(name, bomb)

    by_name = {entry.filename.lower(): entry for entry in entries}
    if len(by_name) != len(entries):  # two parts with one name: which one would Word read?
        raise _refuse(name, errors.damaged(name, LABEL))
    if "[content_types].xml" not in by_name or "word/document.xml" not in by_name:
        raise _refuse(name, errors.not_really(name, LABEL))
    content_types = _read_xml_part(archive, by_name["[content_types].xml"]).decode("utf-8", "replace").lower()
    if not any(kind in content_types for kind in _WORD_MAIN_TYPES) and not _has_macro(by_name, content_types):
        raise _refuse(name, errors.not_really(name, LABEL))

    if _has_macro(by_name, content_types):
        raise _refuse(name, f"{q} contains macros, which we don't accept.")
    if "activex" in content_types or any("/activex/" in f"/{part}" for part in by_name):
        raise _refuse(name, f"{q} contains ActiveX controls (small programs), which we don't accept.")
    if any(part.endswith(".bin") and "printersettings" not in part for part in by_name):
        raise _refuse(name, f"{q} has other files or programs embedded in it, which we don't accept.")
    for part, entry in by_name.items():
        if part.endswith(".rels") and _has_dangerous_external_link(archive, entry):
            raise _refuse(
                name,
                f"{q} would load content from the internet when opened (a linked template or object), "
                "which we don't accept.",
            )
    _read_everything(name, archive, entries, bomb)


def _has_macro(by_name: dict[str, zipfile.ZipInfo], content_types: str) -> bool:
    return any(marker in content_types for marker in _MACRO_MARKERS) or any(
        part.rsplit("/", 1)[-1] in {"vbaproject.bin", "vbadata.xml"} or _MACRO_OFFICE_FILES.search(part)
        for part in by_name
    )


def _read_xml_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > MAX_XML_PART_BYTES:
        raise ValueError(f"{entry.filename} is implausibly large")
    with archive.open(entry) as part:
        return part.read(MAX_XML_PART_BYTES + 1)


def _has_dangerous_external_link(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    raw = _read_xml_part(archive, entry)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:  # never in OOXML; entity tricks hide attributes
        raise ValueError("DTD in a relationships part")
    # Safe without defusedxml: no DTD means no entities to expand or fetch. ParseError -> "damaged".
    root = ElementTree.fromstring(raw)  # noqa: S314
    for relationship in root.iter():
        mode = (relationship.get("TargetMode") or "").strip().lower()
        kind = (relationship.get("Type") or "").strip().lower().rsplit("/", 1)[-1]
        target = (relationship.get("Target") or "").strip().lower()
        if mode == "external" and (kind in _DANGEROUS_EXTERNAL or target.startswith("mhtml:")):
            return True
    return False


def _read_everything(name: str, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], bomb: str) -> None:
    """Inflate every part once: checks each CRC (corruption) and that sizes did not lie."""
    total = 0
    for entry in entries:
        with archive.open(entry) as part:
            while chunk := part.read(1024 * 1024):
                total += len(chunk)
                if total > MAX_UNCOMPRESSED_BYTES:
                    raise _refuse(name, bomb)


# Document properties that name people or organisations: emptied before a file is stored, so that
# a seller never learns a buyer's full name from "File > Properties".
_PERSONAL_PROPERTIES = re.compile(
    rb"(<(?:dc:creator|cp:lastModifiedBy|dc:contributor|cp:keywords)(?:\s[^>]*)?>)[^<]*(</)"
    rb"|(<(?:Company|Manager)(?:\s[^>]*)?>)[^<]*(</)"
)
_PROPERTY_PARTS = {"docProps/core.xml", "docProps/app.xml"}


def strip_personal_properties(data: bytes) -> bytes:
    """The same document with author, last editor, company and manager emptied (checked first)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename in _PROPERTY_PARTS:
                content = _PERSONAL_PROPERTIES.sub(lambda m: (m[1] or m[3]) + (m[2] or m[4]), content)
            target.writestr(entry, content)
    return out.getvalue()


def clean_docx(name: str, data: bytes) -> bytes:
    check_docx(name, data)
    return strip_personal_properties(data)
