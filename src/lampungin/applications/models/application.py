"""Applications (permohonan), their steps, timeline, files and the letter they end with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.applications.choices import ApplicationState, EventKind, LetterStatus, StepState


class Application(models.Model):
    """One citizen's request for a service, moving through the steps of its process.

    ``state`` and ``current_step`` say where it is; how it got there is the hash-chained
    timeline (:class:`ApplicationEvent`). ``answers`` holds the non-file answers as text,
    keyed by the form field's key; files are :class:`ApplicationFile` rows.
    """

    tracking = models.CharField(_("nomor permohonan"), max_length=12, unique=True)
    process = models.ForeignKey(
        "applications.ServiceProcess", on_delete=models.PROTECT, related_name="applications"
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="applications", verbose_name=_("layanan")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="service_applications",
        verbose_name=_("pemohon"),
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    # The kabupaten/kota of the applicant's domicile (their profile) when they applied: lets
    # service times be read per kabupaten/kota. Empty when the profile names none.
    regency = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota pemohon"),
    )
    state = models.CharField(
        _("status"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.IN_REVIEW
    )
    current_step = models.ForeignKey(
        "applications.ApplicationStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The agency whose officers must act now, denormalised for the inbox index.
    current_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(_("jawaban"), default=dict)
    returned_fields = models.JSONField(_("isian yang harus diperbaiki"), default=list, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    created_at = models.DateTimeField(_("diajukan"), db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"))
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    last_event_seq = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            models.Index(fields=["current_agency", "state", "-created_at"], name="application_inbox"),
            models.Index(fields=["applicant", "-created_at"], name="application_applicant"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking} {self.service_id}"


class ApplicationStep(models.Model):
    """One step of one application, copied from the process when the application was submitted.

    Its clock: ``due_at`` = ``sla_working_days`` working days from ``started_at`` (national
    calendar), pushed by ``paused_working_seconds``, the working time spent waiting for
    the applicant's corrections (``paused_at`` is set while waiting). Indexed, so
    overdue steps are found without scanning.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("tahap"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    sla_working_days = models.PositiveSmallIntegerField(_("jangka waktu (hari kerja)"))
    state = models.CharField(_("status"), max_length=10, choices=StepState.choices, default=StepState.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("tenggat"), null=True, blank=True, db_index=True)
    # The step's agency is warned at ``at_risk_at`` (80 % of the working time) and told, with
    # a timeline event, once ``due_at`` passes; the platform admins hear of it at
    # ``escalate_at``, a working day later. Each happens once (applications/deadlines.py).
    at_risk_at = models.DateTimeField(null=True, blank=True, db_index=True)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_seconds = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["application", "order"]
        verbose_name = _("tahap permohonan")
        verbose_name_plural = _("tahap permohonan")
        constraints = [
            models.UniqueConstraint(fields=["application", "order"], name="unique_application_step_order")
        ]
        indexes = [
            models.Index(fields=["agency", "started_at"], name="application_step_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.order} {self.name}"


class ApplicationEvent(models.Model):
    """One entry of an application's timeline; append-only and chained by hash like a case's."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    step_order = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["application", "seq"]
        verbose_name = _("riwayat permohonan")
        verbose_name_plural = _("riwayat permohonan")
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="unique_application_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} {self.kind}"


def application_file_path(instance: ApplicationFile, filename: str) -> str:
    app = instance.application
    return f"applications/{app.created_at:%Y/%m}/{app.tracking}/{instance.sha256[:16]}{instance.extension}"


class ApplicationFile(models.Model):
    """A document uploaded as the answer to a file field (photos re-encoded, PDFs checked).

    A correction uploads a new row and marks the old one ``superseded_at``; the old file is
    kept, because the timeline refers to its hash.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_key = models.SlugField(max_length=40)
    file = models.FileField(upload_to=application_file_path, max_length=200)
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "field_key", "id"]
        verbose_name = _("berkas permohonan")
        verbose_name_plural = _("berkas permohonan")

    def __str__(self) -> str:
        return f"{self.application_id} {self.field_key}"

    @property
    def extension(self) -> str:
        return ".pdf" if self.content_type == "application/pdf" else ".jpg"


def letter_path(instance: Letter, filename: str) -> str:
    return f"letters/{instance.issued_at:%Y/%m}/{instance.code}.pdf"


class Letter(models.Model):
    """The product of an approved application: a signed-off PDF anyone can verify by its code.

    ``code`` is random and long (not derived from the tracking number), so knowing one
    letter never reveals another; ``sha256`` is the hash of the stored PDF bytes, shown on
    the public verification page so that a copy can be compared with the original.
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="letter")
    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    number = models.CharField(_("nomor surat"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    issuing_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi penerbit")
    )
    issued_at = models.DateTimeField(_("diterbitkan"))
    file = models.FileField(upload_to=letter_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=8, choices=LetterStatus.choices, default=LetterStatus.VALID
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("surat hasil layanan")
        verbose_name_plural = _("surat hasil layanan")

    def __str__(self) -> str:
        return self.number
