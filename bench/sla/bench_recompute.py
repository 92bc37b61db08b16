"""Benchmark: recompute 1,000,000 open SLA clocks in PostgreSQL after a holiday change.

Run from the repository root (PostgreSQL on 127.0.0.1:5432, user ``postgres``):

    .venv/bin/python bench/sla/bench_recompute.py            # 1,000,000 clocks
    .venv/bin/python bench/sla/bench_recompute.py --cases 2500   # a quick 10,000-clock run

It creates its own database (``lampungin_bench``, dropped first if it exists and at the
end unless ``--keep``), migrates it, seeds regions, agencies, the catalog and the working
calendar (``load_seed_calendar``: holidays 2024–2028 with cuti bersama, Ramadan, the
default SP4N-LAPOR! policy), files one report through the real service, and copies it
into N cases with ``INSERT … SELECT generate_series`` (so every constraint and index of
the real schema stays in place: one open clock per case and kind). Each case gets four
open clocks (verification, follow-up, reporter response, legal decision): working-day
targets (3/5/10), one in five of the working ones in working hours (1–72 h), the legal
one in 60 calendar days; starts spread over the 3 days before Monday 7 Dec 2026 08:00
WIB; one in twenty with accumulated pause time, one in fifty paused right now, a few
regencies with a regional holiday of their own.

Timed, through the real code (``lampungin.cases.clocks.recompute_open_clocks``):

1. a first recompute where every clock gets its deadlines (all rows written);
2. the holiday change: ``sla.services.add_holiday`` for Tuesday 8 Dec 2026 (the day after
   "now", so nearly every working-time clock moves), then the recompute the worker runs;
3. the in-process arithmetic alone (``sla.deadlines.compute`` on 1M clocks in memory).

Each recompute reports its split: reading (keyset chunks of 50,000 with ``values_list``),
arithmetic (numpy, per calendar group) and writing (one ``UPDATE … FROM unnest(…)`` per
chunk). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

if importlib.util.find_spec("lampungin") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

DB_NAME = "lampungin_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=WIB)  # a Monday morning
HOLIDAY = date(2026, 12, 8)


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["LAMPUNGIN_DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lampungin.settings")
    import django

    django.setup()


def seed(n_cases: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from lampungin.accounts.models import User
    from lampungin.agencies.services import load_seed_agencies
    from lampungin.cases import services
    from lampungin.cases.clock_models import CaseClock
    from lampungin.cases.models import Case
    from lampungin.catalog.services import load_seed_catalog
    from lampungin.core import clock
    from lampungin.regions.services import load_lampung_regions
    from lampungin.sla.models import SlaPolicy
    from lampungin.sla.services import add_holiday, load_seed_calendar

    call_command("migrate", verbosity=0)
    load_lampung_regions(include_villages=False)
    load_seed_agencies()
    load_seed_catalog()
    load_seed_calendar()
    for code, day in (("18.72", date(2026, 12, 9)), ("18.10", date(2026, 12, 10))):
        add_holiday(day=day, name=f"Libur daerah {code}", kind="regional", region_code=code)
    reporter = User.objects.create_user(
        email="bench@warga.test", password="bench-only-1234", full_name="Bench"
    )
    with clock.frozen_at(NOW):
        template = services.submit_report(
            reporter=reporter,
            report_type="pengaduan",
            category_code="jalan-provinsi-rusak",
            description="Laporan contoh untuk benchmark penghitungan ulang tenggat SLA.",
            region_code="18.71.01",
        ).case
    CaseClock.objects.all().delete()

    case_table = connection.ops.quote_name(Case._meta.db_table)
    clock_table = connection.ops.quote_name(CaseClock._meta.db_table)
    copied = [
        f.column
        for f in Case._meta.concrete_fields
        if f.column not in ("id", "tracking", "idempotency_key", "regency_id", "region_id")
    ]
    cols = ", ".join(copied)
    regencies = [
        "18.01", "18.02", "18.03", "18.04", "18.05", "18.06", "18.07", "18.08",
        "18.09", "18.10", "18.11", "18.12", "18.13", "18.71", "18.72",
    ]  # fmt: skip
    policy = SlaPolicy.objects.get(code="default").pk
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {case_table} (tracking, regency_id, region_id, {cols})
            SELECT 'BENCH' || g, r.code, r.code, {", ".join("t." + c for c in copied)}
              FROM {case_table} t, generate_series(1, %s) g,
                   LATERAL (SELECT (%s::text[])[1 + g %% 15] AS code) r
             WHERE t.id = %s
            """,  # noqa: S608 - table and column names come from the models
            [n_cases, regencies, template.pk],
        )
        # Four clocks per case. Starts: the 3 days before NOW (whole seconds).
        cur.execute(
            f"""
            INSERT INTO {clock_table} (case_id, kind, policy_id, regency_id, target_amount, target_unit,
                at_risk_percent, escalate_after_days, started_at, due_at, at_risk_at, stopped_at,
                stop_state, paused_at, paused_working_seconds, at_risk_notified_at, breached_at,
                escalate_at, escalation_level, claimed_until)
            SELECT c.id,
                   (ARRAY['verification','follow_up','reporter_response','legal_decision'])[k + 1],
                   %s, c.regency_id,
                   CASE WHEN k = 3 THEN 60 WHEN (c.id + k) %% 5 = 0 THEN 1 + (c.id * 7 + k) %% 72
                        ELSE (ARRAY[3, 5, 10])[k + 1] END,
                   CASE WHEN k = 3 THEN 'calendar_days' WHEN (c.id + k) %% 5 = 0 THEN 'working_hours'
                        ELSE 'working_days' END,
                   CASE WHEN k = 2 THEN NULL ELSE 80 END, CASE WHEN k = 2 THEN NULL ELSE 1 END,
                   s.started, s.started, NULL, NULL, '',
                   CASE WHEN (c.id + k) %% 50 = 0 AND k = 1 THEN %s::timestamptz END,
                   CASE WHEN (c.id + k) %% 20 = 0 THEN ((c.id * 31 + k) %% 40000) ELSE 0 END,
                   NULL, NULL, NULL, 0, NULL
              FROM {case_table} c CROSS JOIN generate_series(0, 3) k,
                   LATERAL (SELECT %s::timestamptz
                                   - make_interval(secs => (c.id * 7919 + k * 104729) %% 259200) AS started) s
             WHERE c.tracking LIKE 'BENCH%%'
            """,  # noqa: S608
            [policy, NOW, NOW],
        )
        cur.execute(f"VACUUM ANALYZE {case_table}")
        cur.execute(f"VACUUM ANALYZE {clock_table}")
    print(
        f"setup: {n_cases:,} cases, {CaseClock.objects.count():,} clocks in {time.perf_counter() - t0:.1f} s"
    )


def timed_recompute(label: str) -> float:
    from lampungin.cases.clocks import recompute_open_clocks

    t0 = time.perf_counter()
    r = recompute_open_clocks()
    total = time.perf_counter() - t0
    print(
        f"{label}: {total:.1f} s for {r.clocks:,} open clocks, {r.changed:,} changed, {r.written:,} written "
        f"(read {r.read_seconds:.1f} s, arithmetic {r.compute_seconds:.1f} s, write {r.write_seconds:.1f} s)"
    )
    return total


def check_sample(n: int = 2000) -> None:
    """The stored deadlines equal the scalar ``sla.deadlines.deadline`` on a random sample."""
    from lampungin.cases.clock_models import CaseClock
    from lampungin.sla import selectors
    from lampungin.sla.deadlines import Target, deadline

    sample = CaseClock.objects.filter(stopped_at__isnull=True).order_by("?")[:n]
    ok = True
    for c in sample:
        target = Target(c.target_amount, c.target_unit, c.at_risk_percent)
        d = deadline(selectors.calendar_for(c.regency_id), c.started_at, target, c.paused_working_seconds)
        ok &= (d.due_at, d.at_risk_at) == (c.due_at, c.at_risk_at)
    print(f"check: stored deadlines of {n:,} random clocks equal the scalar computation: {ok}")


def arithmetic_only() -> None:
    import numpy as np

    from lampungin.cases.clock_models import CaseClock
    from lampungin.cases.clocks import EpochSeconds
    from lampungin.sla import selectors
    from lampungin.sla.deadlines import compute

    rows = list(
        CaseClock.objects.filter(stopped_at__isnull=True).values_list(
            EpochSeconds("started_at"),
            "target_amount",
            "target_unit",
            "paused_working_seconds",
            "at_risk_percent",
        )
    )
    starts, amounts, units, paused, pct = zip(*rows, strict=True)
    arrays = (
        np.array(starts, dtype=np.int64),
        np.array(amounts, dtype=np.int64),
        np.array(units, dtype="U14"),
        np.array(paused, dtype=np.int64),
        np.array([p or 0 for p in pct], dtype=np.int64),
    )
    cal = selectors.calendar_for(None)
    best = min(_time(lambda: compute(cal, *arrays)) for _ in range(3))
    print(
        f"arithmetic alone (sla.deadlines.compute, one calendar, in memory): {best:.2f} s "
        f"for {len(rows):,} clocks"
    )


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=250_000, help="cases; each gets 4 open clocks")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args()

    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django()
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT version(), current_setting('shared_buffers')")
            version, buffers = cur.fetchone()
        print(f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"{version.split(' on ')[0]}, shared_buffers {buffers}")
        seed(args.cases)

        from lampungin.sla.services import add_holiday

        timed_recompute("first recompute (every clock gets its deadlines)")
        t0 = time.perf_counter()
        add_holiday(day=HOLIDAY, name="Libur nasional tambahan (benchmark)")
        print(f"add_holiday (the admin's click): {(time.perf_counter() - t0) * 1000:.0f} ms")
        timed_recompute(f"holiday change recompute ({HOLIDAY} becomes a holiday)")
        timed_recompute("recompute again (nothing changed)")
        check_sample()
        arithmetic_only()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
