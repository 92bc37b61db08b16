"""Staff page: the satisfaction index (IKM) of the agencies this staff member may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lampungin.accounts.access import Actor
from lampungin.analytics.ikm import GROUPINGS, ikm_summary, scope_responses
from lampungin.backoffice.views import staff_required


@staff_required
def ikm(request: HttpRequest, actor: Actor) -> HttpResponse:
    group_by = request.GET.get("per", "agency")
    if group_by not in GROUPINGS:
        group_by = "agency"
    rows = ikm_summary(scope_responses(actor), group_by=group_by)
    return render(
        request, "backoffice/ikm.html", {"ikm_rows": rows, "min_respondents": 1, "group_by": group_by}
    )
