"""Writes for accounts: sign-up, profile and API tokens (deletion: ``accounts.erasure``)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lampungin.accounts.models import ApiToken, CitizenProfile, User
from lampungin.accounts.phone import normalize_phone
from lampungin.core import crypto
from lampungin.core.nik import parse_nik
from lampungin.regions.models import Region


@transaction.atomic
def register_citizen(
    *, full_name: str, password: str, email: str = "", phone: str = "", nik: str = ""
) -> User:
    """Create a citizen account; e-mail or phone required, each unique; NIK optional, encrypted."""
    errors: dict[str, list[str]] = {}
    full_name = full_name.strip()
    email = email.strip().lower()
    if not full_name:
        errors.setdefault("full_name", []).append(_("Nama lengkap wajib diisi."))
    if not email and not phone.strip():
        errors.setdefault("email", []).append(_("Isi e-mail atau nomor HP."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Alamat e-mail tidak valid."))
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors.setdefault("email", []).append(_("E-mail ini sudah terdaftar."))
    normalized_phone = None
    if phone.strip():
        normalized_phone = normalize_phone(phone)
        if normalized_phone is None:
            errors.setdefault("phone", []).append(_("Nomor HP tidak valid (contoh: 0812xxxxxxx)."))
        elif User.objects.filter(phone=normalized_phone).exists():
            errors.setdefault("phone", []).append(_("Nomor HP ini sudah terdaftar."))
    nik = nik.strip()
    if nik:
        try:
            parse_nik(nik)
        except ValidationError as exc:
            errors.setdefault("nik", []).extend(exc.messages)
        else:
            if CitizenProfile.objects.filter(nik_index=crypto.blind_index(nik)).exists():
                errors.setdefault("nik", []).append(_("NIK ini sudah terdaftar pada akun lain."))
    candidate = User(full_name=full_name, email=email or None, phone=normalized_phone)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        email=email or None, password=password, full_name=full_name, phone=normalized_phone
    )
    profile = CitizenProfile(user=user)
    profile.set_nik(nik)
    profile.save()
    return user


def issue_api_token(*, user: User, name: str = "aplikasi") -> str:
    """Create a bearer token for ``user`` and return it; only its hash is kept."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name[:80], token_hash=ApiToken.hash(raw))
    return raw


def user_for_api_token(raw: str) -> User | None:
    """The active user behind a bearer token, or None; records when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def update_profile(
    *,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    home_region: str | None = None,
) -> User:
    """Change the fields given (None: unchanged); e-mail and phone stay unique, one of them required."""
    errors: dict[str, list[str]] = {}
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name:
            errors.setdefault("full_name", []).append(_("Nama lengkap wajib diisi."))
        else:
            user.full_name = full_name[:150]
    if email is not None:
        email = email.strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.setdefault("email", []).append(_("Alamat e-mail tidak valid."))
            else:
                if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                    errors.setdefault("email", []).append(_("E-mail ini sudah terdaftar."))
        user.email = email or None
    if phone is not None:
        normalized = normalize_phone(phone) if phone.strip() else None
        if phone.strip() and normalized is None:
            errors.setdefault("phone", []).append(_("Nomor HP tidak valid (contoh: 0812xxxxxxx)."))
        elif normalized and User.objects.filter(phone=normalized).exclude(pk=user.pk).exists():
            errors.setdefault("phone", []).append(_("Nomor HP ini sudah terdaftar."))
        user.phone = normalized
    if not user.email and not user.phone:
        errors.setdefault("email", []).append(_("Isi e-mail atau nomor HP."))
    region = None
    if home_region:
        region = Region.objects.filter(code=home_region).first()
        if region is None:
            errors.setdefault("home_region", []).append(_("Wilayah tidak dikenal."))
    if errors:
        raise ValidationError(errors)
    user.save()
    if home_region is not None:
        CitizenProfile.objects.update_or_create(user=user, defaults={"home_region": region})
    return user


# Deleting an account lives with its erasers (accounts.erasure); re-exported as a service.
from lampungin.accounts.erasure import delete_account  # noqa: E402, F401
