from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    SERVICE = "service", _("Layanan")
    APP = "app", _("Aplikasi")


class TimeUnit(models.TextChoices):
    WORKING = "working", _("hari kerja")
    CALENDAR = "calendar", _("hari kalender")


class Authority(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    NATIONAL = "national", _("Nasional")


class ResolutionValidation(models.TextChoices):
    """Who must confirm a resolution before it counts as done (per category, as in Jakarta's CRM)."""

    NONE = "none", _("Tanpa validasi")
    AGENCY = "agency", _("Instansi validator (mis. Biro Organisasi)")
    REPORTER = "reporter", _("Pelapor")
