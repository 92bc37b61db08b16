"""``{% load links %}``: helpers for links that leave Lampung In."""

from __future__ import annotations

from urllib.parse import urlparse

from django import template

register = template.Library()


@register.filter
def host(url: str) -> str:
    """``https://samsat.lampungprov.go.id/bayar`` → ``samsat.lampungprov.go.id``: where a link goes."""
    netloc = urlparse(url or "").hostname or ""
    return netloc.removeprefix("www.")
