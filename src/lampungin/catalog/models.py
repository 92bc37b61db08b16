"""The front door: services and apps with their service standards, and report categories."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.catalog.choices import Authority, ResolutionValidation, ServiceKind, TimeUnit


class ServiceGroup(models.Model):
    """A theme citizens browse by (Pendidikan, Kesehatan, Perizinan…)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    icon = models.CharField(_("ikon"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kelompok layanan")
        verbose_name_plural = _("kelompok layanan")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A public service or a regional app, with its published service standard.

    The standard's fields follow PermenPANRB 15/2014: what a citizen is promised
    (requirements, procedure, time, fee, product, complaint channel) and how the
    agency organises itself to keep that promise.
    """

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, related_name="services", verbose_name=_("kelompok")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="services", verbose_name=_("instansi")
    )
    kind = models.CharField(
        _("jenis"), max_length=10, choices=ServiceKind.choices, default=ServiceKind.SERVICE
    )
    url = models.URLField(_("alamat aplikasi"), blank=True)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    # --- service standard (PermenPANRB 15/2014) ---
    requirements = models.TextField(_("persyaratan"), blank=True)
    procedure = models.TextField(_("sistem, mekanisme, dan prosedur"), blank=True)
    service_time_days = models.PositiveIntegerField(_("jangka waktu pelayanan (hari)"), null=True, blank=True)
    service_time_unit = models.CharField(
        _("satuan waktu"), max_length=10, choices=TimeUnit.choices, default=TimeUnit.WORKING
    )
    service_time_text = models.CharField(_("keterangan jangka waktu"), max_length=200, blank=True)
    fee = models.TextField(_("biaya/tarif"), blank=True)
    product = models.TextField(_("produk pelayanan"), blank=True)
    complaint_channel = models.TextField(_("penanganan pengaduan, saran, dan masukan"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    facilities = models.TextField(_("sarana, prasarana, dan/atau fasilitas"), blank=True)
    staff_competence = models.TextField(_("kompetensi pelaksana"), blank=True)
    internal_supervision = models.TextField(_("pengawasan internal"), blank=True)
    staffing = models.TextField(_("jumlah pelaksana"), blank=True)
    service_guarantee = models.TextField(_("jaminan pelayanan"), blank=True)
    safety_guarantee = models.TextField(_("jaminan keamanan dan keselamatan pelayanan"), blank=True)
    performance_evaluation = models.TextField(_("evaluasi kinerja pelaksana"), blank=True)
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    is_sample = models.BooleanField(
        _("contoh, belum diverifikasi"),
        default=False,
        help_text=_("Isi contoh yang belum diverifikasi instansi; ditandai di halaman publik."),
    )
    is_published = models.BooleanField(_("terbit"), default=True)
    # Times the public service page was opened, for "Layanan terpopuler" on the home page.
    # Incremented with one ``UPDATE … SET view_count = view_count + 1`` (an F() expression),
    # never read-modify-write, so concurrent views do not lose counts.
    view_count = models.PositiveBigIntegerField(_("jumlah dilihat"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self) -> str:
        return self.name

    STANDARD_FIELDS = (
        "requirements",
        "procedure",
        "service_time_text",
        "fee",
        "product",
        "complaint_channel",
        "legal_basis",
        "facilities",
        "staff_competence",
        "internal_supervision",
        "staffing",
        "service_guarantee",
        "safety_guarantee",
        "performance_evaluation",
    )


class ReportCategory(models.Model):
    """What a citizen report is about, and which agency answers it by default."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    hint = models.TextField(_("petunjuk"), blank=True)
    group = models.ForeignKey(
        ServiceGroup, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("kelompok")
    )
    default_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="default_categories",
        verbose_name=_("instansi penanggung jawab"),
    )
    authority = models.CharField(
        _("kewenangan"), max_length=10, choices=Authority.choices, default=Authority.PROVINCE
    )
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    requires_verification = models.BooleanField(
        _("perlu verifikasi"),
        default=True,
        help_text=_(
            "Jika tidak, laporan yang tersalurkan otomatis langsung berstatus terverifikasi di instansinya."
        ),
    )
    # Resolution validation and duplicate detection (decision 0010).
    resolution_validation = models.CharField(
        _("validasi penyelesaian"),
        max_length=10,
        choices=ResolutionValidation.choices,
        default=ResolutionValidation.NONE,
        help_text=_("Siapa yang harus mengonfirmasi penyelesaian sebelum laporan dianggap selesai."),
    )
    validating_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validated_categories",
        verbose_name=_("instansi validator"),
        help_text=_("Untuk validasi oleh instansi: petugas instansi ini yang memvalidasi."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("radius laporan serupa (meter)"),
        default=300,
        help_text=_("Laporan sekategori dalam radius ini ditawarkan sebagai laporan serupa."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori laporan")
        verbose_name_plural = _("kategori laporan")

    def __str__(self) -> str:
        return self.name
