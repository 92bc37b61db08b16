"""Limits on guessing passwords and on opening accounts in bulk.

Failed sign-ins are counted per account name (hashed) and per client address over 15
minutes. Past :data:`settings.LOGIN_FAILURE_LIMIT` for the name, or ten times that for the
address, every sign-in with that name or from that address is refused *before* the password
is checked, until the window ends: a correct password guessed during the block gains nothing.
The authentication backend applies this, so every form that checks a password does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lampungin.core import ratelimit
from lampungin.core.errors import TooManyRequests

WINDOW_SECONDS = 15 * 60
ADDRESS_FACTOR = 10
# Set on the request when the backend refused a sign-in for this reason, so that the form
# or endpoint can say so instead of "wrong password".
RETRY_AFTER_ATTR = "login_retry_after"


def _counters(request: HttpRequest | None, identifier: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    counters = [(f"login-name:{ratelimit.digest(identifier.strip().lower())}", limit)]
    if request is not None:
        counters.append((f"login-ip:{ratelimit.client_ip(request)}", limit * ADDRESS_FACTOR))
    return counters


def blocked_for(request: HttpRequest | None, identifier: str) -> int | None:
    """Seconds to wait before this name may try again from this address, or None."""
    for key, limit in _counters(request, identifier):
        if ratelimit.hits(key, window_seconds=WINDOW_SECONDS) >= limit:
            return ratelimit.seconds_left(WINDOW_SECONDS)
    return None


def note_failure(request: HttpRequest | None, identifier: str) -> None:
    for key, _limit in _counters(request, identifier):
        ratelimit.hit(key, window_seconds=WINDOW_SECONDS)


def note_success(request: HttpRequest | None, identifier: str) -> None:
    """The owner got in: earlier mistakes with this name no longer count (the address's do)."""
    key, _limit = _counters(None, identifier)[0]
    ratelimit.forget(key, window_seconds=WINDOW_SECONDS)


def blocked_message(request: HttpRequest) -> str | None:
    """The message for a sign-in that the backend refused because of the limit, else None."""
    wait = getattr(request, RETRY_AFTER_ATTR, None)
    if wait is None:
        return None
    minutes = max(1, -(-wait // 60))
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan akun, coba lagi dalam %(m)d menit."
    ) % {"m": minutes}


def check_signup(request: HttpRequest) -> None:
    """Count one new account from this address; raise past ``SIGNUP_RATE_LIMIT`` an hour."""
    key = f"signup-ip:{ratelimit.client_ip(request)}"
    if not ratelimit.allow(key, limit=settings.SIGNUP_RATE_LIMIT, window_seconds=3600):
        wait = ratelimit.seconds_left(3600)
        raise TooManyRequests(
            _("Terlalu banyak akun baru dari jaringan ini. Coba lagi dalam %(m)d menit.")
            % {"m": max(1, -(-wait // 60))},
            retry_after=wait,
        )
