"""REST API access with an agency system's API key (the same keys as Open311).

A key acts through its application account (the reporter of what it files) and, when it has
staff scopes, as an officer of its agency: it sees and works that agency's cases only.
"""

from __future__ import annotations

from django.http import HttpRequest

from lampungin.accounts.access import Actor
from lampungin.accounts.api_auth import Credential
from lampungin.accounts.scopes import STAFF_SCOPES, parse_scopes
from lampungin.integrations.open311.models import KEY_PREFIX
from lampungin.integrations.open311.services import authenticate_key, client_account


def resolve_api_key(request: HttpRequest, raw: str) -> Credential | None:
    """The credential of an active key with at least one API scope, or None."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = authenticate_key(raw)
    if key is None:
        return None
    scopes = parse_scopes(key.scopes)
    if not scopes:
        return None  # an Open311-only key
    user = client_account(key)
    agency_ids = frozenset({key.agency_id}) if key.agency_id and scopes & STAFF_SCOPES else frozenset()
    return Credential(
        user=user, method="api_key", scopes=scopes, actor=Actor(user=user, agency_ids=agency_ids)
    )
