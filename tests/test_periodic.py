"""Periodic jobs: registered by their apps, queued by ``lampungin scheduler`` once per run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from lampungin.analytics.tasks import publish_timeline_digests_task
from lampungin.cases.tasks import check_sla_clocks
from lampungin.core import clock, periodic
from lampungin.core.models import PeriodicJobState
from lampungin.core.tasks import dispatch_outbox_task
from lampungin.integrations.webhooks.tasks import deliver_due_webhooks_task
from lampungin.notifications.tasks import retry_deliveries_task

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def counted_job():
    """A job of our own that counts its runs (the registry is per process: remove it after)."""
    runs: list[datetime] = []
    job = periodic.register("test.counted", lambda: runs.append(clock.now()), every_seconds=60)
    yield job, runs
    periodic._jobs.pop(job.name, None)


@pytest.fixture
def db_backend(settings):
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        pytest.skip("counting queued runs needs the database task backend")
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    return DBTaskResult


def test_every_expected_job_is_registered_by_its_app():
    jobs = periodic.jobs()
    expected = {
        "core.outbox_dispatch": dispatch_outbox_task,
        "cases.sla_check": check_sla_clocks,
        "notifications.retry_deliveries": retry_deliveries_task,
        "webhooks.deliver_due": deliver_due_webhooks_task,
        "analytics.timeline_digest": publish_timeline_digests_task,
    }
    for name, target in expected.items():
        assert jobs[name].target is target, name
        assert jobs[name].is_task
    assert jobs["cases.sla_check"].next_after(T0) == T0 + timedelta(seconds=60)


def test_register_needs_exactly_one_timing():
    with pytest.raises(ValueError):
        periodic.register("test.bad", lambda: None)
    with pytest.raises(ValueError):
        periodic.register("test.bad", lambda: None, 60, next_after=lambda now: now)
    assert "test.bad" not in periodic.jobs()


def test_a_new_job_runs_at_once_then_not_before_it_is_due(counted_job):
    job, runs = counted_job
    with clock.frozen_at(T0):
        assert job.name in periodic.tick()
        clock.advance(timedelta(seconds=59))
        assert job.name not in periodic.tick()
        clock.advance(timedelta(seconds=1))
        assert job.name in periodic.tick()
    assert runs == [T0, T0 + timedelta(seconds=60)]
    state = PeriodicJobState.objects.get(name=job.name)
    assert state.next_run_at == T0 + timedelta(seconds=120)
    assert state.last_run_at == T0 + timedelta(seconds=60)


def test_two_schedulers_racing_for_a_due_run_start_it_once(counted_job):
    job, runs = counted_job
    with clock.frozen_at(T0):
        periodic.tick()
        clock.advance(timedelta(minutes=5))
        now = clock.now()
        # Both schedulers read the row before either claims it.
        seen_a = dict(periodic.due(now))[job.name]
        seen_b = dict(periodic.due(now))[job.name]
        assert seen_a == seen_b
        assert periodic.claim(job.name, seen_a, now) is True
        assert periodic.claim(job.name, seen_b, now) is False
        # A whole tick of the second scheduler in between changes nothing either.
        assert job.name not in periodic.tick()
    assert runs == [T0]


def test_a_stale_tick_loses_to_one_that_already_claimed(counted_job, monkeypatch):
    job, runs = counted_job
    with clock.frozen_at(T0):
        periodic.tick()
        clock.advance(timedelta(minutes=1))
        stale = periodic.due(clock.now())  # scheduler A reads…
        assert job.name in periodic.tick()  # …scheduler B claims and runs…
        monkeypatch.setattr(periodic, "due", lambda now: stale)
        assert job.name not in periodic.tick()  # …and A, acting on what it read, does not
    assert runs == [T0, T0 + timedelta(minutes=1)]


def test_the_scheduler_queues_the_retries_and_the_digest_once(db_backend):
    with clock.frozen_at(T0):
        call_command("scheduler", once=True)
        call_command("scheduler", once=True)  # a second scheduler at the same minute
    paths = list(db_backend.objects.values_list("task_path", flat=True))
    assert len(paths) == len(set(paths))
    for task in (
        retry_deliveries_task,
        deliver_due_webhooks_task,
        publish_timeline_digests_task,
        check_sla_clocks,
        dispatch_outbox_task,
    ):
        assert task.module_path in paths


def test_a_run_still_waiting_is_not_queued_again(db_backend):
    with clock.frozen_at(T0):
        periodic.tick()
        clock.advance(timedelta(minutes=1))
        started = periodic.tick()  # no worker ran the first ones: nothing piles up
    assert "notifications.retry_deliveries" not in started
    assert db_backend.objects.filter(task_path=retry_deliveries_task.module_path).count() == 1
    # The run was claimed all the same: the next one is a minute later.
    state = PeriodicJobState.objects.get(name="notifications.retry_deliveries")
    assert state.next_run_at == T0 + timedelta(minutes=2)
