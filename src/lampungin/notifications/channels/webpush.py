"""Web push (VAPID, RFC 8291/8292) to the browsers a person subscribed, through pywebpush.

Keys come from LAMPUNGIN_VAPID_PRIVATE_KEY / _PUBLIC_KEY; when unset (demo, development)
a key pair is generated once into ``<var>/vapid-private.pem`` and reused, so browser
subscriptions survive restarts. Several hosts must share the key: production sets it.
"""

from __future__ import annotations

import base64
import json
import threading
from functools import cache

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _

from lampungin.notifications.channels.base import (
    ChannelAdapter,
    Message,
    PermanentError,
    Skip,
    TemporaryError,
)
from lampungin.notifications.choices import Channel

TIMEOUT_SECONDS = 10
TTL_SECONDS = 24 * 3600
_lock = threading.Lock()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@cache
def vapid_keys() -> tuple[str, str]:
    """(private key for pywebpush, public key for the browser's applicationServerKey)."""
    from py_vapid import Vapid

    if settings.VAPID_PRIVATE_KEY:
        vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
        private = settings.VAPID_PRIVATE_KEY
    else:
        path = settings.VAR_DIR / "vapid-private.pem"
        with _lock:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                generated = Vapid()
                generated.generate_keys()
                generated.save_key(str(path))
                path.chmod(0o600)
        vapid = Vapid.from_file(str(path))
        private = str(path)
    public = settings.VAPID_PUBLIC_KEY or _b64(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    return private, public


class WebPushChannel(ChannelAdapter):
    name = Channel.WEBPUSH

    def send(self, *, user, message: Message, delivery) -> str:
        from pywebpush import WebPushException, webpush

        from lampungin.notifications.models import PushSubscription

        subscriptions = list(PushSubscription.objects.filter(user=user))
        if not subscriptions:
            raise Skip(_("belum ada peramban yang berlangganan"))
        private, _public = vapid_keys()
        data = json.dumps({"title": message.subject, "body": message.body[:200], "url": message.url})
        sent, temporary = 0, ""
        for sub in subscriptions:
            try:
                webpush(
                    sub.as_info(),
                    data=data,
                    vapid_private_key=private,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    content_encoding="aes128gcm",
                    timeout=TIMEOUT_SECONDS,
                    ttl=TTL_SECONDS,
                )
                sent += 1
            except WebPushException as exc:
                code = getattr(exc.response, "status_code", None)
                if code in (404, 410):  # the browser unsubscribed: forget it
                    sub.delete()
                elif code is None or code >= 500 or code == 429:
                    temporary = str(exc)[:300]
            except OSError as exc:
                temporary = str(exc)[:300]
        if sent:
            return f"{sent}/{len(subscriptions)}"
        if temporary:
            raise TemporaryError(temporary)
        raise PermanentError(_("tidak ada langganan peramban yang menerima"))
