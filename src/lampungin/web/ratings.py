"""The reporter rates a resolved report: stars, a comment and, if they wish, the SKM survey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lampungin.accounts.access import actor_for
from lampungin.analytics import services as analytics_services
from lampungin.core.errors import DomainError
from lampungin.web.rating_forms import RatingForm
from lampungin.web.views import _own_case_or_404, add_errors


@login_required
def rate_report(request: HttpRequest, tracking: str) -> HttpResponse:
    actor = actor_for(request.user)
    case = _own_case_or_404(request, tracking)
    if not analytics_services.may_rate(actor, case):
        return redirect("web:my_report", tracking=case.tracking)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                analytics_services.rate_resolved_case(
                    actor=actor,
                    case=case,
                    stars=form.cleaned_data["stars"],
                    comment=form.cleaned_data["comment"],
                    skm=form.skm_scores(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Terima kasih atas penilaian Anda."))
                return redirect("web:my_report", tracking=case.tracking)
    return render(request, "web/rate_report.html", {"case": case, "form": form}, status=status)
