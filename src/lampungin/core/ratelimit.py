"""Fixed-window rate limits in the shared cache (Redis in production), so every web
process on every host counts against the same budget."""

from __future__ import annotations

from django.core.cache import cache

from lampungin.core import clock


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once more than ``limit`` hits fall in the current window."""
    window = int(clock.now().timestamp()) // window_seconds
    cache_key = f"rl:{key}:{window}"
    # add() is atomic: only the first hit of a window creates the counter.
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
