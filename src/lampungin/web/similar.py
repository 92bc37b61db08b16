"""Likely duplicates on /lapor/ (decision 0010): "Cek laporan serupa" and "Dukung laporan ini".

Without JavaScript the "Cek laporan serupa" button submits the filled form with GET
(``formmethod="get"``): nothing is filed, the same form comes back filled in with the
candidates under it. With JavaScript, ``static/lampungin/similar.js`` asks
``GET /api/v1/reports/similar`` and shows the same list. Each candidate has a "Dukung
laporan ini" button (POST), which makes the citizen a supporter instead of a second
report.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.accounts.access import actor_for
from lampungin.cases import duplicates
from lampungin.core.errors import DomainError
from lampungin.web.forms import ReportForm

CHECK = "cek_serupa"


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def similar_step(request: HttpRequest) -> HttpResponse:
    """The report form again, filled with what was typed, with the likely duplicates listed."""
    data = request.GET
    initial = {key: data.get(key) for key in data if key not in {CHECK, "photos"}}
    candidates = duplicates.similar_reports(
        category_code=data.get("category", ""),
        text=f"{data.get('title', '')} {data.get('description', '')}"[:4000],
        lat=_float(data.get("lat")),
        lng=_float(data.get("lng")),
        region_code=data.get("district") or data.get("regency") or "",
        exclude_reporter_id=request.user.pk,
    )
    return render(
        request,
        "web/report_new.html",
        {
            "form": ReportForm(initial=initial),
            "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
            "similar_checked": True,
            "similar": candidates,
        },
    )


@login_required
@require_POST
def support(request: HttpRequest, tracking: str) -> HttpResponse:
    """ "Dukung laporan ini": support someone else's report instead of filing a duplicate."""
    try:
        _support, created = duplicates.support_case(actor=actor_for(request.user), tracking=tracking)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:report_new")
    if created:
        messages.success(
            request, _("Terima kasih, dukungan Anda tercatat. Anda akan diberi tahu setiap perkembangannya.")
        )
    else:
        messages.info(request, _("Anda sudah mendukung laporan ini."))
    return redirect("web:public_report", tracking=tracking)
