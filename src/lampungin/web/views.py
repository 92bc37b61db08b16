"""Citizen pages. Each view parses a form, calls a service or selector, renders."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.accounts import throttle
from lampungin.accounts.access import actor_for
from lampungin.accounts.services import register_citizen
from lampungin.analytics.forms import ServiceTimeFilterForm
from lampungin.analytics.selectors import public_service_time_report
from lampungin.cases import duplicates, permissions, selectors, services
from lampungin.cases.choices import Action, CaseState, Channel
from lampungin.cases.lifecycle import TRANSITIONS
from lampungin.cases.models import Attachment
from lampungin.catalog.choices import ServiceKind
from lampungin.catalog.models import Service, ServiceGroup
from lampungin.catalog.selectors import published_services
from lampungin.core.errors import DomainError, NotFound
from lampungin.core.ids import normalize_tracking_number
from lampungin.integrations.oidc.selectors import sso_application_for
from lampungin.notifications.selectors import for_user
from lampungin.web import location, similar
from lampungin.web.forms import LoginForm, MessageForm, ReportForm, SignupForm, TrackingLookupForm
from lampungin.web.selectors import current_announcements, popular_services


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's field errors on the form (unknown fields become form-wide errors)."""
    for field, field_messages in (
        exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    ):
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    group = request.GET.get("kelompok", "")
    services_qs = published_services(query, group)
    groups = ServiceGroup.objects.annotate(n=Count("services", filter=Q(services__is_published=True))).filter(
        n__gt=0
    )
    return render(
        request,
        "web/home.html",
        {
            "services": services_qs[:60],
            "groups": groups,
            "query": query,
            "group": group,
            "lookup": TrackingLookupForm(),
            "announcements": current_announcements(),
            # Only on the plain home page: a search shows its results first.
            "popular": [] if query or group else popular_services(),
        },
    )


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.select_related("agency", "group"), code=code, is_published=True
    )
    # One cheap UPDATE per view (no read-modify-write): feeds "Layanan terpopuler" on the home page.
    Service.objects.filter(pk=service.pk).update(view_count=F("view_count") + 1)
    standard = [
        (service._meta.get_field(name).verbose_name, getattr(service, name))
        for name in Service.STANDARD_FIELDS
    ]
    # An app registered for single sign-on opens with "Masuk dengan Lampung In".
    sso_app = sso_application_for(service) if service.kind == ServiceKind.APP else None
    return render(
        request, "web/service_detail.html", {"service": service, "standard": standard, "sso_app": sso_app}
    )


def lookup(request: HttpRequest) -> HttpResponse:
    number = normalize_tracking_number(request.GET.get("tracking", ""))
    if not number:
        messages.error(request, _("Nomor pelacakan tidak valid. Contoh: LPG-7K3M-Q9."))
        return redirect("web:home")
    return redirect("web:public_report", tracking=number)


def public_report(request: HttpRequest, tracking: str) -> HttpResponse:
    try:
        case = selectors.get_public_case(tracking)
    except NotFound:
        return render(request, "web/not_found.html", {"tracking": tracking}, status=404)
    return render(
        request,
        "web/public_report.html",
        {
            "case": case,
            "events": selectors.public_timeline(case),
            "photos": selectors.photos(case).filter(kind="photo"),
            "supporters": duplicates.supporter_count(case),
            "may_support": request.user.is_authenticated and case.reporter_id != request.user.pk,
        },
    )


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            throttle.check_signup(request)
            user = register_citizen(**form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            login(request, user, backend="lampungin.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Akun Anda sudah dibuat. Selamat datang!"))
            return redirect("web:account")
    if form.errors and status == 200:
        status = 400
    return render(request, "web/signup.html", {"form": form}, status=status)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, **form.cleaned_data)
        blocked = throttle.blocked_message(request)
        if blocked:
            form.add_error(None, blocked)
            status = 429
        elif user is None:
            form.add_error(None, _("E-mail/nomor HP atau kata sandi salah."))
        else:
            login(request, user)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = ""
            return redirect(
                next_url or ("backoffice:inbox" if actor_for(user).is_staff_member else "web:account")
            )
    if form.errors and status == 200:
        status = 400
    return render(request, "web/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and location.PICK_VILLAGE in request.POST:
        return location.village_step(request)  # "Pilih desa" without JavaScript: nothing is filed
    if request.method == "GET" and similar.CHECK in request.GET:
        return similar.similar_step(request)  # "Cek laporan serupa" without JavaScript: nothing is filed
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            services.check_report_rate(request.user, idempotency_key=request.POST.get("idempotency_key", ""))
        except DomainError as exc:
            # Keep the form's key: the same report sent again later must still be filed once.
            key = request.POST.get("idempotency_key") or uuid.uuid4().hex
            return render(
                request,
                "web/report_new.html",
                {"form": form, "rate_limited": exc.message, "idempotency_key": key},
                status=exc.status,
            )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        district, regency = data.get("district") or "", data.get("regency") or ""
        if district and regency and not district.startswith(regency + "."):
            form.add_error("district", _("Kecamatan tidak berada di kabupaten/kota yang dipilih."))
        else:
            uploads = [
                services.PhotoUpload(name=f.name, data=f.read()) for f in request.FILES.getlist("photos")
            ]
            try:
                result = services.submit_report(
                    reporter=request.user,
                    report_type=data["report_type"],
                    category_code=data["category"],
                    description=data["description"],
                    title=data["title"],
                    privacy=data["privacy"],
                    region_code=form.location_code(),
                    lat=data.get("lat"),
                    lng=data.get("lng"),
                    address=data["address"],
                    photos=uploads,
                    channel=Channel.WEB,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("web:report_done", tracking=result.case.tracking)
    # One key per filled-in form: a double tap or a re-sent POST files the report once.
    key = request.POST.get("idempotency_key") or uuid.uuid4().hex
    return render(
        request,
        "web/report_new.html",
        {"form": form, "idempotency_key": key},
        status=400 if form.errors else 200,
    )


@login_required
def report_done(request: HttpRequest, tracking: str) -> HttpResponse:
    case = _own_case_or_404(request, tracking)
    public_url = ""
    if case.is_public:  # confidential reports have no public page
        public_url = request.build_absolute_uri(reverse("web:public_report", args=[case.tracking]))
    return render(request, "web/report_done.html", {"case": case, "public_url": public_url})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    return render(
        request,
        "web/account.html",
        {
            "reports": selectors.my_reports(actor)[:50],
            "notifications": for_user(request.user.pk)[:20],
            "is_staff_member": actor.is_staff_member,
        },
    )


def _own_case_or_404(request: HttpRequest, tracking: str):
    actor = actor_for(request.user)
    try:
        case = selectors.get_case(actor, tracking)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not permissions.is_reporter(actor, case):
        raise Http404
    return case


@login_required
def my_report(request: HttpRequest, tracking: str) -> HttpResponse:
    """The reporter's own view: full timeline (without internal notes) and their actions."""
    actor = actor_for(request.user)
    case = _own_case_or_404(request, tracking)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "comment":
                services.add_comment(actor=actor, case=case, message=request.POST.get("message", ""))
            else:
                services.perform_action(
                    actor=actor, case=case, action=action, message=request.POST.get("message", "")
                )
        except ValidationError as exc:
            add_errors(form, exc)
            status = 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Tanggapan Anda sudah tercatat."))
            return redirect("web:my_report", tracking=case.tracking)
    allowed = [a for a in (Action.CONFIRM, Action.DISPUTE, Action.REPORTER_REPLY) if case.state in _moves(a)]
    return render(
        request,
        "web/my_report.html",
        {
            "case": case,
            "events": selectors.timeline(actor, case),
            "form": form,
            "allowed": allowed,
            "photos": selectors.photos(case).filter(kind="photo"),
            "CaseState": CaseState,
        },
        status=status,
    )


def _moves(action: Action):
    return TRANSITIONS[action]


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a photo only to those who may see its case (media are never public by URL)."""
    att = get_object_or_404(Attachment.objects.select_related("case", "event"), pk=pk)
    actor = actor_for(request.user)
    case = att.case
    visible = case.is_public and (att.event is None or att.event.visibility == "public")
    if not visible:
        visible = permissions.scope_cases(actor).filter(pk=case.pk).exists()
    if not visible:
        raise Http404
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def service_times(request: HttpRequest) -> HttpResponse:
    """Kepatuhan waktu layanan: public aggregates, no personal data."""
    form = ServiceTimeFilterForm(request.GET or None)
    report = form.report(public_service_time_report)
    return render(request, "web/service_times.html", {"form": form, "report": report})
