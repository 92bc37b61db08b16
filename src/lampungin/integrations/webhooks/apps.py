from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Its own Django app (label ``webhooks``): the Open311 app owns the ``integrations`` migrations."""

    name = "lampungin.integrations.webhooks"
    label = "webhooks"
    verbose_name = _("Webhook")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lampungin.core import outbox
        from lampungin.integrations.webhooks.choices import SOURCE_TOPICS
        from lampungin.integrations.webhooks.services import fan_out

        for topic in SOURCE_TOPICS:
            outbox.register(topic, fan_out(topic))

        from lampungin.core import periodic
        from lampungin.integrations.webhooks.tasks import deliver_due_webhooks_task

        # Deferred tasks bring retries back on time; the sweep covers lost tasks and
        # backends that cannot defer.
        periodic.register("webhooks.deliver_due", deliver_due_webhooks_task, every_seconds=60)
