"""Every write of the notifications app: preferences, the delivery log, sending, read marks.

Flow: an outbox handler (after the case's transaction committed) calls :func:`notify`,
which writes the in-app notification and one ``Delivery`` row per other channel the
person wants, then queues a task per row after commit. :func:`send_delivery` (the task)
claims its row with a conditional UPDATE, renders the message in the person's language,
hands it to the channel's adapter and records the outcome; temporary failures come back
with exponential backoff.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lampungin.accounts.models import User
from lampungin.core import clock
from lampungin.core.netguard import check_url
from lampungin.notifications import messages
from lampungin.notifications.channels import PermanentError, Skip, TemporaryError, adapter_for
from lampungin.notifications.choices import DEFAULT_ON, OPTIONAL_CHANNELS, Channel, DeliveryStatus
from lampungin.notifications.models import ChannelPreference, Delivery, Notification, PushSubscription

log = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=2)
MAX_ATTEMPTS = 6
PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, 8, 16 minutes."""
    return timedelta(minutes=2 ** (attempts - 1))


# -- preferences ----------------------------------------------------------------------------


def enabled_channels(user: User) -> list[str]:
    """The optional channels ``user`` receives messages on (their choice, else the defaults)."""
    chosen = dict(ChannelPreference.objects.filter(user=user).values_list("channel", "enabled"))
    out = []
    for channel in OPTIONAL_CHANNELS:
        on = chosen.get(channel, channel in DEFAULT_ON)
        if on and not (channel in PHONE_CHANNELS and not user.phone):
            out.append(channel)
    return out


def set_channel_preferences(*, user: User, enabled: set[str], language: str | None = None) -> None:
    """Record which optional channels ``user`` wants; SMS/WhatsApp need a phone number."""
    unknown = enabled - set(OPTIONAL_CHANNELS)
    if unknown:
        raise ValidationError(_("Kanal tidak dikenal: %(c)s") % {"c": ", ".join(sorted(unknown))})
    if enabled & PHONE_CHANNELS and not user.phone:
        raise ValidationError(_("SMS dan WhatsApp memerlukan nomor HP di akun Anda."))
    now = clock.now()
    with transaction.atomic():
        for channel in OPTIONAL_CHANNELS:
            ChannelPreference.objects.update_or_create(
                user=user, channel=channel, defaults={"enabled": channel in enabled, "updated_at": now}
            )
        if language is not None:
            if language not in messages.LANGUAGES:
                raise ValidationError(_("Bahasa tidak dikenal."))
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language


def subscribe_push(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> None:
    """Remember a browser's push subscription for ``user`` and switch web push on."""
    if not endpoint or not p256dh or not auth or len(endpoint) > 1000:
        raise ValidationError(_("Langganan notifikasi tidak lengkap."))
    check_url(endpoint)  # the platform will POST there: no internal addresses
    now = clock.now()
    with transaction.atomic():
        PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "user": user,
                "p256dh": p256dh[:200],
                "auth": auth[:100],
                "user_agent": user_agent[:300],
                "created_at": now,
            },
        )
        ChannelPreference.objects.update_or_create(
            user=user, channel=Channel.WEBPUSH, defaults={"enabled": True, "updated_at": now}
        )


def unsubscribe_push(*, user: User, endpoint: str) -> None:
    """Forget one browser's push subscription of ``user``."""
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


# -- read marks -------------------------------------------------------------------------------


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all of them when no id) as read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=clock.now())


# -- delivery ---------------------------------------------------------------------------------


def queue_deliveries(*, user: User, kind: str, dedupe_key: str, context: dict[str, Any]) -> list[Delivery]:
    """Log the in-app copy as sent and queue one delivery per other channel ``user`` wants.

    Idempotent on ``(user, channel, dedupe_key)``: calling it again queues nothing new.
    """
    now = clock.now()
    Delivery.objects.get_or_create(
        user=user,
        channel=Channel.INAPP,
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "context": context,
            "status": DeliveryStatus.SENT,
            "attempts": 1,
            "created_at": now,
            "updated_at": now,
            "sent_at": now,
        },
    )
    queued = []
    for channel in enabled_channels(user):
        reason = adapter_for(channel).configured()
        delivery, created = Delivery.objects.get_or_create(
            user=user,
            channel=channel,
            dedupe_key=dedupe_key,
            defaults={
                "kind": kind,
                "context": context,
                "status": DeliveryStatus.SKIPPED if reason else DeliveryStatus.QUEUED,
                "last_error": reason,
                "next_attempt_at": None if reason else now,
                "created_at": now,
                "updated_at": now,
            },
        )
        if created and not reason:
            queued.append(delivery)
            _enqueue_after_commit(delivery.pk)
    return queued


def _enqueue_after_commit(delivery_id: int, run_after=None) -> None:
    def enqueue() -> None:
        from lampungin.notifications.tasks import send_delivery_task

        try:
            task = send_delivery_task
            if run_after is not None and task.get_backend().supports_defer:
                task = task.using(run_after=run_after)
            task.enqueue(delivery_id)
        except Exception:  # the sweep (retry_due_deliveries) sends it anyway
            log.exception("could not enqueue delivery %s", delivery_id)

    transaction.on_commit(enqueue)


def send_delivery(delivery_id: int) -> str:
    """Send one queued delivery if it is due and this worker wins the claim; returns its status."""
    now = clock.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR)
    )
    if not claimed:
        return ""
    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    user = delivery.user
    fields: dict[str, Any] = {"attempts": delivery.attempts + 1, "claimed_until": None}
    try:
        if not user.is_active:
            raise Skip(_("akun tidak aktif"))
        context = {**delivery.context, "name": user.get_short_name()}
        message = messages.render(delivery.kind, user.language, context)
        provider_id = adapter_for(delivery.channel).send(user=user, message=message, delivery=delivery)
    except Skip as exc:
        fields.update(status=DeliveryStatus.SKIPPED, last_error=str(exc)[:2000], next_attempt_at=None)
    except PermanentError as exc:
        fields.update(status=DeliveryStatus.FAILED, last_error=str(exc)[:2000], next_attempt_at=None)
    except Exception as exc:  # TemporaryError and the unexpected: retry with backoff
        if not isinstance(exc, TemporaryError):
            log.exception("delivery %s (%s) failed", delivery.pk, delivery.channel)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if fields["attempts"] >= MAX_ATTEMPTS:
            fields.update(status=DeliveryStatus.FAILED, last_error=error, next_attempt_at=None)
        else:
            fields.update(last_error=error, next_attempt_at=now + backoff(fields["attempts"]))
    else:
        fields.update(status=DeliveryStatus.SENT, provider_message_id=provider_id, sent_at=now, last_error="")
    fields["updated_at"] = clock.now()
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    if "status" not in fields:
        _enqueue_after_commit(delivery.pk, run_after=fields["next_attempt_at"])
    return fields.get("status", DeliveryStatus.QUEUED)


def retry_due_deliveries(limit: int = 500) -> int:
    """Sweep: send every queued delivery that is due (lost task, worker crash); returns the count."""
    now = clock.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if send_delivery(pk))
