"""Application step deadlines: the step's agency is warned, then the breach is recorded once,
on the timeline the applicant reads; a step paused for the applicant is never late."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from applications_support import setup_process, submit
from django.test import Client
from django_tasks_db.models import DBTaskResult

from lampungin.accounts.access import actor_for
from lampungin.applications import deadlines, services
from lampungin.applications.choices import EventKind
from lampungin.applications.deadlines import check_step_deadlines, recompute_steps_task
from lampungin.applications.models import ApplicationStep
from lampungin.applications.timeline import verify_chain
from lampungin.core import clock, outbox
from lampungin.notifications.models import Notification
from lampungin.sla.calendar import WIB
from lampungin.sla.services import add_holiday, load_seed_calendar

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)


@pytest.fixture
def process(db):
    load_seed_calendar()
    return setup_process()


def check_at(moment: datetime):
    with clock.frozen_at(moment):
        result = check_step_deadlines()
        outbox.dispatch()
    return result


def test_warned_then_breached_once_and_the_applicant_sees_it(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    assert MONDAY < step.at_risk_at < step.due_at

    assert (check_at(step.at_risk_at - timedelta(minutes=1)).at_risk, Notification.objects.count()) == (0, 0)
    assert check_at(step.at_risk_at + timedelta(minutes=1)).at_risk == 1
    assert check_at(step.at_risk_at + timedelta(minutes=2)).at_risk == 0  # once
    [warning] = Notification.objects.filter(user=intake)
    assert warning.title == f"Tenggat tahap hampir habis: {app.tracking}"
    assert warning.url == f"/kantor/permohonan/{app.tracking}/"

    result = check_at(step.due_at + timedelta(minutes=1))
    assert (result.breached, result.at_risk) == (1, 0)
    assert check_at(step.due_at + timedelta(hours=2)).breached == 0  # once
    step.refresh_from_db()
    assert step.breached_at == step.due_at + timedelta(minutes=1)
    app.refresh_from_db()
    [event] = app.events.filter(kind=EventKind.STEP_BREACHED)
    assert event.step_order == 1 and "terlewati" in event.message and event.actor_id is None
    assert verify_chain(app) == []
    assert Notification.objects.filter(user=intake, title=f"Tenggat tahap terlewati: {app.tracking}").exists()
    # The applicant reads it on their page, as the officers do.
    client = Client()
    client.force_login(citizen)
    assert "Tenggat tahap terlewati" in client.get(f"/akun/permohonan/{app.tracking}/").content.decode()


def test_a_step_waiting_for_the_applicant_is_never_late(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    with clock.frozen_at(MONDAY + timedelta(hours=1)):
        services.return_to_applicant(actor=actor_for(intake), application=app, message="NIB?", fields=["nib"])
    result = check_at(step.due_at + timedelta(days=30))
    assert (result.at_risk, result.breached) == (0, 0)
    assert not app.events.filter(kind=EventKind.STEP_BREACHED).exists()


def test_a_decided_step_is_not_checked(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
        services.reject_application(actor=actor_for(intake), application=app, reason="Bukan jalan provinsi.")
    step = app.steps.get(order=1)
    assert check_at(step.due_at + timedelta(days=1)).breached == 0


def test_a_new_holiday_moves_running_step_deadlines(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    before = step.due_at
    # A day off declared for the Wednesday: the step's deadline is one working day later.
    with clock.frozen_at(MONDAY + timedelta(hours=1)):
        add_holiday(day=date(2026, 12, 9), name="Libur nasional (uji)")
        outbox.dispatch()
        # The outbox only queued the recompute; run it as `lampungin worker` would.
        [queued] = DBTaskResult.objects.filter(task_path=recompute_steps_task.module_path, status="READY")
        queued.task.call()
    step.refresh_from_db()
    # Two working days from Monday: Wednesday 16:00 WIB, now Thursday 16:00 WIB.
    assert before.astimezone(WIB) == datetime(2026, 12, 9, 16, 0, tzinfo=WIB)
    assert step.due_at == before + timedelta(days=1)
    assert step.at_risk_at < step.due_at


def test_a_step_started_before_warning_times_existed_gets_one_and_is_warned(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    expected = step.at_risk_at
    ApplicationStep.objects.filter(pk=step.pk).update(at_risk_at=None)  # as before the migration
    assert check_at(expected + timedelta(minutes=1)).at_risk == 1
    step.refresh_from_db()
    assert step.at_risk_at == expected and step.at_risk_notified_at is not None


def test_one_failing_step_does_not_stop_the_others(process, citizen, citizen2, intake, monkeypatch):
    with clock.frozen_at(MONDAY):
        first, second = submit(citizen), submit(citizen2)
    due = second.steps.get(order=1).due_at
    real = deadlines._breach

    def flaky(step_id, *args):
        if step_id == first.steps.get(order=1).pk:
            raise RuntimeError("gangguan sesaat")
        return real(step_id, *args)

    monkeypatch.setattr(deadlines, "_breach", flaky)
    assert check_at(due + timedelta(minutes=1)).breached == 1
    assert second.events.filter(kind=EventKind.STEP_BREACHED).exists()
    monkeypatch.setattr(deadlines, "_breach", real)
    assert check_at(due + timedelta(minutes=2)).breached == 1  # the next run catches up


def test_still_undecided_a_working_day_later_goes_to_the_platform_admins(
    process, citizen, intake, platform_admin
):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    check_at(step.due_at + timedelta(minutes=1))
    step.refresh_from_db()
    # Due Wednesday 16:00 WIB; a working day later is Thursday 16:00 WIB.
    assert step.escalate_at == step.due_at + timedelta(days=1)
    assert check_at(step.escalate_at - timedelta(minutes=1)).escalated == 0
    assert check_at(step.escalate_at + timedelta(minutes=1)).escalated == 1
    assert check_at(step.escalate_at + timedelta(hours=3)).escalated == 0  # once
    [note] = Notification.objects.filter(user=platform_admin)
    assert note.title == f"Eskalasi tenggat permohonan: {app.tracking}"
    assert not Notification.objects.filter(user=intake, dedupe_key__startswith="application.step_escalated")


def test_escalation_follows_a_holiday_declared_after_the_breach(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    check_at(step.due_at + timedelta(minutes=1))  # breached Wednesday 16:01 WIB
    with clock.frozen_at(step.due_at + timedelta(hours=1)):
        add_holiday(day=date(2026, 12, 10), name="Libur nasional (uji)")  # the Thursday
        outbox.dispatch()
        [queued] = DBTaskResult.objects.filter(task_path=recompute_steps_task.module_path, status="READY")
        queued.task.call()
    step.refresh_from_db()
    # Still due Wednesday; a working day later is now Friday 16:30 WIB (Friday's hours end later).
    assert step.escalate_at.astimezone(WIB) == datetime(2026, 12, 11, 16, 30, tzinfo=WIB)


def test_steps_breached_before_escalation_existed_get_an_escalation_time(process, citizen, intake):
    with clock.frozen_at(MONDAY):
        app = submit(citizen)
    step = app.steps.get(order=1)
    check_at(step.due_at + timedelta(minutes=1))
    ApplicationStep.objects.filter(pk=step.pk).update(escalate_at=None)  # as before migration 0005
    assert check_at(step.due_at + timedelta(days=1, minutes=1)).escalated == 1
