"""The service-time clock of each application step, counted in WIB working days.

A step's clock starts when the application reaches it: ``due_at`` is its
``sla_working_days`` counted with the SP4N-LAPOR! rule of ``WorkingCalendar.add_working_days``
(the starting day does not count; the deadline is the end of office hours). Returning the
application to the citizen pauses it; the resubmission resumes it and pushes the deadline
by exactly the *working* time spent waiting (``sla.deadlines.deadline``, the same
arithmetic as case clocks, decision 0005). The provincial agencies that decide them work
on the national calendar (``calendar_for(None)``), wherever the applicant lives.
"""

from __future__ import annotations

from datetime import datetime

from lampungin.applications.choices import StepState
from lampungin.applications.models import ApplicationStep
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.calendar import WorkingCalendar
from lampungin.sla.choices import TargetUnit
from lampungin.sla.deadlines import Target, deadline


def calendar() -> WorkingCalendar:
    return sla_selectors.calendar_for(None)


AT_RISK_PERCENT = 80  # as the SP4N-LAPOR! default policy warns case officers


def set_due(step: ApplicationStep, cal: WorkingCalendar) -> None:
    """Set ``due_at`` and ``at_risk_at`` from the start, the target and the time paused so far."""
    assert step.started_at is not None  # noqa: S101 - only for started steps
    target = Target(
        amount=step.sla_working_days, unit=TargetUnit.WORKING_DAYS, at_risk_percent=AT_RISK_PERCENT
    )
    when = deadline(cal, step.started_at, target, step.paused_working_seconds)
    step.due_at, step.at_risk_at = when.due_at, when.at_risk_at
    if step.breached_at is not None and step.escalated_at is None:
        # Escalation follows the deadline: a working day after it, wherever it moved.
        step.escalate_at = escalation_time(step.due_at, cal)


def escalation_time(due_at: datetime, cal: WorkingCalendar) -> datetime:
    """When a step still undecided after ``due_at`` goes to the platform admins: a working day
    later (it is about officers not acting, and they act on working days)."""
    return cal.add_working_days(due_at, 1)


def start(step: ApplicationStep, now: datetime) -> None:
    """Start ``step``'s clock at ``now`` (the caller saves the step)."""
    step.state = StepState.ACTIVE
    step.started_at = now
    step.paused_at = None
    step.paused_working_seconds = 0
    set_due(step, calendar())


def pause(step: ApplicationStep, now: datetime) -> None:
    """Stop counting while the applicant corrects the application."""
    step.state = StepState.RETURNED
    step.paused_at = now


def resume(step: ApplicationStep, now: datetime) -> int:
    """Count again; the deadline moves by the working time paused. Returns those seconds."""
    assert step.paused_at is not None  # noqa: S101 - only for paused steps
    cal = calendar()
    paused_for = max(0, int(cal.working_time_between(step.paused_at, now).total_seconds()))
    step.paused_working_seconds += paused_for
    step.paused_at = None
    step.state = StepState.ACTIVE
    set_due(step, cal)
    return paused_for


def finish(step: ApplicationStep, now: datetime, state: str) -> None:
    step.state = state
    step.finished_at = now


def is_late(step: ApplicationStep, now: datetime) -> bool:
    """Late when the deadline passed before it finished (a paused step is never late)."""
    if step.due_at is None or step.paused_at is not None:
        return False
    end = step.finished_at or now
    return end > step.due_at
