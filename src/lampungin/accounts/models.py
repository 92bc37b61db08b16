"""People: accounts, citizen profiles and staff memberships."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lampungin.accounts.choices import Role
from lampungin.core import crypto
from lampungin.core.nik import mask_nik


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **extra) -> User:
        if not email and not extra.get("phone"):
            raise ValueError("an e-mail address or a phone number is required")
        user = self.model(email=self.normalize_email(email) if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a citizen, a civil servant (ASN), or both.

    People sign in with an e-mail address or a mobile number; at least one is required.
    """

    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The language of messages sent outside a page (e-mail, SMS, WhatsApp, push).
    language = models.CharField(
        _("bahasa"), max_length=5, choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
    is_staff = models.BooleanField(_("akses admin"), default=False)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or "pengguna"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class CitizenProfile(models.Model):
    """What a citizen chose to tell about themselves. NIK is optional and stored encrypted."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    nik_encrypted = models.TextField(blank=True)
    # Keyed hash so that one NIK cannot register twice, without decrypting every row.
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    home_region = models.ForeignKey(
        "regions.Region", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("domisili")
    )

    class Meta:
        verbose_name = _("profil warga")
        verbose_name_plural = _("profil warga")

    def __str__(self) -> str:
        return f"profil {self.user_id}"

    def set_nik(self, nik: str) -> None:
        self.nik_encrypted = crypto.encrypt(nik) if nik else ""
        self.nik_index = crypto.blind_index(nik) if nik else ""

    @property
    def nik_masked(self) -> str:
        return mask_nik(crypto.decrypt(self.nik_encrypted)) if self.nik_encrypted else ""


class StaffMembership(models.Model):
    """A role a civil servant holds: in an agency (officer, agency admin), for a region
    (liaison of a kabupaten/kota), or platform-wide (platform admin, analyst, auditor)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    unit = models.ForeignKey("agencies.Unit", on_delete=models.SET_NULL, null=True, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("keanggotaan staf")
        verbose_name_plural = _("keanggotaan staf")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency", "region"], name="unique_membership"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["officer", "agency_admin"]) | models.Q(agency__isnull=False),
                name="agency_role_needs_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="regional_liaison") | models.Q(region__isnull=False),
                name="liaison_needs_region",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency or self.region or "platform"
        return f"{self.user} — {self.get_role_display()} ({where})"


class ApiToken(models.Model):
    """A bearer token for the REST API (mobile app). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, default="aplikasi")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "lpi_" + secrets.token_urlsafe(32)
