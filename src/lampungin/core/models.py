"""Kernel tables shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A side effect owed after a committed change (notify, webhook, rollup…).

    Written in the same transaction as the change that causes it, so a side effect is
    never lost when the process dies after commit and never sent for a rolled-back change.
    Workers on any host claim rows with a conditional UPDATE (see ``outbox.dispatch``).
    """

    topic = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    available_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pesan outbox")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["available_at"], name="outbox_pending", condition=models.Q(processed_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class PeriodicJobState(models.Model):
    """When a periodic job (``core.periodic``) is next due, shared by every scheduler.

    A scheduler queues a run only after its conditional UPDATE moved ``next_run_at``
    forward, so two schedulers never queue the same run twice.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jadwal tugas berkala")
        verbose_name_plural = _("jadwal tugas berkala")

    def __str__(self) -> str:
        return self.name
