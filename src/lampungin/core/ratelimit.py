"""Fixed-window rate limits in the shared cache (Redis in production), so every web
process on every host counts against the same budget.

Keys name who is counted (an account, a hashed sign-in name, a client address) and never hold
an e-mail address, a phone number or a NIK in clear: the cache is not a place for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lampungin.core import clock
from lampungin.core.errors import TooManyRequests


def _window_key(key: str, window_seconds: int) -> str:
    window = int(clock.now().timestamp()) // window_seconds
    return f"rl:{key}:{window}"


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once more than ``limit`` hits fall in the current window."""
    return hit(key, window_seconds=window_seconds) <= limit


def hit(key: str, *, window_seconds: int) -> int:
    """Count one hit for ``key`` and return the hits in the current window."""
    cache_key = _window_key(key, window_seconds)
    # add() is atomic: only the first hit of a window creates the counter.
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        return cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        return 1


def hits(key: str, *, window_seconds: int) -> int:
    """The hits counted for ``key`` in the current window, without counting one more."""
    return int(cache.get(_window_key(key, window_seconds)) or 0)


def forget(key: str, *, window_seconds: int) -> None:
    cache.delete(_window_key(key, window_seconds))


def take_back(key: str, *, window_seconds: int) -> None:
    """Undo one hit of the current window (an attempt that turned out legitimate)."""
    # The window may have ended or the counter been evicted: then there is nothing to undo.
    with contextlib.suppress(ValueError):
        cache.decr(_window_key(key, window_seconds))


def seconds_left(window_seconds: int) -> int:
    """Seconds until the current window ends (when a blocked client may try again)."""
    return window_seconds - int(clock.now().timestamp()) % window_seconds


def check(key: str, *, limit: int, window_seconds: int) -> None:
    """Count one hit; raise :class:`TooManyRequests` (with ``retry_after``) past the limit."""
    if not allow(key, limit=limit, window_seconds=window_seconds):
        wait = seconds_left(window_seconds)
        raise TooManyRequests(
            _("Terlalu banyak permintaan dari alamat ini. Coba lagi dalam %(s)d detik.") % {"s": wait},
            retry_after=wait,
        )


def check_address(request: HttpRequest, door: str, *, factor: int = 1) -> None:
    """Count one call to ``door`` (Open311, the anonymous API, the OIDC token endpoint…) from
    the client's address; past ``factor`` × ``PUBLIC_RATE_LIMIT`` a minute, raise
    :class:`TooManyRequests`."""
    check(
        f"{door}:{client_ip(request)}",
        limit=settings.PUBLIC_RATE_LIMIT * factor,
        window_seconds=60,
    )


def digest(value: str) -> str:
    """A short one-way name for a value that must not sit in the cache in clear."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append
    to X-Forwarded-For, it is the entry that many places from the right (entries further
    left are written by the client and can be forged); with no proxy, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return "unknown"
    if address.version == 6:
        # One IPv6 subscriber usually holds a whole /64: count the prefix, not the address.
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
