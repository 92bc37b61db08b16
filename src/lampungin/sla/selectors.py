"""Reads of working time and SLA policies.

``calendar_for`` builds the pure ``WorkingCalendar`` of a kabupaten/kota from the
database (national holidays + cuti bersama + that regency's own holidays, the default
week and the dated overrides) and caches it in the process under the calendar token
(``CalendarVersion``). Reading the token costs one primary-key lookup; the calendars are
rebuilt only when an edit anywhere changed it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Prefetch, Q

from lampungin.sla.calendar import WorkingCalendar, default_weekly
from lampungin.sla.models import CalendarVersion, Holiday, SlaTarget, WorkingInterval, WorkingSchedule

CALENDAR_ROW = 1


def calendar_token(*, lock: bool = False) -> str:
    """The current calendar token ("" before the first edit).

    With ``lock`` (inside a transaction) the row is read ``FOR SHARE`` on PostgreSQL: an
    edit of the calendar (which updates the row) then waits for this transaction, and
    this transaction waits for an edit in flight. So a clock computed under a lock either
    committed before the edit (and the recompute that follows the edit sees it) or used
    the new calendar. SQLite serialises writing transactions anyway.
    """
    if lock and connection.vendor == "postgresql":
        table = connection.ops.quote_name(CalendarVersion._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE id = %s FOR SHARE", [CALENDAR_ROW])  # noqa: S608 - table name from the model
            row = cursor.fetchone()
    else:
        row = CalendarVersion.objects.filter(pk=CALENDAR_ROW).values_list("token").first()
    return row[0] if row else ""


@dataclass(frozen=True)
class CalendarSet:
    """Every calendar of one token: the national one and one per regency with its own holidays."""

    token: str
    national: WorkingCalendar
    regional: dict[str, WorkingCalendar] = field(default_factory=dict)

    def for_regency(self, regency_code: str | None) -> WorkingCalendar:
        if regency_code:
            return self.regional.get(regency_code, self.national)
        return self.national


_cache: CalendarSet | None = None
_cache_lock = threading.Lock()


def calendars(token: str | None = None, *, lock: bool = False) -> CalendarSet:
    """All calendars for ``token`` (read from the database when not given), cached per process."""
    global _cache
    if token is None:
        token = calendar_token(lock=lock)
    cached = _cache
    if cached is not None and cached.token == token:
        return cached
    built = _build(token)
    # Cache only if nothing changed while we read: otherwise the holidays read may belong
    # to a newer token, and caching them under the old one would serve them as that.
    if lock or calendar_token() == token:
        with _cache_lock:
            _cache = built
    return built


def calendar_for(
    regency_code: str | None, *, token: str | None = None, lock: bool = False
) -> WorkingCalendar:
    """The working calendar of cases in kabupaten/kota ``regency_code`` (national when None)."""
    return calendars(token, lock=lock).for_regency(regency_code)


def clear_cache() -> None:
    """Forget cached calendars (tests that write holidays without the services use this)."""
    global _cache
    with _cache_lock:
        _cache = None


def _build(token: str) -> CalendarSet:
    schedules = list(
        WorkingSchedule.objects.prefetch_related(
            Prefetch("intervals", queryset=WorkingInterval.objects.order_by("weekday", "start"))
        ).order_by("date_from", "id")
    )
    weekly = default_weekly()
    overrides = []
    for schedule in schedules:
        intervals = list(schedule.intervals.all())
        if schedule.is_default:
            weekly = schedule.weekly(intervals)
        else:
            overrides.append((schedule.date_from, schedule.date_to, schedule.weekly(intervals)))
    national: set[date] = set()
    regional: dict[str, set[date]] = defaultdict(set)
    for day, region_id in Holiday.objects.filter(is_active=True).values_list("date", "region_id"):
        if region_id:
            regional[region_id].add(day)
        else:
            national.add(day)
    base = WorkingCalendar(weekly=weekly, overrides=tuple(overrides), holidays=frozenset(national))
    return CalendarSet(
        token=token,
        national=base,
        regional={
            code: WorkingCalendar(
                weekly=weekly, overrides=tuple(overrides), holidays=frozenset(national | days)
            )
            for code, days in regional.items()
        },
    )


def targets_for(
    *, category_id: int | None, agency_id: int | None, service_id: int | None = None
) -> dict[str, SlaTarget]:
    """Clock kind -> the target that applies to a case with this scope (see ``SlaPolicy``).

    Per kind, the most specific active policy that has a target of that kind wins, then the
    higher priority, then the newest policy. Empty when no active policy exists.
    """
    qs = (
        SlaTarget.objects.filter(policy__is_active=True)
        .filter(Q(policy__category__isnull=True) | Q(policy__category_id=category_id))
        .filter(Q(policy__agency__isnull=True) | Q(policy__agency_id=agency_id))
        .filter(Q(policy__service__isnull=True) | Q(policy__service_id=service_id))
        .select_related("policy")
    )
    best: dict[str, tuple[tuple[int, int, int], SlaTarget]] = {}
    for target in qs:
        rank = (target.policy.specificity, target.policy.priority, target.policy_id)
        if target.kind not in best or rank > best[target.kind][0]:
            best[target.kind] = (rank, target)
    return {kind: target for kind, (_rank, target) in best.items()}
