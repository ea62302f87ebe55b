"""The sender's file name, made safe to show: it is a display name only, never a path."""

from __future__ import annotations

import re
import unicodedata

MAX_DISPLAY_NAME = 120
FALLBACK_STEM = "attachment"
# Longer "extensions" are just a dot inside the name ("Invoice no. 1042 from Acme Ltd").
_MAX_EXTENSION = 10
_SPACES = re.compile(r"\s+")
# Control and format characters: NUL, newlines, and the invisible bidirectional overrides
# that make "invoice\u202egpj.exe" display as "invoiceexe.jpg".
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def split_extension(name: str) -> tuple[str, str]:
    """('holiday photo', '.JPG') for 'holiday photo.JPG'; ('', '.pdf') for '.pdf'."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not extension or len(extension) > _MAX_EXTENSION or " " in extension:
        return name, ""
    return stem, "." + extension


def display_name(raw: str) -> str:
    """The last path part of `raw`, without invisible characters, at most 120 characters.

    Both slash kinds count as separators (a Windows browser may send "C:\\Users\\me\\scan.pdf").
    Truncation keeps the extension, because that is what the recipient's computer opens it by.
    """
    name = unicodedata.normalize("NFC", str(raw))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if ch in "\t\n\r" else ch for ch in name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    name = _SPACES.sub(" ", name).strip(" ").rstrip(". ")  # Windows drops trailing dots anyway
    stem, extension = split_extension(name)
    stem = stem.strip(" .") or FALLBACK_STEM
    if len(stem) + len(extension) > MAX_DISPLAY_NAME:
        stem = stem[: MAX_DISPLAY_NAME - len(extension)].rstrip(" .") or FALLBACK_STEM
    return stem + extension
