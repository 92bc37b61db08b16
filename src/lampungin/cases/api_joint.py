"""API: inter-agency work (decision 0010): likely duplicates, support, merges, joint tasks, validation.

Handlers parse, call a service or selector, shape the answer. Composed in ``api/main.py``
*before* the cases router, because ``/reports/similar`` is not a tracking number.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lampungin.accounts.api_auth import request_actor, require_scopes, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.cases import duplicates, joint, permissions, selectors, services
from lampungin.cases.choices import Action, TaskState

router = Router(tags=["laporan"])


class SimilarOut(Schema):
    tracking: str
    title: str
    excerpt: str
    state: str
    state_label: str
    regency: str
    created_at: datetime
    supporters: int
    distance_m: int | None
    score: float


class SupportOut(Schema):
    tracking: str
    supporters: int
    created: bool


class TaskIn(Schema):
    agency: str
    description: str
    unit_id: int | None = None
    assignee_id: int | None = None


class TaskDoneIn(Schema):
    message: str


class TaskOut(Schema):
    id: int
    agency: str
    agency_name: str
    unit: str | None
    assignee_name: str | None
    description: str
    state: str
    state_label: str
    result: str
    created_at: datetime
    done_at: datetime | None
    due_text: str | None
    remaining_text: str | None


class ValidationIn(Schema):
    decision: str  # "validate" | "reject"
    message: str = ""


class MergeIn(Schema):
    target: str
    message: str = ""


class MergeOut(Schema):
    source: str
    target: str
    source_state: str


@router.get(
    "/reports/similar",
    response=list[SimilarOut],
    auth=scoped(ApiScope.REPORTS_READ),
    summary="Laporan serupa (sebelum mengirim): tanpa data pribadi",
)
def similar(
    request: HttpRequest,
    category: str,
    lat: float | None = None,
    lng: float | None = None,
    region: str = "",
    text: str = "",
):
    actor = request_actor(request)
    return [
        vars(s)
        for s in duplicates.similar_reports(
            category_code=category,
            text=text[:4000],
            lat=lat,
            lng=lng,
            region_code=region,
            exclude_reporter_id=actor.user_id,
        )
    ]


@router.post(
    "/reports/{tracking}/support",
    response={200: SupportOut, 201: SupportOut},
    auth=scoped(ApiScope.REPORTS_WRITE),
    summary="Dukung laporan warga lain (laporan serupa)",
)
def support(request: HttpRequest, tracking: str):
    support, created = duplicates.support_case(actor=request_actor(request), tracking=tracking)
    body = {
        "tracking": support.case.tracking,
        "supporters": duplicates.supporter_count(support.case),
        "created": created,
    }
    return Status(201 if created else 200, body)


@router.post(
    "/reports/{tracking}/merge",
    response=MergeOut,
    auth=scoped(ApiScope.STAFF_ACT),
    summary="Gabungkan laporan duplikat ke laporan lain",
)
def merge(request: HttpRequest, tracking: str, data: MergeIn):
    actor = request_actor(request)
    source = selectors.get_case(actor, tracking)
    target = selectors.get_case(actor, data.target)
    duplicates.merge_cases(actor=actor, source=source, target=target, message=data.message)
    source.refresh_from_db()
    return {"source": source.tracking, "target": target.tracking, "source_state": source.state}


def _task(view: joint.TaskView) -> dict:
    t = view.task
    return {
        "id": t.pk,
        "agency": t.agency.code,
        "agency_name": t.agency.name,
        "unit": t.unit.name if t.unit else None,
        "assignee_name": t.assignee.full_name if t.assignee else None,
        "description": t.description,
        "state": t.state,
        "state_label": str(TaskState(t.state).label),
        "result": t.result,
        "created_at": t.created_at,
        "done_at": t.done_at,
        "due_text": view.clock.due_text if view.clock else None,
        "remaining_text": view.clock.remaining_text if view.clock else None,
    }


@router.get(
    "/reports/{tracking}/tasks",
    response=list[TaskOut],
    auth=scoped(ApiScope.STAFF_INBOX),
    summary="Tugas penanganan bersama (yang boleh Anda lihat)",
)
def tasks(request: HttpRequest, tracking: str):
    actor = request_actor(request)
    return [_task(v) for v in joint.task_views(actor, selectors.get_case(actor, tracking))]


@router.post(
    "/reports/{tracking}/tasks",
    response={201: TaskOut},
    auth=scoped(ApiScope.STAFF_ACT),
    summary="Bagi penanganan: buat tugas untuk instansi lain",
)
def open_task(request: HttpRequest, tracking: str, data: TaskIn):
    actor = request_actor(request)
    case = selectors.get_case(actor, tracking)
    task = joint.open_task(
        actor=actor,
        case=case,
        agency_code=data.agency,
        description=data.description,
        unit_id=data.unit_id,
        assignee_id=data.assignee_id,
    )
    view = next(v for v in joint.task_views(actor, case) if v.task.pk == task.pk)
    return Status(201, _task(view))


@router.post(
    "/tasks/{task_id}/done",
    response=TaskOut,
    auth=scoped(ApiScope.STAFF_ACT),
    summary="Tandai tugas penanganan bersama selesai",
)
def task_done(request: HttpRequest, task_id: int, data: TaskDoneIn):
    actor = request_actor(request)
    task = joint.complete_task(actor=actor, task=joint.get_task(actor, task_id), message=data.message)
    view = next(v for v in joint.task_views(actor, task.case) if v.task.pk == task.pk)
    return _task(view)


@router.post(
    "/reports/{tracking}/validation",
    response={200: dict},
    auth=scoped(),
    summary="Validasi atau tolak penyelesaian (validator atau pelapor)",
)
def validation(request: HttpRequest, tracking: str, data: ValidationIn):
    actor = request_actor(request)
    case = selectors.get_case(actor, tracking)
    # The reporter validates with the citizen scope; a validating agency with the staff one.
    require_scopes(
        request, ApiScope.REPORTS_WRITE if permissions.is_reporter(actor, case) else ApiScope.STAFF_ACT
    )
    action = Action.VALIDATE if data.decision == "validate" else Action.REJECT_RESOLUTION
    event = services.perform_action(actor=actor, case=case, action=action, message=data.message)
    return {"tracking": case.tracking, "state": event.to_state, "action": action.value}
