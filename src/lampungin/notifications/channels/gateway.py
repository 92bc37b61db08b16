"""A generic JSON-over-HTTP gateway adapter, which SMS and WhatsApp share.

Protocol (docs/messaging.md): ``POST <gateway URL>`` with ``Content-Type: application/json``,
``Authorization: Bearer <token>`` and ``Idempotency-Key: lampungin-delivery-<id>``; the body
is the configured JSON template with ``{to}``, ``{text}``, ``{kind}`` and ``{reference}``
replaced inside its string values (so the values are always correctly escaped). A 2xx
answer is "sent" (its JSON ``id`` or ``message_id``, if any, is kept); 408, 429, 5xx and
network errors are retried; any other answer is a permanent failure.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from lampungin.notifications.channels.base import (
    ChannelAdapter,
    Message,
    PermanentError,
    Skip,
    TemporaryError,
)

TIMEOUT_SECONDS = 10
RETRYABLE = {408, 425, 429}


def fill(template: Any, values: dict[str, str]) -> Any:
    """The template with every ``{name}`` inside its strings replaced (keys stay as they are)."""
    if isinstance(template, str):
        out = template
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    return template


class HttpGatewayChannel(ChannelAdapter):
    """Subclasses name their settings: ``<prefix>_GATEWAY_URL``, ``_TOKEN`` and ``_BODY``."""

    setting_prefix = ""

    def _setting(self, suffix: str) -> str:
        return getattr(settings, f"{self.setting_prefix}_GATEWAY_{suffix}", "")

    def configured(self) -> str:
        if not self._setting("URL"):
            return _("kanal %(name)s belum dikonfigurasi (LAMPUNGIN_%(prefix)s_GATEWAY_URL kosong)") % {
                "name": self.name,
                "prefix": self.setting_prefix,
            }
        return ""

    def send(self, *, user, message: Message, delivery) -> str:
        if reason := self.configured():
            raise Skip(reason)
        if not user.phone:
            raise Skip(_("pengguna tidak punya nomor HP"))
        body = fill(
            json.loads(self._setting("BODY")),
            {
                "to": user.phone,
                "text": message.short,
                "kind": delivery.kind,
                "reference": f"lampungin-delivery-{delivery.pk}",
            },
        )
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": "LampungIn/1",
            "Idempotency-Key": f"lampungin-delivery-{delivery.pk}",
        }
        if token := self._setting("TOKEN"):
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting (http/https)
            self._setting("URL"), data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read(4096)
        except urllib.error.HTTPError as exc:
            detail = f"HTTP {exc.code}: {exc.read(300).decode(errors='replace')}"
            if exc.code >= 500 or exc.code in RETRYABLE:
                raise TemporaryError(detail) from exc
            raise PermanentError(detail) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TemporaryError(str(exc)) from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            return ""
        if isinstance(answer, dict):
            return str(answer.get("id") or answer.get("message_id") or "")[:200]
        return ""
