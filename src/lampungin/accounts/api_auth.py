"""API authentication: bearer tokens (apps) or the browser session (pages' htmx calls)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lampungin.accounts.access import Actor, actor_for
from lampungin.accounts.services import user_for_api_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; never logs the header (it is a credential)."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()
session = SessionAuth(csrf=True)
AUTH = [bearer, session]


def request_actor(request: HttpRequest) -> Actor:
    return actor_for(getattr(request, "auth", None) or request.user)
