from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a regional app may ask to know about a person (OIDC scopes)."""

    OPENID = "openid", _("Identitas masuk")
    PROFILE = "profile", _("Nama")
    EMAIL = "email", _("Alamat e-mail")
    PHONE = "phone", _("Nomor HP")
    NIK = "nik", _("NIK")
    ROLES = "lampungin_roles", _("Peran petugas")


# Scopes that a platform admin must allow explicitly for an app; the citizen still consents.
RESTRICTED_SCOPES = frozenset({Scope.NIK, Scope.ROLES})
DEFAULT_ALLOWED_SCOPES = (Scope.OPENID, Scope.PROFILE, Scope.EMAIL)


class ConsentEnd(models.TextChoices):
    """Why a consent stopped being in force."""

    REVOKED = "revoked", _("Dicabut oleh warga")
    REPLACED = "replaced", _("Diganti izin yang lebih luas")


class ClientType(models.TextChoices):
    """OAuth client types (RFC 6749 §2.1), in the admin's words."""

    CONFIDENTIAL = "confidential", _("Rahasia (aplikasi server, punya client secret)")
    PUBLIC = "public", _("Publik (aplikasi seluler/SPA, tanpa client secret)")
