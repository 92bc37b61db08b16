"""Names used by analytics; labels in Bahasa Indonesia."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupBy(models.TextChoices):
    """How the service-time report groups cases.

    ``SERVICE`` (per catalog service) times service applications (permohonan), not cases:
    a report is not about a catalog service, an application is.
    """

    CATEGORY = "category", _("Kategori laporan")
    AGENCY = "agency", _("Instansi penanggung jawab")
    REGENCY = "regency", _("Kabupaten/kota")
    SERVICE = "service", _("Layanan (permohonan)")
