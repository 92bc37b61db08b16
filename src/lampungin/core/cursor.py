"""Cursor pagination for API lists: newest first, stable while new rows arrive.

A cursor is the signed position ``(created_at, id)`` of the last row of a page; the next
page is every row strictly after it in ``(-created_at, -id)`` order. New rows are newer
than any cursor, so paging on while reports keep arriving never repeats or skips one (an
offset would). The cursor is opaque to clients (signed, so a forged one is refused
rather than read as a position).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

MAX_LIMIT = 100
_SALT = "lampungin.api.cursor"


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def encode(created_at: datetime, pk: int) -> str:
    return signing.dumps([created_at.isoformat(), pk], salt=_SALT, compress=True)


def decode(cursor: str) -> tuple[datetime, int]:
    """The position in ``cursor``, or a 400 ``ValidationError`` for a cursor we did not issue."""
    try:
        stamp, pk = signing.loads(cursor, salt=_SALT)
        return datetime.fromisoformat(stamp), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ValidationError({"cursor": [_("Kursor halaman tidak valid.")]}) from exc


def paginate(qs: QuerySet, *, cursor: str = "", limit: int = 20, time_field: str = "created_at") -> Page:
    """One page of ``qs`` newest first; ``limit`` is clamped to 1…100. One query."""
    limit = max(1, min(limit, MAX_LIMIT))
    qs = qs.order_by(f"-{time_field}", "-pk")
    if cursor:
        stamp, pk = decode(cursor)
        qs = qs.filter(Q(**{f"{time_field}__lt": stamp}) | Q(**{time_field: stamp, "pk__lt": pk}))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows and more else None
    return Page(items=rows, next_cursor=encode(getattr(last, time_field), last.pk) if last else None)
