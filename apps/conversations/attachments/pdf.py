"""PDFs may be sent as they are, unless they carry something that runs or unpacks.

We do not parse PDF: a reader that "repairs" broken files will find objects that a parser
of ours would miss. Instead we look for the names that mark active content anywhere in
the file, with #xx escapes decoded (``/J#61vaScript`` is ``/JavaScript`` to a reader), and
inside compressed object streams (PDF 1.5+), where a plain byte search sees nothing.

Inside other streams (images, fonts, page content) any byte sequence can occur by chance, so
there only the long names count: a random ``/JS`` turns up in roughly one 10 MB scan in
thirty, a random ``/JavaScript`` practically never. A JavaScript action always carries
``/S /JavaScript``, so nothing is lost.
"""

from __future__ import annotations

import re
import zlib

from . import errors

LABEL = "a PDF document"
# Cap on the bytes inflated from object streams; a real PDF's are a few MB at most.
MAX_INFLATED_BYTES = 50 * 1024 * 1024
_DICTIONARY_LOOKBACK = 4096

_WHAT = {
    b"JavaScript": "contains scripts (JavaScript)",
    b"JS": "contains scripts (JavaScript)",
    b"Launch": "can start other programs on the reader's computer",
    b"EmbeddedFile": "has other files hidden inside it",
    b"EmbeddedFiles": "has other files hidden inside it",
}
_LONG_NAMES = {name for name in _WHAT if len(name) > 2}
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{1,127})")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FLATE = {b"FlateDecode", b"Fl"}
# Anything that would change the bytes after inflating (or instead of it), abbreviations included.
_STREAM_KEYS = _FLATE | {
    b"Filter",
    b"DecodeParms",
    b"DP",
    b"ASCIIHexDecode",
    b"AHx",
    b"ASCII85Decode",
    b"A85",
    b"LZWDecode",
    b"LZW",
    b"RunLengthDecode",
    b"RL",
    b"Crypt",
}


class _Uncheckable(Exception):
    pass


def check_pdf(name: str, data: bytes) -> None:
    """Raise AttachmentRejected for an incomplete PDF or one with scripts, launch actions or files."""
    if b"%%EOF" not in data:
        raise errors.AttachmentRejected(name, errors.damaged(name, LABEL))
    try:
        found = _active_names(data)
    except _Uncheckable as exc:
        raise errors.AttachmentRejected(
            name,
            f"{errors.quoted(name)} is packed in a way we can't check for hidden scripts, so we can't "
            "accept it. Saving it again as a new PDF (for example with \u201cPrint to PDF\u201d) "
            "usually helps.",
        ) from exc
    if found:
        what = list(dict.fromkeys(_WHAT[item] for item in sorted(found)))
        raise errors.AttachmentRejected(
            name, f"{errors.quoted(name)} {' and '.join(what)}, which we don't accept."
        )


def _names(chunk: bytes, allowed: set[bytes] | dict[bytes, str]) -> set[bytes]:
    found = set()
    for match in _NAME.finditer(chunk):
        raw = match[1]
        decoded = _ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw) if b"#" in raw else raw
        if decoded in allowed:
            found.add(decoded)
    return found


def _active_names(data: bytes) -> set[bytes]:
    found: set[bytes] = set()
    budget = MAX_INFLATED_BYTES
    position = 0
    while match := _STREAM_START.search(data, position):
        outside = data[position : match.start()]
        found |= _names(outside, _WHAT)
        body_end = data.find(b"endstream", match.end())
        body_end = len(data) if body_end == -1 else body_end
        body = data[match.end() : body_end]
        found |= _names(body, _LONG_NAMES)
        dictionary = data[max(position, match.start() - _DICTIONARY_LOOKBACK) : match.start() + 2]
        dictionary = dictionary[dictionary.rfind(b"obj") + 1 :] if b"obj" in dictionary else dictionary
        if b"ObjStm" in _names(dictionary, {b"ObjStm"}):
            inflated = _inflate_object_stream(dictionary, body, budget)
            budget -= len(inflated)
            found |= _names(inflated, _WHAT)
        position = body_end
    found |= _names(data[position:], _WHAT)
    return found


def _inflate_object_stream(dictionary: bytes, body: bytes, budget: int) -> bytes:
    """An object stream holds whole objects; we must read it or refuse the file."""
    keys = _names(dictionary, _STREAM_KEYS)
    if not keys:
        return body  # stored as is
    if keys - {b"Filter"} - _FLATE or not keys & _FLATE:
        # Predictors, other or chained filters, a filter given by reference, encryption filter:
        # legitimate object streams are plain FlateDecode, so this is not worth decoding.
        raise _Uncheckable(f"object stream with {sorted(keys)}")
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(body, budget + 1)
    except zlib.error as exc:  # also what an encrypted PDF's object streams look like
        raise _Uncheckable("object stream does not inflate") from exc
    if len(inflated) > budget:
        raise _Uncheckable("object streams inflate to too much data")
    return inflated
