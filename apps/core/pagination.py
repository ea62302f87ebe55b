"""Keyset pagination: every page costs the same, page 1 or page 5,000.

A cursor names the last row of the previous page by its ordering values; the next page is
"rows after that one", which an index on the ordering columns answers without OFFSET.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    is_first: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, queryset: QuerySet, fields: Sequence[str]) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(raw, list) or len(raw) != len(fields):
            return None
        if any(value is None for value in raw):
            return None  # ordering columns are never null on a page; a null cursor is tampered with
        model_fields = [queryset.model._meta.get_field(name) for name in fields]
        return [field.to_python(value) for field, value in zip(model_fields, raw, strict=True)]
    except (ValueError, binascii.Error, ValidationError, TypeError):
        # A mangled cursor is somebody editing the URL: show the first page, not an error.
        return None


def _after(fields: Sequence[str], descending: Sequence[bool], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the ordering (a row-value comparison, spelled out)."""
    condition = Q()
    for index, (name, desc) in enumerate(zip(fields, descending, strict=True)):
        step = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[index]})
        for earlier in range(index):
            step &= Q(**{fields[earlier]: values[earlier]})
        condition |= step
    return condition


def paginate_keyset(
    queryset: QuerySet, *, ordering: Sequence[str], cursor: str | None, per_page: int
) -> KeysetPage:
    """Return one page of `queryset` ordered by `ordering` (the last field must be unique)."""
    fields = [name.lstrip("-") for name in ordering]
    descending = [name.startswith("-") for name in ordering]
    queryset = queryset.order_by(*ordering)
    values = _decode(cursor, queryset, fields) if cursor else None
    if values is not None:
        queryset = queryset.filter(_after(fields, descending, values))
    rows = list(queryset[: per_page + 1])
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = _encode([_attribute(last, name) for name in fields])
    return KeysetPage(items=rows, next_cursor=next_cursor, is_first=values is None)


def _attribute(row: Any, name: str) -> Any:
    value = row
    for part in name.split("__"):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value
