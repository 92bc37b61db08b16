"""Background tasks of analytics (run by ``lampungin worker``).

The digest task runs once a day shortly after midnight WIB: ``lampungin scheduler`` queues
it (registered in ``AnalyticsConfig.ready`` with :func:`next_run_after`), and also at once
when the scheduler first sees the job, which catches up any missed days. A cron/systemd
timer running ``lampungin timeline-digest`` is an equally good alternative (both are
idempotent).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django_tasks import task

from lampungin.analytics.digests import publish_missing_digests
from lampungin.sla.calendar import WIB

log = logging.getLogger(__name__)

DAILY_AT = time(0, 15)  # WIB: late enough for every event of the previous day to have committed


@task()
def publish_timeline_digests_task() -> dict[str, int]:
    """Publish the digests of every finished day that has none."""
    run = publish_missing_digests()
    return {"published": len(run.published), "alarms": len(run.alarms)}


def next_run_after(now: datetime) -> datetime:
    """The first 00:15 WIB strictly after ``now``."""
    local = now.astimezone(WIB)
    at = datetime.combine(local.date(), DAILY_AT, tzinfo=WIB)
    return at if at > local else at + timedelta(days=1)
