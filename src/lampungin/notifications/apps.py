from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lampungin.notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from lampungin.core import outbox
        from lampungin.notifications.handlers import notify_merged, notify_reporter, notify_supporters

        for topic in ("case.transition", "case.comment"):
            outbox.register(topic, notify_reporter)
        outbox.register("case.transition", notify_supporters)
        outbox.register("case.merged", notify_merged)

        from lampungin.notifications import applications

        for topic in applications.TOPICS:
            outbox.register(topic, applications.notify_applicant)
        outbox.register("application.step_at_risk", applications.notify_step_at_risk)
        outbox.register("application.step_breached", applications.notify_step_breached)
        outbox.register("application.step_escalated", applications.notify_step_escalated)

        from lampungin.notifications import sla

        outbox.register("sla.at_risk", sla.notify_at_risk)
        outbox.register("sla.breached", sla.notify_breached)
        outbox.register("sla.escalated", sla.notify_escalated)

        from lampungin.core import periodic
        from lampungin.notifications.tasks import retry_deliveries_task

        periodic.register("notifications.retry_deliveries", retry_deliveries_task, every_seconds=60)
