"""SLA clocks of cases: start, pause, resume and stop them with the lifecycle; show them;
recompute them when the working calendar changes.

Which state starts, stops or pauses which clock is data (``sla.SlaTarget``); this module
only applies it. ``on_state_change`` runs inside the caller's transaction, right after
the state change, with the case row locked, so a clock never disagrees with its case.

Decisions (docs/decisions/0005-sla-clocks.md):

* A reopened report starts a *new* follow-up clock; the stopped one stays as it was, so
  each attempt's punctuality remains measurable.
* A transfer to another agency does not restart clocks: the citizen's wait goes on. The
  transfer is recorded on the timeline and the new agency is warned/notified.
* A pause is measured in working time when the clock resumes and added to
  ``paused_working_seconds``; the deadline is recomputed from ``started_at`` plus the
  total pause, which is exact and lets a holiday change recompute paused clocks too.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import BigIntegerField, Func, OuterRef, QuerySet, Subquery
from django.utils import dateformat, timezone
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from lampungin.agencies.models import Agency
from lampungin.cases.choices import EventKind, Visibility
from lampungin.cases.clock_models import CaseClock, EscalationLevel
from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import append_event
from lampungin.core import clock, outbox
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.calendar import WIB, WorkingCalendar
from lampungin.sla.choices import ClockKind, TargetUnit
from lampungin.sla.deadlines import NO_AT_RISK, Target, compute, deadline, from_epoch
from lampungin.sla.models import SlaTarget

SYSTEM_LABEL = "Sistem"


def _target(c: CaseClock) -> Target:
    return Target(amount=c.target_amount, unit=c.target_unit, at_risk_percent=c.at_risk_percent)


def _set_deadline(c: CaseClock, calendar: WorkingCalendar) -> None:
    d = deadline(calendar, c.started_at, _target(c), c.paused_working_seconds)
    c.due_at, c.at_risk_at = d.due_at, d.at_risk_at


def _paused_seconds(c: CaseClock, calendar: WorkingCalendar, until: datetime) -> int:
    """The pause that ends at ``until``, in the clock's unit (working or elapsed seconds)."""
    assert c.paused_at is not None  # noqa: S101 - only called for paused clocks
    if c.target_unit == TargetUnit.CALENDAR_DAYS:
        return max(0, int((until - c.paused_at).total_seconds()))
    return max(0, int(calendar.working_time_between(c.paused_at, until).total_seconds()))


# -- lifecycle -------------------------------------------------------------------------


def on_state_change(case: Case, from_state: str, to_state: str) -> list[CaseEvent]:
    """Apply the SLA policy to ``case`` entering ``to_state``; returns the timeline events added.

    The caller holds the case row lock inside its transaction and saves the case
    afterwards (the events move the hash-chain head). Must hold afterwards: every open
    clock whose target stops on ``to_state`` is stopped; one whose target pauses on it is
    paused (an event says so); a paused clock whose target does not pause on it is
    resumed with its deadline pushed by exactly the paused working time (an event says
    so); and for every applicable target that starts on ``to_state`` there is one open
    clock of its kind (an already running one is kept, not restarted).
    """
    now = clock.now()
    open_clocks = list(case.clocks.filter(stopped_at__isnull=True, task__isnull=True))
    rules = _rules_of(open_clocks)
    applicable = sla_selectors.targets_for(category_id=case.category_id, agency_id=case.agency_id)
    calendar: WorkingCalendar | None = None

    def cal() -> WorkingCalendar:
        nonlocal calendar
        if calendar is None:
            # FOR SHARE on the calendar version: see sla.selectors.calendar_token.
            calendar = sla_selectors.calendar_for(case.regency_id, lock=True)
        return calendar

    events: list[CaseEvent] = []
    running_kinds: set[str] = set()
    for c in open_clocks:
        rule = rules.get((c.policy_id, c.kind)) or applicable.get(c.kind)
        if rule is None:
            running_kinds.add(c.kind)
            continue
        if to_state in rule.stop_states:
            if c.paused_at is not None:
                c.paused_working_seconds += _paused_seconds(c, cal(), now)
                c.paused_at = None
            c.stopped_at, c.stop_state = now, to_state
            c.save(update_fields=["stopped_at", "stop_state", "paused_at", "paused_working_seconds"])
            continue
        running_kinds.add(c.kind)
        if to_state in rule.pause_states and c.paused_at is None:
            c.paused_at = now
            c.save(update_fields=["paused_at"])
            events.append(_pause_event(case, c, to_state))
        elif c.paused_at is not None and to_state not in rule.pause_states:
            paused_for = _paused_seconds(c, cal(), now)
            previous_due = c.due_at
            c.paused_working_seconds += paused_for
            c.paused_at = None
            _set_deadline(c, cal())
            c.save(update_fields=["paused_at", "paused_working_seconds", "due_at", "at_risk_at"])
            events.append(_resume_event(case, c, paused_for, previous_due))

    for kind, target in applicable.items():
        if to_state in target.start_states and kind not in running_kinds:
            _start(case, target, cal(), now)
    return events


def _rules_of(open_clocks: list[CaseClock]) -> dict[tuple[int, str], SlaTarget]:
    """The targets of the policies the open clocks started under (their stop/pause states)."""
    if not open_clocks:
        return {}
    targets = SlaTarget.objects.filter(policy_id__in={c.policy_id for c in open_clocks})
    return {(t.policy_id, t.kind): t for t in targets}


def _start(case: Case, target: SlaTarget, calendar: WorkingCalendar, now: datetime) -> CaseClock:
    c = CaseClock(
        case=case,
        kind=target.kind,
        policy_id=target.policy_id,
        regency_id=case.regency_id,
        target_amount=target.amount,
        target_unit=target.unit,
        at_risk_percent=target.at_risk_percent,
        escalate_after_days=target.escalate_after_days,
        started_at=now,
    )
    _set_deadline(c, calendar)
    c.save()
    return c


def _system_event(case: Case, c: CaseClock, message: str, data: dict) -> CaseEvent:
    return append_event(
        case,
        kind=EventKind.CLOCK,
        actor=None,
        actor_label=SYSTEM_LABEL,
        visibility=Visibility.PUBLIC,
        message=message,
        data={"clock": c.kind, "clock_id": c.pk, **data},
    )


def _pause_event(case: Case, c: CaseClock, state: str) -> CaseEvent:
    with override("id"):  # stored and hashed: always in Bahasa Indonesia
        message = _("Tenggat %(clock)s dijeda selama laporan menunggu tanggapan pelapor.") % {
            "clock": ClockKind(c.kind).label
        }
    return _system_event(
        case, c, message, {"change": "paused", "state": state, "due_at": c.due_at.isoformat()}
    )


def _resume_event(case: Case, c: CaseClock, paused_for: int, previous_due: datetime) -> CaseEvent:
    with override("id"):
        message = _("Tenggat %(clock)s berjalan lagi dan diundur %(pause)s menjadi %(due)s.") % {
            "clock": ClockKind(c.kind).label,
            "pause": duration_text(paused_for, c.target_unit),
            "due": due_text(c.due_at),
        }
    return _system_event(
        case,
        c,
        message,
        {
            "change": "resumed",
            "paused_seconds": paused_for,
            "paused_total_seconds": c.paused_working_seconds,
            "previous_due_at": previous_due.isoformat(),
            "due_at": c.due_at.isoformat(),
        },
    )


def on_transfer(case: Case, from_agency: Agency, to_agency: Agency) -> CaseEvent | None:
    """Record that ``case``'s clocks keep running after a transfer to ``to_agency``.

    Caller holds the case lock in its transaction (the future transfer action, after it
    changed ``case.agency``). Must hold: no clock restarts or changes its deadline (the
    citizen's wait goes on); a clock whose at-risk warning went to the old agency is armed
    again so the new agency's officers are warned; for a clock already breached the new
    agency's admins are notified; one public timeline event records it. None when the
    case has no open clock.
    """
    open_clocks = list(case.clocks.filter(stopped_at__isnull=True).order_by("due_at"))
    if not open_clocks:
        return None
    # A joint-handling task's clock stays with its task's agency, which the transfer does not change.
    case.clocks.filter(
        stopped_at__isnull=True, task__isnull=True, escalation_level=EscalationLevel.AT_RISK
    ).update(escalation_level=EscalationLevel.NONE, at_risk_notified_at=None)
    for c in open_clocks:
        if c.breached_at is not None and c.task_id is None:
            outbox.emit(
                "sla.breached",
                {"clock_id": c.pk, "case_id": case.pk, "agency_id": to_agency.pk, "transfer": True},
            )
    with override("id"):
        message = _(
            "Laporan dialihkan dari %(from)s ke %(to)s; tenggat tetap berjalan dan tidak dimulai ulang."
        ) % {"from": from_agency.short_name or from_agency.name, "to": to_agency.short_name or to_agency.name}
    return append_event(
        case,
        kind=EventKind.CLOCK,
        actor=None,
        actor_label=SYSTEM_LABEL,
        visibility=Visibility.PUBLIC,
        message=message,
        data={
            "change": "transferred",
            "from": from_agency.code,
            "to": to_agency.code,
            "clocks": [
                {"clock": c.kind, "clock_id": c.pk, "due_at": c.due_at.isoformat()} for c in open_clocks
            ],
        },
    )


# -- display ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    """A clock as people read it: what, until when (WIB) and how much time is left or overdue."""

    kind: str
    label: str
    due_at: datetime
    due_text: str
    remaining_text: str
    state: str  # running | paused | stopped | breached


def due_text(due_at: datetime) -> str:
    """``9 Des 2026, 16.00 WIB`` (English ``16:00``): deadlines are always shown in WIB.

    The same format as the pages' ``wib`` filter, which sits on a higher floor.
    """
    time_format = "H:i" if (get_language() or "id").startswith("en") else "H.i"
    return dateformat.format(timezone.localtime(due_at, WIB), f"j M Y, {time_format}") + " WIB"


def duration_text(seconds: int, unit: str) -> str:
    """A pause as ``2 jam 30 menit kerja`` (working units) or ``1 hari 3 jam`` (calendar days)."""
    if unit == TargetUnit.CALENDAR_DAYS:
        days, rest = divmod(seconds, 86_400)
        hours = rest // 3600
        parts = [ngettext("%(n)s hari", "%(n)s hari", days) % {"n": days}] if days else []
        if hours or not days:
            parts.append(ngettext("%(n)s jam", "%(n)s jam", hours) % {"n": hours})
        return " ".join(parts)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return _("%(h)s jam %(m)s menit kerja") % {"h": hours, "m": minutes}
    if hours:
        return ngettext("%(n)s jam kerja", "%(n)s jam kerja", hours) % {"n": hours}
    return ngettext("%(n)s menit kerja", "%(n)s menit kerja", minutes) % {"n": minutes}


def _amount_text(calendar: WorkingCalendar, unit: str, a: datetime, b: datetime) -> str:
    """The time from ``a`` to ``b`` (``a <= b``) in the clock's own unit, coarsely."""
    if unit == TargetUnit.CALENDAR_DAYS:
        delta = b - a
        if delta.days >= 1:
            return ngettext("%(n)s hari", "%(n)s hari", delta.days) % {"n": delta.days}
        hours = math.ceil(delta.total_seconds() / 3600)
        return ngettext("%(n)s jam", "%(n)s jam", hours) % {"n": hours}
    days = calendar.working_days_between(a, b)
    work = calendar.working_time_between(a, b)
    # Day targets count whole working days (the SP4N-LAPOR! way); hour targets stay in
    # hours until they are more than a working day off.
    if days >= 1 and (unit == TargetUnit.WORKING_DAYS or work >= timedelta(hours=8)):
        return ngettext("%(n)s hari kerja", "%(n)s hari kerja", days) % {"n": days}
    hours = math.ceil(work.total_seconds() / 3600)
    if hours == 0:
        return _("kurang dari 1 jam kerja")
    return ngettext("%(n)s jam kerja", "%(n)s jam kerja", hours) % {"n": hours}


def clock_view(c: CaseClock, calendar: WorkingCalendar, now: datetime | None = None) -> ClockView:
    """``c`` for display: "2 hari kerja lagi", "terlambat 3 jam kerja", "dijeda, sisa …"."""
    now = now or clock.now()
    unit = c.target_unit
    if c.stopped_at is not None:
        state = "stopped"
        if c.stopped_at > c.due_at:
            text = _("selesai, terlambat %(t)s") % {"t": _amount_text(calendar, unit, c.due_at, c.stopped_at)}
        else:
            text = _("selesai tepat waktu")
    elif c.paused_at is not None:
        state = "paused"
        if c.paused_at < c.due_at:
            text = _("dijeda, sisa %(t)s") % {"t": _amount_text(calendar, unit, c.paused_at, c.due_at)}
        else:
            text = _("dijeda, terlambat %(t)s") % {"t": _amount_text(calendar, unit, c.due_at, c.paused_at)}
    elif now < c.due_at:
        state = "running"
        text = _("%(t)s lagi") % {"t": _amount_text(calendar, unit, now, c.due_at)}
    else:
        state = "breached"
        text = _("terlambat %(t)s") % {"t": _amount_text(calendar, unit, c.due_at, now)}
    return ClockView(
        kind=c.kind,
        label=str(ClockKind(c.kind).label),
        due_at=c.due_at,
        due_text=due_text(c.due_at),
        remaining_text=text,
        state=state,
    )


_NEXT_FIELDS = ("id", "kind", "due_at", "paused_at", "target_unit")


def with_next_clock(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its open clock that falls due first (``next_clock_*``).

    Subqueries in the list's own query: a page of cases shows its deadlines without one
    more query per case, nor even one more for the page.
    """
    nxt = CaseClock.objects.filter(case=OuterRef("pk"), stopped_at__isnull=True).order_by("due_at", "id")
    return qs.annotate(**{f"next_clock_{f}": Subquery(nxt.values(f)[:1]) for f in _NEXT_FIELDS})


Calendars = sla_selectors.CalendarSet | Callable[[], sla_selectors.CalendarSet] | None


def _calendar(calendars: Calendars, regency_code: str) -> WorkingCalendar:
    """The regency's calendar from a set, a lazy source of one (read only when needed), or the DB."""
    if calendars is None:
        calendars = sla_selectors.calendars()
    elif callable(calendars):
        calendars = calendars()
    return calendars.for_regency(regency_code)


def clock_views(case: Case, *, calendars: Calendars = None, open_only: bool = False) -> list[ClockView]:
    """The clocks of ``case`` for display, oldest first (uses a prefetch when there is one)."""
    # Joint-handling task clocks are shown with their task (cases.joint.task_views).
    clocks = [c for c in case.clocks.all() if c.task_id is None and not (open_only and c.stopped_at)]
    if not clocks:
        return []
    calendar = _calendar(calendars, case.regency_id)
    now = clock.now()
    return [clock_view(c, calendar, now) for c in sorted(clocks, key=lambda c: (c.started_at, c.pk))]


def current_clock(case: Case, *, calendars: Calendars = None) -> ClockView | None:
    """The open clock that falls due first (the one an inbox shows), or None.

    Uses the ``with_next_clock`` annotations when the list has them, else the case's clocks.
    """
    if hasattr(case, "next_clock_id"):
        if case.next_clock_id is None:
            return None
        c = CaseClock(**{f: getattr(case, f"next_clock_{f}") for f in _NEXT_FIELDS})
        return clock_view(c, _calendar(calendars, case.regency_id))
    views = clock_views(case, calendars=calendars, open_only=True)
    return min(views, key=lambda v: v.due_at) if views else None


# -- recompute -------------------------------------------------------------------------

RECOMPUTE_CHUNK = 50_000
RECOMPUTE_LOCK = 0x5A1A_C10C  # PostgreSQL advisory lock key of the recompute


class EpochSeconds(Func):
    """Whole seconds since the epoch of a datetime column (floor), computed by the database."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        # '%%%%s' survives Django's two %-formatting passes as strftime's '%s'.
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)", **extra
        )


@dataclass
class RecomputeResult:
    """What a recompute did, and where its time went (for the benchmark)."""

    clocks: int = 0
    changed: int = 0
    written: int = 0
    read_seconds: float = 0.0
    compute_seconds: float = 0.0
    write_seconds: float = 0.0


def recompute_open_clocks(*, chunk_size: int = RECOMPUTE_CHUNK) -> RecomputeResult:
    """Recompute ``due_at`` and ``at_risk_at`` of every open clock under the current calendar.

    Must hold afterwards: each open clock's deadlines equal ``sla.deadlines.deadline`` for
    the calendar of its kabupaten/kota, its target and its accumulated pause; stopped
    clocks are untouched. Runs in chunks (keyset by id), vectorised per calendar group,
    writing only rows that change. Safe alongside state changes: a row is written only if
    it is still open with the deadline and pause that were read (a clock resumed in
    between already used the new calendar, see ``sla.selectors.calendar_token``).
    Recomputes run one at a time (a PostgreSQL advisory lock): a second one queued by a
    later edit waits, then reads the newest calendar.
    """
    with _one_at_a_time():
        return _recompute(chunk_size)


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    # Two recomputes updating the same rows in parallel could deadlock each other; the
    # later one must also finish last so the newest calendar wins. SQLite serialises
    # writers already.
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RECOMPUTE_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RECOMPUTE_LOCK])


def _recompute(chunk_size: int) -> RecomputeResult:
    result = RecomputeResult()
    cals = sla_selectors.calendars()
    last_id = 0
    while True:
        t0 = time.perf_counter()
        rows = list(
            CaseClock.objects.filter(stopped_at__isnull=True, id__gt=last_id)
            .order_by("id")
            .values_list(
                "id",
                "regency_id",
                EpochSeconds("started_at"),
                "target_amount",
                "target_unit",
                "paused_working_seconds",
                "at_risk_percent",
                EpochSeconds("due_at"),
                EpochSeconds("at_risk_at"),
            )[:chunk_size]
        )
        t1 = time.perf_counter()
        result.read_seconds += t1 - t0
        if not rows:
            break
        last_id = rows[-1][0]
        ids, regencies, starts, amounts, units, paused, pct, old_due, old_risk = zip(*rows, strict=True)
        n = len(rows)
        ids_a = np.fromiter(ids, dtype=np.int64, count=n)
        due = np.empty(n, dtype=np.int64)
        risk = np.empty(n, dtype=np.int64)
        starts_a = np.fromiter(starts, dtype=np.int64, count=n)
        amounts_a = np.fromiter(amounts, dtype=np.int64, count=n)
        units_a = np.array(units, dtype="U14")
        paused_a = np.fromiter(paused, dtype=np.int64, count=n)
        pct_a = np.fromiter((p or 0 for p in pct), dtype=np.int64, count=n)
        # Regencies without holidays of their own share the national calendar: one
        # vectorised call per distinct calendar, not per regency.
        index_of: dict[int, int] = {}  # id(calendar) -> group number
        calendars_: list[WorkingCalendar] = []
        group_of: dict[str, int] = {}
        for code in set(regencies):
            calendar = cals.for_regency(code)
            if id(calendar) not in index_of:
                index_of[id(calendar)] = len(calendars_)
                calendars_.append(calendar)
            group_of[code] = index_of[id(calendar)]
        group = np.fromiter((group_of[r] for r in regencies), dtype=np.int64, count=n)
        for gi, calendar in enumerate(calendars_):
            idx = np.flatnonzero(group == gi) if len(calendars_) > 1 else np.arange(n)
            d, r = compute(calendar, starts_a[idx], amounts_a[idx], units_a[idx], paused_a[idx], pct_a[idx])
            due[idx], risk[idx] = d, r
        old_due_a = np.fromiter(old_due, dtype=np.int64, count=n)
        old_risk_a = np.fromiter((NO_AT_RISK if r is None else r for r in old_risk), dtype=np.int64, count=n)
        changed = np.flatnonzero((due != old_due_a) | (risk != old_risk_a))
        t2 = time.perf_counter()
        result.compute_seconds += t2 - t1
        result.clocks += len(rows)
        result.changed += int(changed.size)
        if changed.size:
            result.written += _write_deadlines(
                ids_a[changed], due[changed], risk[changed], old_due_a[changed], paused_a[changed]
            )
        result.write_seconds += time.perf_counter() - t2
    return result


def _write_deadlines(
    ids: np.ndarray, due: np.ndarray, risk: np.ndarray, old_due: np.ndarray, paused: np.ndarray
) -> int:
    """Store new deadlines where a clock is still open with the deadline and pause that were read."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(CaseClock._meta.db_table)
        sql = f"""
            UPDATE {table} AS c
               SET due_at = to_timestamp(v.due),
                   at_risk_at = CASE WHEN v.risk = %s THEN NULL ELSE to_timestamp(v.risk) END
              FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])
                   AS v(id, due, risk, old_due, paused)
             WHERE c.id = v.id
               AND c.stopped_at IS NULL
               AND c.paused_working_seconds = v.paused
               AND c.due_at = to_timestamp(v.old_due)
        """  # noqa: S608 - the table name comes from the model
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql,
                [NO_AT_RISK, ids.tolist(), due.tolist(), risk.tolist(), old_due.tolist(), paused.tolist()],
            )
            return cursor.rowcount
    # SQLite (demo, tests): writers are serialised, so re-reading the rows inside one
    # write transaction is enough to skip those changed since they were read.
    written = 0
    batch = 5000  # stays under SQLite's limit of variables per statement
    with transaction.atomic():
        for lo in range(0, ids.size, batch):
            part = slice(lo, lo + batch)
            expected = {
                int(i): (int(d), int(r), int(o), int(p))
                for i, d, r, o, p in zip(
                    ids[part], due[part], risk[part], old_due[part], paused[part], strict=True
                )
            }
            current = CaseClock.objects.filter(id__in=list(expected), stopped_at__isnull=True).values_list(
                "id", EpochSeconds("due_at"), "paused_working_seconds"
            )
            updates = []
            for clock_id, cur_due, cur_paused in current:
                new_due, new_risk, was_due, was_paused = expected[clock_id]
                if cur_due == was_due and cur_paused == was_paused:
                    updates.append(
                        CaseClock(
                            id=clock_id,
                            due_at=from_epoch(new_due),
                            at_risk_at=None if new_risk == NO_AT_RISK else from_epoch(new_risk),
                        )
                    )
            CaseClock.objects.bulk_update(updates, ["due_at", "at_risk_at"], batch_size=500)
            written += len(updates)
    return written
