"""Deadlines of SLA clocks (lampungin.sla.deadlines): pushed by pauses, at-risk points, bulk = scalar.

No database: the calendar is built from the ``holidays`` package like the seed does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lampungin.sla.calendar import WIB, WorkingCalendar, ramadan_weekly
from lampungin.sla.choices import TargetUnit
from lampungin.sla.deadlines import NO_AT_RISK, Target, compute, deadline, epoch_seconds, from_epoch

ID_HOLIDAYS = holidays.country_holidays("ID", years=range(2024, 2029), categories=("public", "government"))
RAMADAN = ((date(2026, 2, 19), date(2026, 3, 20), ramadan_weekly()),)
CAL = WorkingCalendar(overrides=RAMADAN, holidays=frozenset(ID_HOLIDAYS))
UNITS = [TargetUnit.WORKING_DAYS.value, TargetUnit.WORKING_HOURS.value, TargetUnit.CALENDAR_DAYS.value]


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def _base(start: datetime, amount: int, unit: str) -> datetime:
    if unit == TargetUnit.WORKING_DAYS:
        return CAL.add_working_days(start, amount)
    if unit == TargetUnit.WORKING_HOURS:
        return CAL.add_working_time(start, timedelta(hours=amount))
    return start + timedelta(days=amount)


def _expected(
    start: datetime, amount: int, unit: str, paused: int, pct: int
) -> tuple[datetime, datetime | None]:
    """The module's definition, written with the scalar calendar only."""
    start = from_epoch(epoch_seconds(start))
    base = _base(start, amount, unit)
    if unit == TargetUnit.CALENDAR_DAYS:
        due = base + timedelta(seconds=paused)
        budget = int((base - start).total_seconds())
        risk = start + timedelta(seconds=paused + budget * pct // 100)
    else:
        due = CAL.add_working_time(base, timedelta(seconds=paused)) if paused else base
        budget = int(CAL.working_time_between(start, base).total_seconds())
        offset = paused + budget * pct // 100
        risk = CAL.add_working_time(start, timedelta(seconds=offset)) if offset else start
    if not pct:
        return due, None
    return due, min(max(risk, start), due)


starts = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 6, 30), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
clocks = st.tuples(
    starts,
    st.integers(0, 60),
    st.sampled_from(UNITS),
    st.one_of(st.just(0), st.integers(1, 40 * 3600)),
    st.sampled_from([0, 50, 80, 99]),
)


@settings(max_examples=300, deadline=None)
@given(clock=clocks)
def test_scalar_deadline_follows_the_definition(clock):
    start, amount, unit, paused, pct = clock
    got = deadline(CAL, start, Target(amount, unit, pct or None), paused)
    due, risk = _expected(start, amount, unit, paused, pct)
    assert got.due_at == due
    assert got.at_risk_at == risk


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(clocks, min_size=1, max_size=60))
def test_bulk_equals_scalar(batch):
    s, a, u, p, r = (list(x) for x in zip(*batch, strict=True))
    due, risk = compute(CAL, [epoch_seconds(x) for x in s], a, u, p, r)
    for i, (start, amount, unit, paused, pct) in enumerate(batch):
        one = deadline(CAL, start, Target(amount, unit, pct or None), paused)
        assert from_epoch(int(due[i])) == one.due_at
        assert (None if risk[i] == NO_AT_RISK else from_epoch(int(risk[i]))) == one.at_risk_at


def test_pause_pushes_by_exactly_the_paused_working_time():
    # Friday 15:00 WIB + 3 working days = Wednesday 16:00; a 90-minute working pause
    # moves it into Thursday 09:00 (07:30 + 1.5 h), across the end of Wednesday.
    start = wib(2026, 12, 4, 15, 0)
    plain = deadline(CAL, start, Target(3, TargetUnit.WORKING_DAYS))
    pushed = deadline(CAL, start, Target(3, TargetUnit.WORKING_DAYS), paused_seconds=90 * 60)
    assert plain.due_at == wib(2026, 12, 9, 16, 0)
    assert pushed.due_at == wib(2026, 12, 10, 9, 0)
    assert CAL.working_time_between(plain.due_at, pushed.due_at) == timedelta(minutes=90)


def test_pushes_add_up():
    start = wib(2026, 12, 4, 15, 0)
    target = Target(5, TargetUnit.WORKING_DAYS)
    one = deadline(CAL, start, target, 3 * 3600).due_at
    two = CAL.add_working_time(deadline(CAL, start, target, 3600).due_at, timedelta(hours=2))
    assert one == two


def test_at_risk_is_eighty_percent_of_the_working_budget():
    # Friday 15:00: the rest of Friday (1.5 h) and Mon–Wed (22.5 h) make a budget of 24 h;
    # 80 % = 19.2 h is reached on Wednesday at 10:12.
    d = deadline(CAL, wib(2026, 12, 4, 15, 0), Target(3, TargetUnit.WORKING_DAYS, 80))
    assert d.at_risk_at == wib(2026, 12, 9, 10, 12)


def test_calendar_days_ignore_holidays_and_hours():
    start = wib(2026, 12, 24, 22, 15)  # cuti bersama, at night
    d = deadline(CAL, start, Target(60, TargetUnit.CALENDAR_DAYS, 80), paused_seconds=3600)
    assert d.due_at == start + timedelta(days=60, hours=1)
    assert d.at_risk_at == start + timedelta(hours=1) + timedelta(days=48)


def test_no_at_risk_point_when_percent_is_none():
    assert deadline(CAL, wib(2026, 12, 4, 9), Target(10, TargetUnit.WORKING_DAYS, None)).at_risk_at is None


def test_start_is_floored_to_the_second():
    a = deadline(CAL, wib(2026, 12, 4, 9, 0, 0), Target(5, TargetUnit.WORKING_HOURS))
    b = deadline(
        CAL, wib(2026, 12, 4, 9, 0, 0).replace(microsecond=999_999), Target(5, TargetUnit.WORKING_HOURS)
    )
    assert a == b


def test_long_pause_extends_the_table():
    start = wib(2026, 12, 4, 9)
    year = 250 * 27_000  # about a year of working seconds
    d = deadline(CAL, start, Target(1, TargetUnit.WORKING_DAYS), paused_seconds=year)
    assert d.due_at == CAL.add_working_time(CAL.add_working_days(start, 1), timedelta(seconds=year))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0], [1], ["fortnights"], [0], [80]), "unknown target units"),
        (([0], [-1], ["working_days"], [0], [80]), ">= 0"),
        (([0, 1], [1], ["working_days"], [0], [80]), "same length"),
    ],
)
def test_bad_input_is_refused(args, message):
    with pytest.raises(ValueError, match=message):
        compute(CAL, *args)


def test_empty_batch():
    due, risk = compute(CAL, np.array([], dtype=np.int64), [], np.array([], dtype="U14"), [], [])
    assert due.size == risk.size == 0
