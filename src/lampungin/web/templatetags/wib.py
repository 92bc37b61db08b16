"""``{% load wib %}``: dates and times shown in WIB, written the way each language writes them.

Indonesian writes ``4 Des 2026, 14.30 WIB`` (PUEBI: a full stop between hours and minutes);
English ``4 Dec 2026, 14:30 WIB``. The instant is always converted to Asia/Jakarta, whatever
time zone is active, because the whole province (and its service standards) counts in WIB.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

register = template.Library()
WIB = ZoneInfo("Asia/Jakarta")
TIME_FORMATS = {"id": "H.i", "en": "H:i"}


def _in_wib(value: datetime) -> datetime:
    return value.astimezone(WIB) if value.tzinfo else value.replace(tzinfo=WIB)


@register.filter
def wib(value: datetime | None) -> str:
    """Date and time: ``4 Des 2026, 14.30 WIB``."""
    if not isinstance(value, datetime):
        return ""
    time_format = TIME_FORMATS.get((get_language() or "id")[:2], "H.i")
    return dateformat.format(_in_wib(value), f"j M Y, {time_format}") + " WIB"


@register.filter
def wib_date(value: datetime | date | None) -> str:
    """The calendar day in WIB: ``4 Des 2026``."""
    if isinstance(value, datetime):
        value = _in_wib(value)
    elif not isinstance(value, date):
        return ""
    return dateformat.format(value, "j M Y")
