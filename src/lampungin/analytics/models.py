"""Published timeline digests and the alarms raised when a published day no longer matches."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.analytics.merkle import CONSTRUCTION


class TimelineDigest(models.Model):
    """The Merkle root over every case event recorded on one WIB calendar day, once published.

    A row is written once, when the day is over, and never changed: copies kept outside the
    platform (Inspektorat, Ombudsman, the public) are compared with a later recomputation to
    prove that no event of that day was changed, inserted or deleted afterwards.
    ``first_event_id``/``last_event_id`` are plain numbers, not foreign keys, so that
    deleting events (tampering) cannot touch the published record.
    """

    day = models.DateField(_("tanggal (WIB)"), unique=True)
    event_count = models.PositiveIntegerField(_("jumlah peristiwa"))
    merkle_root = models.CharField(_("akar Merkle"), max_length=64)
    first_event_id = models.BigIntegerField(_("peristiwa pertama"), null=True, blank=True)
    last_event_id = models.BigIntegerField(_("peristiwa terakhir"), null=True, blank=True)
    construction = models.CharField(_("konstruksi"), max_length=40, default=CONSTRUCTION)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("digest riwayat harian")
        verbose_name_plural = _("digest riwayat harian")

    def __str__(self) -> str:
        return f"{self.day} {self.merkle_root[:16]}… ({self.event_count})"


class TimelineDigestAlarm(models.Model):
    """A tamper alarm: a day's timeline no longer matches what was (or would be) published.

    Raised when recomputing a published day gives another root, or when an event of the day
    no longer matches its own hash. The published digest is kept as it was; this row records
    what the timeline looks like now, for an auditor to investigate (restore, explain, report).
    One row per (day, recomputed root); repeated detections only move ``last_detected_at``.
    """

    day = models.DateField(_("tanggal (WIB)"), db_index=True)
    # Blank when the day was never published because its events already failed the check.
    published_root = models.CharField(_("akar yang diterbitkan"), max_length=64, blank=True)
    published_count = models.PositiveIntegerField(_("jumlah yang diterbitkan"), null=True, blank=True)
    recomputed_root = models.CharField(_("akar hasil hitung ulang"), max_length=64)
    recomputed_count = models.PositiveIntegerField(_("jumlah hasil hitung ulang"))
    detail = models.TextField(_("keterangan"), blank=True)
    detected_at = models.DateTimeField(_("pertama terdeteksi"))
    last_detected_at = models.DateTimeField(_("terakhir terdeteksi"))

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("alarm perubahan riwayat")
        verbose_name_plural = _("alarm perubahan riwayat")
        constraints = [
            models.UniqueConstraint(fields=["day", "recomputed_root"], name="unique_digest_alarm"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.published_root[:12]}… ≠ {self.recomputed_root[:12]}…"
