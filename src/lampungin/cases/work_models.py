"""Configuration data of case work: routing rules and response templates (decision 0009)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.cases.choices import RuleAuthority, TemplateVisibility


class RoutingRule(models.Model):
    """A standing instruction of the verification desk: reports of this category, from this
    place, mentioning these words, belong to this agency (and unit).

    Empty fields match anything. Among the rules that match a new report, the highest
    ``priority`` wins, then the most specific one (kecamatan over kabupaten/kota over the
    whole province; with keywords over without), then the oldest. A rule whose authority is
    not the province does not route: it proposes a referral to the verifier.
    """

    name = models.CharField(_("nama aturan"), max_length=150)
    category = models.ForeignKey(
        "catalog.ReportCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori"),
    )
    regency = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": "regency"},
    )
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": "district"},
    )
    keywords = models.CharField(
        _("kata kunci"),
        max_length=300,
        blank=True,
        help_text=_("Dipisah koma; cocok bila salah satu muncul di judul atau isi laporan."),
    )
    authority = models.CharField(
        _("kewenangan"), max_length=10, choices=RuleAuthority.choices, default=RuleAuthority.PROVINCE
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi tujuan"),
        help_text=_("Kosongkan untuk kewenangan kabupaten/kota: pemerintah wilayah laporan yang dituju."),
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit kerja tujuan"),
    )
    priority = models.SmallIntegerField(_("prioritas"), default=0, help_text=_("Lebih besar didahulukan."))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["-priority", "id"]
        verbose_name = _("aturan penyaluran")
        verbose_name_plural = _("aturan penyaluran")

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class ResponseTemplate(models.Model):
    """A reply an agency writes again and again (acknowledgement, site visit planned, budget
    next year…), kept once and picked on the case page. Empty category: every category."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="response_templates",
        verbose_name=_("instansi"),
    )
    category = models.ForeignKey(
        "catalog.ReportCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori"),
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"), max_length=4000)
    visibility = models.CharField(
        _("jenis"), max_length=10, choices=TemplateVisibility.choices, default=TemplateVisibility.PUBLIC
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["agency", "title"]
        verbose_name = _("templat tanggapan")
        verbose_name_plural = _("templat tanggapan")

    def __str__(self) -> str:
        return f"{self.agency.short_name}: {self.title}"
