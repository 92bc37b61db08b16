"""Pinning a service to the citizen's account page (a plain form: works without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.core.errors import NotFound
from lampungin.web.services import set_favourite


@require_POST
@login_required
def toggle(request: HttpRequest, code: str) -> HttpResponse:
    try:
        pinned = set_favourite(
            user=request.user, service_code=code, favourite=request.POST.get("favourite") == "1"
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(
        request, _("Disimpan di akun Anda.") if pinned else _("Dihapus dari layanan favorit Anda.")
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("web:service", args=[code])
    return redirect(next_url)
