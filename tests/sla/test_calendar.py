"""Working-time arithmetic (lampungin.sla.calendar): pure Python, no Django, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import holidays
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lampungin.sla.calendar import (
    WIB,
    WorkingCalendar,
    default_weekly,
    ramadan_weekly,
    weekly_hours,
    weekly_schedule,
)

# Real Indonesian holidays; cuti bersama are the "government" category.
ID_HOLIDAYS = holidays.country_holidays(
    "ID", years=range(2024, 2029), categories=("public", "government"), language="en_US"
)
CUTI_BERSAMA = holidays.country_holidays("ID", years=range(2024, 2029), categories=("government",))


def _ramadan_overrides() -> tuple[tuple[date, date, object], ...]:
    """Ramadan = the 30 days before Eid al-Fitr (an approximation good enough for tests)."""
    eids = sorted(d for d, name in ID_HOLIDAYS.items() if name.startswith("Eid al-Fitr ("))
    eids += sorted(d for d, name in ID_HOLIDAYS.items() if name == "Eid al-Fitr")
    assert len(eids) == 5, eids
    weekly = ramadan_weekly()
    return tuple((eid - timedelta(days=30), eid - timedelta(days=1), weekly) for eid in sorted(eids))


CAL = WorkingCalendar(holidays=frozenset(ID_HOLIDAYS))
CAL_RAMADAN = WorkingCalendar(overrides=_ramadan_overrides(), holidays=frozenset(ID_HOLIDAYS))
EPOCH_2024 = datetime(2024, 1, 1, tzinfo=UTC)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def _in_closed_working_interval(cal: WorkingCalendar, instant: datetime) -> bool:
    local = instant.astimezone(WIB)
    t = local.timetz().replace(tzinfo=None)
    return any(s <= t <= e for s, e in cal.schedule_for(local.date()))


# -- strategies -------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, WIB, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))])
BOUNDARY_TIMES = sorted({t for day in (*default_weekly(), *ramadan_weekly()) for iv in day for t in iv})


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Anywhere in 2024–2028, incl. nights, weekends, holidays and exact interval bounds."""
    if draw(st.booleans()):
        naive = draw(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 10, 31)))
        return naive.replace(tzinfo=WIB).astimezone(draw(ZONES))
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 10, 31)))
    t = datetime.combine(day, draw(st.sampled_from(BOUNDARY_TIMES)), tzinfo=WIB)
    return t + timedelta(seconds=draw(st.sampled_from([-1, 0, 0, 0, 1])))


durations = st.one_of(
    st.integers(0, 200 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(0, 40).map(lambda h: timedelta(minutes=30 * h)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=300)),
)
calendars = st.sampled_from([CAL, CAL_RAMADAN])
PROPS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- hour-granular properties -----------------------------------------------------------


@PROPS
@given(cal=calendars, start=instants(), duration=durations)
def test_add_then_measure_gives_back_the_duration(cal, start, duration):
    due = cal.add_working_time(start, duration)
    assert due >= start
    assert cal.working_time_between(start, due) == duration


@PROPS
@given(cal=calendars, start=instants(), d1=durations, d2=durations)
def test_adding_in_sequence_equals_adding_the_sum(cal, start, d1, d2):
    assert cal.add_working_time(cal.add_working_time(start, d1), d2) == cal.add_working_time(start, d1 + d2)


@PROPS
@given(cal=calendars, start=instants(), duration=durations)
def test_hour_due_instant_is_inside_working_hours(cal, start, duration):
    due = cal.add_working_time(start, duration)
    assert due.tzinfo is WIB
    assert cal.is_working_day(due.date())
    assert due.date() not in ID_HOLIDAYS
    assert due.weekday() < 5
    assert _in_closed_working_interval(cal, due)


@PROPS
@given(cal=calendars, a=instants(), b=instants(), c=instants())
def test_working_time_between_is_additive_and_antisymmetric(cal, a, b, c):
    assert cal.working_time_between(a, b) == -cal.working_time_between(b, a)
    assert cal.working_time_between(a, b) + cal.working_time_between(b, c) == cal.working_time_between(a, c)


@PROPS
@given(cal=calendars, start=instants())
def test_zero_duration_is_the_first_working_instant_at_or_after_start(cal, start):
    due = cal.add_working_time(start, timedelta(0))
    assert due >= start
    assert _in_closed_working_interval(cal, due)
    # Nothing between start and due is working time, and due is the earliest such instant.
    assert cal.working_time_between(start, due) == timedelta(0)
    if due > start:
        assert not _in_closed_working_interval(cal, due - timedelta(microseconds=1))


# -- day-granular properties ------------------------------------------------------------


@PROPS
@given(cal=calendars, start=instants(), days=st.integers(0, 30))
def test_day_due_is_end_of_a_working_day_and_counts_back(cal, start, days):
    due = cal.add_working_days(start, days)
    local_day = due.date()
    assert cal.is_working_day(local_day)
    assert local_day.weekday() < 5 and local_day not in ID_HOLIDAYS
    assert due.timetz().replace(tzinfo=None) == cal.schedule_for(local_day)[-1][1]
    assert local_day >= start.astimezone(WIB).date()
    expected = days if days >= 1 else int(local_day != start.astimezone(WIB).date())
    assert cal.working_days_between(start, due) == expected
    assert cal.working_days_between(due, start) == -expected


def test_day_targets_agree_with_numpy_busday_offset_on_10000_cases():
    rng = np.random.default_rng(20250815)
    hol = np.array(sorted(ID_HOLIDAYS), dtype="datetime64[D]")
    span = int((datetime(2028, 11, 30, tzinfo=UTC) - EPOCH_2024).total_seconds())
    offsets = rng.integers(0, span, size=10_000)
    amounts = rng.integers(0, 21, size=10_000)
    starts = [EPOCH_2024 + timedelta(seconds=int(s)) for s in offsets]
    local_days = np.array([s.astimezone(WIB).date() for s in starts], dtype="datetime64[D]")
    # n >= 1: the n-th business day strictly after the local date = roll *backward* to a
    # business day first (so a weekend start does not count itself), then n ahead.
    expected = np.where(
        amounts > 0,
        np.busday_offset(local_days, amounts, roll="backward", weekmask="1111100", holidays=hol),
        np.busday_offset(local_days, 0, roll="forward", weekmask="1111100", holidays=hol),
    )
    for start, n, exp in zip(starts, amounts.tolist(), expected.tolist(), strict=True):
        due = CAL.add_working_days(start, n)
        assert due.date() == exp
        assert due.timetz().replace(tzinfo=None) == (time(16, 30) if exp.weekday() == 4 else time(16))


def test_working_days_between_agrees_with_numpy_busday_count_on_10000_cases():
    rng = np.random.default_rng(17081945)
    hol = np.array(sorted(ID_HOLIDAYS), dtype="datetime64[D]")
    span = int((datetime(2028, 12, 31, tzinfo=UTC) - EPOCH_2024).total_seconds())
    a_s, b_s = rng.integers(0, span, size=(2, 10_000))
    one = np.timedelta64(1, "D")
    for a_off, b_off in zip(a_s.tolist(), b_s.tolist(), strict=True):
        a = EPOCH_2024 + timedelta(seconds=a_off)
        b = EPOCH_2024 + timedelta(seconds=b_off)
        da = np.datetime64(a.astimezone(WIB).date(), "D")
        db = np.datetime64(b.astimezone(WIB).date(), "D")
        # Working days in (da, db] == busday_count over [da + 1, db + 1). Reversed, numpy
        # already counts -(days in (db, da]), which is our convention.
        lo, hi = (da + one, db + one) if da <= db else (da, db)
        exp = int(np.busday_count(lo, hi, weekmask="1111100", holidays=hol))
        assert CAL.working_days_between(a, b) == exp


# -- concrete examples ------------------------------------------------------------------


def test_friday_afternoon_report_with_3_working_days_is_due_wednesday_1600():
    # 4–9 July 2025 has no national holiday or cuti bersama.
    assert not any(date(2025, 7, d) in ID_HOLIDAYS for d in range(4, 10))
    assert CAL.add_working_days(wib(2025, 7, 4, 15, 0), 3) == wib(2025, 7, 9, 16, 0)
    # Submitting at 07:00 or 23:59 the same Friday changes nothing: the day never counts.
    assert CAL.add_working_days(wib(2025, 7, 4, 7, 0), 3) == wib(2025, 7, 9, 16, 0)
    assert CAL.add_working_days(wib(2025, 7, 4, 23, 59), 3) == wib(2025, 7, 9, 16, 0)
    # Saturday submission counts from Monday too.
    assert CAL.add_working_days(wib(2025, 7, 5, 10, 0), 3) == wib(2025, 7, 9, 16, 0)


def test_cuti_bersama_is_skipped():
    # Monday 18 August 2025: cuti bersama for Independence Day (Sunday 17 August).
    cuti = date(2025, 8, 18)
    assert cuti in CUTI_BERSAMA
    assert not CAL.is_working_day(cuti)
    friday = wib(2025, 8, 15, 15, 0)
    assert CAL.add_working_days(friday, 3) == wib(2025, 8, 21, 16, 0)  # Tue 19, Wed 20, Thu 21
    assert WorkingCalendar().add_working_days(friday, 3) == wib(2025, 8, 20, 16, 0)
    assert CAL.next_working_day(date(2025, 8, 15)) == date(2025, 8, 19)
    # Hour targets skip it as well: Friday 15:00 + 3 working hours = Tuesday 09:00.
    assert CAL.add_working_time(friday, timedelta(hours=3)) == wib(2025, 8, 19, 9, 0)


def test_eid_2026_cuti_bersama_and_ramadan_hours():
    # 18–24 March 2026: Nyepi cuti bersama, Nyepi, Eid cuti bersama, Eid, weekend, cuti.
    assert {date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)} <= set(CUTI_BERSAMA)
    tuesday = wib(2026, 3, 17, 9, 0)  # in Ramadan: hours end at 15:00
    assert CAL_RAMADAN.add_working_days(tuesday, 0) == wib(2026, 3, 17, 15, 0)
    assert CAL_RAMADAN.add_working_days(tuesday, 1) == wib(2026, 3, 25, 16, 0)  # after Ramadan
    # 5.5 h left on Tuesday (09:00–12:00, 12:30–15:00), the last 0.5 h on Wednesday 25th.
    assert CAL_RAMADAN.add_working_time(tuesday, timedelta(hours=6)) == wib(2026, 3, 25, 8, 0)


def test_hour_examples_and_boundary_rule():
    assert CAL.add_working_time(wib(2025, 7, 4, 15, 0), timedelta(hours=2)) == wib(2025, 7, 7, 8, 0)
    # Running out exactly at the end of the day: due at 16:30 Friday, not Monday 07:30.
    assert CAL.add_working_time(wib(2025, 7, 4, 15, 0), timedelta(hours=1.5)) == wib(2025, 7, 4, 16, 30)
    assert CAL.add_working_time(wib(2025, 7, 7, 11, 0), timedelta(hours=1)) == wib(2025, 7, 7, 12, 0)
    assert CAL.add_working_time(wib(2025, 7, 7, 11, 0), timedelta(hours=1.5)) == wib(2025, 7, 7, 13, 30)
    # Zero duration: the first working instant at or after the start; an end counts.
    assert CAL.add_working_time(wib(2025, 7, 7, 16, 0), timedelta(0)) == wib(2025, 7, 7, 16, 0)
    assert CAL.add_working_time(wib(2025, 7, 7, 12, 30), timedelta(0)) == wib(2025, 7, 7, 13, 0)
    assert CAL.add_working_time(wib(2025, 7, 5, 10, 0), timedelta(0)) == wib(2025, 7, 7, 7, 30)
    # Start at night in UTC: 2025-07-06 23:00 UTC is Monday 06:00 WIB.
    assert CAL.add_working_time(datetime(2025, 7, 6, 23, 0, tzinfo=UTC), timedelta(hours=1)) == wib(
        2025, 7, 7, 8, 30
    )
    assert CAL.working_time_between(wib(2025, 7, 7, 11, 0), wib(2025, 7, 7, 14, 0)) == timedelta(hours=2)
    assert CAL.working_time_between(wib(2025, 7, 7), wib(2025, 7, 14)) == timedelta(hours=37.5)
    assert CAL.working_time_between(wib(2025, 7, 14), wib(2025, 7, 7)) == -timedelta(hours=37.5)


def test_ramadan_schedule():
    assert weekly_hours(default_weekly()) == 37.5
    assert weekly_hours(ramadan_weekly()) == 32.5
    monday = date(2025, 3, 3)  # 3 Ramadan 1446
    assert CAL_RAMADAN.schedule_for(monday) == ((time(8), time(12)), (time(12, 30), time(15)))
    assert CAL_RAMADAN.add_working_time(wib(2025, 3, 3, 7, 0), timedelta(hours=1)) == wib(2025, 3, 3, 9, 0)
    assert CAL_RAMADAN.add_working_days(wib(2025, 3, 3, 7, 0), 0) == wib(2025, 3, 3, 15, 0)
    assert CAL_RAMADAN.working_time_between(wib(2025, 3, 3), wib(2025, 3, 10)) == timedelta(hours=32.5)


def test_days_zero_rule():
    assert CAL.add_working_days(wib(2025, 7, 7, 20, 0), 0) == wib(2025, 7, 7, 16, 0)  # same day, even if past
    assert CAL.add_working_days(wib(2025, 7, 5, 10, 0), 0) == wib(2025, 7, 7, 16, 0)  # Saturday -> Monday
    assert CAL.working_days_between(wib(2025, 7, 7, 8), wib(2025, 7, 7, 15)) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.add_working_time(datetime(2025, 7, 4, 15), timedelta(hours=1)),
        lambda: CAL.add_working_days(datetime(2025, 7, 4, 15), 3),
        lambda: CAL.working_time_between(datetime(2025, 7, 4), wib(2025, 7, 5)),
        lambda: CAL.working_time_between(wib(2025, 7, 4), datetime(2025, 7, 5)),
        lambda: CAL.working_days_between(datetime(2025, 7, 4), wib(2025, 7, 5)),
    ],
    ids=["add_working_time", "add_working_days", "between-a", "between-b", "days_between"],
)
def test_naive_datetime_is_rejected(call):
    with pytest.raises(ValueError, match="naive"):
        call()


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError):
        CAL.add_working_time(wib(2025, 7, 4), timedelta(seconds=-1))
    with pytest.raises(ValueError):
        CAL.add_working_days(wib(2025, 7, 4), -1)
    with pytest.raises(ValueError, match="before 1964"):
        CAL.add_working_days(datetime(1960, 1, 1, tzinfo=UTC), 1)
    with pytest.raises(ValueError, match="overlap"):
        weekly_schedule({0: ((time(8), time(12)), (time(11), time(13)))})
    with pytest.raises(ValueError, match="whole-second"):
        weekly_schedule({0: ((time(8, 0, 0, 5), time(12)),)})
    with pytest.raises(ValueError, match="weekday"):
        weekly_schedule({7: ((time(8), time(12)),)})
    with pytest.raises(ValueError, match="not datetimes"):
        WorkingCalendar(holidays=frozenset({datetime(2025, 8, 18, tzinfo=UTC)}))
    with pytest.raises(ValueError, match="date_from"):
        WorkingCalendar(overrides=((date(2025, 3, 30), date(2025, 3, 1), ramadan_weekly()),))
    never = WorkingCalendar(weekly=weekly_schedule({}))
    with pytest.raises(ValueError, match="no working"):
        never.add_working_days(wib(2025, 7, 4), 1)
    with pytest.raises(ValueError, match="no working"):
        never.add_working_time(wib(2025, 7, 4), timedelta(hours=1))


def test_calendar_is_hashable_and_accepts_a_mapping():
    a = WorkingCalendar(weekly={0: [(time(8), time(12))]}, holidays={date(2025, 1, 1)})
    b = WorkingCalendar(
        weekly=weekly_schedule({0: ((time(8), time(12)),)}), holidays=frozenset({date(2025, 1, 1)})
    )
    a.is_working_day(date(2025, 1, 6))  # fills a's cache; must not affect equality
    assert a == b and hash(a) == hash(b)
    assert WorkingCalendar() == WorkingCalendar(weekly=default_weekly())
