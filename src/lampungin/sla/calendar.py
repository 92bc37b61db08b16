"""Working-time arithmetic for SLA clocks: pure Python, no Django, no database.

Two kinds of SLA target are counted here, and they are never mixed in one number:

**Hour-granular** (``add_working_time``, ``working_time_between``): working time is the union
of the working intervals of every working day, in local time (WIB, Asia/Jakarta). Each
interval is read as half-open ``[start, end)`` when *measuring*, so
``working_time_between(a, b)`` counts the working seconds in ``[a, b)``. When *adding*,
the result is the earliest instant at which the elapsed working time reaches the duration,
and it always lies in a closed interval ``[start, end]``: a clock that runs out exactly at
the end of a block is due at that end (e.g. 16:00 exactly, or 12:00 before lunch), never
at the start of the next block. A zero duration yields the first instant at or after
``start`` that lies in such a closed interval (an instant exactly at 16:00 stays 16:00).
These rules make the arithmetic consistent:

* ``working_time_between(s, add_working_time(s, d)) == d``;
* ``add_working_time(add_working_time(s, d1), d2) == add_working_time(s, d1 + d2)``.

**Day-granular** (``add_working_days``, ``working_days_between``), the way SP4N-LAPOR!
counts "3 hari kerja": the day of submission never counts, whatever the hour. The deadline
of ``n >= 1`` working days is the *end of working hours* (the end of the last working
interval, local time) of the ``n``-th working day strictly after the local date of
``start``. A report submitted on Friday 15:00 with 3 working days is due on the following
Wednesday at 16:00 WIB (no holidays in between). ``n = 0`` means "by the end of today":
the end of the start's day if that is a working day, else of the next working day.
``working_days_between(a, b)`` counts working days ``d`` with ``a.date < d <= b.date``
(local dates), so ``working_days_between(s, add_working_days(s, n)) == n`` for ``n >= 1``.

A *working day* is a date that is not in ``holidays`` and whose schedule (the first
override that covers it, else the weekly default) has at least one interval.

All public functions take and return timezone-aware datetimes (naive ones raise
``ValueError``); results are in Asia/Jakarta. Asia/Jakarta has kept UTC+7 without DST since
1964, so local wall-clock arithmetic equals elapsed time; earlier instants are rejected.
The vectorised twin of ``add_working_time``/``add_working_days`` lives in ``bulk.py``.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
# Asia/Jakarta's offset changed several times before 1964; from then on it is a fixed
# UTC+7, which the bulk path (and the wall-clock arithmetic below) relies on.
UTC_OFFSET_SECONDS = 7 * 3600
FIXED_OFFSET_SINCE = date(1964, 1, 1)
# A calendar with no working day for ten years is a configuration error, not a deadline:
# fail instead of looping for ever.
MAX_IDLE_DAYS = 3660

_US = 1_000_000
_DAY_US = 86_400 * _US
_ONE_DAY = timedelta(days=1)

Interval = tuple[time, time]
Weekly = tuple[tuple[Interval, ...], ...]
"""A week schedule: index 0 (Monday) .. 6 (Sunday) -> sorted working intervals (local)."""
WeeklyInput = Mapping[int, Sequence[Interval]] | Sequence[Sequence[Interval]]
Override = tuple[date, date, Weekly]


def _t(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


def weekly_schedule(spec: WeeklyInput) -> Weekly:
    """Normalise a weekday -> intervals mapping (or a 7-sequence) into a hashable ``Weekly``.

    Must hold: weekdays are 0..6; every interval has naive, whole-second times with
    ``start < end``; intervals of a day are sorted and do not overlap (they may touch).
    Missing weekdays have no working time.
    """
    items = spec.items() if isinstance(spec, Mapping) else enumerate(spec)
    days: list[tuple[Interval, ...]] = [()] * 7
    for weekday, intervals in items:
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        clean = tuple((start, end) for start, end in intervals)
        previous_end: time | None = None
        for start, end in clean:
            for t in (start, end):
                if not isinstance(t, time) or t.tzinfo is not None or t.microsecond:
                    # Whole seconds keep the numpy bulk path (datetime64[s]) exact.
                    raise ValueError(f"interval bounds must be naive whole-second times: {t!r}")
            if not start < end:
                raise ValueError(f"empty or reversed interval {start}-{end} on weekday {weekday}")
            if previous_end is not None and start < previous_end:
                raise ValueError(f"intervals on weekday {weekday} overlap or are unsorted")
            previous_end = end
        days[weekday] = clean
    return tuple(days)


def default_weekly() -> Weekly:
    """ASN hours per Perpres 21/2023: 37.5 h/week from 07:30, 60-min break (90 on Friday).

    Mon–Thu 07:30–12:00 + 13:00–16:00 (7.5 h); Fri 07:30–11:30 + 13:00–16:30 (7.5 h).
    """
    mon_thu = ((_t("07:30"), _t("12:00")), (_t("13:00"), _t("16:00")))
    friday = ((_t("07:30"), _t("11:30")), (_t("13:00"), _t("16:30")))
    return weekly_schedule({0: mon_thu, 1: mon_thu, 2: mon_thu, 3: mon_thu, 4: friday})


def ramadan_weekly() -> Weekly:
    """Ramadan hours: 32.5 h/week from 08:00 (Perpres 21/2023).

    The Perpres fixes only the total and the start; the split follows the usual
    KemenPANRB Ramadan pattern: Mon–Thu 08:00–12:00 + 12:30–15:00 (6.5 h, 30-min break);
    Fri 08:00–11:30 + 12:30–15:30 (6.5 h, 60-min break for Friday prayer). 4 × 6.5 + 6.5
    = 32.5 h. Configurable: pass another schedule in the override instead.
    """
    mon_thu = ((_t("08:00"), _t("12:00")), (_t("12:30"), _t("15:00")))
    friday = ((_t("08:00"), _t("11:30")), (_t("12:30"), _t("15:30")))
    return weekly_schedule({0: mon_thu, 1: mon_thu, 2: mon_thu, 3: mon_thu, 4: friday})


def weekly_hours(weekly: Weekly) -> float:
    """Total working hours in one week of ``weekly`` (for display and sanity checks)."""
    seconds = sum(_sod(end) - _sod(start) for day in weekly for start, end in day)
    return seconds / 3600


def _sod(t: time) -> int:
    """Seconds since local midnight."""
    return (t.hour * 60 + t.minute) * 60 + t.second


@dataclass(frozen=True)
class WorkingCalendar:
    """The working time of one set of offices: a weekly schedule, dated overrides, holidays.

    ``weekly`` and each override's schedule accept a weekday -> intervals mapping and are
    stored normalised as a ``Weekly`` tuple (so the calendar is hashable and can key caches).
    ``overrides`` holds ``(date_from, date_to, schedule)`` with both ends inclusive, e.g.
    Ramadan; the first override covering a date wins. ``holidays`` holds every non-working
    date (national holidays, cuti bersama, regional ones: the caller merges what applies);
    a holiday beats any schedule.
    """

    weekly: Weekly = field(default_factory=default_weekly)
    overrides: tuple[Override, ...] = ()
    holidays: frozenset[date] = frozenset()
    # Per-date interval cache; excluded from eq/hash because it is derived state.
    _cache: dict[date, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Frozen dataclass: normalising inputs has to go through object.__setattr__.
        object.__setattr__(self, "weekly", weekly_schedule(self.weekly))
        overrides = []
        for date_from, date_to, schedule in self.overrides:
            if not (_is_date(date_from) and _is_date(date_to)) or date_from > date_to:
                raise ValueError(f"override needs dates with date_from <= date_to: {date_from}..{date_to}")
            overrides.append((date_from, date_to, weekly_schedule(schedule)))
        object.__setattr__(self, "overrides", tuple(overrides))
        holidays = frozenset(self.holidays)
        bad = [d for d in holidays if not _is_date(d)]
        if bad:
            # A datetime never equals a date, so it would be silently ignored.
            raise ValueError(f"holidays must be dates, not datetimes: {bad[:3]!r}")
        object.__setattr__(self, "holidays", holidays)

    def schedule_for(self, day: date) -> tuple[Interval, ...]:
        """The working intervals of ``day`` (empty on holidays and days off)."""
        if day in self.holidays:
            return ()
        for date_from, date_to, schedule in self.overrides:
            if date_from <= day <= date_to:
                return schedule[day.weekday()]
        return self.weekly[day.weekday()]

    def intervals_seconds(self, day: date) -> tuple[tuple[int, int], ...]:
        """``schedule_for(day)`` as (start, end) seconds since local midnight (cached)."""
        cached = self._cache.get(day)
        if cached is None:
            cached = tuple((_sod(s), _sod(e)) for s, e in self.schedule_for(day))
            self._cache[day] = cached
        return cached

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` is not a holiday and has working time."""
        return bool(self.intervals_seconds(day))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for _ in range(MAX_IDLE_DAYS):
            day += _ONE_DAY
            if self.intervals_seconds(day):
                return day
        raise ValueError(f"no working day within {MAX_IDLE_DAYS} days after {day}")

    # -- hour-granular ---------------------------------------------------------------

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of working time has elapsed after ``start``.

        Must hold: the result lies in a closed working interval of a working day (never on
        a holiday, weekend or outside hours; an interval end such as 16:00 counts) and
        ``working_time_between(start, result) == duration``. ``duration`` must be >= 0.
        """
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        day, t = _to_local(start)
        remaining = _td_us(duration)
        idle = 0
        while True:
            intervals = self.intervals_seconds(day)
            for s, e in intervals:
                s_us, e_us = s * _US, e * _US
                if e_us >= t:
                    begin = max(s_us, t)
                    available = e_us - begin
                    if remaining <= available:
                        return _from_local(day, begin + remaining)
                    remaining -= available
            idle = 0 if intervals else idle + 1
            if idle > MAX_IDLE_DAYS:
                raise ValueError(f"no working time within {MAX_IDLE_DAYS} days of {day}")
            day += _ONE_DAY
            t = 0

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in ``[a, b)``; negative (``-between(b, a)``) when ``b < a``."""
        day_a, t_a = _to_local(a)
        day_b, t_b = _to_local(b)
        sign = 1
        if (day_b, t_b) < (day_a, t_a):
            day_a, t_a, day_b, t_b, sign = day_b, t_b, day_a, t_a, -1
        total = 0
        day = day_a
        while day <= day_b:
            lo = t_a if day == day_a else 0
            hi = t_b if day == day_b else _DAY_US
            for s, e in self.intervals_seconds(day):
                overlap = min(e * _US, hi) - max(s * _US, lo)
                if overlap > 0:
                    total += overlap
            day += _ONE_DAY
        return timedelta(microseconds=sign * total)

    # -- day-granular ----------------------------------------------------------------

    def end_of_day(self, day: date) -> datetime:
        """End of working hours of working day ``day`` (end of its last interval), aware."""
        intervals = self.intervals_seconds(day)
        if not intervals:
            raise ValueError(f"{day} is not a working day")
        return _from_local(day, intervals[-1][1] * _US)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Deadline of ``days`` working days counted from ``start`` (SP4N-LAPOR! rule).

        Must hold: for ``days >= 1`` the result is the end of working hours of the
        ``days``-th working day strictly after the local date of ``start`` (the day of
        submission never counts); for ``days == 0`` it is the end of working hours of the
        start's date if it is a working day, else of the next working day.
        """
        days = operator.index(days)
        if days < 0:
            raise ValueError("days must not be negative")
        day, _ = _to_local(start)
        if days == 0:
            if not self.is_working_day(day):
                day = self.next_working_day(day)
        else:
            for _ in range(days):
                day = self.next_working_day(day)
        return self.end_of_day(day)

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """Number of working days ``d`` with ``a.date < d <= b.date`` (local dates).

        Negative when ``b`` is on an earlier local date than ``a``; 0 on the same date.
        """
        day_a, _ = _to_local(a)
        day_b, _ = _to_local(b)
        sign = 1
        if day_b < day_a:
            day_a, day_b, sign = day_b, day_a, -1
        count = 0
        day = day_a + _ONE_DAY
        while day <= day_b:
            if self.intervals_seconds(day):
                count += 1
            day += _ONE_DAY
        return sign * count


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _to_local(instant: datetime) -> tuple[date, int]:
    """Local (WIB) date and microseconds since local midnight of an aware instant."""
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: working-time arithmetic needs aware datetimes")
    local = instant.astimezone(WIB)
    if local.date() < FIXED_OFFSET_SINCE:
        raise ValueError(f"{instant!r} is before {FIXED_OFFSET_SINCE}, when WIB became a fixed UTC+7")
    us = ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond
    return local.date(), us


def _from_local(day: date, us: int) -> datetime:
    # No DST in WIB: adding to local midnight is the same as adding elapsed time.
    return datetime.combine(day, time(), tzinfo=WIB) + timedelta(microseconds=us)


def _td_us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _US + delta.microseconds
