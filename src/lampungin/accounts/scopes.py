"""What a credential may do in the REST API: the API scopes.

A browser session and a personal API token act with every scope of their user (they are
the person). An OIDC access token carries the scopes the person consented to for that app;
an agency system's API key carries the scopes a platform admin gave it. Scopes only ever
narrow what the user or key may do: scoping of the data (``cases.permissions``) still
applies on top.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    REPORTS_READ = "reports:read", _("Membaca laporan Anda")
    REPORTS_WRITE = "reports:write", _("Mengirim laporan dan menanggapi laporan Anda")
    STAFF_INBOX = "staff:inbox", _("Membaca kotak masuk petugas")
    STAFF_ACT = "staff:act", _("Menindaklanjuti laporan sebagai petugas")
    ACCOUNT = "account", _("Mengelola akun, notifikasi, dan data pribadi Anda")
    APPLICATIONS_READ = "applications:read", _("Membaca permohonan layanan Anda")
    APPLICATIONS_WRITE = (
        "applications:write",
        _("Mengajukan, memperbaiki, dan menarik permohonan layanan Anda"),
    )


API_SCOPES = frozenset(ApiScope.values)
# Scopes that act as a civil servant: never granted to an app by default.
STAFF_SCOPES = frozenset({ApiScope.STAFF_INBOX.value, ApiScope.STAFF_ACT.value})


def parse_scopes(text: str) -> frozenset[str]:
    """The API scopes named in a space-separated list; other words (``openid``…) are ignored."""
    return frozenset(text.split()) & API_SCOPES
