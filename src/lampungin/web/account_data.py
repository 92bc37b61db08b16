"""My data on the citizen pages: download everything held about me, delete my account.

The download is the very export of ``GET /api/v1/me/export`` (``api.personal_data.export``);
the deletion calls ``accounts.services.delete_account`` after the password is confirmed.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lampungin.accounts.services import delete_account
from lampungin.api import personal_data
from lampungin.core.errors import DomainError


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi Anda"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@never_cache
@login_required
def download(request: HttpRequest) -> HttpResponse:
    """``/akun/data-saya.json``: the same export as the API, as a file to keep (NIK masked)."""
    body = json.dumps(personal_data.export(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"lampungin-data-saya-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """``/akun/hapus/``: explain what deletion does, confirm with the password, then delete."""
    form = DeleteAccountForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        if not request.user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("Kata sandi salah. Akun Anda tidak dihapus."))
        else:
            try:
                delete_account(user=request.user)
            except DomainError as exc:
                refusal = exc.message
            else:
                logout(request)
                messages.success(
                    request, _("Akun Anda sudah dihapus. Terima kasih telah menggunakan Lampung In.")
                )
                return redirect("web:home")
    status = 200
    if refusal:
        status = 409
    elif form.errors:
        status = 400
    return render(request, "web/account_delete.html", {"form": form, "refusal": refusal}, status=status)
