"""API: sign-up, tokens and the signed-in account."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from lampungin.accounts import services, throttle
from lampungin.accounts.api_auth import request_actor, scoped
from lampungin.accounts.phone import mask_phone
from lampungin.accounts.scopes import ApiScope
from lampungin.core.errors import NotAllowed, TooManyRequests, UnsupportedMediaType

router = Router(tags=["akun"])


class RegisterIn(Schema):
    full_name: str
    password: str
    email: str = ""
    phone: str = ""
    nik: str = ""


class TokenIn(Schema):
    username: str  # e-mail or mobile number
    password: str
    name: str = "aplikasi"


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"


class MeOut(Schema):
    id: int
    full_name: str
    email: str | None
    phone_masked: str
    roles: list[str]


def _json_only(request) -> None:
    """Sign-in and sign-up take JSON only. A page on another origin can make a browser send a
    text/plain body without asking first; a JSON body the browser must ask for (CORS
    preflight), and these endpoints say no (decision 0014): no guessing or signing up through
    visitors' browsers."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType(
            _("Kirim data sebagai JSON (Content-Type: application/json)."), code="unsupported_media_type"
        )


@router.post("/auth/register", response={201: MeOut}, auth=None, summary="Daftar akun warga")
def register(request, data: RegisterIn):
    _json_only(request)
    throttle.check_signup(request)
    user = services.register_citizen(**data.dict())
    return Status(201, _me(request, user))


@router.post("/auth/token", response=TokenOut, auth=None, summary="Masuk dan dapatkan token API")
def token(request, data: TokenIn):
    _json_only(request)
    user = authenticate(request, username=data.username, password=data.password)
    blocked = throttle.blocked_message(request)
    if blocked:
        raise TooManyRequests(blocked, retry_after=getattr(request, throttle.RETRY_AFTER_ATTR))
    if user is None:
        raise NotAllowed(_("E-mail/nomor HP atau kata sandi salah."), code="bad_credentials")
    return {"token": services.issue_api_token(user=user, name=data.name)}


class ProfileIn(Schema):
    """Fields to change; those left out stay as they are."""

    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    home_region: str | None = None  # Kemendagri code of the kabupaten/kota or kecamatan


@router.get("/me", response=MeOut, auth=scoped(ApiScope.ACCOUNT), summary="Akun saya")
def me(request):
    return _me(request, request.auth)


@router.patch("/me", response=MeOut, auth=scoped(ApiScope.ACCOUNT), summary="Ubah profil saya")
def update_me(request, data: ProfileIn):
    user = services.update_profile(user=request.auth, **data.dict(exclude_unset=True))
    return _me(request, user)


def _me(request, user) -> dict:
    actor = request_actor(request) if getattr(request, "auth", None) else None
    roles = list(user.memberships.filter(is_active=True).values_list("role", flat=True)) if actor else []
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "phone_masked": mask_phone(user.phone) if user.phone else "",
        "roles": sorted(set(roles)),
    }


@router.delete("/me", response={204: None}, auth=scoped(ApiScope.ACCOUNT), summary="Hapus akun saya")
def delete_me(request):
    """Irreversible: personal data erased, reports kept without a reporter (UU 27/2022)."""
    services.delete_account(user=request.auth)
    return Status(204, None)
