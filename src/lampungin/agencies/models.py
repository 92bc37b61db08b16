"""Government bodies that handle reports and deliver services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.agencies.choices import AgencyLevel


class Agency(models.Model):
    """An OPD of the province (dinas, badan, biro…), or a whole kabupaten/kota government, or a
    national body. Agencies are data, never an enum: reorganisations rename, merge and split them."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, blank=True)
    level = models.CharField(
        _("tingkat"), max_length=10, choices=AgencyLevel.choices, default=AgencyLevel.PROVINCE
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("wilayah"),
        help_text=_("Untuk pemerintah kabupaten/kota: wilayahnya."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    onboarded = models.BooleanField(
        _("bergabung di platform"),
        default=True,
        help_text=_("Jika tidak, rujukan dikirim lewat kanal luar (e-mail/LAPOR!)."),
    )
    is_verification_desk = models.BooleanField(
        _("meja verifikasi"),
        default=False,
        help_text=_(
            "Anggota instansi ini memverifikasi laporan baru dari semua instansi, dan laporan yang "
            "tidak cocok dengan aturan penyaluran menunggu di antreannya."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(models.Model):
    """A part of an agency (bidang, seksi, UPTD) to which cases are disposed."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("nama"), max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_unit_name")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} — {self.name}"
