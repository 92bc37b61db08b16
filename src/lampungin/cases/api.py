"""API: citizen reports and staff case work. Handlers parse, call a service, shape the answer."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lampungin.accounts.access import Actor
from lampungin.accounts.api_auth import AUTH, request_actor, require_scopes, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.cases import clocks, permissions, selectors, services
from lampungin.cases.choices import Action, CaseState, Channel, Privacy
from lampungin.cases.lifecycle import ACTOR_OF, TRANSITIONS, ActorKind
from lampungin.cases.models import Case, CaseEvent
from lampungin.core import cursor as paging

router = Router(tags=["laporan"], auth=AUTH)


class Ref(Schema):
    code: str
    name: str


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    width: int
    height: int


class EventOut(Schema):
    seq: int
    kind: str
    action: str
    from_state: str
    to_state: str
    to_state_label: str
    actor_label: str
    visibility: str
    message: str
    created_at: datetime
    photos: list[PhotoOut]


class CaseSummaryOut(Schema):
    tracking: str
    title: str
    report_type: str
    category: Ref
    state: str
    state_label: str
    privacy: str
    agency: str
    regency: str
    created_at: datetime
    updated_at: datetime


class ClockOut(Schema):
    kind: str
    label: str
    due_at: datetime
    due_text: str
    remaining_text: str
    state: str  # running | paused | stopped | breached


class CaseOut(CaseSummaryOut):
    description: str
    region: Ref
    address: str
    lat: float | None
    lng: float | None
    reporter_name: str | None
    assignee_name: str | None
    unit: str | None
    referred_to: str | None
    photos: list[PhotoOut]
    allowed_actions: list[str]
    clocks: list[ClockOut]


class PublicCaseOut(CaseSummaryOut):
    description: str
    region: Ref
    timeline: list[EventOut]
    photos: list[PhotoOut]
    clocks: list[ClockOut]


class ActionIn(Schema):
    action: str
    message: str = ""
    assignee_id: int | None = None
    unit_id: int | None = None
    referred_to: str = ""
    reject_reason: str = ""


class CommentIn(Schema):
    message: str
    internal: bool = False


class ReportIn(Schema):
    report_type: str
    category: str
    description: str
    title: str = ""
    privacy: str = Privacy.CONFIDENTIAL
    region: str = ""
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    client_time: datetime | None = None


def require_action_scope(request: HttpRequest, action: str) -> None:
    """A lifecycle action needs ``reports:write`` when the reporter takes it, else ``staff:act``."""
    try:
        kind = ACTOR_OF[Action(action)]
    except ValueError:
        return  # unknown action: the service answers with its own 400
    require_scopes(request, ApiScope.REPORTS_WRITE if kind == ActorKind.REPORTER else ApiScope.STAFF_ACT)


def _photo(att) -> dict:
    return {
        "id": att.pk,
        "kind": att.kind,
        "url": reverse("web:attachment", args=[att.pk]),
        "width": att.width,
        "height": att.height,
    }


def _event(event: CaseEvent) -> dict:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        # str(): labels are lazy translations, which the response schema refuses as strings.
        "to_state_label": str(CaseState(event.to_state).label) if event.to_state else "",
        "actor_label": event.actor_label,
        "visibility": event.visibility,
        "message": event.message,
        "created_at": event.created_at,
        "photos": [_photo(a) for a in event.attachments.all()],
    }


def _clocks(case: Case) -> list[dict]:
    """SLA clocks with the remaining or overdue time in words ("2 hari kerja lagi")."""
    return [vars(v) for v in clocks.clock_views(case)]


def _summary(case: Case) -> dict:
    return {
        "tracking": case.tracking,
        "title": case.title,
        "report_type": case.report_type,
        "category": {"code": case.category.code, "name": case.category.name},
        "state": case.state,
        "state_label": str(CaseState(case.state).label),
        "privacy": case.privacy,
        "agency": case.agency.short_name,
        "regency": case.regency.display_name,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def case_detail(actor: Actor, case: Case) -> dict:
    """The case as ``actor`` may see it: reporter identity and staff fields only where allowed."""
    staff = permissions.is_staff_reader(actor, case)
    reporter_name = None
    if case.reporter_id and permissions.may_see_reporter(actor, case):
        reporter_name = case.reporter.full_name
    allowed = [
        a.value
        for a, moves in TRANSITIONS.items()
        if case.state in moves and permissions.may_act(actor, case, a)
    ]
    return {
        **_summary(case),
        "description": case.description,
        "region": {"code": case.region.code, "name": case.region.display_name},
        "address": case.address,
        "lat": case.lat if staff or permissions.is_reporter(actor, case) else None,
        "lng": case.lng if staff or permissions.is_reporter(actor, case) else None,
        "reporter_name": reporter_name,
        "assignee_name": case.assignee.full_name if staff and case.assignee else None,
        "unit": case.unit.name if staff and case.unit else None,
        "referred_to": case.referred_to.name if case.referred_to else None,
        "photos": [_photo(a) for a in selectors.photos(case).filter(kind="photo")],
        "allowed_actions": allowed,
        "clocks": _clocks(case),
    }


@router.post(
    "/reports",
    response={201: CaseOut},
    auth=scoped(ApiScope.REPORTS_WRITE),
    summary="Kirim laporan (multipart, foto opsional)",
)
def create_report(
    request: HttpRequest,
    data: Form[ReportIn],
    photos: list[UploadedFile] = File(None),  # noqa: B008 - ninja's way to declare uploads
):
    """Idempotent with the ``Idempotency-Key`` header: a retry returns the report created the first time."""
    services.check_report_rate(request.auth, idempotency_key=request.headers.get("Idempotency-Key", ""))
    # Read one byte more than allowed so that the size check can tell "too large".
    uploads = [
        services.PhotoUpload(name=f.name or "foto", data=f.read(settings.MAX_PHOTO_BYTES + 1))
        for f in photos or []
    ]
    result = services.submit_report(
        reporter=request.auth,
        report_type=data.report_type,
        category_code=data.category,
        description=data.description,
        title=data.title,
        privacy=data.privacy,
        region_code=data.region,
        lat=data.lat,
        lng=data.lng,
        address=data.address,
        photos=uploads,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        channel=Channel.API,
        client_time=data.client_time,
    )
    case = selectors.get_case(request_actor(request), result.case.tracking)
    return Status(201, case_detail(request_actor(request), case))


class CasePage(Schema):
    count: int  # every case matching the filters, for a badge ("12 laporan")
    items: list[CaseSummaryOut]
    next_cursor: str | None  # pass as ``cursor`` for the next (older) page; null on the last


def case_page(qs, *, cursor: str, limit: int) -> dict:
    """A page of cases newest first (see core.cursor): two queries, whatever the page size."""
    page = paging.paginate(qs, cursor=cursor, limit=limit)
    return {"count": qs.count(), "items": [_summary(c) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/reports/mine", response=CasePage, auth=scoped(ApiScope.REPORTS_READ), summary="Laporan saya")
def my_reports(request, cursor: str = "", limit: int = 20, state: str = ""):
    qs = selectors.my_reports(request_actor(request))
    if state in CaseState.values:
        qs = qs.filter(state=state)
    return case_page(qs, cursor=cursor, limit=limit)


@router.get(
    "/reports/{tracking}",
    response=CaseOut,
    auth=scoped(ApiScope.REPORTS_READ),
    summary="Detail laporan (sesuai hak akses)",
)
def get_report(request, tracking: str):
    actor = request_actor(request)
    return case_detail(actor, selectors.get_case(actor, tracking))


@router.get(
    "/reports/{tracking}/timeline",
    response=list[EventOut],
    auth=scoped(ApiScope.REPORTS_READ),
    summary="Riwayat laporan",
)
def get_timeline(request, tracking: str):
    actor = request_actor(request)
    return [_event(e) for e in selectors.timeline(actor, selectors.get_case(actor, tracking))]


@router.post(
    "/reports/{tracking}/actions",
    response=CaseOut,
    auth=scoped(ApiScope.REPORTS_READ),
    summary="Tindakan pada laporan (status)",
)
def act(request, tracking: str, data: ActionIn):
    """Reporter actions (confirm, dispute…) need ``reports:write``; staff actions need ``staff:act``."""
    actor = request_actor(request)
    require_action_scope(request, data.action)
    case = selectors.get_case(actor, tracking)
    services.perform_action(
        actor=actor,
        case=case,
        action=data.action,
        message=data.message,
        assignee_id=data.assignee_id,
        unit_id=data.unit_id,
        referred_to_code=data.referred_to,
        reject_reason=data.reject_reason,
    )
    return case_detail(actor, selectors.get_case(actor, tracking))


@router.post(
    "/reports/{tracking}/comments",
    response={201: EventOut},
    auth=scoped(ApiScope.REPORTS_WRITE),
    summary="Tanggapan atau catatan internal",
)
def comment(request, tracking: str, data: CommentIn):
    actor = request_actor(request)
    event = services.add_comment(
        actor=actor, case=selectors.get_case(actor, tracking), message=data.message, internal=data.internal
    )
    return Status(201, _event(event))


public_router = Router(tags=["publik"])


@public_router.get(
    "/public/reports/{tracking}",
    response=PublicCaseOut,
    auth=None,
    summary="Status publik laporan (tanpa data pribadi)",
)
def public_report(request, tracking: str):
    case = selectors.get_public_case(tracking)
    return {
        **_summary(case),
        "description": case.description,
        "region": {"code": case.region.code, "name": case.region.display_name},
        "timeline": [_event(e) for e in selectors.public_timeline(case)],
        "photos": [_photo(a) for a in selectors.photos(case).filter(kind="photo")],
        "clocks": _clocks(case),
    }
