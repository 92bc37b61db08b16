"""Every write of the webhooks app: subscriptions, fan-out of outbox events, attempts, replays.

An outbox handler (after the case's transaction committed) writes one ``WebhookDelivery``
per matching subscription of the case's agency and queues a task. The task claims the
row with a conditional UPDATE on ``next_attempt_at``/``claimed_until`` (safe on many
hosts), POSTs the signed body and records the outcome; failures come back with
exponential backoff until ``MAX_ATTEMPTS``. A replay from /admin/ is a new delivery.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lampungin.agencies.models import Agency
from lampungin.cases.models import Case
from lampungin.core import clock
from lampungin.core.netguard import check_url
from lampungin.integrations.webhooks import payloads, transport
from lampungin.integrations.webhooks.choices import DeliveryStatus, EventType
from lampungin.integrations.webhooks.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=2)
MAX_ATTEMPTS = 8
ASSIGN_ACTIONS = frozenset({"assign", "transfer"})


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 30 s, 1, 2, 4 … 64 minutes."""
    return timedelta(seconds=30 * 2 ** (attempts - 1))


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed)."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


# -- subscriptions ------------------------------------------------------------------------------


def validate_subscription(*, target_url: str, event_types: list[str]) -> None:
    """Raise ValidationError unless the URL may be called and every event type is known."""
    check_url(target_url)
    unknown = set(event_types) - set(EventType.values)
    if unknown or not event_types:
        raise ValidationError(_("Jenis peristiwa tidak dikenal: %(e)s") % {"e": ", ".join(sorted(unknown))})


def create_subscription(
    *, agency: Agency, name: str, target_url: str, event_types: list[str]
) -> WebhookSubscription:
    """Subscribe ``agency``'s system at ``target_url`` to ``event_types`` (a secret is generated)."""
    validate_subscription(target_url=target_url, event_types=event_types)
    return WebhookSubscription.objects.create(
        agency=agency,
        name=name,
        target_url=target_url,
        event_types=sorted(event_types),
        created_at=clock.now(),
    )


# -- fan-out ----------------------------------------------------------------------------------------


@functools.cache
def fan_out(topic: str) -> Callable[[dict[str, Any]], None]:
    """The outbox handler of ``topic`` (one function object per topic, so registering is idempotent)."""

    def handler(payload: dict[str, Any]) -> None:
        queue_event(topic=topic, payload=payload)

    handler.__name__ = f"webhooks_{topic.replace('.', '_')}"
    return handler


def queue_event(*, topic: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active subscription of the case's agency (at event time) that wants it."""
    case = Case.objects.select_related("agency", "category").filter(pk=payload.get("case_id")).first()
    if case is None:
        return []
    # SLA notices name the agency that must act (it differs from case.agency only mid-transfer).
    agency_id = payload.get("agency_id") or case.agency_id
    if not agency_id:
        return []
    types = [topic]
    if topic == EventType.CASE_TRANSITION and payload.get("action") in ASSIGN_ACTIONS:
        types.append(EventType.CASE_ASSIGNED)
    created = []
    now = clock.now()
    subscriptions = WebhookSubscription.objects.filter(agency_id=agency_id, is_active=True)
    for subscription in subscriptions:
        for event_type in types:
            if not subscription.wants(event_type):
                continue
            evt_id = payloads.event_id(event_type, payload, agency_id)
            document = payloads.build(event_type=event_type, evt_id=evt_id, case=case, payload=payload)
            try:
                with transaction.atomic():
                    delivery = WebhookDelivery.objects.create(
                        subscription=subscription,
                        event_id=evt_id,
                        event_type=event_type,
                        payload=document,
                        next_attempt_at=now,
                        created_at=now,
                    )
            except IntegrityError:  # the outbox redelivered this message: already queued
                continue
            created.append(delivery)
            _enqueue_after_commit(delivery.pk)
    return created


def replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send ``delivery``'s event again as a new delivery (same event id and payload)."""
    now = clock.now()
    copy = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        next_attempt_at=now,
        created_at=now,
        replay_of=delivery,
    )
    _enqueue_after_commit(copy.pk)
    return copy


def send_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a ``ping`` event, so an agency can check its receiver and signature code."""
    now = clock.now()
    evt_id = payloads.event_id(EventType.PING, {"at": now.isoformat()}, subscription.agency_id)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=evt_id,
        event_type=EventType.PING,
        payload={
            "schema": payloads.SCHEMA_VERSION,
            "id": evt_id,
            "type": "ping",
            "occurred_at": now.isoformat(),
        },
        next_attempt_at=now,
        created_at=now,
    )
    _enqueue_after_commit(delivery.pk)
    return delivery


def _enqueue_after_commit(delivery_id: int, run_after=None) -> None:
    def enqueue() -> None:
        from lampungin.integrations.webhooks.tasks import deliver_webhook_task

        try:
            task = deliver_webhook_task
            if run_after is not None and task.get_backend().supports_defer:
                task = task.using(run_after=run_after)
            task.enqueue(delivery_id)
        except Exception:  # the sweep (deliver_due) picks it up anyway
            log.exception("could not enqueue webhook delivery %s", delivery_id)

    transaction.on_commit(enqueue)


# -- attempts -----------------------------------------------------------------------------------------


def attempt(delivery_id: int) -> str:
    """Try one due delivery if this worker wins the claim; returns its status ("" when not claimed)."""
    now = clock.now()
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR)
    )
    if not claimed:
        return ""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    attempts = delivery.attempts + 1
    fields: dict[str, Any] = {"attempts": attempts, "claimed_until": None}
    try:
        if not subscription.is_active:
            raise ValidationError(_("langganan tidak aktif"))
        check_url(subscription.target_url)
    except ValidationError as exc:
        fields.update(status=DeliveryStatus.FAILED, last_error="; ".join(exc.messages), next_attempt_at=None)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
        log.warning("webhook %s refused: %s", delivery.pk, fields["last_error"])
        return DeliveryStatus.FAILED
    outcome = transport.post(
        url=subscription.target_url,
        secret=subscription.secret,
        body=body_of(delivery),
        timestamp=str(int(clock.now().timestamp())),
        event_type=delivery.event_type,
        delivery_id=str(delivery.uuid),
    )
    fields.update(response_code=outcome.code, response_excerpt=outcome.excerpt, last_error=outcome.error)
    if outcome.ok:
        fields.update(status=DeliveryStatus.SUCCEEDED, delivered_at=clock.now(), next_attempt_at=None)
    elif attempts >= MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        fields.update(next_attempt_at=now + backoff(attempts))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    log.info(
        "webhook %s %s → %s: %s (attempt %s)",
        delivery.uuid,
        delivery.event_type,
        subscription.target_url,
        outcome.code or outcome.error,
        attempts,
    )
    if fields.get("status") is None:
        _enqueue_after_commit(delivery.pk, run_after=fields["next_attempt_at"])
    return fields.get("status", DeliveryStatus.PENDING)


def deliver_due(limit: int = 500) -> int:
    """Sweep: attempt every due delivery (retries whose task was lost); returns how many were tried."""
    now = clock.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if attempt(pk))
