"""Single sign-on: registered regional apps, citizens' consents, signing keys, subject seeds."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication, ApplicationManager

from lampungin.integrations.oidc.choices import DEFAULT_ALLOWED_SCOPES, ConsentEnd, Scope
from lampungin.integrations.oidc.scopes import known_scopes, scope_label


class Application(AbstractApplication):
    """A regional app that signs people in with Lampung In (an OpenID Connect relying party).

    A platform admin registers it for the agency that runs it and decides which scopes it may
    ask for (``allowed_scopes``); the citizen then decides, on the consent screen, whether it
    gets them. Swapped in for django-oauth-toolkit's own application model
    (``OAUTH2_PROVIDER_APPLICATION_MODEL``), so tokens and grants point at it.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sso_applications",
        verbose_name=_("instansi pengelola"),
    )
    allowed_scopes = models.CharField(
        _("cakupan yang diizinkan"),
        max_length=200,
        default=" ".join(DEFAULT_ALLOWED_SCOPES),
        help_text=_("Dipisah spasi. 'nik' dan 'lampungin_roles' hanya untuk aplikasi yang memerlukannya."),
    )
    catalog_service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sso_application",
        verbose_name=_("entri katalog"),
        help_text=_("Layanan berjenis aplikasi yang dibuka dengan 'Masuk dengan Lampung In'."),
    )
    # Pairwise subject identifiers are derived from this value (OIDC Core §8.1): the host of
    # the redirect URI at registration, kept even if the URIs change later, so that an app
    # that moves its callback does not see all its users as new people.
    sector_identifier = models.CharField(
        _("pengenal sektor"),
        max_length=255,
        blank=True,
        help_text=_("Dasar pengenal pengguna (sub) untuk aplikasi ini. Jangan diubah setelah dipakai."),
    )

    objects = ApplicationManager()

    class Meta(AbstractApplication.Meta):
        verbose_name = _("aplikasi terhubung (SSO)")
        verbose_name_plural = _("aplikasi terhubung (SSO)")

    def natural_key(self) -> tuple[str]:
        return (self.client_id,)

    @property
    def allowed_scope_set(self) -> frozenset[str]:
        return frozenset(self.allowed_scopes.split())

    @property
    def jwk_key(self):
        """The current ID-token signing key (kept in :class:`SigningKey`, not in settings)."""
        from lampungin.integrations.oidc.keys import current_signing_key

        return current_signing_key().jwk

    def clean(self) -> None:
        errors: dict = {}
        # django-oauth-toolkit refuses RS256 unless the OIDC_RSA_PRIVATE_KEY setting holds a
        # key; ours live in the database (rotation without a restart), so its check is run
        # as for an application without a signing algorithm and ours is applied below.
        algorithm, self.algorithm = self.algorithm, self.NO_ALGORITHM
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        finally:
            self.algorithm = algorithm
        unknown = sorted(self.allowed_scope_set - set(known_scopes()))
        if unknown:
            errors.setdefault("allowed_scopes", []).append(
                ValidationError(_("Cakupan tidak dikenal: %(scopes)s"), params={"scopes": ", ".join(unknown)})
            )
        if Scope.OPENID not in self.allowed_scope_set:
            errors.setdefault("allowed_scopes", []).append(ValidationError(_("Cakupan 'openid' wajib ada.")))
        # Fixed by the registry, never chosen in a form: reported form-wide.
        if self.authorization_grant_type != self.GRANT_AUTHORIZATION_CODE:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(_("Aplikasi SSO hanya memakai authorization code (dengan PKCE)."))
            )
        if self.algorithm != self.RS256_ALGORITHM:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(_("ID token ditandatangani RS256."))
            )
        if self.skip_authorization:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(_("Lampung In selalu meminta izin warga; persetujuan tidak bisa dilewati."))
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if not self.sector_identifier:
            uris = self.redirect_uris.split()
            self.sector_identifier = (urlparse(uris[0]).hostname if uris else "") or self.client_id
        super().save(*args, **kwargs)


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(revoked_at__isnull=True)


class Consent(models.Model):
    """A citizen's permission for one app to receive some of their data (UU 27/2022).

    One row per decision: widening a consent ends the old row (``replaced``) and starts a new
    one, so the history of what was shared and when stays readable. At most one row per
    person and app is in force (``revoked_at`` empty).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_consents",
        verbose_name=_("warga"),
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consents", verbose_name=_("aplikasi")
    )
    scopes = models.CharField(_("cakupan"), max_length=200)
    granted_at = models.DateTimeField(_("diberikan"), default=timezone.now)
    revoked_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    ended_because = models.CharField(
        _("alasan berakhir"), max_length=10, choices=ConsentEnd.choices, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("izin aplikasi")
        verbose_name_plural = _("izin aplikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "application"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_consent_in_force_per_app",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} ← {self.user_id} ({self.scopes})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def scope_labels(self) -> list[str]:
        return [scope_label(s) for s in known_scopes() if s in self.scope_set]


class SigningKey(models.Model):
    """An RSA key pair that signs ID tokens.

    The current key signs; retired keys stay published in the JWKS for
    ``LAMPUNGIN_OIDC_RETIRED_KEY_DAYS`` so that tokens signed before a rotation still verify.
    The private key is encrypted at rest with the field-encryption key (like NIK); the public
    JWK is kept in clear so that publishing never needs to decrypt.
    """

    kid = models.CharField(_("kid"), max_length=64, unique=True)
    private_key_encrypted = models.TextField()
    public_jwk = models.JSONField()
    is_current = models.BooleanField(_("kunci aktif"), default=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    retired_at = models.DateTimeField(_("dipensiunkan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kunci tanda tangan OIDC")
        verbose_name_plural = _("kunci tanda tangan OIDC")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class Subject(models.Model):
    """The secret seed from which every app's pairwise ``sub`` for one person is derived.

    Never shown to any app: each app sees ``uuid5(seed, its sector identifier)``, so two apps
    cannot match their users by ``sub``, and the database id is never disclosed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_subject"
    )
    seed = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("subjek SSO")
        verbose_name_plural = _("subjek SSO")

    def __str__(self) -> str:
        return f"subjek {self.user_id}"
