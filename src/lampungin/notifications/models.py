"""The in-app notification centre."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.notifications.choices import Channel, DeliveryStatus, MessageKind


class Notification(models.Model):
    """A message for one person in their notification centre (other channels come later).

    ``source_event`` makes delivery idempotent: the outbox may hand the same event over
    twice, but it is notified once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    source_event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For notifications without a source event (SLA warnings and escalations): the same
    # key is delivered to a person once, whatever the outbox redelivers.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_event"],
                name="unique_notification_event",
                condition=models.Q(source_event__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                name="unique_notification_dedupe_key",
                condition=models.Q(dedupe_key__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user")]

    def __str__(self) -> str:
        return self.title


class ChannelPreference(models.Model):
    """A person's choice to receive (or not) messages on one channel; no row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("preferensi kanal")
        verbose_name_plural = _("preferensi kanal")
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="unique_channel_preference")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel}={'on' if self.enabled else 'off'}"


class Delivery(models.Model):
    """One message to one person on one channel: the central log of everything sent.

    ``(user, channel, dedupe_key)`` is unique, so a redelivered outbox message or a task
    that runs twice never sends the same message twice; a worker claims a queued row with
    a conditional UPDATE on ``claimed_until`` before it talks to the provider.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    dedupe_key = models.CharField(max_length=120)
    context = models.JSONField(default=dict, blank=True)  # what the template needs, no NIK/phone
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengiriman pesan")
        verbose_name_plural = _("pengiriman pesan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "dedupe_key"], name="unique_delivery_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} → {self.user_id} ({self.status})"


class PushSubscription(models.Model):
    """A browser (PWA) that agreed to receive web push for a person: its push service endpoint and keys."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("langganan notifikasi peramban")
        verbose_name_plural = _("langganan notifikasi peramban")

    def __str__(self) -> str:
        return f"push {self.user_id} {self.endpoint[:40]}"

    def as_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
