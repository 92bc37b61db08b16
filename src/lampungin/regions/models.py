"""Administrative divisions of Lampung with Kemendagri codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.regions.choices import Kind, Level


class Region(models.Model):
    """A province, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its Kemendagri code.

    Kemendagri codes (``18.71`` Kota Bandar Lampung) are what NIK and administration use;
    BPS statistical codes differ and are not stored here.
    """

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    # Approximate centre, only for kabupaten/kota: used to suggest a region for a map
    # point and to centre maps. Not a boundary.
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        prefix = {Kind.KABUPATEN: "Kab. ", Kind.KOTA: "Kota ", Kind.KECAMATAN: "Kec. "}.get(self.kind, "")
        return f"{prefix}{self.name}"

    @property
    def regency_code(self) -> str | None:
        """The kabupaten/kota this region belongs to (``18.71`` for ``18.71.01.1001``)."""
        parts = self.code.split(".")
        return ".".join(parts[:2]) if len(parts) >= 2 else None
