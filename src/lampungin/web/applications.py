"""Citizen pages of service applications (permohonan) and the public letter check.

Thin: parse, call ``applications.services`` or ``selectors``, render. Files and letters
are served only to the applicant and the staff who may read the application.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.accounts.access import actor_for
from lampungin.applications import permissions, selectors, services, stepclock, withdrawal
from lampungin.applications.choices import ApplicationState
from lampungin.applications.forms import ApplicationForm
from lampungin.applications.letters import grouped
from lampungin.applications.models import ApplicationFile, ServiceProcess
from lampungin.cases.clocks import due_text
from lampungin.core import clock
from lampungin.core.errors import DomainError, NotFound


def step_rows(application) -> list[dict]:
    """Each step with its deadline in WIB and whether it ran late (pages of citizens and staff)."""
    now = clock.now()
    return [
        {
            "step": s,
            "due_text": due_text(s.due_at) if s.due_at else "",
            "late": stepclock.is_late(s, now),
            "paused": s.paused_at is not None,
        }
        for s in selectors.steps(application)
    ]


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """``/layanan/<code>/ajukan/``: the form generated from the service's definition."""
    process = get_object_or_404(
        ServiceProcess.objects.select_related("service", "service__agency"),
        service__code=code,
        service__is_published=True,
        is_active=True,
    )
    fields = list(process.fields.all())
    form = ApplicationForm(fields, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        try:
            application = services.submit_application(
                applicant=request.user, service_code=code, answers=form.answers(), files=form.uploads()
            )
        except ValidationError as exc:
            form.is_valid()
            form.show_errors(exc)
            status = 400
        except DomainError as exc:
            form.is_valid()
            form.show_errors(ValidationError(exc.message))
            status = exc.status
        else:
            messages.success(
                request, _("Permohonan terkirim. Nomor permohonan Anda: %(n)s") % {"n": application.tracking}
            )
            return redirect("web:my_application", tracking=application.tracking)
    steps = process.steps.select_related("agency").order_by("order")
    return render(
        request,
        "web/application_apply.html",
        {"process": process, "service": process.service, "form": form, "steps": steps},
        status=status,
    )


def _own_application(request: HttpRequest, tracking: str):
    actor = actor_for(request.user)
    try:
        application = selectors.get_application(actor, tracking)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not permissions.is_applicant(actor, application):
        raise Http404
    return actor, application


@login_required
def my_application(request: HttpRequest, tracking: str) -> HttpResponse:
    """``/akun/permohonan/<tracking>/``: steps, timeline, letter; the correction form when returned."""
    actor, application = _own_application(request, tracking)
    form = None
    status = 200
    if application.state == ApplicationState.RETURNED:
        flagged = [f for f in application.process.fields.all() if f.key in application.returned_fields]
        initial = {k: v for k, v in application.answers.items() if k in application.returned_fields}
        form = ApplicationForm(flagged, request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST":
            try:
                services.resubmit_application(
                    actor=actor, application=application, answers=form.answers(), files=form.uploads()
                )
            except ValidationError as exc:
                form.is_valid()
                form.show_errors(exc)
                status = 400
            except DomainError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Perbaikan terkirim; permohonan diproses kembali."))
                return redirect("web:my_application", tracking=application.tracking)
    letter = getattr(application, "letter", None) if application.state == ApplicationState.APPROVED else None
    return render(
        request,
        "web/application_detail.html",
        {
            "application": application,
            "steps": step_rows(application),
            "events": selectors.timeline(application),
            "files": selectors.current_files(application),
            "form": form,
            "letter": letter,
            "letter_code": grouped(letter.code) if letter else "",
        },
        status=status,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, tracking: str) -> HttpResponse:
    """The applicant takes back an open application (the form is on the detail page)."""
    actor, application = _own_application(request, tracking)
    try:
        withdrawal.withdraw_application(
            actor=actor, application=application, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permohonan ditarik. Petugas tidak lagi memprosesnya."))
    return redirect("web:my_application", tracking=application.tracking)


def _readable(request: HttpRequest, application) -> bool:
    actor = actor_for(request.user)
    return permissions.is_applicant(actor, application) or permissions.is_staff_reader(actor, application)


@login_required
def application_file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded document, only for the applicant and staff who may read the application."""
    row = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=pk)
    if not _readable(request, row.application):
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def letter_pdf(request: HttpRequest, tracking: str) -> FileResponse:
    """The letter's PDF, for the applicant and staff who may read the application (like /lampiran/)."""
    try:
        application = selectors.get_application(actor_for(request.user), tracking)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    letter = getattr(application, "letter", None)
    if letter is None or not _readable(request, application):
        raise Http404
    response = FileResponse(
        letter.file.open("rb"), content_type="application/pdf", filename=f"{application.tracking}.pdf"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """``/verifikasi/<code>``: public check of a letter; no personal data beyond a masked name."""
    try:
        letter = selectors.letter_by_code(code)
    except NotFound as exc:
        return render(request, "web/letter_verify.html", {"letter": None, "message": exc.message}, status=404)
    return render(
        request,
        "web/letter_verify.html",
        {
            "letter": letter,
            "code": grouped(letter.code),
            "holder": selectors.mask_name(letter.application.applicant_name),
        },
    )
