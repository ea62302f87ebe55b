"""Deciding whether a file may be attached, and what exactly we store for it.

One path for every source: the web composer reads Django uploads with
`read_uploaded_files`, the email gateway passes the MIME parts' names and bytes; both
call `clean_attachments`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import magic
from django.core.files.uploadedfile import UploadedFile

from . import docx, errors, images, pdf
from .errors import AttachmentRejected, AttachmentsRejected
from .limits import attachment_limits
from .names import display_name, split_extension

logger = logging.getLogger(__name__)

# libmagic decides from the opening bytes; DOCX needs the first ZIP entries, which Word puts first.
SNIFF_BYTES = 64 * 1024
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class CleanAttachment:
    """A file that passed every check, ready to be stored under a random name."""

    display_name: str  # sanitised original name, shown to people, never used as a path
    content_type: str  # decided from the content, never from the sender's claim
    extension: str  # ".pdf", ".jpg", ".png" or ".docx" (".jpeg" is normalised to ".jpg")
    content: bytes  # what we store: re-encoded for images, original bytes otherwise
    sha256: str  # hex digest of `content`
    size: int  # len(content)


@dataclass(frozen=True, slots=True)
class _Kind:
    content_type: str
    extension: str
    label: str  # "a PDF document", for reasons
    magic_types: frozenset[str]  # what libmagic may call it
    clean: Callable[[str, bytes], bytes]


def _unchanged(check: Callable[[str, bytes], None]) -> Callable[[str, bytes], bytes]:
    def clean(name: str, data: bytes) -> bytes:
        check(name, data)
        return data

    return clean


PDF = _Kind("application/pdf", ".pdf", pdf.LABEL, frozenset({"application/pdf"}), _unchanged(pdf.check_pdf))
JPEG = _Kind(
    "image/jpeg",
    ".jpg",
    images.JPEG.label,
    frozenset({"image/jpeg", "image/pjpeg"}),
    lambda name, data: images.reencode(name, data, images.JPEG),
)
PNG = _Kind(
    "image/png",
    ".png",
    images.PNG.label,
    frozenset({"image/png"}),
    lambda name, data: images.reencode(name, data, images.PNG),
)
DOCX = _Kind(
    DOCX_CONTENT_TYPE,
    ".docx",
    docx.LABEL,
    frozenset(
        {
            DOCX_CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
            # A macro-enabled document renamed .docx: let the structure check say "macros".
            "application/vnd.ms-word.document.macroenabled.12",
            "application/vnd.ms-word.template.macroenabled.12",
        }
    ),
    docx.clean_docx,
)
# libmagic names a DOCX it cannot look far enough into "zip" or "octet-stream"; for .docx
# names those are accepted when the file is a ZIP, and then the structure check decides.
_ZIPPISH = frozenset(
    {"application/zip", "application/x-zip", "application/x-zip-compressed", "application/octet-stream"}
)

KINDS: tuple[_Kind, ...] = (PDF, JPEG, PNG, DOCX)
_BY_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX}
_BY_MAGIC = {magic_type: kind for kind in KINDS for magic_type in kind.magic_types}
# What a refused file really is, in words, for the types people commonly send by mistake.
_REALLY = {
    "image/heic": "an HEIC photo",
    "image/heif": "an HEIC photo",
    "image/gif": "a GIF image",
    "image/webp": "a WebP image",
    "image/tiff": "a TIFF image",
    "image/bmp": "a BMP image",
    "image/svg+xml": "an SVG drawing",
    "application/msword": "an older Word (.doc) document",
    "application/vnd.ms-excel": "an Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "a PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "an OpenDocument text file",
    "application/zip": "a ZIP archive",
    "application/x-rar": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/x-dosexec": "a Windows program",
    "application/vnd.microsoft.portable-executable": "a Windows program",
    "application/x-msdownload": "a Windows program",
    "application/x-executable": "a program",
    "application/x-sharedlib": "a program",
    "text/html": "a web page",
    "text/plain": "a text file",
    "text/csv": "a text file",
}


def clean_attachment(*, name: str, data: bytes) -> CleanAttachment:
    """Check one file and return what to store, or raise AttachmentRejected with the reason.

    The type comes from the content and must agree with the name's extension: a recipient's
    computer opens a file by its extension, so a PNG called .jpg or a program called .pdf
    would be opened by the wrong program, or be a disguise.
    """
    shown = display_name(name)
    expected = _BY_EXTENSION.get(split_extension(shown)[1].lower())
    if expected is None:
        raise AttachmentRejected(shown, errors.not_accepted(shown))
    if not data:
        raise AttachmentRejected(shown, errors.empty(shown))
    limit = attachment_limits().max_total_bytes
    if len(data) > limit:
        raise AttachmentRejected(shown, errors.file_too_large(shown, len(data), limit))
    _check_type(shown, data, expected)
    content = expected.clean(shown, data)
    return CleanAttachment(
        display_name=shown,
        content_type=expected.content_type,
        extension=expected.extension,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def _sniff(data: bytes) -> str:
    try:
        return magic.from_buffer(data[:SNIFF_BYTES], mime=True).lower()
    except magic.MagicException:  # libmagic gave up: nothing we accept
        logger.warning("libmagic could not identify an attachment", exc_info=True)
        return "application/octet-stream"


def _check_type(name: str, data: bytes, expected: _Kind) -> None:
    sniffed = _sniff(data)
    detected = _BY_MAGIC.get(sniffed)
    if detected is expected:
        return
    if expected is DOCX:
        if sniffed in _ZIPPISH and docx.looks_like_zip(data):
            return  # the structure check decides whether this ZIP is a Word document
        if docx.is_encrypted_word(data):
            raise AttachmentRejected(name, docx.password_protected(name))
    if detected is not None:
        raise AttachmentRejected(name, errors.mismatch(name, expected.label, detected.label))
    really = _REALLY.get(sniffed) or ("a video" if sniffed.startswith("video/") else None)
    if really:
        raise AttachmentRejected(name, errors.really_unacceptable(name, expected.label, really))
    raise AttachmentRejected(name, errors.not_really(name, expected.label))


def clean_attachments(
    files: Sequence[tuple[str, bytes]],
) -> tuple[list[CleanAttachment], list[AttachmentRejected]]:
    """Check a message's files: (accepted, refused), both in the order given.

    Count and total size are checked first, because they cost nothing; files past either
    limit are refused without being looked at. Returning both lists lets each caller choose:
    the web form refuses the whole post when anything was refused, the email gateway
    delivers the text with the accepted files and tells the sender which were dropped and why.
    """
    limits = attachment_limits()
    verdicts: list[AttachmentRejected | None] = []
    used = taken = 0
    for name, data in files:
        shown = display_name(name)
        if taken >= limits.max_files:
            verdicts.append(AttachmentRejected(shown, errors.left_out(shown, limits.max_files)))
        elif len(data) > limits.max_total_bytes:
            verdicts.append(
                AttachmentRejected(shown, errors.file_too_large(shown, len(data), limits.max_total_bytes))
            )
        elif used + len(data) > limits.max_total_bytes:
            verdicts.append(
                AttachmentRejected(shown, errors.over_total(shown, len(data), used, limits.max_total_bytes))
            )
        else:
            verdicts.append(None)
            taken += 1
            used += len(data)

    accepted: list[CleanAttachment] = []
    refused: list[AttachmentRejected] = []
    for (name, data), verdict in zip(files, verdicts, strict=True):
        if verdict is not None:
            refused.append(verdict)
            continue
        try:
            accepted.append(clean_attachment(name=name, data=data))
        except AttachmentRejected as rejection:
            refused.append(rejection)
    return accepted, refused


def read_uploaded_files(files: Sequence[UploadedFile]) -> list[tuple[str, bytes]]:
    """The uploads' names and bytes, or AttachmentsRejected before reading anything over the limits.

    `UploadedFile.size` is what the upload handler counted while receiving, so a set that is
    too large is refused without being read into memory. Reads are capped all the same, in
    case a file object's size is wrong.
    """
    limits = attachment_limits()
    files = list(files)
    sizes = [upload.size or 0 for upload in files]
    reasons: list[str] = []
    if len(files) > limits.max_files:
        reasons.append(errors.too_many_files(limits.max_files))
    too_large = [
        errors.file_too_large(display_name(upload.name or ""), size, limits.max_total_bytes)
        for upload, size in zip(files, sizes, strict=True)
        if size > limits.max_total_bytes
    ]
    reasons.extend(too_large)
    if not too_large and sum(sizes) > limits.max_total_bytes:
        reasons.append(errors.set_too_large(sum(sizes), limits.max_total_bytes))
    if reasons:
        raise AttachmentsRejected(reasons)

    read: list[tuple[str, bytes]] = []
    remaining = limits.max_total_bytes
    for upload in files:
        upload.seek(0)
        data = upload.read(remaining + 1)
        if len(data) > remaining:
            raise AttachmentsRejected([errors.upload_too_large(limits.max_total_bytes)])
        remaining -= len(data)
        read.append((upload.name or "", data))
    return read
