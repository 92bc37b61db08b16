from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "lampungin.analytics"
    verbose_name = _("Analitik dan integritas riwayat")
