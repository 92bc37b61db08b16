"""Append-only, hash-chained case timeline.

Each event's hash is SHA-256 over its canonical JSON (sorted keys, UTC timestamps to the
microsecond) followed by the previous event's hash. Changing, inserting or deleting any
past event breaks every later hash of that case, which ``verify_case_chain`` detects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from lampungin.cases.models import Case, CaseEvent
from lampungin.core import clock
from lampungin.core.hashchain import canonical_json, iso_utc, verify_links


def canonical_content(event: CaseEvent, tracking: str) -> str:
    body: dict[str, Any] = {
        "case": tracking,
        "seq": event.seq,
        "kind": event.kind,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "visibility": event.visibility,
        "message": event.message,
        "data": event.data,
        "created_at": iso_utc(event.created_at),
        "client_time": iso_utc(event.client_time),
    }
    return canonical_json(body)


def compute_hash(event: CaseEvent, tracking: str, prev_hash: str) -> str:
    return hashlib.sha256((canonical_content(event, tracking) + prev_hash).encode()).hexdigest()


def append_event(case: Case, **fields: Any) -> CaseEvent:
    """Add the next event to ``case``'s chain. The caller holds the case row lock in a transaction."""
    event = CaseEvent(
        case=case,
        seq=case.last_event_seq + 1,
        created_at=clock.now(),
        prev_hash=case.last_event_hash,
        **fields,
    )
    event.hash = compute_hash(event, case.tracking, event.prev_hash)
    event.save()
    case.last_event_seq = event.seq
    case.last_event_hash = event.hash
    return event


def verify_case_chain(case: Case, events: Iterable[CaseEvent] | None = None) -> list[str]:
    """Problems found in ``case``'s chain (empty when intact)."""
    return verify_links(
        events if events is not None else case.events.order_by("seq"),
        compute=lambda e: compute_hash(e, case.tracking, e.prev_hash),
        head_seq=case.last_event_seq,
        head_hash=case.last_event_hash,
        owner="laporan",
    )
