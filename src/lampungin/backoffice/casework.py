"""Staff pages of inter-agency work: the verifier queue, the workload view, picking up a
case waiting in one's unit, and the extra context of the case page (decision 0009)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.accounts.access import Actor
from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency
from lampungin.backoffice.views import staff_required
from lampungin.cases import dispositions, referrals, replies, routing, selectors, services
from lampungin.cases.choices import Action, TemplateVisibility
from lampungin.cases.models import Case
from lampungin.core.errors import DomainError, NotAllowed, NotFound


@staff_required
def verifier_queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not actor.verifier:
        raise Http404
    cases = list(routing.verifier_queue(actor)[:200])
    return render(request, "backoffice/verifier_queue.html", {"cases": cases, "actor": actor})


@staff_required
def workload(request: HttpRequest, actor: Actor) -> HttpResponse:
    agencies = Agency.objects.filter(is_active=True)
    if not actor.platform_admin:
        agencies = agencies.filter(pk__in=actor.admin_agency_ids)
    agencies = list(agencies.order_by("name"))
    if not agencies:
        raise Http404
    chosen = next((a for a in agencies if a.code == request.GET.get("instansi")), agencies[0])
    try:
        data = dispositions.workload(actor, chosen)
    except NotAllowed as exc:
        raise Http404 from exc
    return render(
        request, "backoffice/workload.html", {"workload": data, "agencies": agencies, "actor": actor}
    )


@staff_required
@require_POST
def pick_up(request: HttpRequest, actor: Actor, tracking: str) -> HttpResponse:
    try:
        case = selectors.get_case(actor, tracking)
        if not dispositions.may_pick_up(actor, case):
            raise NotAllowed(_("Laporan ini tidak menunggu di unit Anda."))
        services.perform_action(
            actor=actor,
            case=case,
            action=Action.ASSIGN,
            assignee_id=actor.user_id,
            unit_id=case.unit_id,
            message=_("Diambil oleh petugas unit."),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Laporan kini ditangani oleh Anda."))
    return redirect("backoffice:case", tracking=tracking)


def case_context(request: HttpRequest, actor: Actor, case: Case) -> dict:
    """What the case page shows about routing, referral, transfer and templates."""
    templates = list(replies.templates_for(case).select_related("category"))
    chosen = replies.template_for(case, request.GET.get("templat"))
    routed = routing.routing_of(case)
    suggested = routed.get("suggested_referral", "")
    return {
        "routing_text": routing.describe(routed),
        "suggested_referral": suggested,
        "referral_news": referrals.news(case) if case.referred_to_id else [],
        "referral_channel": referrals.channel_for(case.referred_to) if case.referred_to else None,
        "response_templates": templates,
        "chosen_template": chosen,
        "comment_initial": _template_initial(chosen),
        "province_agencies": Agency.objects.filter(is_active=True, level=AgencyLevel.PROVINCE)
        .exclude(pk=case.agency_id)
        .order_by("name"),
        "may_pick_up": dispositions.may_pick_up(actor, case),
        "is_verifier": actor.verifier,
    }


def _template_initial(template) -> dict:
    """The comment form pre-filled from a picked template (a GET form: works without JS)."""
    if template is None:
        return {}
    return {"message": template.body, "internal": template.visibility == TemplateVisibility.INTERNAL}
