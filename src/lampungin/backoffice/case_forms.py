"""The case page's forms for inter-agency work (decision 0010), without JavaScript.

Each POST endpoint parses its form, calls the existing service (``cases.joint``,
``cases.duplicates``) and redirects back to the case page with a message; refusals of
the service are shown as messages too. Who may post is decided by the services; the
page only shows each form to whoever may use it (``joint_context``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.accounts.access import Actor
from lampungin.agencies.models import Agency
from lampungin.backoffice.views import page_case, staff_required
from lampungin.cases import duplicates, joint, permissions, selectors
from lampungin.cases.choices import Action
from lampungin.cases.models import Case, CaseTask
from lampungin.core.errors import DomainError, NotFound


def joint_context(actor: Actor, case: Case, allowed: list[Action]) -> dict:
    """What the case page needs to show the task and merge forms to those who may use them."""
    may_open_task = permissions.handles(actor, case) and case.state in joint.TASK_STATES
    return {
        "may_open_task": may_open_task,
        "task_agencies": Agency.objects.filter(is_active=True).exclude(pk=case.agency_id).order_by("name")
        if may_open_task
        else Agency.objects.none(),
        # Merging rejects the source as a duplicate: whoever may reject it now may merge it.
        "may_merge": Action.REJECT in allowed,
        "may_complete_any_task": actor.platform_admin,
    }


def _run(request: HttpRequest, case: Case, call: Callable[[], object], success: str) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        errors = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
        for message_list in errors:
            for message in message_list:
                messages.error(request, message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("backoffice:case", tracking=case.tracking)


def _task_of(actor: Actor, case: Case, task_id: int) -> CaseTask:
    try:
        task = joint.get_task(actor, task_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if task.case_id != case.pk:
        raise Http404
    return task


@staff_required
@require_POST
def open_task(request: HttpRequest, actor: Actor, tracking: str) -> HttpResponse:
    case = page_case(actor, tracking)
    return _run(
        request,
        case,
        lambda: joint.open_task(
            actor=actor,
            case=case,
            agency_code=request.POST.get("agency", ""),
            description=request.POST.get("description", ""),
        ),
        _("Tugas penanganan bersama dibuat."),
    )


@staff_required
@require_POST
def complete_task(request: HttpRequest, actor: Actor, tracking: str, task_id: int) -> HttpResponse:
    case = page_case(actor, tracking)
    task = _task_of(actor, case, task_id)
    return _run(
        request,
        case,
        lambda: joint.complete_task(actor=actor, task=task, message=request.POST.get("message", "")),
        _("Tugas ditandai selesai."),
    )


@staff_required
@require_POST
def task_note(request: HttpRequest, actor: Actor, tracking: str, task_id: int) -> HttpResponse:
    case = page_case(actor, tracking)
    task = _task_of(actor, case, task_id)
    return _run(
        request,
        case,
        lambda: joint.add_task_note(actor=actor, task=task, message=request.POST.get("message", "")),
        _("Catatan tugas disimpan."),
    )


@staff_required
@require_POST
def merge(request: HttpRequest, actor: Actor, tracking: str) -> HttpResponse:
    case = page_case(actor, tracking)
    number = request.POST.get("target", "").strip()

    def call() -> None:
        if not number:
            raise ValidationError({"target": [_("Isi nomor pelacakan laporan tujuan.")]})
        try:
            target = selectors.get_case(actor, number)
        except NotFound as exc:
            raise NotFound(
                _("Laporan tujuan %(number)s tidak ditemukan atau tidak dapat Anda akses.")
                % {"number": number}
            ) from exc
        duplicates.merge_cases(
            actor=actor, source=case, target=target, message=request.POST.get("message", "")
        )

    return _run(request, case, call, _("Laporan digabungkan sebagai duplikat."))
