"""Outbox consumers: turn case events into notifications for the reporter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.cases.choices import CaseState, Visibility
from lampungin.cases.models import CaseEvent
from lampungin.core import clock
from lampungin.notifications.models import Notification


def notify_reporter(payload: dict[str, Any]) -> None:
    """Tell the reporter about a public step taken by someone else on their report."""
    event = CaseEvent.objects.select_related("case").filter(pk=payload.get("event_id")).first()
    if event is None or event.visibility == Visibility.INTERNAL:
        return
    case = event.case
    if case.reporter_id is None or event.actor_id == case.reporter_id:
        return
    with override("id"):
        if event.to_state:
            title = _("Laporan %(t)s: %(s)s") % {"t": case.tracking, "s": CaseState(event.to_state).label}
        else:
            title = _("Tanggapan baru untuk laporan %(t)s") % {"t": case.tracking}
    Notification.objects.get_or_create(
        user_id=case.reporter_id,
        source_event=event,
        defaults={
            "title": title,
            "body": event.message[:500],
            "url": f"/akun/laporan/{case.tracking}/",
            "created_at": clock.now(),
        },
    )
