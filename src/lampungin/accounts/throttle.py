"""Limits on guessing passwords and on opening accounts in bulk.

Every sign-in attempt is counted *before* the password is checked, per account name and per
client address, over 15 minutes; an attempt past :data:`settings.LOGIN_FAILURE_LIMIT` for the
name, or ten times that for the address, is refused without checking the password, until the
window ends. Counting first (an atomic increment) is what makes parallel guesses count too. A
successful sign-in takes its attempt back from the address and clears the name's count, so
only failures add up. When the name finds an account, the count is the account's, however the
name was typed (e-mail or phone, any spelling the database matches); otherwise it is the name's
(an e-mail in lower case or a normalised phone number). The authentication backend applies
this, so every form that checks a password does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lampungin.accounts.phone import normalize_phone
from lampungin.core import ratelimit
from lampungin.core.errors import TooManyRequests

WINDOW_SECONDS = 15 * 60
ADDRESS_FACTOR = 10
# Set on the request when the backend refused a sign-in for this reason, so that the form
# or endpoint can say so instead of "wrong password".
RETRY_AFTER_ATTR = "login_retry_after"


def _name_key(identifier: str, user_id: int | None = None) -> str:
    if user_id is not None:
        return f"login-user:{user_id}"
    name = identifier.strip()
    phone = normalize_phone(name)
    return f"login-name:{ratelimit.digest(phone or name.lower())}"


def _address_key(request: HttpRequest) -> str:
    return f"login-ip:{ratelimit.client_ip(request)}"


def count_attempt(request: HttpRequest | None, identifier: str, user_id: int | None = None) -> int | None:
    """Count this attempt (against the account ``user_id`` when the name found one); the
    seconds to wait when it is one too many (then it must be refused without checking the
    password), else None."""
    limit = settings.LOGIN_FAILURE_LIMIT
    over = ratelimit.hit(_name_key(identifier, user_id), window_seconds=WINDOW_SECONDS) > limit
    if request is not None:
        over |= ratelimit.hit(_address_key(request), window_seconds=WINDOW_SECONDS) > limit * ADDRESS_FACTOR
    return ratelimit.seconds_left(WINDOW_SECONDS) if over else None


def note_success(request: HttpRequest | None, identifier: str, user_id: int | None = None) -> None:
    """The owner got in: the account's count is cleared and the address gets its attempt back."""
    ratelimit.forget(_name_key(identifier, user_id), window_seconds=WINDOW_SECONDS)
    if request is not None:
        ratelimit.take_back(_address_key(request), window_seconds=WINDOW_SECONDS)


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
