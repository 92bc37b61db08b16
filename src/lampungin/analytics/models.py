"""Published timeline digests and the alarms raised when a published day no longer matches."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.analytics.merkle import CONSTRUCTION
from lampungin.analytics.skm import ELEMENT_CODES, SCORE_MAX, SCORE_MIN


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


def _skm_score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )


class SkmResponse(models.Model):
    """One citizen's answer to the satisfaction survey (SKM, PermenPANRB 14/2017) about a service unit.

    Nine elements scored 1 (tidak baik) to 4 (sangat baik); the agency's index (IKM) is
    computed from many rows by :func:`lampungin.analytics.skm.compute_ikm`. A response given
    after a report was resolved names the case; at most one response per case (only its
    reporter may give it). The respondent is kept only to enforce that: the survey is
    published as aggregates, never per person, and deleting the account keeps the scores.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skm_responses",
        verbose_name=_("laporan"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skm_responses",
        verbose_name=_("layanan"),
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="skm_responses", verbose_name=_("instansi")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responden"),
    )
    u1 = _skm_score_field(_("U1 Persyaratan"))
    u2 = _skm_score_field(_("U2 Sistem, Mekanisme, dan Prosedur"))
    u3 = _skm_score_field(_("U3 Waktu Penyelesaian"))
    u4 = _skm_score_field(_("U4 Biaya/Tarif"))
    u5 = _skm_score_field(_("U5 Produk Spesifikasi Jenis Pelayanan"))
    u6 = _skm_score_field(_("U6 Kompetensi Pelaksana"))
    u7 = _skm_score_field(_("U7 Perilaku Pelaksana"))
    u8 = _skm_score_field(_("U8 Penanganan Pengaduan, Saran dan Masukan"))
    u9 = _skm_score_field(_("U9 Sarana dan Prasarana"))
    created_at = models.DateTimeField(_("diisi"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jawaban survei kepuasan (SKM)")
        verbose_name_plural = _("jawaban survei kepuasan (SKM)")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(case__isnull=False), name="skm_once_per_case"
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{code}__gte": SCORE_MIN, f"{code}__lte": SCORE_MAX}),
                    name=f"skm_{code}_1_to_4",
                )
                for code in ELEMENT_CODES
            ],
        ]
        indexes = [models.Index(fields=["agency", "created_at"], name="skm_agency_time")]

    def __str__(self) -> str:
        return f"SKM {self.agency_id} {self.created_at:%Y-%m-%d}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, code) for code in ELEMENT_CODES)


class CaseRating(models.Model):
    """The reporter's verdict on how their resolved report was handled: 1–5 stars and a comment.

    One per case. The optional nine-element survey given at the same time is a
    :class:`SkmResponse`; the stars are the quick answer most citizens give.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="rating", verbose_name=_("laporan")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="case_ratings", verbose_name=_("instansi")
    )
    stars = models.PositiveSmallIntegerField(
        _("bintang"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("komentar"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("dinilai"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("penilaian laporan")
        verbose_name_plural = _("penilaian laporan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.stars}★"
