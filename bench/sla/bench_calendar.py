"""Benchmark: recompute the due_at of N open SLA clocks at once (lampungin.sla.bulk).

Run from the repository root:

    python bench/sla/bench_calendar.py --n 1000000

N random clocks start anywhere in 2025–2027 (UTC); 60 % have day targets (1–10 working
days), 40 % hour targets (1–72 working hours). The calendar is the default Perpres 21/2023
week with the real Indonesian holidays and cuti bersama (``holidays`` package) and Ramadan
overrides. Timed in the same run:

(a) ``bulk_due_at`` on all clocks, and on the day-target part alone;
(b) the peer: ``numpy.busday_offset`` alone on the day-target part (local dates prepared
    beforehand, a prebuilt ``busdaycalendar``), and with the UTC -> local-date conversion;
(c) the naive path: the scalar ``WorkingCalendar`` methods, one clock at a time, on a
    sample, extrapolated linearly to N.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import holidays
import numpy as np

# Runnable from a plain checkout too (without `pip install -e .` or PYTHONPATH=src).
if importlib.util.find_spec("lampungin") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from lampungin.sla.bulk import bulk_due_at
from lampungin.sla.calendar import WorkingCalendar, ramadan_weekly

WIB_OFFSET = np.timedelta64(7 * 3600, "s")


def build_calendar() -> WorkingCalendar:
    hol = holidays.country_holidays("ID", years=range(2025, 2029), categories=("public", "government"))
    ramadan = (  # approximate: the 30 days before Eid al-Fitr
        (date(2025, 3, 1), date(2025, 3, 30), ramadan_weekly()),
        (date(2026, 2, 19), date(2026, 3, 20), ramadan_weekly()),
        (date(2027, 2, 8), date(2027, 3, 9), ramadan_weekly()),
    )
    return WorkingCalendar(overrides=ramadan, holidays=frozenset(hol))


def make_clocks(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lo = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)
    hi = np.datetime64("2028-01-01T00:00:00", "s").astype(np.int64)
    starts = rng.integers(lo, hi, size=n).astype("datetime64[s]")
    is_days = rng.random(n) < 0.6
    amounts = np.where(is_days, rng.integers(1, 11, n), rng.integers(1, 73, n))
    return starts, amounts, is_days


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of open clocks")
    parser.add_argument("--sample", type=int, default=20_000, help="clocks for the naive loop")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (best is kept)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    cal = build_calendar()
    starts, amounts, is_days = make_clocks(args.n, args.seed)
    day_starts, day_n = starts[is_days], amounts[is_days]
    n_day = int(is_days.sum())
    hol = np.array(sorted(cal.holidays), dtype="datetime64[D]")
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=hol)
    local_days = (day_starts + WIB_OFFSET).astype("datetime64[D]")

    def peer() -> np.ndarray:
        return np.busday_offset(local_days, day_n, roll="backward", busdaycal=busdaycal)

    def peer_with_conversion() -> np.ndarray:
        days = (day_starts + WIB_OFFSET).astype("datetime64[D]")
        return np.busday_offset(days, day_n, roll="backward", busdaycal=busdaycal)

    # Correctness before speed: bulk day deadlines fall on busday_offset's dates (Ramadan
    # does not change which weekdays work), and the bulk path equals the scalar one.
    bulk_all = bulk_due_at(cal, starts, amounts, is_days)
    bulk_day_dates = (bulk_all[is_days] + WIB_OFFSET).astype("datetime64[D]")
    dates_agree = bool((bulk_day_dates == peer()).all())

    t_bulk_all = best_of(args.repeat, lambda: bulk_due_at(cal, starts, amounts, is_days))
    t_bulk_day = best_of(args.repeat, lambda: bulk_due_at(cal, day_starts, day_n, np.ones(n_day, bool)))
    t_peer = best_of(args.repeat, peer)
    t_peer_conv = best_of(args.repeat, peer_with_conversion)

    sample = min(args.sample, args.n)
    s_starts = starts[:sample].astype(np.int64).tolist()
    s_amounts, s_days = amounts[:sample].tolist(), is_days[:sample].tolist()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    naive_cal = build_calendar()  # fresh per-date cache, as a worker would start with
    t0 = time.perf_counter()
    naive = []
    for s, n, d in zip(s_starts, s_amounts, s_days, strict=True):
        start = epoch + timedelta(seconds=s)
        naive.append(
            naive_cal.add_working_days(start, n)
            if d
            else naive_cal.add_working_time(start, timedelta(hours=n))
        )
    t_naive_sample = time.perf_counter() - t0
    t_naive = t_naive_sample * args.n / sample
    naive_secs = [int((due - epoch).total_seconds()) for due in naive]
    scalar_agree = naive_secs == bulk_all[:sample].astype(np.int64).tolist()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    print(
        f"clocks: N={args.n:,} ({n_day:,} day targets, {args.n - n_day:,} hour targets);",
        f"best of {args.repeat}",
    )
    print(
        f"checks: bulk dates == busday_offset dates: {dates_agree}; bulk == scalar on sample: {scalar_agree}"
    )
    print(f"(a) bulk_due_at, all clocks:            {t_bulk_all * 1e3:9.1f} ms")
    print(f"(a) bulk_due_at, day targets only:      {t_bulk_day * 1e3:9.1f} ms")
    print(f"(b) busday_offset alone, day targets:   {t_peer * 1e3:9.1f} ms")
    print(f"(b) busday_offset + UTC->local date:    {t_peer_conv * 1e3:9.1f} ms")
    print(
        f"(c) naive scalar loop, {sample:,} clocks:   {t_naive_sample * 1e3:9.1f} ms "
        f"-> extrapolated to N: {t_naive:7.1f} s"
    )
    print(f"ratio bulk(day part) / busday_offset alone:        {t_bulk_day / t_peer:6.2f}x")
    print(f"ratio bulk(day part) / busday_offset + conversion: {t_bulk_day / t_peer_conv:6.2f}x")
    print(f"ratio bulk(all) / busday_offset alone (day part):  {t_bulk_all / t_peer:6.2f}x")
    print(f"ratio naive (extrapolated) / bulk(all):            {t_naive / t_bulk_all:6.0f}x")


if __name__ == "__main__":
    main()
