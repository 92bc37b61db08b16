from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "lampungin.applications"
    verbose_name = _("Permohonan layanan")

    def ready(self) -> None:
        from lampungin.applications.deadlines import check_step_deadlines_task, on_calendar_changed
        from lampungin.core import outbox, periodic
        from lampungin.sla.services import CALENDAR_CHANGED

        periodic.register("applications.step_deadlines", check_step_deadlines_task, every_seconds=60)
        outbox.register(CALENDAR_CHANGED, on_calendar_changed)
