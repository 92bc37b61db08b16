"""What an app learns about a person, scope by scope.

The ID token carries only who signed in (``sub``, ``name``, ``preferred_username``); contact
details, the NIK and staff roles come only from the userinfo endpoint, because ID tokens
travel further than access tokens (``id_token_hint`` puts them in logout URLs and server
logs) and the NIK must never be in a URL (UU 27/2022; docs/oidc.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from lampungin.accounts.models import CitizenProfile, User
from lampungin.core import crypto
from lampungin.integrations.oidc.choices import Scope
from lampungin.integrations.oidc.models import Application, Subject

# Claim -> the scope that releases it (OIDC Core §5.4, plus ours).
CLAIM_SCOPES = {
    "sub": Scope.OPENID,
    "name": Scope.PROFILE,
    "preferred_username": Scope.PROFILE,
    "email": Scope.EMAIL,
    "email_verified": Scope.EMAIL,
    "phone_number": Scope.PHONE,
    "phone_number_verified": Scope.PHONE,
    "nik": Scope.NIK,
    "roles": Scope.ROLES,
}
USERINFO_ONLY_CLAIMS = frozenset(
    {"email", "email_verified", "phone_number", "phone_number_verified", "nik", "roles"}
)


def subject_for(user: User, application: Application) -> str:
    """The pairwise ``sub`` of ``user`` for ``application``: stable, opaque, different per app host."""
    subject, _created = Subject.objects.get_or_create(user=user)
    return str(uuid.uuid5(subject.seed, application.sector_identifier))


def _nik_of(user: User) -> str:
    encrypted = CitizenProfile.objects.filter(user=user).values_list("nik_encrypted", flat=True).first() or ""
    return crypto.decrypt(encrypted) if encrypted else ""


def roles_of(user: User) -> list[dict[str, str | None]]:
    """The active staff roles of ``user``: role code, agency code, region code."""
    memberships = user.memberships.filter(is_active=True).select_related("agency").order_by("id")
    return [
        {"role": m.role, "agency": m.agency.code if m.agency else None, "region": m.region_id}
        for m in memberships
    ]


def claims_for(*, user: User, application: Application, scopes: Iterable[str]) -> dict:
    """Claims for ``scopes``, never beyond what the platform allows ``application`` today."""
    granted = set(scopes) & application.allowed_scope_set
    claims: dict = {"sub": subject_for(user, application)}
    if Scope.PROFILE in granted:
        claims["name"] = user.full_name
        claims["preferred_username"] = user.get_short_name() or user.full_name
    if Scope.EMAIL in granted and user.email:
        claims["email"] = user.email
        claims["email_verified"] = False  # accounts do not verify e-mail addresses (yet)
    if Scope.PHONE in granted and user.phone:
        claims["phone_number"] = user.phone
        claims["phone_number_verified"] = False
    if Scope.NIK in granted:
        nik = _nik_of(user)
        if nik:
            claims["nik"] = nik
    if Scope.ROLES in granted:
        claims["roles"] = roles_of(user)
    return claims
