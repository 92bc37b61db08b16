"""Citizen reports (cases), their timeline and their files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.cases.choices import (
    AttachmentKind,
    CaseState,
    Channel,
    EventKind,
    Privacy,
    RejectReason,
    ReportType,
    Visibility,
)


class Case(models.Model):
    """One citizen report (aspirasi, pengaduan or permintaan informasi) from submission to closure.

    ``state`` is the current position in the lifecycle; how it got there is the timeline
    (:class:`CaseEvent`), which is the record that service times are measured from.
    A transfer or referral keeps the same row and tracking number.
    """

    tracking = models.CharField(_("nomor pelacakan"), max_length=12, unique=True)
    report_type = models.CharField(_("jenis laporan"), max_length=12, choices=ReportType.choices)
    category = models.ForeignKey(
        "catalog.ReportCategory", on_delete=models.PROTECT, related_name="cases", verbose_name=_("kategori")
    )
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("isi laporan"), max_length=4000)
    privacy = models.CharField(
        _("privasi"), max_length=12, choices=Privacy.choices, default=Privacy.CONFIDENTIAL
    )
    state = models.CharField(
        _("status"), max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED, db_index=True
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("pelapor"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("instansi penanggung jawab"),
    )
    unit = models.ForeignKey(
        "agencies.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit kerja")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("petugas"),
    )
    referred_to = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
        verbose_name=_("dirujuk ke"),
    )
    reject_reason = models.CharField(
        _("alasan penolakan"), max_length=20, choices=RejectReason.choices, blank=True
    )
    # Location: the most precise region the reporter picked, and its kabupaten/kota,
    # denormalised because every regional scope and statistic filters on it.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    regency = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    address = models.CharField(_("alamat/patokan"), max_length=300, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # NULL, not "", so that the unique constraint ignores reports sent without a key.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("dibuat"), db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"))
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Head of the hash chain, updated with every event under the row lock (see timeline.py).
    last_event_seq = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "idempotency_key"],
                name="unique_report_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-created_at"], name="case_agency_inbox"),
            models.Index(fields=["regency", "state"], name="case_regency_state"),
            models.Index(fields=["reporter", "-created_at"], name="case_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.privacy != Privacy.CONFIDENTIAL


class CaseEvent(models.Model):
    """One entry of a case's timeline: its submission, a state change, a reply or a note.

    Rows are append-only and chained by hash (``hash`` covers the canonical content and
    the previous event's hash), so a later edit in the database is detectable.
    ``created_at`` is always the server's time; a time claimed by the client (an offline
    draft) is kept apart in ``client_time``.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)  # "Petugas Dinas Bina Marga", kept as it was
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    client_time = models.DateTimeField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["case", "seq"]
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="unique_event_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind} {self.to_state}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case.created_at:%Y/%m}/{instance.case.tracking}/{instance.sha256[:16]}.jpg"


class Attachment(models.Model):
    """A photo sent with a report or a piece of evidence of its resolution.

    Stored re-encoded as JPEG without EXIF (which may hold the reporter's GPS position).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return f"{self.case.tracking} {self.kind} {self.pk}"


# SLA clocks live in their own module to keep this one readable; importing it here is
# what registers the model with Django.
from lampungin.cases.clock_models import CaseClock  # noqa: E402, F401
from lampungin.cases.joint_models import CaseMerge, CaseSupport, CaseTask  # noqa: E402, F401
from lampungin.cases.work_models import ResponseTemplate, RoutingRule  # noqa: E402, F401
