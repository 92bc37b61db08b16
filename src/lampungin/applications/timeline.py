"""The application's append-only, hash-chained timeline (the case timeline's approach).

Each event's hash is SHA-256 over its canonical JSON followed by the previous event's
hash (``core.hashchain``); the application row keeps the chain's head, so a removed last
event is detected as well as an edited or inserted one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from lampungin.applications.models import Application, ApplicationEvent
from lampungin.core import clock, hashchain, outbox
from lampungin.core.hashchain import ChainReport, chain_hash, iso_utc, verify_links


def canonical_body(event: ApplicationEvent, tracking: str) -> dict[str, Any]:
    return {
        "application": tracking,
        "seq": event.seq,
        "kind": event.kind,
        "step": event.step_order,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "message": event.message,
        "data": event.data,
        "created_at": iso_utc(event.created_at),
    }


def compute_hash(event: ApplicationEvent, tracking: str, prev_hash: str) -> str:
    return chain_hash(canonical_body(event, tracking), prev_hash)


def append_event(application: Application, **fields: Any) -> ApplicationEvent:
    """Add the next event to the chain. The caller holds the application row lock in a transaction
    and saves ``last_event_seq``/``last_event_hash`` afterwards."""
    event = ApplicationEvent(
        application=application,
        seq=application.last_event_seq + 1,
        created_at=clock.now(),
        prev_hash=application.last_event_hash,
        **fields,
    )
    event.hash = compute_hash(event, application.tracking, event.prev_hash)
    event.save()
    application.last_event_seq = event.seq
    application.last_event_hash = event.hash
    return event


def record(application: Application, *, topic: str = "", **fields: Any) -> ApplicationEvent:
    """Append an event and, given a ``topic``, its outbox message in the same transaction
    (``{"application_id", "event_id"}``, for the consumers in ``notifications``)."""
    event = append_event(application, **fields)
    if topic:
        outbox.emit(topic, {"application_id": application.pk, "event_id": event.pk})
    return event


def verify_chain(application: Application, events: Iterable[ApplicationEvent] | None = None) -> list[str]:
    """Problems found in the application's chain (empty when intact)."""
    return verify_links(
        events if events is not None else application.events.order_by("seq"),
        compute=lambda e: compute_hash(e, application.tracking, e.prev_hash),
        head_seq=application.last_event_seq,
        head_hash=application.last_event_hash,
        owner="permohonan",
    )


def check_chains(
    applications: QuerySet[Application] | None = None, *, chunk_size: int = 500
) -> Iterator[ChainReport]:
    """Check each application's chain (default: all), two queries per ``chunk_size``
    applications, in primary-key order (``lampungin verify-timeline``)."""
    return hashchain.check_chains(
        Application.objects.all() if applications is None else applications,
        ApplicationEvent.objects.all(),
        verify_chain,
        chunk_size=chunk_size,
    )
