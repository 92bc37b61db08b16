"""The numpy bulk path (lampungin.sla.bulk) gives exactly the scalar results. No Django."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lampungin.sla.bulk import bulk_due_at
from lampungin.sla.calendar import WorkingCalendar, default_weekly, ramadan_weekly, weekly_schedule

ID_HOLIDAYS = holidays.country_holidays(
    "ID", years=range(2024, 2029), categories=("public", "government"), language="en_US"
)
# Ramadan 1446 and 1447 (approximate: the 30 days before Eid al-Fitr).
RAMADAN = (
    (date(2025, 3, 1), date(2025, 3, 30), ramadan_weekly()),
    (date(2026, 2, 19), date(2026, 3, 20), ramadan_weekly()),
)
CAL = WorkingCalendar(holidays=frozenset(ID_HOLIDAYS))
CAL_RAMADAN = WorkingCalendar(overrides=RAMADAN, holidays=frozenset(ID_HOLIDAYS))
EPOCH = np.datetime64("1970-01-01T00:00:00", "s")


def _to_aware(x: np.datetime64) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=int((x - EPOCH) / np.timedelta64(1, "s")))


def _scalar(cal: WorkingCalendar, starts: np.ndarray, amounts: np.ndarray, is_days: np.ndarray) -> np.ndarray:
    out = []
    for s, n, d in zip(starts, amounts.tolist(), is_days.tolist(), strict=True):
        start = _to_aware(s)
        due = cal.add_working_days(start, n) if d else cal.add_working_time(start, timedelta(hours=n))
        out.append(np.datetime64(due.astimezone(UTC).replace(tzinfo=None), "s"))
    return np.array(out, dtype="datetime64[s]")


def _assert_bulk_matches_scalar(cal, starts, amounts, is_days) -> None:
    np.testing.assert_array_equal(
        bulk_due_at(cal, starts, amounts, is_days), _scalar(cal, starts, amounts, is_days)
    )


def _random_clocks(rng: np.random.Generator, n: int, first: str, last: str):
    lo, hi = (np.datetime64(x, "s").astype(np.int64) for x in (first, last))
    starts = rng.integers(lo, hi, size=n).astype("datetime64[s]")
    # A quarter of the starts sit on or next to interval bounds (in UTC: WIB - 7 h), where
    # off-by-one mistakes live.
    wib_bounds = {t for day in default_weekly() + ramadan_weekly() for iv in day for t in iv}
    bounds = np.array(sorted((t.hour * 3600 + t.minute * 60 - 7 * 3600) % 86400 for t in wib_bounds))
    k = n // 4
    day_start = starts[:k].astype("datetime64[D]").astype("datetime64[s]")
    starts[:k] = day_start + rng.choice(bounds, k) + rng.choice([-1, 0, 0, 1], k)
    is_days = rng.random(n) < 0.6
    amounts = np.where(is_days, rng.integers(0, 16, n), rng.integers(0, 81, n))
    amounts[rng.random(n) < 0.1] = 0  # zero targets have their own rule
    return starts, amounts, is_days


@pytest.mark.parametrize("cal", [CAL, CAL_RAMADAN], ids=["default", "ramadan"])
def test_bulk_equals_scalar_on_random_clocks(cal):
    rng = np.random.default_rng(1945)
    starts, amounts, is_days = _random_clocks(rng, 4000, "2024-01-01", "2028-10-31")
    _assert_bulk_matches_scalar(cal, starts, amounts, is_days)


def test_bulk_equals_scalar_inside_ramadan():
    rng = np.random.default_rng(1446)
    starts, amounts, is_days = _random_clocks(rng, 3000, "2025-02-20", "2025-04-05")
    bulk = bulk_due_at(CAL_RAMADAN, starts, amounts, is_days)
    np.testing.assert_array_equal(bulk, _scalar(CAL_RAMADAN, starts, amounts, is_days))
    # Ramadan really applied: the same clocks give other deadlines without the override.
    assert (bulk != bulk_due_at(CAL, starts, amounts, is_days)).mean() > 0.3


@st.composite
def weekly_schedules(draw: st.DrawFn):
    """Arbitrary valid schedules: per weekday, 0–3 intervals on a 15-minute grid."""
    spec = {}
    for weekday in range(7):
        marks = sorted(draw(st.sets(st.integers(0, 95), max_size=6)))
        marks = marks[: len(marks) // 2 * 2]
        spec[weekday] = [
            (time(a // 4, a % 4 * 15), time(b // 4, b % 4 * 15))
            for a, b in zip(marks[::2], marks[1::2], strict=True)
        ]
    return weekly_schedule(spec)


@settings(max_examples=60, deadline=None)
@given(
    weekly=weekly_schedules().filter(lambda w: any(w)),
    override=weekly_schedules().filter(lambda w: any(w)),
    holiday_offsets=st.sets(st.integers(0, 120), max_size=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_bulk_equals_scalar_for_arbitrary_calendars(weekly, override, holiday_offsets, seed):
    base = date(2026, 1, 1)
    cal = WorkingCalendar(
        weekly=weekly,
        overrides=((date(2026, 2, 1), date(2026, 2, 20), override),),
        holidays=frozenset(base + timedelta(days=d) for d in holiday_offsets),
    )
    starts, amounts, is_days = _random_clocks(np.random.default_rng(seed), 60, "2025-12-25", "2026-04-01")
    _assert_bulk_matches_scalar(cal, starts, amounts, is_days)


def test_sparse_calendar_extends_its_table():
    # One 15-minute block a week: the first margin guess is far too short.
    cal = WorkingCalendar(weekly=weekly_schedule({2: [(time(9), time(9, 15))]}))
    starts = np.array(["2025-07-04T08:00:00"] * 2, dtype="datetime64[s]")
    amounts, is_days = np.array([20, 30]), np.array([True, False])
    _assert_bulk_matches_scalar(cal, starts, amounts, is_days)


def test_unit_codes_shapes_and_empty_input():
    starts = np.array([["2025-07-04T08:00:00", "2025-07-04T08:00:00"]], dtype="datetime64[s]")
    due = bulk_due_at(CAL, starts, np.array([[3, 2]]), np.array([["D", "H"]]))
    expected = np.array([["2025-07-09T09:00:00", "2025-07-07T01:00:00"]], dtype="datetime64[s]")
    np.testing.assert_array_equal(due, expected)  # Wed 16:00 WIB, Mon 08:00 WIB
    # Zero hours at an interval end stays there (16:00 and 12:00 WIB count as working).
    at_ends = np.array(["2025-07-07T09:00:00", "2025-07-07T05:00:00"], dtype="datetime64[s]")
    np.testing.assert_array_equal(bulk_due_at(CAL, at_ends, [0, 0], [False, False]), at_ends)
    # Minute-resolution input is accepted when it converts exactly.
    minutes = np.array(["2025-07-04T08:00"], dtype="datetime64[m]")
    assert bulk_due_at(CAL, minutes, [3], [True])[0] == expected[0, 0]
    empty = bulk_due_at(
        CAL, np.array([], dtype="datetime64[s]"), np.array([], dtype=int), np.array([], dtype=bool)
    )
    assert empty.shape == (0,) and empty.dtype == np.dtype("datetime64[s]")


@pytest.mark.parametrize(
    ("starts", "amounts", "units", "match"),
    [
        (np.array(["NaT"], dtype="datetime64[s]"), [1], [True], "NaT"),
        (np.array(["2025-07-04T08:00:00.5"], dtype="datetime64[ms]"), [1], [True], "whole seconds"),
        (np.array([1, 2]), [1, 1], [True, True], "datetime64"),
        (np.array(["2025-07-04T08:00:00"], dtype="datetime64[s]"), [-1], [True], "negative"),
        (np.array(["2025-07-04T08:00:00"], dtype="datetime64[s]"), [1.5], [True], "integers"),
        (np.array(["2025-07-04T08:00:00"], dtype="datetime64[s]"), [1], ["M"], "'D'"),
        (np.array(["2025-07-04T08:00:00"], dtype="datetime64[s]"), [1, 2], [True, True], "shape"),
        (np.array(["1960-07-04T08:00:00"], dtype="datetime64[s]"), [1], [True], "1964"),
    ],
)
def test_bad_input_is_rejected(starts, amounts, units, match):
    with pytest.raises(ValueError, match=match):
        bulk_due_at(CAL, starts, np.asarray(amounts), units)


def test_calendar_without_working_time_is_an_error():
    never = WorkingCalendar(weekly=weekly_schedule({}))
    with pytest.raises(ValueError, match="no working time"):
        bulk_due_at(never, np.array(["2025-07-04T08:00:00"], dtype="datetime64[s]"), [1], [False])
