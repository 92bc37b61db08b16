"""SLA clocks on cases: start/pause/resume/stop with the lifecycle, transfer, recompute after
holiday changes, breach detection (exactly once), escalation notifications, and display.

Every case is filed and moved with the real services at chosen instants
(``core.clock.frozen_at``) under the seeded calendar (holidays package + default policy).
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from conftest import PASSWORD, CaseMaker, act
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.agencies.models import Agency
from lampungin.cases import clocks
from lampungin.cases.choices import Action, CaseState, EventKind, Visibility
from lampungin.cases.clock_models import CaseClock, EscalationLevel
from lampungin.cases.models import Case
from lampungin.cases.tasks import LEASE, STEPS, advance, claim, recompute_clocks_task, run_sla_check
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import clock, outbox
from lampungin.core.models import OutboxMessage
from lampungin.notifications.models import Notification
from lampungin.sla import selectors as sla_selectors
from lampungin.sla import services as sla_services
from lampungin.sla.calendar import WIB, WorkingCalendar
from lampungin.sla.choices import ClockKind, HolidayKind, TargetUnit
from lampungin.sla.deadlines import Target, deadline
from lampungin.sla.models import Holiday

BREACH, AT_RISK, ESCALATE = STEPS


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(autouse=True)
def calendar(db):
    """The seeded working calendar: holidays 2024–2028 (with cuti bersama), Ramadan, default policy."""
    sla_services.load_seed_calendar()


def open_clock(case: Case, kind: str) -> CaseClock:
    return CaseClock.objects.get(case=case, kind=kind, stopped_at__isnull=True)


def cal() -> WorkingCalendar:
    return sla_selectors.calendar_for("18.71")


# -- starting on submission ------------------------------------------------------------


def test_clocks_start_on_submission_across_a_weekend_and_cuti_bersama(citizen, make_case):
    # Thu 14 May 2026 is Ascension Day and Fri 15 May a cuti bersama (from the seed), then
    # the weekend: 3 working days from Wed 13 May are Mon 18, Tue 19, Wed 20 May.
    assert Holiday.objects.get(date=date(2026, 5, 15)).kind == HolidayKind.CUTI_BERSAMA
    with clock.frozen_at(wib(2026, 5, 13, 10, 0)):
        case = make_case(citizen)
    verification = open_clock(case, ClockKind.VERIFICATION)
    assert verification.due_at == wib(2026, 5, 20, 16, 0)
    assert (verification.target_amount, verification.target_unit) == (3, TargetUnit.WORKING_DAYS)
    assert verification.started_at == wib(2026, 5, 13, 10, 0)
    assert verification.regency_id == "18.71"
    # The law's 60 calendar days ignore weekends and holidays.
    assert open_clock(case, ClockKind.LEGAL_DECISION).due_at == wib(2026, 7, 12, 10, 0)
    assert not case.clocks.filter(kind=ClockKind.FOLLOW_UP).exists()


def test_verification_stops_and_follow_up_starts_on_verify(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):  # Monday
        case = make_case(citizen)
        clock.advance(timedelta(hours=1))
        act(case, Action.VERIFY, staff=officer_a)
        clock.advance(timedelta(hours=1))
        act(case, Action.ASSIGN, staff=officer_a)  # already running: not restarted
    verification = CaseClock.objects.get(case=case, kind=ClockKind.VERIFICATION)
    assert (verification.stopped_at, verification.stop_state) == (wib(2026, 12, 7, 10, 0), CaseState.VERIFIED)
    follow_up = CaseClock.objects.get(case=case, kind=ClockKind.FOLLOW_UP)
    assert follow_up.started_at == wib(2026, 12, 7, 10, 0)
    assert follow_up.due_at == wib(2026, 12, 14, 16, 0)  # 5 working days after Monday


def test_rejection_stops_every_clock(citizen, officer_a, make_case):
    case = make_case(citizen, state=CaseState.REJECTED, staff=officer_a)
    assert not case.clocks.filter(stopped_at__isnull=True).exists()
    assert set(case.clocks.values_list("stop_state", flat=True)) == {CaseState.REJECTED}


# -- pause and resume ------------------------------------------------------------------


def test_waiting_for_the_reporter_pauses_and_pushes_the_deadline(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):  # Monday
        case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
        before = open_clock(case, ClockKind.FOLLOW_UP).due_at
        assert before == wib(2026, 12, 14, 16, 0)
        clock.advance(timedelta(hours=2))  # Mon 11:00
        act(case, Action.REQUEST_INFO, staff=officer_a)
        paused = open_clock(case, ClockKind.FOLLOW_UP)
        assert paused.paused_at == wib(2026, 12, 7, 11, 0)
        assert paused.due_at == before
        clock.advance(timedelta(hours=23))  # Tue 10:00
        act(case, Action.REPORTER_REPLY)
    resumed = open_clock(case, ClockKind.FOLLOW_UP)
    # Mon 11–12 + 13–16 and Tue 07:30–10:00: 6.5 working hours.
    assert resumed.paused_at is None
    assert resumed.paused_working_seconds == 6.5 * 3600
    assert resumed.due_at == wib(2026, 12, 15, 15, 0)
    assert cal().working_time_between(before, resumed.due_at) == timedelta(hours=6.5)
    # The legal clock does not pause.
    assert open_clock(case, ClockKind.LEGAL_DECISION).paused_working_seconds == 0

    events = list(case.events.filter(kind=EventKind.CLOCK).order_by("seq"))
    assert [e.data["change"] for e in events] == ["paused", "resumed"]
    assert all(e.visibility == Visibility.PUBLIC and e.data["clock"] == ClockKind.FOLLOW_UP for e in events)
    assert events[1].data["paused_seconds"] == 6.5 * 3600
    assert "6 jam 30 menit kerja" in events[1].message
    case.refresh_from_db()
    assert verify_case_chain(case) == []


def test_two_pauses_add_up(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
        base = open_clock(case, ClockKind.FOLLOW_UP).due_at
        for _ in range(2):
            act(case, Action.REQUEST_INFO, staff=officer_a)
            clock.advance(timedelta(hours=1))
            act(case, Action.REPORTER_REPLY)
            clock.advance(timedelta(hours=1))
    c = open_clock(case, ClockKind.FOLLOW_UP)
    assert c.paused_working_seconds == 2 * 3600
    assert c.due_at == cal().add_working_time(base, timedelta(hours=2))


def test_paused_clocks_are_not_breached(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.WAITING_REPORTER, staff=officer_a)
    with clock.frozen_at(wib(2027, 1, 29, 9, 0)):  # weeks after the follow-up deadline
        run_sla_check()
    assert CaseClock.objects.get(case=case, kind=ClockKind.FOLLOW_UP).breached_at is None


# -- reopen ----------------------------------------------------------------------------


def test_dispute_starts_a_new_follow_up_clock_and_keeps_the_old_one(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.RESOLVED, staff=officer_a)
        reporter_window = open_clock(case, ClockKind.REPORTER_RESPONSE)
        assert reporter_window.due_at == wib(2026, 12, 21, 16, 0)  # 10 working days
        clock.advance(timedelta(days=1))
        act(case, Action.DISPUTE)
    first, second = CaseClock.objects.filter(case=case, kind=ClockKind.FOLLOW_UP).order_by("id")
    assert (first.stop_state, first.stopped_at) == (CaseState.RESOLVED, wib(2026, 12, 7, 9, 0))
    assert second.stopped_at is None and second.started_at == wib(2026, 12, 8, 9, 0)
    assert second.due_at == wib(2026, 12, 15, 16, 0)
    reporter_window.refresh_from_db()
    assert reporter_window.stop_state == CaseState.REOPENED
    # Resolved again: a new reporter window.
    with clock.frozen_at(wib(2026, 12, 9, 9, 0)):
        act(case, Action.START, staff=officer_a)
        act(case, Action.RESOLVE, staff=officer_a)
    assert CaseClock.objects.filter(case=case, kind=ClockKind.REPORTER_RESPONSE).count() == 2
    assert CaseClock.objects.filter(case=case, stopped_at__isnull=True, kind=ClockKind.FOLLOW_UP).count() == 0


# -- transfer --------------------------------------------------------------------------


def test_transfer_keeps_the_clocks_running_and_is_recorded(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    follow_up = open_clock(case, ClockKind.FOLLOW_UP)
    CaseClock.objects.filter(pk=follow_up.pk).update(
        escalation_level=EscalationLevel.AT_RISK, at_risk_notified_at=wib(2026, 12, 11, 9, 0)
    )
    legal = open_clock(case, ClockKind.LEGAL_DECISION)
    CaseClock.objects.filter(pk=legal.pk).update(
        escalation_level=EscalationLevel.BREACHED, breached_at=wib(2026, 12, 11, 9, 0)
    )
    binamarga, dinkes = Agency.objects.get(code="binamarga"), Agency.objects.get(code="dinkes")
    dues = dict(case.clocks.values_list("id", "due_at"))
    with clock.frozen_at(wib(2026, 12, 11, 10, 0)), transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.agency = dinkes
        event = clocks.on_transfer(locked, binamarga, dinkes)
        locked.save()
    assert dict(case.clocks.values_list("id", "due_at")) == dues  # nothing restarted or moved
    follow_up.refresh_from_db()
    assert (follow_up.escalation_level, follow_up.at_risk_notified_at) == (EscalationLevel.NONE, None)
    assert event.kind == EventKind.CLOCK and event.visibility == Visibility.PUBLIC
    assert event.data["change"] == "transferred" and event.data["to"] == "dinkes"
    assert "tidak dimulai ulang" in event.message
    notice = OutboxMessage.objects.get(topic="sla.breached", payload__clock_id=legal.pk)
    assert notice.payload["agency_id"] == dinkes.pk and notice.payload["transfer"] is True
    case.refresh_from_db()
    assert verify_case_chain(case) == []


def test_transfer_without_open_clocks_records_nothing(citizen, officer_a, make_case):
    case = make_case(citizen, state=CaseState.REJECTED, staff=officer_a)
    agency = Agency.objects.get(code="binamarga")
    with transaction.atomic():
        assert clocks.on_transfer(Case.objects.select_for_update().get(pk=case.pk), agency, agency) is None


# -- recompute after holiday changes --------------------------------------------------


def test_holiday_add_move_remove_recomputes_open_clocks_only(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 14, 10, 0)):  # Monday
        open_case = make_case(citizen)
        stopped_case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
        waiting_case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
        act(waiting_case, Action.REQUEST_INFO, staff=officer_a)
        clock.advance(timedelta(hours=3))
        act(waiting_case, Action.REPORTER_REPLY)  # 2 working hours paused (lunch excluded)
    verification = open_clock(open_case, ClockKind.VERIFICATION)
    assert verification.due_at == wib(2026, 12, 17, 16, 0)  # Tue, Wed, Thu
    stopped = CaseClock.objects.get(case=stopped_case, kind=ClockKind.VERIFICATION)
    stopped_due = stopped.due_at
    resumed = open_clock(waiting_case, ClockKind.FOLLOW_UP)
    assert resumed.paused_working_seconds == 2 * 3600

    def recompute_via_outbox() -> None:
        # The change recorded an outbox message; its handler queues the recompute task.
        assert OutboxMessage.objects.filter(topic="sla.calendar_changed", processed_at__isnull=True).exists()
        outbox.dispatch()
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.filter(
            task_path=recompute_clocks_task.module_path, status="READY"
        ).exists()
        DBTaskResult.objects.all().delete()
        recompute_clocks_task.call()

    holiday = sla_services.add_holiday(day=date(2026, 12, 16), name="Libur mendadak")
    recompute_via_outbox()
    verification.refresh_from_db()
    assert verification.due_at == wib(2026, 12, 18, 16, 30)  # Friday ends at 16:30
    resumed.refresh_from_db()
    expected = deadline(cal(), resumed.started_at, Target(5, TargetUnit.WORKING_DAYS), 2 * 3600)
    assert (resumed.due_at, resumed.at_risk_at) == (expected.due_at, expected.at_risk_at)
    assert CaseClock.objects.get(pk=stopped.pk).due_at == stopped_due

    sla_services.move_holiday(holiday=holiday, to=date(2026, 12, 21))
    recompute_via_outbox()
    verification.refresh_from_db()
    assert verification.due_at == wib(2026, 12, 17, 16, 0)

    sla_services.add_holiday(day=date(2026, 12, 15), name="Libur lagi")
    sla_services.remove_holiday(holiday=Holiday.objects.get(name="Libur lagi"))
    recompute_via_outbox()
    verification.refresh_from_db()
    assert verification.due_at == wib(2026, 12, 17, 16, 0)
    assert CaseClock.objects.get(pk=stopped.pk).due_at == stopped_due


def test_recompute_of_a_regional_holiday_touches_only_that_regency(citizen, make_case):
    with clock.frozen_at(wib(2026, 12, 14, 10, 0)):
        bandar_lampung = make_case(citizen, region_code="18.71.01")
        metro = make_case(citizen, region_code="18.72.01")
    sla_services.add_holiday(
        day=date(2026, 12, 15), name="HUT Kota Metro", kind=HolidayKind.REGIONAL, region_code="18.72"
    )
    result = clocks.recompute_open_clocks(chunk_size=1)  # chunks of one: keyset paging works
    assert result.clocks == 4 and result.changed == result.written == 1
    assert open_clock(bandar_lampung, ClockKind.VERIFICATION).due_at == wib(2026, 12, 17, 16, 0)
    assert open_clock(metro, ClockKind.VERIFICATION).due_at == wib(2026, 12, 18, 16, 30)


def test_recompute_skips_a_clock_changed_since_it_was_read(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 14, 10, 0)):
        case = make_case(citizen)
    c = open_clock(case, ClockKind.VERIFICATION)
    new_due = int(c.due_at.timestamp()) + 86_400
    import numpy as np

    def one(x: int) -> np.ndarray:
        return np.array([x], dtype=np.int64)

    read_due = int(c.due_at.timestamp())
    # Another writer moved the deadline or the pause after it was read: the stale result is dropped.
    assert clocks._write_deadlines(one(c.pk), one(new_due), one(-1), one(read_due - 5), one(0)) == 0
    assert clocks._write_deadlines(one(c.pk), one(new_due), one(-1), one(read_due), one(60)) == 0
    assert clocks._write_deadlines(one(c.pk), one(new_due), one(-1), one(read_due), one(0)) == 1
    c.refresh_from_db()
    assert int(c.due_at.timestamp()) == new_due and c.at_risk_at is None


def test_recompute_changes_nothing_when_the_calendar_did_not_change(citizen, officer_a, make_case):
    with clock.frozen_at(wib(2026, 12, 7, 9, 13, 27)):
        make_case(citizen, state=CaseState.WAITING_REPORTER, staff=officer_a)
        make_case(citizen, state=CaseState.RESOLVED, staff=officer_a)
    result = clocks.recompute_open_clocks()
    assert result.clocks > 0 and result.changed == 0


# -- breach: exactly once ----------------------------------------------------------------


@pytest.fixture
def late_case(citizen, make_case) -> Case:
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):  # verification due Thu 10 Dec 16:00
        return make_case(citizen)


AFTER_DUE = wib(2026, 12, 11, 9, 0)


def test_breach_writes_one_public_event_even_when_checked_twice(late_case):
    with clock.frozen_at(AFTER_DUE):
        first = run_sla_check()
        second = run_sla_check()
    assert (first.breached, second.breached) == (1, 0)
    events = list(late_case.events.filter(kind=EventKind.SLA_BREACHED))
    assert len(events) == 1
    assert events[0].visibility == Visibility.PUBLIC
    assert events[0].data["clock"] == ClockKind.VERIFICATION
    assert "terlewati" in events[0].message
    c = CaseClock.objects.get(case=late_case, kind=ClockKind.VERIFICATION)
    assert c.escalation_level == EscalationLevel.BREACHED and c.breached_at == AFTER_DUE
    assert c.at_risk_notified_at == AFTER_DUE  # the warning is skipped once late
    assert c.escalate_at == wib(2026, 12, 11, 16, 30)  # one working day after the deadline
    assert c.claimed_until is None
    late_case.refresh_from_db()
    assert verify_case_chain(late_case) == []


def test_two_claimers_only_one_acts(late_case):
    c = open_clock(late_case, ClockKind.VERIFICATION)
    now = AFTER_DUE
    assert claim(c.pk, BREACH, now) is True
    assert claim(c.pk, BREACH, now) is False  # the lease is held
    with clock.frozen_at(now):
        assert advance(c.pk, BREACH, now) is True
    # The lease expired and a slow second worker tries again: the clock is no longer due.
    later = now + LEASE + timedelta(seconds=1)
    assert claim(c.pk, BREACH, later) is False
    with clock.frozen_at(later):
        assert advance(c.pk, BREACH, later) is False
    assert late_case.events.filter(kind=EventKind.SLA_BREACHED).count() == 1


def test_a_dead_workers_claim_expires(late_case):
    c = open_clock(late_case, ClockKind.VERIFICATION)
    assert claim(c.pk, BREACH, AFTER_DUE)  # ... and the worker dies
    with clock.frozen_at(AFTER_DUE + timedelta(minutes=1)):
        assert run_sla_check().breached == 0
    with clock.frozen_at(AFTER_DUE + LEASE + timedelta(minutes=1)):
        assert run_sla_check().breached == 1
    assert late_case.events.filter(kind=EventKind.SLA_BREACHED).count() == 1


def test_a_clock_stopped_meanwhile_is_not_breached(late_case, officer_a):
    c = open_clock(late_case, ClockKind.VERIFICATION)
    assert claim(c.pk, BREACH, AFTER_DUE)
    with clock.frozen_at(AFTER_DUE):
        act(late_case, Action.VERIFY, staff=officer_a)
        assert advance(c.pk, BREACH, AFTER_DUE) is False
    assert not late_case.events.filter(kind=EventKind.SLA_BREACHED).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks")
def test_concurrent_checks_on_postgresql_breach_once(django_db_setup):
    from lampungin.agencies.services import load_seed_agencies
    from lampungin.catalog.services import load_seed_catalog
    from lampungin.regions.services import load_lampung_regions

    # A transactional test starts from an empty database: load what the case needs.
    load_lampung_regions(include_villages=False)
    load_seed_agencies()
    load_seed_catalog()
    sla_services.load_seed_calendar()

    from lampungin.accounts.services import register_citizen

    reporter = register_citizen(full_name="Rini", email="rini@warga.test", password=PASSWORD)
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        cases = [CaseMaker()(reporter) for _ in range(5)]
    barrier = threading.Barrier(4)
    results = []

    def worker() -> None:
        try:
            barrier.wait()
            with clock.frozen_at(AFTER_DUE):
                results.append(run_sla_check().breached)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 5
    for case in cases:
        assert case.events.filter(kind=EventKind.SLA_BREACHED).count() == 1


# -- escalation ladder ------------------------------------------------------------------


def _titles(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True))


def test_at_risk_then_breach_then_escalation_notify_the_right_people(
    citizen, officer_a, admin_a, platform_admin, make_case
):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    c = open_clock(case, ClockKind.FOLLOW_UP)
    assert c.due_at == wib(2026, 12, 14, 16, 0)
    outbox.dispatch()  # the lifecycle's own messages
    Notification.objects.all().delete()

    with clock.frozen_at(c.at_risk_at + timedelta(minutes=1)):
        assert run_sla_check().at_risk == 1
        outbox.dispatch()
    assert _titles(officer_a) == [f"Tenggat hampir habis: {case.tracking}"]
    assert _titles(admin_a) == [] and _titles(platform_admin) == []
    body = Notification.objects.get(user=officer_a).body
    assert "Tindak lanjut" in body and "1 hari kerja lagi" in body and "14 Des 2026, 16.00 WIB" in body

    with clock.frozen_at(c.due_at + timedelta(minutes=1)):
        assert run_sla_check().breached == 1
        outbox.dispatch()
    breach_title = f"Tenggat terlewati: {case.tracking}"
    assert _titles(admin_a) == [breach_title]
    assert breach_title in _titles(officer_a)
    assert _titles(platform_admin) == []

    c.refresh_from_db()
    assert c.escalate_at == wib(2026, 12, 15, 16, 0)
    with clock.frozen_at(c.escalate_at - timedelta(minutes=1)):
        assert run_sla_check().escalated == 0
    with clock.frozen_at(c.escalate_at + timedelta(minutes=1)):
        assert run_sla_check().escalated == 1
        outbox.dispatch()
    assert _titles(platform_admin) == [f"Eskalasi tenggat: {case.tracking}"]

    # Delivered at least once by the outbox, notified once: replay every SLA message.
    count = Notification.objects.count()
    OutboxMessage.objects.filter(topic__startswith="sla.").update(processed_at=None, claimed_until=None)
    outbox.dispatch()
    assert Notification.objects.count() == count


def test_unassigned_case_warns_every_officer_of_the_agency(citizen, officer_a, admin_a, make_case):
    second = User.objects.create_user(email="budi@binamarga.test", password=PASSWORD, full_name="Budi")
    StaffMembership.objects.create(
        user=second, role=Role.OFFICER, agency=Agency.objects.get(code="binamarga")
    )
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    c = open_clock(case, ClockKind.FOLLOW_UP)
    Notification.objects.all().delete()
    with clock.frozen_at(c.at_risk_at):
        run_sla_check()
        outbox.dispatch()
    warned = set(
        Notification.objects.filter(dedupe_key__startswith="sla.at_risk").values_list("user_id", flat=True)
    )
    assert warned == {officer_a.pk, second.pk}


# -- display -----------------------------------------------------------------------------


def _clock(due: datetime, unit: str = TargetUnit.WORKING_DAYS, **fields) -> CaseClock:
    return CaseClock(kind=ClockKind.FOLLOW_UP, due_at=due, target_unit=unit, **fields)


@pytest.mark.parametrize(
    ("due", "unit", "now", "text", "state"),
    [
        (wib(2026, 12, 9, 16), TargetUnit.WORKING_DAYS, wib(2026, 12, 7, 10), "2 hari kerja lagi", "running"),
        (wib(2026, 12, 9, 16), TargetUnit.WORKING_DAYS, wib(2026, 12, 9, 10), "5 jam kerja lagi", "running"),
        (
            wib(2026, 12, 7, 13),
            TargetUnit.WORKING_HOURS,
            wib(2026, 12, 7, 16),
            "terlambat 3 jam kerja",
            "breached",
        ),
        (
            wib(2026, 12, 9, 16),
            TargetUnit.WORKING_DAYS,
            wib(2026, 12, 10, 9),
            "terlambat 1 hari kerja",
            "breached",
        ),
        # Friday 16:30 → Monday: the weekend is not late time.
        (
            wib(2026, 12, 11, 16, 30),
            TargetUnit.WORKING_DAYS,
            wib(2026, 12, 14, 8),
            "terlambat 1 hari kerja",
            "breached",
        ),
        (
            wib(2026, 12, 9, 16),
            TargetUnit.WORKING_DAYS,
            wib(2026, 12, 9, 17),
            "terlambat kurang dari 1 jam kerja",
            "breached",
        ),
        (wib(2027, 2, 5, 9), TargetUnit.CALENDAR_DAYS, wib(2026, 12, 7, 9), "60 hari lagi", "running"),
        (wib(2026, 12, 7, 9), TargetUnit.CALENDAR_DAYS, wib(2026, 12, 9, 10), "terlambat 2 hari", "breached"),
    ],
)
def test_remaining_text(due, unit, now, text, state):
    view = clocks.clock_view(_clock(due, unit), cal(), now)
    assert (view.remaining_text, view.state) == (text, state)
    assert view.due_text.endswith("WIB")


def test_remaining_text_of_paused_and_stopped_clocks():
    due = wib(2026, 12, 9, 16)
    paused = clocks.clock_view(_clock(due, paused_at=wib(2026, 12, 7, 10)), cal(), wib(2026, 12, 20))
    assert (paused.remaining_text, paused.state) == ("dijeda, sisa 2 hari kerja", "paused")
    on_time = clocks.clock_view(_clock(due, stopped_at=wib(2026, 12, 8, 10)), cal(), wib(2026, 12, 20))
    assert (on_time.remaining_text, on_time.state) == ("selesai tepat waktu", "stopped")
    late = clocks.clock_view(_clock(due, stopped_at=wib(2026, 12, 10, 9)), cal(), wib(2026, 12, 20))
    assert late.remaining_text == "selesai, terlambat 1 hari kerja"


def test_due_text_is_in_wib():
    assert clocks.due_text(datetime(2026, 12, 9, 9, 0, tzinfo=WIB).astimezone(WIB)) == "9 Des 2026, 09.00 WIB"


def test_api_case_detail_shows_clocks(citizen, officer_a, make_case, api_as):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen)
    client = api_as(citizen)
    with clock.frozen_at(wib(2026, 12, 7, 10, 0)):
        data = client.get(f"/reports/{case.tracking}").json()
    by_kind = {c["kind"]: c for c in data["clocks"]}
    assert by_kind["verification"]["remaining_text"] == "3 hari kerja lagi"
    assert by_kind["verification"]["state"] == "running"
    assert by_kind["verification"]["label"] == "Verifikasi dan penerusan"
    assert by_kind["verification"]["due_at"].startswith("2026-12-10T09:00:00")  # 16:00 WIB in UTC
    assert by_kind["legal_decision"]["remaining_text"] == "59 hari lagi"
    with clock.frozen_at(AFTER_DUE):
        data = api_as(officer_a).get(f"/reports/{case.tracking}").json()
        public = client.get(f"/public/reports/{case.tracking}").json()
    verification = next(c for c in data["clocks"] if c["kind"] == "verification")
    assert (verification["remaining_text"], verification["state"]) == ("terlambat 1 hari kerja", "breached")
    assert any(c["remaining_text"] == "terlambat 1 hari kerja" for c in public["clocks"])


def test_pages_show_the_clocks(citizen, officer_a, make_case, client):
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        case = make_case(citizen)
    with clock.frozen_at(wib(2026, 12, 7, 10, 0)):
        assert "3 hari kerja lagi" in client.get(f"/laporan/{case.tracking}").content.decode()
        client.force_login(citizen)
        assert "3 hari kerja lagi" in client.get(f"/akun/laporan/{case.tracking}/").content.decode()
        client.force_login(officer_a)
        page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
        assert "3 hari kerja lagi" in page and "10 Des 2026, 16.00 WIB" in page
        assert "3 hari kerja lagi" in client.get("/kantor/").content.decode()
    with clock.frozen_at(AFTER_DUE):
        assert "terlambat 1 hari kerja" in client.get("/kantor/").content.decode()
        assert "terlambat 1 hari kerja" in client.get(f"/laporan/{case.tracking}").content.decode()


def test_inbox_queries_do_not_grow_with_cases(citizen, officer_a, make_case, client):
    client.force_login(officer_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/kantor/").status_code == 200
        return len(ctx.captured_queries)

    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        for _ in range(2):
            make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
        few = queries()
        for _ in range(6):
            make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
        many = queries()
    assert few == many
    # session, user, memberships, count, page (clocks in subqueries), calendar version
    assert many <= 6


# -- commands ----------------------------------------------------------------------------


def test_commands(late_case, capsys):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from lampungin.cases.tasks import check_sla_clocks
    from lampungin.core.tasks import dispatch_outbox_task

    DBTaskResult.objects.all().delete()
    call_command("scheduler", once=True)
    call_command("scheduler", once=True)  # a second scheduler (or tick) does not queue twice
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert len(paths) == len(set(paths))
    assert {check_sla_clocks.module_path, dispatch_outbox_task.module_path} <= set(paths)

    with clock.frozen_at(AFTER_DUE):
        call_command("sla_tick")
    assert "terlambat: 1" in capsys.readouterr().out
    call_command("sla_recompute")
    assert "berubah: 0" in capsys.readouterr().out


def test_admin_shows_the_clocks_of_a_case(late_case, client):
    root = User.objects.create_superuser(email="root@diskominfotik.test", password=PASSWORD, full_name="Root")
    client.force_login(root)
    page = client.get(f"/admin/cases/case/{late_case.pk}/change/")
    assert page.status_code == 200
    assert "Verifikasi dan penerusan" in page.content.decode()
