"""Background tasks of analytics (run by ``lampungin worker``).

The digest task runs once a day shortly after midnight WIB. django-tasks has no scheduler,
so each run queues the next one (``run_after`` = next 00:15 WIB) unless one is already
waiting; ``lampungin timeline-digest --schedule`` starts the chain, and a cron/systemd timer
running ``lampungin timeline-digest`` is an equally good alternative (both are idempotent).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django_tasks import default_task_backend, task

from lampungin.analytics.digests import publish_missing_digests
from lampungin.analytics.wib import today_wib
from lampungin.sla.calendar import WIB

log = logging.getLogger(__name__)

DAILY_AT = time(0, 15)  # WIB: late enough for every event of the previous day to have committed


@task()
def publish_timeline_digests_task() -> dict[str, int]:
    """Publish the digests of every finished day that has none, then queue tomorrow's run."""
    run = publish_missing_digests()
    schedule_daily_digest()
    return {"published": len(run.published), "alarms": len(run.alarms)}


def next_run_at() -> datetime:
    return datetime.combine(today_wib() + timedelta(days=1), DAILY_AT, tzinfo=WIB)


def schedule_daily_digest() -> bool:
    """Queue the next daily run unless one is already waiting; False when the backend cannot defer."""
    if not default_task_backend.supports_defer:
        return False
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status="READY", task_path=publish_timeline_digests_task.module_path
        ).exists()
        if waiting:
            return True
    publish_timeline_digests_task.using(run_after=next_run_at()).enqueue()
    return True
