"""API keys of Open311 clients and the Open311 details of each request they filed."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "o311_"


class ApiKey(models.Model):
    """A key given to one outside application (a city's 311 app, a partner's reporting tool)
    that lets it file citizen reports through ``POST /open311/v2/requests``.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made
    (``lampungin apikey create NAME`` or the admin). Revoking keeps the row, so the reports
    a key filed still say where they came from.
    """

    name = models.CharField(_("nama aplikasi"), max_length=80, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi pemilik"),
        help_text=_("Instansi yang bertanggung jawab atas aplikasi ini (opsional)."),
    )
    key_prefix = models.CharField(_("awalan kunci"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Reporter of requests sent without e-mail or phone: a report always has a reporter,
    # and a request without contact data is the application's own word.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("akun aplikasi"),
    )
    # REST API v1 scopes (space-separated, see accounts.scopes); empty: Open311 only.
    scopes = models.CharField(
        _("cakupan API"),
        max_length=200,
        blank=True,
        help_text=_("Dipisah spasi, mis. 'reports:read staff:inbox'. Kosong: hanya Open311."),
    )
    created_at = models.DateTimeField(_("dibuat"), editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kunci API Open311")
        verbose_name_plural = _("kunci API Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def clean(self) -> None:
        from lampungin.accounts.scopes import API_SCOPES, STAFF_SCOPES

        scopes = set(self.scopes.split())
        if scopes - API_SCOPES:
            raise ValidationError(
                {"scopes": _("Cakupan tidak dikenal: %s") % ", ".join(sorted(scopes - API_SCOPES))}
            )
        if scopes & STAFF_SCOPES and not self.agency_id:
            raise ValidationError({"scopes": _("Cakupan petugas memerlukan instansi pemilik.")})

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)


class Open311Request(models.Model):
    """How a case arrived through Open311: the key that sent it and what the client sent
    beside the report itself (its device and account ids, attribute answers, media URL).

    Kept apart from the case so that the case and its timeline stay channel-neutral; none
    of this is ever shown by the public GET endpoints.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="open311")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    # NULL, not "", so that the unique constraint ignores requests sent without a key.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    device_id = models.CharField(max_length=200, blank=True)
    account_id = models.CharField(max_length=200, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permintaan Open311")
        verbose_name_plural = _("permintaan Open311")
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "idempotency_key"],
                name="unique_open311_idempotency",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.api_key.name}: {self.case.tracking}"
