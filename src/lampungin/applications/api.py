"""API: service applications for citizens (list, detail, submit, correct) and staff step actions."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lampungin.accounts.access import Actor
from lampungin.accounts.api_auth import AUTH, request_actor, require_scopes, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.applications import permissions, selectors, services, withdrawal
from lampungin.applications.choices import ApplicationState, StepAction
from lampungin.applications.formdef import Upload
from lampungin.applications.letters import verification_url
from lampungin.applications.models import Application

router = Router(tags=["permohonan"], auth=AUTH)
public_router = Router(tags=["permohonan"])

MAX_UPLOAD = 20 * 1024 * 1024  # read at most this much of any upload; fields set their own limits


class StepOut(Schema):
    order: int
    name: str
    agency: str
    state: str
    state_label: str
    sla_working_days: int
    started_at: datetime | None
    due_at: datetime | None
    paused: bool
    finished_at: datetime | None


class EventOut(Schema):
    seq: int
    kind: str
    step: int | None
    actor_label: str
    message: str
    created_at: datetime
    hash: str


class ApplicationSummaryOut(Schema):
    tracking: str
    service: str
    service_name: str
    state: str
    state_label: str
    current_step: int | None
    created_at: datetime
    updated_at: datetime


class LetterOut(Schema):
    number: str
    title: str
    status: str
    issued_at: datetime
    sha256: str
    verification_url: str


class ApplicationOut(ApplicationSummaryOut):
    answers: dict[str, str]
    returned_fields: list[str]
    decision_note: str
    steps: list[StepOut]
    events: list[EventOut]
    letter: LetterOut | None
    allowed_actions: list[str]


class StepActionIn(Schema):
    action: StepAction
    message: str = ""
    fields: list[str] = []


class VerificationOut(Schema):
    status: str
    status_label: str
    title: str
    number: str
    service: str
    issued_at: datetime
    issuing_agency: str
    holder: str
    sha256: str


def _summary(a: Application) -> dict:
    return {
        "tracking": a.tracking,
        "service": a.service.code,
        "service_name": a.service.name,
        "state": a.state,
        "state_label": str(ApplicationState(a.state).label),
        "current_step": a.current_step.order if a.current_step_id else None,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _detail(actor: Actor, a: Application) -> dict:
    letter = getattr(a, "letter", None)
    return {
        **_summary(a),
        "answers": a.answers,
        "returned_fields": a.returned_fields,
        "decision_note": a.decision_note,
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "agency": s.agency.short_name or s.agency.name,
                "state": s.state,
                "state_label": s.get_state_display(),
                "sla_working_days": s.sla_working_days,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "paused": s.paused_at is not None,
                "finished_at": s.finished_at,
            }
            for s in selectors.steps(a)
        ],
        "events": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "step": e.step_order,
                "actor_label": e.actor_label,
                "message": e.message,
                "created_at": e.created_at,
                "hash": e.hash,
            }
            for e in selectors.timeline(a)
        ],
        "letter": {
            "number": letter.number,
            "title": letter.title,
            "status": letter.status,
            "issued_at": letter.issued_at,
            "sha256": letter.sha256,
            "verification_url": verification_url(letter.code),
        }
        if letter
        else None,
        "allowed_actions": [a.value for a in StepAction] if permissions.works_current_step(actor, a) else [],
    }


def _uploads(request: HttpRequest) -> dict[str, Upload | None]:
    return {key: Upload(name=f.name or key, data=f.read(MAX_UPLOAD + 1)) for key, f in request.FILES.items()}


def _answers(request: HttpRequest) -> dict[str, str]:
    return {key: value for key, value in request.POST.items() if key != "service"}


READ, WRITE = scoped(ApiScope.APPLICATIONS_READ), scoped(ApiScope.APPLICATIONS_WRITE)


@router.get("/applications", response=list[ApplicationSummaryOut], auth=READ, summary="Permohonan saya")
def my_applications(request: HttpRequest):
    return [_summary(a) for a in selectors.my_applications(request_actor(request))[:100]]


@router.get(
    "/applications/inbox",
    response=list[ApplicationSummaryOut],
    auth=scoped(ApiScope.STAFF_INBOX),
    summary="Permohonan di tahap instansi saya",
)
def inbox(request: HttpRequest):
    return [_summary(a) for a in selectors.inbox(request_actor(request))[:200]]


@router.get(
    "/applications/{tracking}", response=ApplicationOut, summary="Rincian permohonan dengan tahapannya"
)
def detail(request: HttpRequest, tracking: str):
    """The applicant reads with ``applications:read``, staff with ``staff:inbox``."""
    actor = request_actor(request)
    a = selectors.get_application(actor, tracking)
    require_scopes(
        request, ApiScope.APPLICATIONS_READ if permissions.is_applicant(actor, a) else ApiScope.STAFF_INBOX
    )
    return _detail(actor, a)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    auth=WRITE,
    summary="Ajukan permohonan (multipart: `service` = kode layanan, lalu satu bagian per isian)",
)
def submit(request: HttpRequest):
    """Each form field is a multipart part named by its key; files as file parts."""
    a = services.submit_application(
        applicant=request.auth,
        service_code=request.POST.get("service", ""),
        answers=_answers(request),
        files=_uploads(request),
    )
    actor = request_actor(request)
    return Status(201, _detail(actor, selectors.get_application(actor, a.tracking)))


@router.post(
    "/applications/{tracking}/resubmit",
    response=ApplicationOut,
    auth=WRITE,
    summary="Kirim perbaikan (multipart)",
)
def resubmit(request: HttpRequest, tracking: str):
    actor = request_actor(request)
    a = selectors.get_application(actor, tracking)
    services.resubmit_application(
        actor=actor, application=a, answers=_answers(request), files=_uploads(request)
    )
    return _detail(actor, selectors.get_application(actor, tracking))


class WithdrawIn(Schema):
    reason: str = ""


@router.post(
    "/applications/{tracking}/withdraw", response=ApplicationOut, auth=WRITE, summary="Tarik permohonan saya"
)
def withdraw(request: HttpRequest, tracking: str, data: WithdrawIn):
    actor = request_actor(request)
    a = selectors.get_application(actor, tracking)
    withdrawal.withdraw_application(actor=actor, application=a, reason=data.reason)
    return _detail(actor, selectors.get_application(actor, tracking))


@router.post(
    "/applications/{tracking}/actions",
    response=ApplicationOut,
    auth=scoped(ApiScope.STAFF_ACT),
    summary="Keputusan petugas pada tahap ini",
)
def step_action(request: HttpRequest, tracking: str, data: StepActionIn):
    actor = request_actor(request)
    a = selectors.get_application(actor, tracking)
    services.take_step_action(
        actor=actor, application=a, action=data.action, message=data.message, fields=data.fields
    )
    return _detail(actor, selectors.get_application(actor, tracking))


@public_router.get("/letters/{code}", response=VerificationOut, summary="Verifikasi surat (publik)")
def verify_letter(request: HttpRequest, code: str):
    letter = selectors.letter_by_code(code)
    return {
        "status": letter.status,
        "status_label": letter.get_status_display(),
        "title": letter.title,
        "number": letter.number,
        "service": letter.application.service.name,
        "issued_at": letter.issued_at,
        "issuing_agency": letter.issuing_agency.name,
        "holder": selectors.mask_name(letter.application.applicant_name),
        "sha256": letter.sha256,
    }
