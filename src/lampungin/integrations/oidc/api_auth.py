"""REST API access with an OIDC access token issued by our provider.

The token is checked by django-oauth-toolkit's own validator (hashed lookup, expiry,
RFC 8707 audience), the same code its protected-resource views use; revoked tokens are
deleted by the toolkit, so they are simply not found. The API scopes are those in the
token that the person consented to (``reports:read``…); ``openid``/``profile`` grant none.
"""

from __future__ import annotations

from django.http import HttpRequest
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthRequest

from lampungin.accounts.api_auth import Credential
from lampungin.accounts.scopes import parse_scopes


def resolve_access_token(request: HttpRequest, raw: str) -> Credential | None:
    """The credential of a valid, unexpired access token, or None."""
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    oauth_request = OAuthRequest(request.build_absolute_uri(), http_method=request.method)
    if not validator.validate_bearer_token(raw, [], oauth_request):
        return None
    token = oauth_request.access_token
    if token.user is None:  # client-credentials tokens have no person behind them
        return None
    return Credential(user=token.user, method="oidc", scopes=parse_scopes(token.scope))
