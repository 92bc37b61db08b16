"""Calendar days in WIB (Asia/Jakarta), the days that reports and digests are counted in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from lampungin.core import clock
from lampungin.sla.calendar import WIB


def today_wib() -> date:
    return clock.now().astimezone(WIB).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of WIB calendar day ``day`` as aware instants."""
    start = datetime.combine(day, time(), tzinfo=WIB)
    return start, start + timedelta(days=1)


def day_of(instant: datetime) -> date:
    """The WIB calendar day an instant belongs to."""
    return instant.astimezone(WIB).date()
