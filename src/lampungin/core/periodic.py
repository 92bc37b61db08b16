"""Periodic jobs: what ``lampungin scheduler`` queues, registered by the apps that own them.

The scheduler lives in ``core`` and cannot import the apps above it, so each app registers
its own jobs in ``AppConfig.ready`` (as outbox handlers are registered). The timing lives in
the database, one :class:`~lampungin.core.models.PeriodicJobState` row per job: a tick
claims a due run with a conditional ``UPDATE`` that moves ``next_run_at`` forward, and
only the scheduler whose ``UPDATE`` changed the row queues the job. Several schedulers on
several hosts therefore never queue the same run twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from lampungin.core import clock
from lampungin.core.models import PeriodicJobState

log = logging.getLogger(__name__)

NextRun = Callable[[datetime], datetime]


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler queues (a django-tasks task) or calls (a plain callable)."""

    name: str
    target: Any
    next_after: NextRun

    @property
    def is_task(self) -> bool:
        return hasattr(self.target, "enqueue") and hasattr(self.target, "module_path")


_jobs: dict[str, PeriodicJob] = {}


def register(
    name: str,
    target: Any,
    every_seconds: float | None = None,
    *,
    next_after: NextRun | None = None,
) -> PeriodicJob:
    """Run ``target`` every ``every_seconds`` (or at the instants ``next_after(now)`` gives).

    ``target`` is a task (queued for ``lampungin worker``, unless one is already waiting)
    or a cheap callable run inside the scheduler. Called once per process from
    ``AppConfig.ready``; registering a name again replaces the job.
    """
    if (every_seconds is None) == (next_after is None):
        raise ValueError("periodic.register needs exactly one of every_seconds and next_after")
    if next_after is None:
        step = timedelta(seconds=every_seconds)

        def next_after(now: datetime) -> datetime:
            return now + step

    job = PeriodicJob(name=name, target=target, next_after=next_after)
    _jobs[name] = job
    return job


def jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)


def claim(name: str, seen_next_run_at: datetime, now: datetime) -> bool:
    """Take the run due at ``seen_next_run_at``; False when another scheduler took it first."""
    job = _jobs[name]
    moved = PeriodicJobState.objects.filter(
        name=name, next_run_at=seen_next_run_at, next_run_at__lte=now
    ).update(next_run_at=job.next_after(now), last_run_at=now)
    return moved == 1


def due(now: datetime) -> list[tuple[str, datetime]]:
    """The registered jobs due at ``now`` with the ``next_run_at`` seen (a new job is due at once)."""
    states = dict(PeriodicJobState.objects.filter(name__in=list(_jobs)).values_list("name", "next_run_at"))
    for name in _jobs.keys() - states.keys():
        try:
            with transaction.atomic():
                PeriodicJobState.objects.create(name=name, next_run_at=now)
        except IntegrityError:  # another scheduler created it a moment ago
            pass
        states[name] = PeriodicJobState.objects.get(name=name).next_run_at
    return sorted((name, at) for name, at in states.items() if at <= now)


def tick() -> list[str]:
    """Queue (or run) every due job once; returns the names of the jobs this tick started."""
    now = clock.now()
    started = []
    for name, seen in due(now):
        if not claim(name, seen, now):
            continue
        try:
            if _start(_jobs[name]):
                started.append(name)
        except Exception:  # one job must not stop the others; it comes round again
            log.exception("periodic job %s could not be started", name)
    return started


def _start(job: PeriodicJob) -> bool:
    if not job.is_task:
        job.target()
        return True
    # A run still waiting for a worker will see the latest data: don't pile up copies
    # while the workers are down.
    if _waiting(job.target):
        return False
    job.target.enqueue()
    return True


def _waiting(task: Any) -> bool:
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=task.module_path).exists()
