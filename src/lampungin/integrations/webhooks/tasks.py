"""Background tasks of the webhooks app (run by ``lampungin worker``)."""

from __future__ import annotations

from django_tasks import task

from lampungin.integrations.webhooks import services


@task()
def deliver_webhook_task(delivery_id: int) -> str:
    """Attempt one webhook delivery (a no-op when it is not due or another worker has it)."""
    return services.attempt(delivery_id)


@task()
def deliver_due_webhooks_task() -> int:
    """Periodic sweep: attempt due deliveries whose task was lost."""
    return services.deliver_due()
