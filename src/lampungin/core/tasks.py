"""Background tasks of the kernel (run by ``lampungin worker``)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from lampungin.core import outbox


@task()
def dispatch_outbox_task() -> int:
    """Process due outbox messages."""
    total = 0
    while handled := outbox.dispatch():
        total += handled
    return total


def dispatch_already_queued() -> bool:
    """Whether a dispatch task is waiting in the database queue (other backends: assume not)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=dispatch_outbox_task.module_path).exists()
