"""Writes for accounts: sign-up, profile and API tokens."""

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
