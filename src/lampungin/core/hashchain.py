"""Hash chains for append-only histories: canonical JSON plus the previous entry's hash.

The case timeline (``cases.timeline``) was written first and builds its canonical JSON
itself; these helpers produce the same bytes for the same body (sorted keys, compact
separators, UTF-8 kept, UTC timestamps to the microsecond), so newer chains such as
service applications share one definition without changing any stored case hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def iso_utc(value: datetime | None) -> str | None:
    """``value`` in UTC to the microsecond, the form every chained timestamp is hashed in."""
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def canonical_json(body: dict[str, Any]) -> str:
    """One spelling per content: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(body: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 of the canonical body followed by the previous entry's hash (hex)."""
    return hashlib.sha256((canonical_json(body) + prev_hash).encode()).hexdigest()
