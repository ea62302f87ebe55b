"""Refusals, and the wording shown to the person whose file was refused.

Every reason is a whole sentence a buyer who never heard of MIME types understands, and it
names the file, because a refused post may carry several.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MEGABYTE = 1024 * 1024
ACCEPTED_TYPES = "PDF, JPEG, PNG or Word (DOCX)"


class AttachmentRejected(ValueError):
    """One file refused; ``str()`` is the reason, ready to show."""

    def __init__(self, filename: str, reason: str):
        super().__init__(reason)
        self.filename = filename
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self):  # picklable, e.g. for a task queue: args alone would lose the file name
        return (type(self), (self.filename, self.reason))


class AttachmentsRejected(ValueError):
    """A whole set of files refused, with every reason (each once, in order)."""

    def __init__(self, reasons: Iterable[str]):
        self.reasons: list[str] = list(dict.fromkeys(reasons))
        super().__init__(" ".join(self.reasons))

    def __reduce__(self):
        return (type(self), (self.reasons,))

    @classmethod
    def from_refused(cls, refused: Iterable[AttachmentRejected]) -> AttachmentsRejected:
        return cls(rejection.reason for rejection in refused)


def quoted(name: str) -> str:
    return f"\u201c{name}\u201d"


def human_size(size: int, *, over: int | None = None) -> str:
    """'12.3 MB', '850 KB', '593 bytes', rounded to a tenth.

    `over` is the limit a refused size exceeds: the figure is then rounded up if needed, so
    that 10 MB + 1 byte reads '10.1 MB', not '10 MB; attachments can be 10 MB in total'.
    """
    for unit, factor in (("MB", MEGABYTE), ("KB", 1024)):
        if size >= factor:
            tenths = round(size * 10 / factor)
            if over is not None and tenths * factor / 10 <= over:
                tenths = math.ceil(size * 10 / factor)
            return f"{tenths / 10:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


# --- Reasons -----------------------------------------------------------------------------------


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def too_many_files(max_files: int) -> str:
    return f"You can attach at most {_files(max_files)}."


def left_out(name: str, max_files: int) -> str:
    return f"{quoted(name)} was left out: you can attach at most {_files(max_files)}."


def file_too_large(name: str, size: int, max_total: int) -> str:
    return (
        f"{quoted(name)} is {human_size(size, over=max_total)}; "
        f"attachments can be {human_size(max_total)} in total."
    )


def over_total(name: str, size: int, used: int, max_total: int) -> str:
    return (
        f"{quoted(name)} ({human_size(size)}) does not fit: attachments can be "
        f"{human_size(max_total)} in total and the files before it already take {human_size(used)}."
    )


def set_too_large(total: int, max_total: int) -> str:
    return (
        f"Your attachments come to {human_size(total, over=max_total)}; "
        f"attachments can be {human_size(max_total)} in total."
    )


def upload_too_large(max_total: int) -> str:
    return (
        f"Your attachments come to more than {human_size(max_total)}; "
        f"attachments can be {human_size(max_total)} in total."
    )


def not_accepted(name: str) -> str:
    return f"{quoted(name)} is not a type we accept: send {ACCEPTED_TYPES} files."


def empty(name: str) -> str:
    return f"{quoted(name)} is empty."


def mismatch(name: str, named_as: str, really: str) -> str:
    return (
        f"{quoted(name)} is named like {named_as} but is really {really}. "
        f"Give it the right name ending, or send a different file."
    )


def really_unacceptable(name: str, named_as: str, really: str) -> str:
    return f"{quoted(name)} is named like {named_as} but is really {really}, which we don't accept."


def not_really(name: str, named_as: str) -> str:
    return f"{quoted(name)} is named like {named_as}, but it is not one, so we can't accept it."


def damaged(name: str, what: str) -> str:
    return f"{quoted(name)} looks damaged or incomplete: we could not open it as {what}."
