"""Background work on SLA clocks: the deadline check (warn, breach, escalate) and the recompute.

``run_sla_check`` is safe to run on many hosts at once (STYLE habit 5): it finds due
clocks through indexed deadline columns, claims each with a conditional UPDATE on
``claimed_until`` (a lease, so one worker handles a clock at a time), then moves it up
one ``escalation_level`` with a second conditional UPDATE inside the transaction that
writes the timeline event and the outbox message. Only a transaction whose UPDATE
changed the row acts, so a clock is warned, breached and escalated exactly once even
when a lease expires or two checks race.

Escalation ladder of a clock (the notifications app turns the outbox topics into
in-app notifications):

1. ``sla.at_risk`` when ``at_risk_at`` passes: the assigned officer, or every officer
   of the agency when nobody is assigned.
2. ``sla.breached`` when ``due_at`` passes: one public ``sla_breached`` timeline event
   (a citizen seeing "terlambat" is honest) and a notice to the agency admins and the
   assigned officer.
3. ``sla.escalated`` ``escalate_after_days`` working days after the deadline: the
   platform admins.

Paused clocks are skipped: while a case waits for its reporter nobody is late.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lampungin.cases.choices import EventKind, Visibility
from lampungin.cases.clock_models import CaseClock, EscalationLevel
from lampungin.cases.clocks import SYSTEM_LABEL, due_text, recompute_open_clocks
from lampungin.cases.joint_models import CaseTask
from lampungin.cases.models import Case
from lampungin.cases.timeline import append_event
from lampungin.core import clock, outbox
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.choices import ClockKind, TargetUnit

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 500

TOPIC_AT_RISK = "sla.at_risk"
TOPIC_BREACHED = "sla.breached"
TOPIC_ESCALATED = "sla.escalated"

_RUNNING = Q(stopped_at__isnull=True, paused_at__isnull=True)


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: which clocks are due for it and what it changes."""

    name: str
    due: Callable[[datetime], Q]
    apply: Callable[[Case, CaseClock, datetime], dict[str, Any]]


def _due_breach(now: datetime) -> Q:
    return Q(breached_at__isnull=True, due_at__lte=now)


def _due_at_risk(now: datetime) -> Q:
    return Q(at_risk_notified_at__isnull=True, breached_at__isnull=True, at_risk_at__lte=now)


def _due_escalation(now: datetime) -> Q:
    return Q(escalation_level=EscalationLevel.BREACHED, escalate_at__lte=now)


def _apply_breach(case: Case, c: CaseClock, now: datetime) -> dict[str, Any]:
    escalate_at = None
    if c.escalate_after_days is not None:
        # Escalation waits for working days whatever the clock's unit: it is about
        # officers not acting, and they act on working days.
        calendar = sla_selectors.calendar_for(c.regency_id)
        escalate_at = calendar.add_working_days(c.due_at, c.escalate_after_days)
    with override("id"):  # stored and hashed: always in Bahasa Indonesia
        message = _("Tenggat %(clock)s (%(amount)s %(unit)s) terlewati pada %(due)s.") % {
            "clock": ClockKind(c.kind).label,
            "amount": c.target_amount,
            "unit": TargetUnit(c.target_unit).label,
            "due": due_text(c.due_at),
        }
    event = append_event(
        case,
        kind=EventKind.SLA_BREACHED,
        actor=None,
        actor_label=SYSTEM_LABEL,
        visibility=Visibility.PUBLIC,
        message=message,
        data={"clock": c.kind, "clock_id": c.pk, "due_at": c.due_at.isoformat()},
    )
    case.save(update_fields=["last_event_seq", "last_event_hash"])
    outbox.emit(
        TOPIC_BREACHED,
        {"clock_id": c.pk, "case_id": case.pk, "event_id": event.pk, "agency_id": _acting_agency_id(case, c)},
    )
    return {
        "breached_at": now,
        "escalation_level": EscalationLevel.BREACHED,
        "escalate_at": escalate_at,
        # Late already: a warning that it is about to be late would only confuse.
        "at_risk_notified_at": Coalesce("at_risk_notified_at", Value(now)),
    }


def _acting_agency_id(case: Case, c: CaseClock) -> int:
    """The agency that must meet the clock: a joint-handling task's clock is its agency's."""
    if c.task_id:
        return CaseTask.objects.values_list("agency_id", flat=True).get(pk=c.task_id)
    return case.agency_id


def _apply_at_risk(case: Case, c: CaseClock, now: datetime) -> dict[str, Any]:
    outbox.emit(
        TOPIC_AT_RISK, {"clock_id": c.pk, "case_id": case.pk, "agency_id": _acting_agency_id(case, c)}
    )
    return {"at_risk_notified_at": now, "escalation_level": EscalationLevel.AT_RISK}


def _apply_escalation(case: Case, c: CaseClock, now: datetime) -> dict[str, Any]:
    outbox.emit(TOPIC_ESCALATED, {"clock_id": c.pk, "case_id": case.pk})
    return {"escalation_level": EscalationLevel.ESCALATED, "escalate_at": None}


# Breach before warning: a clock found both at risk and late gets the breach only.
STEPS = (
    Step("breached", _due_breach, _apply_breach),
    Step("at_risk", _due_at_risk, _apply_at_risk),
    Step("escalated", _due_escalation, _apply_escalation),
)


def claim(clock_id: int, step: Step, now: datetime) -> bool:
    """Take the lease on a clock due for ``step``; False if another worker holds it or it is no longer due."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        CaseClock.objects.filter(Q(pk=clock_id) & _RUNNING & step.due(now) & free).update(
            claimed_until=now + LEASE
        )
    )


def advance(clock_id: int, step: Step, now: datetime) -> bool:
    """Apply ``step`` to a claimed clock; True only for the one transaction that moved it."""
    with transaction.atomic():
        case_id = CaseClock.objects.filter(pk=clock_id).values_list("case_id", flat=True).first()
        if case_id is None:
            return False
        # Lock order as in perform_action (case, then its clocks): no deadlock with a state change.
        case = Case.objects.select_for_update().get(pk=case_id)
        c = CaseClock.objects.filter(Q(pk=clock_id) & _RUNNING & step.due(now)).first()
        if c is None:
            CaseClock.objects.filter(pk=clock_id).update(claimed_until=None)
            return False
        sid = transaction.savepoint()
        fields = step.apply(case, c, now)
        moved = CaseClock.objects.filter(Q(pk=clock_id) & _RUNNING & step.due(now)).update(
            **fields, claimed_until=None
        )
        if not moved:  # a recompute moved the deadline meanwhile: undo the event and message
            transaction.savepoint_rollback(sid)
            return False
        transaction.savepoint_commit(sid)
        return True


@dataclass
class CheckResult:
    breached: int = 0
    at_risk: int = 0
    escalated: int = 0


def run_sla_check(*, limit: int = BATCH) -> CheckResult:
    """Warn, breach and escalate every clock whose moment has come (up to ``limit`` per step)."""
    result = CheckResult()
    for step in STEPS:
        now = clock.now()
        due_ids = list(
            CaseClock.objects.filter(_RUNNING & step.due(now))
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        for clock_id in due_ids:
            try:
                if claim(clock_id, step, now) and advance(clock_id, step, now):
                    setattr(result, step.name, getattr(result, step.name) + 1)
            except Exception:  # one bad clock must not stop the others; the lease expires
                log.exception("SLA step %s failed for clock %s", step.name, clock_id)
    return result


@task()
def check_sla_clocks() -> dict[str, int]:
    """Periodic: warn, breach and escalate due SLA clocks (run by ``lampungin scheduler``)."""
    from lampungin.cases.validation import close_unanswered  # imports services, which imports clocks

    # First: a reporter's window that ran out closes the report (decision 0010) rather
    # than being reported late.
    auto_closed = close_unanswered()
    result = run_sla_check()
    return {
        "auto_closed": auto_closed,
        "breached": result.breached,
        "at_risk": result.at_risk,
        "escalated": result.escalated,
    }


@task()
def recompute_clocks_task() -> dict[str, int]:
    """Recompute every open clock after a holiday or office-hours change."""
    result = recompute_open_clocks()
    log.info(
        "SLA recompute: %s open clocks, %s changed, %s written", result.clocks, result.changed, result.written
    )
    return {"clocks": result.clocks, "changed": result.changed, "written": result.written}


def _queued(t) -> bool:
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path=t.module_path).exists()


def enqueue_unless_queued(t) -> bool:
    """Enqueue ``t`` unless one is already waiting (a waiting run will see the latest data)."""
    if _queued(t):
        return False
    t.enqueue()
    return True


def on_calendar_changed(payload: dict[str, Any]) -> None:
    """Outbox handler of ``sla.calendar_changed``: recompute open clocks in a task of its own."""
    enqueue_unless_queued(recompute_clocks_task)
