"""Deadlines of SLA clocks: the due instant and the at-risk instant, for one clock or millions.

A clock has a target (``amount`` in one ``unit``), a start, and the time it has spent
paused (``paused_seconds``: working seconds for working units, elapsed seconds for
calendar days; never both in one number). Must hold, with ``cal`` the clock's calendar:

* ``base = cal.add_working_days(start, n)`` (working days), ``cal.add_working_time(start,
  n hours)`` (working hours) or ``start + n days`` (calendar days);
* ``due = cal.add_working_time(base, paused)`` (working units) or ``base + paused``
  (calendar days): resuming a clock pushes its deadline by exactly the paused time, and
  pushing by ``p1`` then ``p2`` equals pushing by ``p1 + p2`` (calendar.py guarantees it),
  so the total pause is all a clock needs to keep;
* the clock's budget ``B`` is the working (or elapsed) time in ``[start, base)``; with
  ``pct`` its at-risk percentage, ``at_risk = cal.add_working_time(start, paused +
  B * pct // 100)`` (or ``start + paused + B * pct // 100``), clipped to ``[start, due]``.
  It is approximate for a clock paused after its at-risk point (the point moves later),
  which only matters before the warning was sent.

Everything is computed on whole seconds (``floor`` of the start), so the scalar and the
bulk paths agree to the second. ``compute`` is the one implementation: ``deadline`` calls
it with arrays of one element. Working-day and working-hour bases come from
``sla.bulk.bulk_due_at``; pushing by a pause and the at-risk point use a "working-second
coordinate" table: the working intervals of a range of days with the cumulative working
seconds at each interval end. ``to_ws(t)`` is the working time from the table start to
``t``; the earliest instant with coordinate ``w > 0`` lies in the first interval whose
cumulative end reaches ``w``, which is exactly ``add_working_time``'s closed-interval rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from lampungin.sla.bulk import bulk_due_at
from lampungin.sla.calendar import MAX_IDLE_DAYS, UTC_OFFSET_SECONDS, WorkingCalendar
from lampungin.sla.choices import TargetUnit

_DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NO_AT_RISK = -1  # in the at-risk output: the clock has no at-risk point

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Target:
    """What a clock promises: ``amount`` of ``unit``, with a warning at ``at_risk_percent``."""

    amount: int
    unit: str
    at_risk_percent: int | None = 80


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    at_risk_at: datetime | None


def epoch_seconds(instant: datetime) -> int:
    """Whole seconds since the epoch (floor), of an aware datetime."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: deadlines need aware datetimes")
    # timedelta normalises microseconds to >= 0, so days/seconds already are the floor.
    delta = instant - _EPOCH
    return delta.days * _DAY + delta.seconds


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), tz=UTC)


class _WorkTable:
    """Working intervals of local days ``first_day .. first_day + n_days - 1`` (epoch days)."""

    def __init__(self, calendar: WorkingCalendar, first_day: int, n_days: int) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for k in range(n_days):
            day = date.fromordinal(_EPOCH_ORDINAL + first_day + k)
            midnight_utc = (first_day + k) * _DAY - UTC_OFFSET_SECONDS
            for s, e in calendar.intervals_seconds(day):
                starts.append(midnight_utc + s)
                ends.append(midnight_utc + e)
        self.first_instant = first_day * _DAY - UTC_OFFSET_SECONDS
        self.last_instant = (first_day + n_days) * _DAY - UTC_OFFSET_SECONDS
        self.iv_start = np.array(starts, dtype=np.int64)
        self.iv_end = np.array(ends, dtype=np.int64)
        self.cum_end = np.cumsum(self.iv_end - self.iv_start)
        self.total = int(self.cum_end[-1]) if ends else 0

    def covers(self, instants: I64) -> bool:
        return bool(
            instants.size == 0
            or (instants.min() >= self.first_instant and instants.max() < self.last_instant)
        )

    def to_ws(self, t: I64) -> I64:
        """Working seconds from the table start to each instant (t inside the table)."""
        if self.iv_end.size == 0:
            return np.zeros_like(t)
        j = np.searchsorted(self.iv_end, t, side="right")  # first interval ending after t
        before = np.where(j > 0, self.cum_end[np.maximum(j - 1, 0)], 0)
        inside = j < self.iv_end.size
        jj = np.minimum(j, self.iv_end.size - 1)
        partial = np.where(inside, np.clip(t - self.iv_start[jj], 0, None), 0)
        return before + partial

    def from_ws(self, w: I64) -> I64 | None:
        """The earliest instant at working coordinate ``w > 0``; None if the table is too short."""
        if w.size and (self.total == 0 or w.max() > self.total):
            return None
        idx = np.searchsorted(self.cum_end, w, side="left")
        return self.iv_end[idx] - (self.cum_end[idx] - w)


def _unit_codes(units: npt.ArrayLike) -> npt.NDArray[np.str_]:
    arr = np.asarray(units).astype("U14")
    known = np.isin(arr, [u.value for u in TargetUnit])
    if not known.all():
        raise ValueError(f"unknown target units: {sorted(set(arr[~known].tolist()))}")
    return arr


def compute(
    calendar: WorkingCalendar,
    starts: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
    paused_seconds: npt.ArrayLike,
    at_risk_percent: npt.ArrayLike,
) -> tuple[I64, I64]:
    """Due and at-risk instants (epoch seconds) of many clocks sharing ``calendar``.

    ``starts``: epoch seconds (int); ``amounts``: ints >= 0; ``units``: ``TargetUnit``
    values; ``paused_seconds``: ints >= 0; ``at_risk_percent``: ints, 0 = no at-risk point
    (returned as ``NO_AT_RISK``). See the module docstring for what must hold.
    """
    secs = np.asarray(starts, dtype=np.int64)
    amount = np.asarray(amounts, dtype=np.int64)
    unit = _unit_codes(units)
    paused = np.asarray(paused_seconds, dtype=np.int64)
    pct = np.asarray(at_risk_percent, dtype=np.int64)
    if not (secs.shape == amount.shape == unit.shape == paused.shape == pct.shape) or secs.ndim != 1:
        raise ValueError("all inputs must be 1-d arrays of the same length")
    if secs.size and (amount.min() < 0 or paused.min() < 0 or pct.min() < 0 or pct.max() > 100):
        raise ValueError("amounts and pauses must be >= 0 and percentages 0..100")

    due = np.empty_like(secs)
    at_risk = np.full_like(secs, NO_AT_RISK)
    offset = np.zeros_like(secs)  # working (or elapsed) seconds from start to the at-risk point

    cal_days = unit == TargetUnit.CALENDAR_DAYS.value
    if cal_days.any():
        c_start = secs[cal_days]
        budget = amount[cal_days] * _DAY
        due[cal_days] = c_start + budget + paused[cal_days]
        offset[cal_days] = paused[cal_days] + budget * pct[cal_days] // 100
        at_risk[cal_days] = c_start + offset[cal_days]

    work = np.flatnonzero(~cal_days)
    if work.size:
        w_start = secs[work]
        base = (
            bulk_due_at(
                calendar,
                w_start.view("datetime64[s]"),
                amount[work],
                unit[work] == TargetUnit.WORKING_DAYS.value,
            )
            .view(np.int64)
            .copy()
        )
        w_paused, w_pct = paused[work], pct[work]
        w_due, w_risk = _working_points(calendar, w_start, base, w_paused, w_pct)
        due[work] = w_due
        at_risk[work] = w_risk

    has_risk = pct > 0
    at_risk = np.where(has_risk, np.clip(at_risk, secs, due), NO_AT_RISK)
    return due, at_risk


def _working_points(
    calendar: WorkingCalendar, starts: I64, base: I64, paused: I64, pct: I64
) -> tuple[I64, I64]:
    """Pushed due and at-risk instants of working-unit clocks (see module docstring)."""
    first_day = int((starts.min() + UTC_OFFSET_SECONDS) // _DAY)
    last_day = int((base.max() + UTC_OFFSET_SECONDS) // _DAY)
    # Extra days for the longest pause; too short is detected and retried with more.
    margin = 8 + int(paused.max() // (3 * 3600))
    while True:
        table = _WorkTable(calendar, first_day, last_day - first_day + 1 + margin)
        if table.covers(starts) and table.covers(base):
            ws_start = table.to_ws(starts)
            ws_base = table.to_ws(base)
            budget = ws_base - ws_start
            due = base.copy()
            pushed = paused > 0
            risk_offset = paused + budget * pct // 100
            risky = risk_offset > 0
            pushed_due = table.from_ws(ws_base[pushed] + paused[pushed])
            risk_points = table.from_ws(ws_start[risky] + risk_offset[risky])
            if pushed_due is not None and risk_points is not None:
                due[pushed] = pushed_due
                at_risk = starts.copy()  # offset 0: at risk from the start
                at_risk[risky] = risk_points
                return due, at_risk
        if margin > MAX_IDLE_DAYS * 4:
            raise ValueError("no working time to push the deadline into")
        margin *= 2


def deadline(
    calendar: WorkingCalendar, started_at: datetime, target: Target, paused_seconds: int = 0
) -> Deadline:
    """The deadline of one clock: ``compute`` with arrays of one element (same results as bulk)."""
    due, risk = compute(
        calendar,
        [epoch_seconds(started_at)],
        [target.amount],
        [target.unit],
        [paused_seconds],
        [target.at_risk_percent or 0],
    )
    return Deadline(
        due_at=from_epoch(int(due[0])),
        at_risk_at=None if int(risk[0]) == NO_AT_RISK else from_epoch(int(risk[0])),
    )
