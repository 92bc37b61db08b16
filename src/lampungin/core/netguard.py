"""Refuse outgoing requests to addresses a user-supplied URL must not reach (SSRF).

Webhook targets and web-push endpoints are typed in by people; the platform POSTs to
them from inside the province's network. Only ``http``/``https`` are allowed, and unless
``WEBHOOK_ALLOW_PRIVATE`` is on, every address the host resolves to must be public
(no loopback, private, link-local, multicast or reserved ranges, e.g. cloud metadata).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_url(url: str, *, resolve: bool = True) -> None:
    """Raise ValidationError unless ``url`` may be requested by the platform."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Alamat harus berupa URL http:// atau https://."))
    if settings.WEBHOOK_ALLOW_PRIVATE or not resolve:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(_("Nama host %(h)s tidak dapat di-resolve.") % {"h": parts.hostname}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                _("Alamat %(a)s bukan alamat publik (LAMPUNGIN_WEBHOOK_ALLOW_PRIVATE mati).") % {"a": address}
            )
