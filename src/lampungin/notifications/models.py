"""The in-app notification centre."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
