"""The deadline check of application steps: warn the step's agency, then record the breach.

Like the case clocks' check (``cases.tasks``), it is safe on many hosts at once: due steps
are found through the indexed ``at_risk_at`` and ``due_at`` columns, and each warning or
breach is claimed with a conditional UPDATE, so it happens exactly once however many
checks race. A step paused while the applicant corrects the application is never late.

1. ``application.step_at_risk`` when ``at_risk_at`` passes: the officers of the step's agency.
2. ``application.step_breached`` when ``due_at`` passes: a ``step_breached`` event on the
   application's timeline (the applicant sees it: being late is not hidden) and a notice to
   the agency's admins and officers.
3. ``application.step_escalated`` one working day later if the step is still undecided: the
   platform admins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lampungin.applications import stepclock
from lampungin.applications.choices import EventKind, StepState
from lampungin.applications.models import Application, ApplicationStep
from lampungin.applications.timeline import append_event
from lampungin.cases.clocks import due_text
from lampungin.cases.tasks import enqueue_unless_queued
from lampungin.core import clock, outbox

log = logging.getLogger(__name__)

BATCH = 500
SYSTEM_LABEL = "Sistem"
_RUNNING = Q(state=StepState.ACTIVE, paused_at__isnull=True, breached_at__isnull=True)


@dataclass
class CheckResult:
    at_risk: int = 0
    breached: int = 0
    escalated: int = 0


def check_step_deadlines(*, limit: int = BATCH) -> CheckResult:
    """Warn about, record and escalate every step deadline whose moment has come (up to
    ``limit`` each). A step that fails is logged and left for the next run; the others go on."""
    result = CheckResult()
    _fill_missing_warning_times(limit)
    now = clock.now()
    at_risk = _RUNNING & Q(at_risk_at__lte=now, at_risk_notified_at__isnull=True, due_at__gt=now)
    result.at_risk = _claim_each(at_risk, {"at_risk_notified_at": now}, "application.step_at_risk", limit)
    due = _RUNNING & Q(due_at__lte=now)
    for step_id in ApplicationStep.objects.filter(due).order_by("id").values_list("id", flat=True)[:limit]:
        try:
            result.breached += _breach(step_id, due, now)
        except Exception:
            log.exception("application step %s: breach failed", step_id)
    late = Q(state=StepState.ACTIVE, paused_at__isnull=True, escalate_at__lte=now, escalated_at__isnull=True)
    result.escalated = _claim_each(late, {"escalated_at": now}, "application.step_escalated", limit)
    return result


def _claim_each(condition: Q, claim: dict, topic: str, limit: int) -> int:
    """For each step matching ``condition``: set ``claim`` with a conditional UPDATE and, when
    this run is the one that changed the row, emit ``topic``. Returns how many it emitted."""
    emitted = 0
    for step_id in (
        ApplicationStep.objects.filter(condition).order_by("id").values_list("id", flat=True)[:limit]
    ):
        try:
            with transaction.atomic():
                if ApplicationStep.objects.filter(condition, pk=step_id).update(**claim):
                    outbox.emit(topic, {"step_id": step_id})
                    emitted += 1
        except Exception:
            log.exception("application step %s: %s failed", step_id, topic)
    return emitted


def _fill_missing_warning_times(limit: int) -> None:
    """Steps started before warning and escalation times existed have none: give them theirs,
    so that they are warned and escalated like the others."""
    cal = None
    running = Q(state=StepState.ACTIVE, paused_at__isnull=True, started_at__isnull=False)
    missing = running & (
        Q(at_risk_at__isnull=True)
        | Q(breached_at__isnull=False, escalated_at__isnull=True, escalate_at__isnull=True)
    )
    for step in ApplicationStep.objects.filter(missing).order_by("id")[:limit]:
        try:
            cal = cal or stepclock.calendar()
            stepclock.set_due(step, cal)
            ApplicationStep.objects.filter(missing, pk=step.pk).update(
                at_risk_at=step.at_risk_at, escalate_at=step.escalate_at
            )
        except Exception:
            log.exception("application step %s: filling its warning times failed", step.pk)


def _breach(step_id: int, due: Q, now) -> int:
    with transaction.atomic():
        step = ApplicationStep.objects.select_related("agency").filter(pk=step_id).first()
        if step is None:
            return 0
        # The application row lock orders this event with the officers' own in the chain.
        app = Application.objects.select_for_update().get(pk=step.application_id)
        claimed = ApplicationStep.objects.filter(due, pk=step_id).update(
            breached_at=now,
            at_risk_notified_at=Coalesce("at_risk_notified_at", now),
            escalate_at=stepclock.escalation_time(step.due_at, stepclock.calendar()),
        )
        if not claimed:
            return 0
        with override("id"):  # stored and hashed: always in Bahasa Indonesia
            message = _(
                "Tenggat tahap %(step)s di %(agency)s (%(days)s hari kerja) terlewati pada %(due)s."
            ) % {
                "step": step.name,
                "agency": step.agency.short_name or step.agency.name,
                "days": step.sla_working_days,
                "due": due_text(step.due_at),
            }
        event = append_event(
            app,
            kind=EventKind.STEP_BREACHED,
            step_order=step.order,
            actor=None,
            actor_label=SYSTEM_LABEL,
            message=message,
            data={"step": step.order, "due_at": step.due_at.isoformat()},
        )
        app.save(update_fields=["last_event_seq", "last_event_hash"])
        outbox.emit("application.step_breached", {"step_id": step_id, "event_id": event.pk})
    return 1


@task()
def check_step_deadlines_task() -> dict[str, int]:
    """Periodic (``lampungin scheduler`` queues it every minute for ``lampungin worker``)."""
    result = check_step_deadlines()
    return {"at_risk": result.at_risk, "breached": result.breached, "escalated": result.escalated}


def recompute_running_steps(*, chunk_size: int = BATCH) -> int:
    """After the working calendar changed (a holiday added, moved or removed; office hours):
    every running step's deadline and warning time again, from its start and the working time
    it was paused, under the new calendar. A paused step is recomputed when it resumes. A
    breach or warning already recorded stays recorded. Returns the steps whose times moved."""
    cal = stepclock.calendar()
    moved = 0
    last_pk = 0
    running = Q(state=StepState.ACTIVE, paused_at__isnull=True, started_at__isnull=False)
    while True:
        chunk = list(ApplicationStep.objects.filter(running, pk__gt=last_pk).order_by("pk")[:chunk_size])
        for step in chunk:
            before = (step.due_at, step.at_risk_at, step.escalate_at)
            stepclock.set_due(step, cal)
            if (step.due_at, step.at_risk_at, step.escalate_at) != before:
                # Conditional on the times read: a step resumed or decided meanwhile keeps its own.
                moved += ApplicationStep.objects.filter(
                    running, pk=step.pk, due_at=before[0], paused_working_seconds=step.paused_working_seconds
                ).update(due_at=step.due_at, at_risk_at=step.at_risk_at, escalate_at=step.escalate_at)
        if len(chunk) < chunk_size:
            return moved
        last_pk = chunk[-1].pk


@task()
def recompute_steps_task() -> dict[str, int]:
    """Recompute running steps after a holiday or office-hours change."""
    return {"moved": recompute_running_steps()}


def on_calendar_changed(payload: dict) -> None:
    """Outbox handler of ``sla.calendar_changed``: the recompute runs in a task of its own, so
    the outbox is not held up however many steps run."""
    enqueue_unless_queued(recompute_steps_task)
