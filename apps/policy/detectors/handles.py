"""Bare "@handle" mentions. Invitations ("add me on WhatsApp", "my IG is …") are phrase
patterns in data/phrases/*.toml, and messenger links (wa.me/…) come from the link detector.
"""

from __future__ import annotations

import re

from ..hits import Hit
from ..normalize import NormText

CATEGORY = "contact_handle"

_HANDLE = re.compile(
    r"(?<![a-z0-9._%+\-@])@(?P<name>[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)(?![a-z0-9_@]|\.[a-z])"
)
_NOT_A_HANDLE = re.compile(r"\d{1,2}(?::\d\d)?(?:am|pm|h|hr|hrs|uhr)?|\d+x|\d+(?:[.,]\d+)?")


def find_handles(view: NormText) -> list[Hit]:
    text = view.text
    if "@" not in text:
        return []
    hits = []
    for match in _HANDLE.finditer(text):
        name = match.group("name")
        if _NOT_A_HANDLE.fullmatch(name) or not re.search(r"[a-z]", name):
            continue  # "@5pm", "@2x", "@ 3.99"
        # "@shop_deals", "@deals4u" look like accounts; a plain "@home" is just shorthand
        # (an invitation such as "follow @shopdeals" is caught by the phrase patterns).
        if re.search(r"[0-9_.]", name):
            start, end = view.span(match.start(), match.end())
            hits.append(Hit(CATEGORY, start, end, 0.75))
    return hits
