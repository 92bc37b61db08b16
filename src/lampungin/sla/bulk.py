"""Vectorised SLA deadlines: recompute many clocks at once with numpy.

When a holiday is added or moved, every open clock must get a new ``due_at``; doing that
one clock at a time in Python takes minutes for a million clocks. ``bulk_due_at`` does it
in one pass and gives *exactly* the results of ``WorkingCalendar.add_working_days`` and
``WorkingCalendar.add_working_time`` (whole seconds, see ``calendar.py`` for the rules).

How: one table per call covers every local day from the earliest start to a margin past
the latest possible deadline, built from ``WorkingCalendar.intervals_seconds`` — so
holidays and dated overrides (Ramadan) are honoured the same way as in the scalar path.

* Day targets: ``cum_le[k]`` = working days up to and including table day ``k``; the
  ``n``-th working day after day ``k`` is working day number ``cum_le[k] + n - 1``, one
  gather. (A weekmask + ``numpy.busday_offset`` gives the same dates only when no override
  changes which weekdays work, and still needs a second lookup for the per-day end time.)
* Hour targets: the working intervals of the table as absolute UTC seconds, with the
  cumulative working seconds at each interval end. Find the interval in which a start
  lies (its working-second count ``C``), then the first interval whose cumulative end
  reaches ``C + hours * 3600``; the due instant is read off that interval exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from lampungin.sla.calendar import (
    FIXED_OFFSET_SINCE,
    MAX_IDLE_DAYS,
    UTC_OFFSET_SECONDS,
    WorkingCalendar,
    weekly_hours,
)

_DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MIN_START = (FIXED_OFFSET_SINCE.toordinal() - _EPOCH_ORDINAL) * _DAY - UTC_OFFSET_SECONDS


@dataclass(frozen=True)
class _Table:
    """Working time of local days ``first_day .. first_day + len(cum_le) - 1`` (epoch days).

    Interval arrays end with one sentinel interval at ``_FAR``: lookups never run off the
    end, and landing on the sentinel (index ``n_intervals``) means "table too short".
    """

    first_day: int
    cum_le: npt.NDArray[np.int64]  # working days in [first_day, first_day + k]
    is_work: npt.NDArray[np.int64]  # 1 if table day k is a working day
    work_end: npt.NDArray[np.int64]  # per working day: end of working hours, UTC seconds
    n_intervals: int
    iv_start: npt.NDArray[np.int64]  # every working interval, UTC seconds (+ sentinel)
    iv_end: npt.NDArray[np.int64]
    cum_end: npt.NDArray[np.int64]  # working seconds from table start to each interval end
    day_first: npt.NDArray[np.int64]  # index of the first interval of table day k or later
    max_per_day: int  # most intervals on one day
    hour_first: npt.NDArray[np.int64]  # first interval with cum_end >= b * 3600, per b
    trailing_idle_days: int  # days after the last working day (to detect "never")


_FAR = 2**62


def _build_table(calendar: WorkingCalendar, first_day: int, n_days: int) -> _Table:
    is_work = np.zeros(n_days, dtype=np.int64)
    per_day = np.zeros(n_days, dtype=np.int64)
    work_end: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    last_working = -1
    for k in range(n_days):
        intervals = calendar.intervals_seconds(date.fromordinal(_EPOCH_ORDINAL + first_day + k))
        if not intervals:
            continue
        is_work[k] = 1
        per_day[k] = len(intervals)
        last_working = k
        midnight_utc = (first_day + k) * _DAY - UTC_OFFSET_SECONDS
        work_end.append(midnight_utc + intervals[-1][1])
        for s, e in intervals:
            starts.append(midnight_utc + s)
            ends.append(midnight_utc + e)
    iv_start = np.array([*starts, _FAR], dtype=np.int64)
    iv_end = np.array([*ends, _FAR], dtype=np.int64)
    cum_end = np.cumsum(iv_end - iv_start)
    cum_end[-1] = _FAR
    total = int(cum_end[-2]) if ends else 0
    return _Table(
        first_day=first_day,
        cum_le=np.cumsum(is_work),
        is_work=is_work,
        work_end=np.array(work_end, dtype=np.int64),
        n_intervals=len(ends),
        iv_start=iv_start,
        iv_end=iv_end,
        cum_end=cum_end,
        day_first=np.concatenate(([0], np.cumsum(per_day))),
        max_per_day=int(per_day.max()),
        hour_first=np.searchsorted(cum_end, np.arange(total // 3600 + 2) * 3600, side="left"),
        trailing_idle_days=n_days - 1 - last_working,
    )


def _day_targets(
    table: _Table, secs: npt.NDArray[np.int64], days: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64] | None:
    """Deadlines for day targets, or None if the table is too short."""
    k = (secs + UTC_OFFSET_SECONDS) // _DAY - table.first_day
    first_after = table.cum_le[k]  # index of the first working day after day k
    idx = first_after + (days - 1)
    zero = days == 0
    if zero.any():
        # "By the end of today": the start's own day if it works, else the next one.
        idx[zero] = first_after[zero] - table.is_work[k[zero]]
    if idx.size and idx.max() >= table.work_end.size:
        return None
    return table.work_end[idx]


def _hour_targets(
    table: _Table, secs: npt.NDArray[np.int64], hours: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64] | None:
    """Deadlines for hour targets, or None if the table is too short.

    Both lookups are "first interval such that ..." searches over sorted arrays. They are
    done as a direct guess from a per-day or per-hour index plus a few vectorised steps
    forward, because ``np.searchsorted`` with a million unsorted keys is branch-bound and
    was 2-3x slower here.
    """
    # j = the first interval ending after the start (earlier ones are fully worked): start
    # from the first interval of the start's day and step over the day's finished ones.
    k = (secs + UTC_OFFSET_SECONDS) // _DAY - table.first_day
    j = table.day_first[k]
    for _ in range(table.max_per_day):
        j += table.iv_end[j] <= secs
    if j.size and j.max() >= table.n_intervals:
        return None
    iv_start_j = table.iv_start[j]
    worked_before = table.cum_end[j] - (table.iv_end[j] - iv_start_j)
    target = worked_before + np.maximum(secs - iv_start_j, 0) + hours * 3600
    # idx = the first interval whose cumulative end reaches the target: the earliest
    # instant, so a target met exactly at an interval end is due at that end (the scalar
    # rule). Guess from the per-working-hour index, then step forward while short.
    bucket = np.minimum(target // 3600, table.hour_first.size - 1)
    idx = table.hour_first[bucket]
    behind = np.flatnonzero(table.cum_end[idx] < target)
    while behind.size:
        idx[behind] += 1
        behind = behind[table.cum_end[idx[behind]] < target[behind]]
    if idx.size and idx.max() >= table.n_intervals:
        return None
    due = table.iv_end[idx] - (table.cum_end[idx] - target)
    zero = hours == 0
    if zero.any():
        # Zero duration: the first instant at or after the start in a closed interval; a
        # start exactly at an interval end stays there (interval j - 1 ends at the start).
        z_secs, z_j = secs[zero], j[zero]
        at_end = (z_j > 0) & (table.iv_end[z_j - 1] == z_secs)
        due[zero] = np.where(at_end, z_secs, np.maximum(z_secs, table.iv_start[z_j]))
    return due


def _as_epoch_seconds(starts_utc: npt.ArrayLike) -> npt.NDArray[np.int64]:
    starts = np.asarray(starts_utc)
    if starts.dtype.kind != "M":
        raise ValueError(f"starts_utc must be a numpy datetime64 array, got {starts.dtype}")
    if np.isnat(starts).any():
        raise ValueError("starts_utc contains NaT")
    as_seconds = starts.astype("datetime64[s]")
    if (as_seconds != starts).any():
        raise ValueError("starts_utc must be whole seconds")
    secs = as_seconds.view(np.int64)
    if secs.size and secs.min() < _MIN_START:
        raise ValueError(f"starts before {FIXED_OFFSET_SINCE} (when WIB became a fixed UTC+7)")
    return secs


def _as_is_days(units: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    arr = np.asarray(units)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind in "US":
        code = arr.astype("U1")
        if not np.isin(code, ["D", "H"]).all() or (np.char.str_len(arr.astype("U")) != 1).any():
            raise ValueError("unit codes must be 'D' (working days) or 'H' (working hours)")
        return code == "D"
    raise ValueError(f"units must be booleans (True = days) or 'D'/'H' codes, got {arr.dtype}")


def bulk_due_at(
    calendar: WorkingCalendar,
    starts_utc: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
) -> npt.NDArray[np.datetime64]:
    """Due instants (``datetime64[s]``, UTC) of many clocks, vectorised.

    ``starts_utc``: datetime64 array of UTC instants (whole seconds). ``amounts``: integer
    array >= 0. ``units``: per clock, True/'D' for working days or False/'H' for working
    hours. Must hold, element by element: with ``s`` the aware UTC datetime of a start,
    ``due == calendar.add_working_days(s, n)`` for day targets and
    ``due == calendar.add_working_time(s, timedelta(hours=n))`` for hour targets.
    """
    secs = _as_epoch_seconds(starts_utc)
    amount = np.asarray(amounts)
    if amount.dtype.kind not in "iu":
        raise ValueError(f"amounts must be integers, got {amount.dtype}")
    amount = amount.astype(np.int64, copy=False)
    is_days = _as_is_days(units)
    if not (secs.shape == amount.shape == is_days.shape):
        raise ValueError("starts_utc, amounts and units must have the same shape")
    shape = secs.shape
    secs, amount, is_days = secs.ravel(), amount.ravel(), is_days.ravel()
    if secs.size == 0:
        return np.empty(shape, dtype="datetime64[s]")
    if amount.min() < 0:
        raise ValueError("amounts must not be negative")

    day_idx = np.flatnonzero(is_days)
    hour_idx = np.flatnonzero(~is_days)
    day_secs, day_n = secs[day_idx], amount[day_idx]
    hour_secs, hour_n = secs[hour_idx], amount[hour_idx]

    first_day = int((secs.min() + UTC_OFFSET_SECONDS) // _DAY)
    last_day = int((secs.max() + UTC_OFFSET_SECONDS) // _DAY)
    # Calendar days likely needed past the latest start; too short is detected and
    # retried with a doubled margin, so this only has to be a good first guess.
    max_days = int(day_n.max()) if day_n.size else 0
    max_hours = int(hour_n.max()) if hour_n.size else 0
    per_day = max(weekly_hours(calendar.weekly) / 7, 0.5)
    margin = 32 + 2 * max_days + int(2 * max_hours / per_day)
    while True:
        table = _build_table(calendar, first_day, last_day - first_day + 1 + margin)
        day_due = _day_targets(table, day_secs, day_n)
        hour_due = _hour_targets(table, hour_secs, hour_n) if day_due is not None else None
        if day_due is not None and hour_due is not None:
            break
        if table.trailing_idle_days > MAX_IDLE_DAYS:
            raise ValueError(f"no working time within {MAX_IDLE_DAYS} days")
        margin *= 2

    out = np.empty(secs.size, dtype=np.int64)
    out[day_idx] = day_due
    out[hour_idx] = hour_due
    return out.view("datetime64[s]").reshape(shape)
