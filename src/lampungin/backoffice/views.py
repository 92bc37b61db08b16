"""Staff pages: the inbox and case work. Thin: parse, call a service, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor, actor_for
from lampungin.accounts.choices import AGENCY_ROLES
from lampungin.accounts.models import StaffMembership
from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency
from lampungin.analytics.forms import ServiceTimeFilterForm
from lampungin.analytics.selectors import service_time_report
from lampungin.backoffice.forms import ActionForm, CommentForm, InboxFilterForm
from lampungin.cases import clocks, joint, permissions, selectors, services
from lampungin.cases.choices import Action, RejectReason
from lampungin.cases.lifecycle import ACTOR_OF, TRANSITIONS, ActorKind
from lampungin.cases.models import Case
from lampungin.core.errors import DomainError, NotFound


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        actor = actor_for(request.user)
        if not actor.is_staff_member:
            return render(request, "backoffice/not_staff.html", status=403)
        return view(request, actor, *args, **kwargs)

    return wrapper


@staff_required
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.inbox(
        actor,
        state=filters.get("state", ""),
        mine=filters.get("mine", False),
        query=filters.get("q", ""),
        open_only=not filters.get("state"),
    )
    # Each row shows its next SLA deadline, read in the page query itself (no N+1).
    page = Paginator(clocks.with_next_clock(qs), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "backoffice/inbox.html",
        {"form": form, "page": page, "actor": actor, "params": params.urlencode()},
    )


def page_case(actor: Actor, tracking: str) -> Case:
    """The case of a /kantor/ case page (and its forms), or Http404 for who has no business there."""
    try:
        case = selectors.get_case(actor, tracking)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    # Joint-handling task agencies and validators work here too (decision 0010).
    if not (
        permissions.is_staff_reader(actor, case)
        or permissions.own_task_ids(actor, case)
        or (actor.agency_ids and permissions.is_validator(actor, case))
    ):
        raise Http404
    return case


@staff_required
def case_work(request: HttpRequest, actor: Actor, tracking: str) -> HttpResponse:
    case = page_case(actor, tracking)
    status = 200
    # Both import staff_required from here.
    from lampungin.backoffice.case_forms import joint_context
    from lampungin.backoffice.casework import case_context

    extra = case_context(request, actor, case)
    action_form, comment_form = ActionForm(), CommentForm(initial=extra["comment_initial"])
    if request.method == "POST":
        try:
            if request.POST.get("form") == "comment":
                comment_form = CommentForm(request.POST)
                if not comment_form.is_valid():
                    raise ValidationError(comment_form.errors)
                services.add_comment(
                    actor=actor,
                    case=case,
                    message=comment_form.cleaned_data["message"],
                    internal=comment_form.cleaned_data["internal"],
                )
            else:
                action_form = ActionForm(request.POST)
                if not action_form.is_valid():
                    raise ValidationError(action_form.errors)
                data = action_form.cleaned_data
                evidence = [
                    services.PhotoUpload(name=f.name, data=f.read())
                    for f in request.FILES.getlist("evidence")
                ]
                services.perform_action(
                    actor=actor,
                    case=case,
                    action=data["action"],
                    message=data["message"],
                    assignee_id=data.get("assignee"),
                    unit_id=data.get("unit"),
                    referred_to_code=data.get("referred_to", ""),
                    agency_code=data.get("agency", ""),
                    reject_reason=data.get("reject_reason", ""),
                    evidence=evidence,
                )
        except ValidationError as exc:
            for message_list in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                for message in message_list:
                    messages.error(request, message)
            status = 400
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("backoffice:case", tracking=case.tracking)
    allowed = [
        a
        for a, moves in TRANSITIONS.items()
        if case.state in moves
        and ACTOR_OF[a] != ActorKind.REPORTER
        # A reporter who validates does so on their own report page, not here.
        and (ACTOR_OF[a] == ActorKind.STAFF or not permissions.is_reporter(actor, case))
        and permissions.may_act(actor, case, a)
    ]
    # Each actor sees exactly the actions they may take (a verifier or a validator acts
    # without handling the case); replies are for those who handle it.
    handles = permissions.handles(actor, case)
    officers = (
        StaffMembership.objects.filter(agency_id=case.agency_id, role__in=AGENCY_ROLES, is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name")
    )
    return render(
        request,
        "backoffice/case.html",
        {
            "case": case,
            "actor": actor,
            "events": selectors.timeline(actor, case),
            "allowed": allowed,
            "handles": handles,
            "officers": officers,
            "units": case.agency.units.filter(is_active=True),
            "referral_targets": Agency.objects.filter(is_active=True).exclude(level=AgencyLevel.PROVINCE),
            "reject_reasons": RejectReason.choices,
            "Action": Action,
            "show_reporter": permissions.may_see_reporter(actor, case),
            "comment_form": comment_form,
            "photos": selectors.photos(case).filter(kind="photo"),
            "tasks": joint.task_views(actor, case),
            **joint_context(actor, case, allowed),
            **extra,
        },
        status=status,
    )


@staff_required
def service_times(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Kepatuhan waktu layanan over the cases this staff member may read."""
    form = ServiceTimeFilterForm(request.GET or None)
    report = form.report(lambda **filters: service_time_report(actor, **filters))
    return render(request, "backoffice/service_times.html", {"form": form, "report": report, "actor": actor})
