"""Joint handling (penanganan bersama): one case, several agencies, one task each.

The responsible agency keeps the case and its lifecycle; it opens a ``CaseTask`` for
each other agency whose work the case needs. A task agency reads the case's public side
and its own task's internal notes (``permissions.scope_cases`` / ``own_task_ids``) and
acts on its task only. Each task has its own follow-up clock: the follow-up target of
the SLA policy that applies to the category and the *task* agency, started when the task
opens and stopped when it is done. The case cannot be resolved while a task is open
(``guards.check``): the responsible agency writes the resolution once everyone is done,
with its evidence (decision 0010).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.access import Actor
from lampungin.accounts.choices import AGENCY_ROLES
from lampungin.accounts.models import StaffMembership
from lampungin.agencies.models import Agency, Unit
from lampungin.cases import clocks, permissions
from lampungin.cases.choices import CaseState, EventKind, TaskState, Visibility
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.models import Case, CaseEvent, CaseTask
from lampungin.cases.timeline import append_event
from lampungin.core import clock, outbox
from lampungin.core.errors import Conflict, NotAllowed, NotFound
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.choices import ClockKind
from lampungin.sla.deadlines import Target, deadline

# States in which the responsible agency may ask other agencies to help.
TASK_STATES = frozenset(
    {
        CaseState.VERIFIED,
        CaseState.ASSIGNED,
        CaseState.IN_PROGRESS,
        CaseState.WAITING_REPORTER,
        CaseState.REOPENED,
    }
)
MAX_TEXT = 4000


def _locked(case_id: int) -> Case:
    return Case.objects.select_for_update().select_related("agency", "category").get(pk=case_id)


def _agency_label(agency: Agency) -> str:
    return agency.short_name or agency.name


def open_task(
    *,
    actor: Actor,
    case: Case,
    agency_code: str,
    description: str,
    unit_id: int | None = None,
    assignee_id: int | None = None,
) -> CaseTask:
    """Ask another agency to handle part of ``case``; starts the task's follow-up clock.

    Must hold: only the responsible agency opens tasks, while the case is being worked
    (``TASK_STATES``); the task agency is another active agency with no open task on this
    case; a unit or assignee belongs to that agency; one public timeline event records it.
    """
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = [_("Uraikan tugas untuk instansi tersebut.")]
    elif len(description) > 2000:
        errors["description"] = [_("Uraian tugas terlalu panjang (maksimal 2000 karakter).")]
    agency = Agency.objects.filter(code=agency_code, is_active=True).first()
    if agency is None:
        errors["agency"] = [_("Instansi tidak dikenal.")]
    unit = None
    if agency is not None and unit_id:
        unit = Unit.objects.filter(pk=unit_id, agency=agency, is_active=True).first()
        if unit is None:
            errors["unit"] = [_("Unit kerja bukan bagian dari instansi tersebut.")]
    assignee = None
    if agency is not None and assignee_id:
        membership = (
            StaffMembership.objects.filter(
                user_id=assignee_id,
                agency=agency,
                role__in=AGENCY_ROLES,
                is_active=True,
                user__is_active=True,
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            errors["assignee"] = [_("Petugas tersebut bukan anggota instansi tersebut.")]
        else:
            assignee = membership.user
    if errors:
        raise ValidationError(errors)
    assert agency is not None  # noqa: S101 - checked above

    with transaction.atomic():
        case = _locked(case.pk)
        if not permissions.handles(actor, case):
            raise NotAllowed(_("Hanya instansi penanggung jawab yang dapat membagi tugas penanganan."))
        if case.state not in TASK_STATES:
            raise Conflict(
                _("Tugas penanganan bersama tidak dapat dibuat pada laporan berstatus “%(state)s”.")
                % {"state": CaseState(case.state).label},
                code="task_state",
            )
        if agency.pk == case.agency_id:
            raise ValidationError({"agency": [_("Pilih instansi lain selain instansi penanggung jawab.")]})
        if case.tasks.filter(agency=agency, state=TaskState.OPEN).exists():
            raise Conflict(
                _("Instansi tersebut masih memiliki tugas terbuka pada laporan ini."), code="task_open"
            )
        now = clock.now()
        task = CaseTask.objects.create(
            case=case,
            agency=agency,
            unit=unit,
            assignee=assignee,
            description=description,
            created_by=actor.user,
            created_at=now,
            updated_at=now,
        )
        _start_task_clock(case, task)
        with override("id"):  # stored and hashed: always in Bahasa Indonesia
            message = _("Penanganan bersama: %(agency)s ikut menangani laporan ini.") % {
                "agency": _agency_label(agency)
            }
        event = append_event(
            case,
            kind=EventKind.TASK,
            actor=actor.user,
            actor_label=_("Petugas %(agency)s") % {"agency": _agency_label(case.agency)},
            visibility=Visibility.PUBLIC,
            message=message,
            data={"task_id": task.pk, "change": "opened", "agency": agency.code},
        )
        # The task itself (what to do) is for the two agencies only.
        append_event(
            case,
            kind=EventKind.NOTE,
            actor=actor.user,
            actor_label=_("Petugas %(agency)s") % {"agency": _agency_label(case.agency)},
            visibility=Visibility.INTERNAL,
            message=description,
            data={"task_id": task.pk},
        )
        case.updated_at = now
        case.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
        outbox.emit("case.task_opened", {"case_id": case.pk, "task_id": task.pk, "event_id": event.pk})
    return task


def _start_task_clock(case: Case, task: CaseTask) -> CaseClock | None:
    """The task's follow-up clock, from the policy for the category and the task agency (None without one)."""
    target = sla_selectors.targets_for(category_id=case.category_id, agency_id=task.agency_id).get(
        ClockKind.FOLLOW_UP
    )
    if target is None:
        return None
    now = clock.now()
    calendar = sla_selectors.calendar_for(case.regency_id, lock=True)
    d = deadline(
        calendar,
        now,
        Target(amount=target.amount, unit=target.unit, at_risk_percent=target.at_risk_percent),
        0,
    )
    return CaseClock.objects.create(
        case=case,
        task=task,
        kind=ClockKind.FOLLOW_UP,
        policy_id=target.policy_id,
        regency_id=case.regency_id,
        target_amount=target.amount,
        target_unit=target.unit,
        at_risk_percent=target.at_risk_percent,
        escalate_after_days=target.escalate_after_days,
        started_at=now,
        due_at=d.due_at,
        at_risk_at=d.at_risk_at,
    )


def _task_for_officer(actor: Actor, task_id: int) -> CaseTask:
    task = CaseTask.objects.select_related("agency", "case").filter(pk=task_id).first()
    if task is None or not (
        actor.platform_admin or task.agency_id in actor.agency_ids or permissions.handles(actor, task.case)
    ):
        raise NotFound(_("Tugas tidak ditemukan."))
    return task


def complete_task(*, actor: Actor, task: CaseTask, message: str) -> CaseTask:
    """Mark ``task`` done with what was done; stops its clock and records a public event.

    Must hold: only an officer of the task agency (or a platform admin) completes it; an
    open task only; the result is written.
    """
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Tuliskan hasil penanganan.")]})
    if len(message) > MAX_TEXT:
        raise ValidationError({"message": [_("Pesan terlalu panjang (maksimal 4000 karakter).")]})
    with transaction.atomic():
        case = _locked(task.case_id)
        task = CaseTask.objects.select_for_update().select_related("agency").get(pk=task.pk)
        if not (actor.platform_admin or task.agency_id in actor.agency_ids):
            raise NotAllowed(_("Hanya petugas instansi yang mendapat tugas yang dapat menyelesaikannya."))
        if task.state != TaskState.OPEN:
            raise Conflict(_("Tugas ini sudah selesai."), code="task_done")
        now = clock.now()
        task.state, task.result, task.done_at, task.updated_at = TaskState.DONE, message, now, now
        task.save(update_fields=["state", "result", "done_at", "updated_at"])
        task.clocks.filter(stopped_at__isnull=True).update(stopped_at=now, stop_state=TaskState.DONE)
        event = append_event(
            case,
            kind=EventKind.TASK,
            actor=actor.user,
            actor_label=_("Petugas %(agency)s") % {"agency": _agency_label(task.agency)},
            visibility=Visibility.PUBLIC,
            message=message,
            data={"task_id": task.pk, "change": "done", "agency": task.agency.code},
        )
        case.updated_at = now
        case.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
        outbox.emit("case.task_done", {"case_id": case.pk, "task_id": task.pk, "event_id": event.pk})
    return task


def add_task_note(*, actor: Actor, task: CaseTask, message: str) -> CaseEvent:
    """An internal note on ``task``, readable by the responsible agency and the task agency only."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Pesan tidak boleh kosong.")]})
    if len(message) > MAX_TEXT:
        raise ValidationError({"message": [_("Pesan terlalu panjang (maksimal 4000 karakter).")]})
    with transaction.atomic():
        case = _locked(task.case_id)
        task = CaseTask.objects.select_related("agency").get(pk=task.pk)
        own = task.agency_id in actor.agency_ids
        if not (own or permissions.handles(actor, case)):
            raise NotAllowed(_("Anda tidak berwenang menulis catatan pada tugas ini."))
        agency = task.agency if own else case.agency
        event = append_event(
            case,
            kind=EventKind.NOTE,
            actor=actor.user,
            actor_label=_("Petugas %(agency)s") % {"agency": _agency_label(agency)},
            visibility=Visibility.INTERNAL,
            message=message,
            data={"task_id": task.pk},
        )
        case.updated_at = clock.now()
        case.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
    return event


# -- reads -----------------------------------------------------------------------------


def get_task(actor: Actor, task_id: int) -> CaseTask:
    """A task the actor works on or oversees (task or responsible agency, platform admin), or NotFound."""
    return _task_for_officer(actor, task_id)


def visible_tasks(actor: Actor, case: Case) -> list[CaseTask]:
    """The tasks of ``case`` that ``actor`` sees: all for the responsible agency and readers of
    everything, its own for a task agency, none for citizens (they see the public events)."""
    qs = case.tasks.select_related("agency", "unit", "assignee").prefetch_related("clocks").order_by("id")
    if permissions.is_staff_reader(actor, case):
        return list(qs)
    if actor.agency_ids:
        return list(qs.filter(agency_id__in=actor.agency_ids))
    return []


@dataclass(frozen=True)
class TaskView:
    task: CaseTask
    clock: clocks.ClockView | None
    mine: bool


def task_views(actor: Actor, case: Case) -> list[TaskView]:
    """Visible tasks with their follow-up clock in words ("2 hari kerja lagi")."""
    tasks = visible_tasks(actor, case)
    if not tasks:
        return []
    calendar = sla_selectors.calendar_for(case.regency_id)
    now = clock.now()
    views = []
    for t in tasks:
        task_clocks = sorted(t.clocks.all(), key=lambda c: c.started_at)
        views.append(
            TaskView(
                task=t,
                clock=clocks.clock_view(task_clocks[-1], calendar, now) if task_clocks else None,
                mine=t.agency_id in actor.agency_ids,
            )
        )
    return views
