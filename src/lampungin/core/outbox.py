"""The transactional outbox: record side effects now, perform them after commit.

Lower floors (``cases``) call :func:`emit` inside their transaction; higher floors
(``notifications``, later ``integrations``) register handlers for topics in their
``AppConfig.ready``. Handlers must be idempotent: a message is delivered at least once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from lampungin.core import clock
from lampungin.core.models import OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, list[Handler]] = {}

CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def register(topic: str, handler: Handler) -> None:
    """Subscribe ``handler`` to ``topic`` (called once per process, from AppConfig.ready)."""
    if handler not in _handlers.setdefault(topic, []):
        _handlers[topic].append(handler)


def emit(topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record a side effect in the current transaction and wake a worker after commit."""
    at = clock.now()
    message = OutboxMessage.objects.create(topic=topic, payload=payload, created_at=at, available_at=at)
    transaction.on_commit(_enqueue_dispatch)
    return message


def _enqueue_dispatch() -> None:
    from lampungin.core.tasks import dispatch_already_queued, dispatch_outbox_task

    try:
        # One queued dispatch drains every pending message: don't queue one per commit.
        if not dispatch_already_queued():
            dispatch_outbox_task.enqueue()
    except Exception:  # the periodic sweep picks the message up anyway
        log.exception("could not enqueue outbox dispatch")


def dispatch(limit: int = 200) -> int:
    """Claim and process up to ``limit`` due messages; returns how many were handled.

    Safe to run on many hosts at once: a message is claimed by a conditional UPDATE, and
    only the worker whose UPDATE changed the row processes it.
    """
    now = clock.now()
    due = (
        OutboxMessage.objects.filter(processed_at__isnull=True, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    handled = 0
    for message_id in list(due):
        claimed = (
            OutboxMessage.objects.filter(id=message_id, processed_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + CLAIM_FOR)
        )
        if not claimed:
            continue
        message = OutboxMessage.objects.get(id=message_id)
        _process(message)
        handled += 1
    return handled


def _process(message: OutboxMessage) -> None:
    now = clock.now()
    try:
        for handler in _handlers.get(message.topic, []):
            handler(message.payload)
    except Exception as exc:
        log.exception("outbox message %s (%s) failed", message.pk, message.topic)
        attempts = message.attempts + 1
        # Exponential backoff; after MAX_ATTEMPTS the message stays unprocessed with its
        # error for an operator to inspect in /admin/.
        backoff = timedelta(seconds=30 * 2**attempts)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_until=None,
            available_at=now + backoff if attempts < MAX_ATTEMPTS else now + timedelta(days=365),
        )
        return
    OutboxMessage.objects.filter(pk=message.pk).update(processed_at=now, attempts=message.attempts + 1)
