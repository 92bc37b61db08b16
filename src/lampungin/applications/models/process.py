"""How a catalog service is applied for online: its form and its ordered steps."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.applications.choices import FieldKind


class ServiceProcess(models.Model):
    """The online procedure of one catalog service: what the citizen fills in and who decides.

    Editing it changes applications submitted afterwards only: each application copies its
    steps (agency and SLA) when it is submitted, as a promise already made.
    """

    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="online_process",
        verbose_name=_("layanan"),
    )
    is_active = models.BooleanField(_("menerima permohonan"), default=True)
    instructions = models.TextField(_("petunjuk untuk pemohon"), blank=True)
    letter_title = models.CharField(
        _("judul surat yang diterbitkan"), max_length=200, default="Surat Keterangan"
    )

    class Meta:
        verbose_name = _("proses permohonan online")
        verbose_name_plural = _("proses permohonan online")

    def __str__(self) -> str:
        return str(self.service)


class FormField(models.Model):
    """One question of the application form, with the rules an answer must meet."""

    process = models.ForeignKey(ServiceProcess, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("kunci"), max_length=40, help_text=_("Nama teknis, unik dalam formulir."))
    label = models.CharField(_("label"), max_length=150)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    max_length = models.PositiveIntegerField(_("panjang maksimal (teks)"), null=True, blank=True)
    pattern = models.CharField(_("pola regex (teks)"), max_length=200, blank=True)
    pattern_message = models.CharField(_("pesan bila pola tidak cocok"), max_length=200, blank=True)
    min_value = models.DecimalField(
        _("nilai minimal (angka)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("nilai maksimal (angka)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    choices = models.TextField(_("pilihan (satu per baris)"), blank=True)
    file_types = models.CharField(
        _("jenis berkas yang diterima"),
        max_length=40,
        blank=True,
        default="pdf",
        help_text=_("Dipisah koma: pdf, image."),
    )
    max_size_kb = models.PositiveIntegerField(_("ukuran berkas maksimal (KB)"), default=2048)

    class Meta:
        ordering = ["process", "order", "id"]
        verbose_name = _("isian formulir")
        verbose_name_plural = _("isian formulir")
        constraints = [models.UniqueConstraint(fields=["process", "key"], name="unique_form_field_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def file_type_list(self) -> list[str]:
        return [t.strip() for t in self.file_types.split(",") if t.strip()]


class ProcessStep(models.Model):
    """One stage of the procedure, owned by an agency, with its own service time."""

    process = models.ForeignKey(ServiceProcess, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("nama tahap"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    sla_working_days = models.PositiveSmallIntegerField(
        _("jangka waktu (hari kerja)"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["process", "order"]
        verbose_name = _("tahap")
        verbose_name_plural = _("tahap")
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="unique_process_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
