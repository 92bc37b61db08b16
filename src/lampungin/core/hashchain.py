"""Hash chains for append-only histories: canonical JSON plus the previous entry's hash.

The case timeline (``cases.timeline``) was written first and builds its canonical JSON
itself; these helpers produce the same bytes for the same body (sorted keys, compact
separators, UTF-8 kept, UTC timestamps to the microsecond), so newer chains such as
service applications share one definition without changing any stored case hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet


def iso_utc(value: datetime | None) -> str | None:
    """``value`` in UTC to the microsecond, the form every chained timestamp is hashed in."""
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def canonical_json(body: dict[str, Any]) -> str:
    """One spelling per content: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(body: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 of the canonical body followed by the previous entry's hash (hex)."""
    return hashlib.sha256((canonical_json(body) + prev_hash).encode()).hexdigest()


def verify_links(
    events: Iterable[Any],
    *,
    compute: Callable[[Any], str],
    head_seq: int,
    head_hash: str,
    owner: str,
) -> list[str]:
    """Problems found in one chain (empty when intact).

    ``events`` are in ``seq`` order, each with ``seq``, ``prev_hash`` and ``hash``;
    ``compute(event)`` recomputes an event's hash from its content; ``head_seq`` and
    ``head_hash`` are what the owner row recorded as the chain's end, so removing the last
    event is detected too. ``owner`` names the owner in the messages ("laporan").
    """
    problems: list[str] = []
    prev = ""
    expected = 1
    for event in events:
        if event.seq != expected:
            problems.append(f"urutan {expected} hilang (ditemukan {event.seq})")
            expected = event.seq
        if event.prev_hash != prev:
            problems.append(f"peristiwa {event.seq}: rantai hash terputus")
        if compute(event) != event.hash:
            problems.append(f"peristiwa {event.seq}: isi berubah setelah dicatat")
        prev = event.hash
        expected += 1
    if head_seq and expected - 1 != head_seq:
        problems.append(f"peristiwa terakhir {head_seq} tidak ditemukan")
    if head_hash and prev != head_hash:
        problems.append(f"ujung rantai tidak cocok dengan catatan {owner}")
    return problems


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """Run the block's reads on one snapshot of the database, so that owners (cases,
    applications) and their events read by two queries agree even while new events are
    appended: an event written between the two reads would otherwise look like tampering.
    PostgreSQL needs REPEATABLE READ for that. On SQLite (the demo) it does nothing: its
    transactions start IMMEDIATE here, which would hold the write lock while reading. Inside
    an outer transaction (tests) the outer one decides."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking one owner's chain: its tracking number, event count, problems."""

    tracking: str
    events: int
    problems: list[str]


def check_chains(
    owners: QuerySet, events: QuerySet, verify: Callable[[Any, list], list[str]], *, chunk_size: int = 500
) -> Iterator[ChainReport]:
    """Check the chain of every owner in ``owners`` (cases, applications), yielding one report
    each. ``events`` is the events' queryset (reached through the owners' ``events``
    relation); ``verify(owner, events_in_seq_order)`` returns the problems.

    Must hold: two queries per ``chunk_size`` owners (owners, then their events), read in one
    snapshot; owners visited in primary-key order, so the run is stable while new ones arrive.
    """
    base = owners.only("pk", "tracking", "last_event_seq", "last_event_hash")
    chain = Prefetch("events", queryset=events.order_by("seq"), to_attr="chain")
    last_pk = 0
    while True:
        with one_snapshot():  # the owners and their events as of one instant
            chunk = list(base.filter(pk__gt=last_pk).order_by("pk").prefetch_related(chain)[:chunk_size])
        for owner in chunk:
            yield ChainReport(owner.tracking, len(owner.chain), verify(owner, owner.chain))
        if len(chunk) < chunk_size:
            return
        last_pk = chunk[-1].pk
