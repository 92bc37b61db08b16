from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lampungin.core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from lampungin.core import periodic
        from lampungin.core.tasks import dispatch_outbox_task

        # The sweep also delivers messages whose immediate dispatch was lost.
        periodic.register("core.outbox_dispatch", dispatch_outbox_task, every_seconds=60)
