"""The one source of "now" for services.

Seeding historical demo data and tests need to run services at a chosen instant; a
context variable lets them do so without passing ``now`` through every call, and it is
per-thread/per-task so concurrent requests never see each other's override.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("lampungin_frozen_now", default=None)


def now() -> datetime:
    """The current instant, aware and in UTC."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


@contextlib.contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Run the block as if the current instant were ``instant`` (must be aware)."""
    if timezone.is_naive(instant):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(instant)
    try:
        yield
    finally:
        _frozen.reset(token)


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward (only inside ``frozen_at``)."""
    frozen = _frozen.get()
    if frozen is None:
        raise RuntimeError("advance() only works inside frozen_at()")
    _frozen.set(frozen + delta)
