"""Attachments on messages: which files we accept, and the clean bytes we store for them.

Web uploads and email attachments take the same path. Accepted: PDF, JPEG, PNG and Word
(DOCX), at most `attachment_limits().max_files` files and `max_total_bytes` in all
(settings.MESSAGING["ATTACHMENTS"]: MAX_FILES, MAX_TOTAL_BYTES). The type is decided
from the content with libmagic and must agree with the name's extension. PDFs and Word
documents must not carry scripts, macros or embedded programs; photos are re-encoded so
that no EXIF/GPS, XMP, comment or other metadata leaves the sender's device with them.
Storage names are random and chosen by the caller; the sender's name is a display name.

Modules: `cleaning` (the API below), `limits`, `names`, `errors` (all user-facing
wording), and one per format: `images`, `pdf`, `docx`.
"""

from .cleaning import (
    DOCX_CONTENT_TYPE,
    CleanAttachment,
    clean_attachment,
    clean_attachments,
    read_uploaded_files,
)
from .errors import AttachmentRejected, AttachmentsRejected
from .images import MAX_IMAGE_PIXELS
from .limits import AttachmentLimits, attachment_limits
from .names import MAX_DISPLAY_NAME, display_name

__all__ = [
    "DOCX_CONTENT_TYPE",
    "MAX_DISPLAY_NAME",
    "MAX_IMAGE_PIXELS",
    "AttachmentLimits",
    "AttachmentRejected",
    "AttachmentsRejected",
    "CleanAttachment",
    "attachment_limits",
    "clean_attachment",
    "clean_attachments",
    "display_name",
    "read_uploaded_files",
]
