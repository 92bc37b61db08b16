"""API authentication and scopes: one place decides who is calling and what they may do.

Four credentials are accepted (docs/api/README.md):

* ``Authorization: Bearer lpi_…`` — a personal API token (``POST /auth/token``): every scope;
* ``Authorization: Bearer <access token>`` — an OIDC access token issued by our provider
  (django-oauth-toolkit): the API scopes in the token;
* ``Authorization: Bearer o311_…`` — an agency system's API key: the scopes set on the key;
* the browser session (pages' htmx calls, CSRF checked): every scope.

Tokens of the last two kinds are resolved by the integrations, which sit on a higher floor:
they register a resolver here when Django starts (``register_bearer_resolver``).

Each endpoint declares what it needs with ``auth=scoped(ApiScope.…)``; the check happens
during authentication, so no handler can forget it, and a missing scope is a 403
``insufficient_scope`` answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from lampungin.accounts.access import Actor, actor_for
from lampungin.accounts.models import User
from lampungin.accounts.scopes import API_SCOPES, ApiScope
from lampungin.accounts.services import user_for_api_token
from lampungin.core.errors import NotAllowed

PERSONAL_TOKEN_PREFIX = "lpi_"


@dataclass(frozen=True)
class Credential:
    """Who is calling, how, and with which API scopes."""

    user: User
    method: str  # session | token | oidc | api_key
    scopes: frozenset[str]
    # An API key acts for its agency, not as a person with memberships.
    actor: Actor | None = None


BearerResolver = Callable[[HttpRequest, str], Credential | None]
_RESOLVERS: list[BearerResolver] = []


def register_bearer_resolver(resolver: BearerResolver) -> None:
    """Accept another kind of bearer token; the resolver returns None for tokens not its own."""
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def _personal_token(request: HttpRequest, raw: str) -> Credential | None:
    if not raw.startswith(PERSONAL_TOKEN_PREFIX):
        return None
    user = user_for_api_token(raw)
    return Credential(user=user, method="token", scopes=API_SCOPES) if user else None


def _admit(request: HttpRequest, credential: Credential | None, needed: frozenset[str]) -> User | None:
    if credential is None or not credential.user.is_active:
        return None
    missing = needed - credential.scopes
    if missing:
        raise NotAllowed(
            _("Token ini tidak memiliki cakupan yang diperlukan: %(s)s.") % {"s": ", ".join(sorted(missing))},
            code="insufficient_scope",
        )
    request.user = credential.user
    request.credential = credential  # type: ignore[attr-defined]
    return credential.user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; never logs the header (it is a credential)."""

    def __init__(self, scopes: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.scopes = scopes

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        for resolver in (_personal_token, *_RESOLVERS):
            credential = resolver(request, token)
            if credential is not None:
                return _admit(request, credential, self.scopes)
        return None


class Session(SessionAuth):
    """The signed-in browser (CSRF checked): the person themself, every scope."""

    def __init__(self, scopes: frozenset[str] = frozenset()) -> None:
        super().__init__(csrf=True)
        self.scopes = scopes

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if not user:
            return None
        return _admit(request, Credential(user=user, method="session", scopes=API_SCOPES), self.scopes)


def scoped(*scopes: ApiScope | str) -> list:
    """The ``auth=`` of an endpoint that needs every one of ``scopes`` (none: any signed-in caller)."""
    needed = frozenset(str(s) for s in scopes)
    unknown = needed - API_SCOPES
    if unknown:
        raise ValueError(f"unknown API scopes: {sorted(unknown)}")
    return [BearerToken(needed), Session(needed)]


AUTH = scoped()


def require_scopes(request: HttpRequest, *scopes: ApiScope | str) -> None:
    """For the rare endpoint whose scope depends on the request (a lifecycle action): the same
    check as ``scoped``, made in the handler once the request says what it wants."""
    credential = getattr(request, "credential", None)
    if credential is None:
        raise NotAllowed(_("Silakan masuk terlebih dahulu."), code="unauthorized")
    _admit(request, credential, frozenset(str(s) for s in scopes))


def request_actor(request: HttpRequest) -> Actor:
    """The :class:`Actor` for the caller: an API key's agency, or the signed-in user's roles."""
    credential = getattr(request, "credential", None)
    if credential is not None and credential.actor is not None:
        return credential.actor
    return actor_for(getattr(request, "auth", None) or request.user)
