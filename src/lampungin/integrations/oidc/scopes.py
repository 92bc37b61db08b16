"""The scopes Lampung In offers, explained to citizens, and the per-application allow-list.

django-oauth-toolkit asks a *scopes backend* which scopes an application may request;
ours answers with the application's allow-list, so an app asking for a scope the platform
admin did not allow gets ``invalid_scope`` from the server, whatever the app sends.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

from lampungin.accounts.scopes import ApiScope
from lampungin.integrations.oidc.choices import Scope

# Shown on the consent screen, one line per requested scope, in plain Indonesian.
EXPLANATIONS = {
    Scope.OPENID: _(
        "Aplikasi tahu bahwa Anda masuk dengan akun Lampung In. Aplikasi menerima kode pengenal "
        "acak yang khusus untuk aplikasi itu, bukan NIK atau nomor akun Anda."
    ),
    Scope.PROFILE: _("Nama lengkap Anda, untuk menyapa Anda di aplikasi."),
    Scope.EMAIL: _("Alamat e-mail Anda, agar aplikasi dapat mengirim kabar kepada Anda."),
    Scope.PHONE: _("Nomor HP Anda, agar aplikasi dapat menghubungi Anda."),
    Scope.NIK: _(
        "Nomor Induk Kependudukan (NIK) Anda. NIK adalah data pribadi: izinkan hanya jika "
        "aplikasi ini memerlukannya untuk layanan yang Anda minta."
    ),
    Scope.ROLES: _(
        "Peran Anda sebagai petugas di Lampung In (instansi dan jabatan), agar aplikasi "
        "memberi akses kerja yang sesuai."
    ),
}


def known_scopes() -> list[str]:
    """Every scope the provider understands, in display order: identity scopes, then the
    REST API scopes an app may ask for to act for the person (docs/api/README.md)."""
    return [str(scope) for scope in Scope] + [str(scope) for scope in ApiScope]


def scope_label(scope: str) -> str:
    choice = Scope(scope) if scope in Scope.values else ApiScope(scope)
    return str(choice.label)


def scope_explanation(scope: str) -> str:
    """The consent screen's line for ``scope``; API scopes say what the app may do for the person."""
    if scope in Scope.values:
        return str(EXPLANATIONS[Scope(scope)])
    return _("Aplikasi dapat bertindak atas nama Anda: %(what)s.") % {
        "what": str(ApiScope(scope).label).lower()
    }


class ApplicationScopes(BaseScopes):
    """Scopes backend: all known scopes, narrowed to what the application is allowed."""

    def get_all_scopes(self) -> dict[str, Any]:
        return {scope: scope_label(scope) for scope in known_scopes()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        if application is None:
            return known_scopes()
        allowed = application.allowed_scope_set
        return [scope for scope in known_scopes() if scope in allowed]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return [Scope.OPENID.value]
