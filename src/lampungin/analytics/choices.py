"""Names used by analytics; labels in Bahasa Indonesia."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupBy(models.TextChoices):
    """How the service-time report groups cases.

    ``SERVICE`` (per catalog service) is accepted once cases carry a service: service
    applications arrive with issue 4; until then the report refuses it with a clear message.
    """

    CATEGORY = "category", _("Kategori laporan")
    AGENCY = "agency", _("Instansi penanggung jawab")
    REGENCY = "regency", _("Kabupaten/kota")
    SERVICE = "service", _("Layanan")
