"""Staff pages of service applications: the inbox of a step's agency and the work page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.applications import permissions, selectors, services
from lampungin.applications.choices import StepAction
from lampungin.backoffice.views import staff_required
from lampungin.core.errors import DomainError, NotFound
from lampungin.web.applications import step_rows


@staff_required
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Applications waiting at a step owned by the officer's agency, earliest deadline first."""
    page = Paginator(selectors.inbox(actor), 25).get_page(request.GET.get("page"))
    return render(request, "backoffice/application_inbox.html", {"page": page, "actor": actor})


@staff_required
def work(request: HttpRequest, actor: Actor, tracking: str) -> HttpResponse:
    try:
        application = selectors.get_application(actor, tracking)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not permissions.is_staff_reader(actor, application):
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            services.take_step_action(
                actor=actor,
                application=application,
                action=request.POST.get("action", ""),
                message=request.POST.get("message", ""),
                fields=request.POST.getlist("fields"),
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
            return redirect("backoffice:application", tracking=application.tracking)
    fields = list(application.process.fields.all())
    answers = [(f, application.answers.get(f.key, "")) for f in fields]
    return render(
        request,
        "backoffice/application_work.html",
        {
            "application": application,
            "answers": answers,
            "fields": fields,
            "files": selectors.current_files(application),
            "steps": step_rows(application),
            "events": selectors.timeline(application),
            "can_act": permissions.works_current_step(actor, application),
            "StepAction": StepAction,
            "letter": getattr(application, "letter", None),
        },
        status=status,
    )
