"""Agency systems that subscribed to events, and every attempt to tell them."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.integrations.webhooks.choices import DeliveryStatus, EventType


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """An agency's system that wants to hear about the agency's cases at ``target_url``.

    Only cases handled by ``agency`` (``case.agency`` when the event happens) are sent.
    """

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("instansi")
    )
    name = models.CharField(_("nama"), max_length=100)
    target_url = models.URLField(_("URL tujuan"), max_length=500)
    secret = models.CharField(_("rahasia penandatangan"), max_length=100, default=new_secret)
    event_types = models.JSONField(_("jenis peristiwa"), default=list, help_text=_("Daftar nama peristiwa."))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    def wants(self, event_type: str) -> bool:
        return event_type in (self.event_types or [])


class WebhookDelivery(models.Model):
    """One event for one subscription, with its attempts; ``replay_of`` links a re-send to the original."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(_("id peristiwa"), max_length=120)
    event_type = models.CharField(_("jenis peristiwa"), max_length=40, choices=EventType.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            # The outbox delivers at least once; an event reaches a subscription once (replays aside).
            models.UniqueConstraint(
                fields=["subscription", "event_id"],
                name="unique_webhook_event",
                condition=models.Q(replay_of__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"
