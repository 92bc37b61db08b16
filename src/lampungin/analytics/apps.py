from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "lampungin.analytics"
    verbose_name = _("Analitik dan integritas riwayat")

    def ready(self) -> None:
        from lampungin.analytics.tasks import next_run_after, publish_timeline_digests_task
        from lampungin.core import periodic

        periodic.register(
            "analytics.timeline_digest", publish_timeline_digests_task, next_after=next_run_after
        )
