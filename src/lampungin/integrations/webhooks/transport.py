"""POST one signed webhook body (stdlib urllib, short timeout, no redirects)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from lampungin.integrations.webhooks.signing import sign

TIMEOUT_SECONDS = 10
EXCERPT = 2000


@dataclass(frozen=True)
class Outcome:
    code: int | None
    excerpt: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could point at an internal address the URL check never saw.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(*, url: str, secret: str, body: bytes, timestamp: str, event_type: str, delivery_id: str) -> Outcome:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "LampungIn-Webhooks/1",
        "X-LampungIn-Event": event_type,
        "X-LampungIn-Delivery": delivery_id,
        "X-LampungIn-Timestamp": timestamp,
        "X-LampungIn-Signature": sign(secret, timestamp, body),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome(response.status, response.read(EXCERPT).decode(errors="replace"))
    except urllib.error.HTTPError as exc:
        return Outcome(exc.code, exc.read(EXCERPT).decode(errors="replace"), f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        return Outcome(None, "", f"{type(exc).__name__}: {exc}"[:500])
