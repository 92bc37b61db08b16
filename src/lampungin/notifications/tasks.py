"""Background tasks of the notifications app (run by ``lampungin worker``)."""

from __future__ import annotations

from django_tasks import task

from lampungin.notifications import services


@task()
def send_delivery_task(delivery_id: int) -> str:
    """Send one queued delivery (a no-op when another worker already did)."""
    return services.send_delivery(delivery_id)


@task()
def retry_deliveries_task() -> int:
    """Periodic sweep: send due deliveries whose task was lost."""
    return services.retry_due_deliveries()
