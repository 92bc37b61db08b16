"""Outbox consumers: turn case events into notifications for the reporter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.cases.choices import CaseState, Visibility
from lampungin.cases.models import CaseEvent
from lampungin.core import clock
from lampungin.notifications import services
from lampungin.notifications.choices import MessageKind
from lampungin.notifications.models import Notification


def notify_reporter(payload: dict[str, Any]) -> None:
    """Tell the reporter about a public step taken by someone else on their report."""
    event = (
        CaseEvent.objects.select_related("case", "case__reporter").filter(pk=payload.get("event_id")).first()
    )
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
    path = f"/akun/laporan/{case.tracking}/"
    Notification.objects.get_or_create(
        user_id=case.reporter_id,
        source_event=event,
        defaults={"title": title, "body": event.message[:500], "url": path, "created_at": clock.now()},
    )
    # The other channels the reporter wants (e-mail, SMS, WhatsApp, push), each sent by a task.
    services.queue_deliveries(
        user=case.reporter,
        kind=MessageKind.CASE_STATUS if event.to_state else MessageKind.CASE_COMMENT,
        dedupe_key=f"case_event:{event.pk}",
        context={
            "tracking": case.tracking,
            "title": case.title,
            "state": event.to_state,
            "message": event.message[:1000],
            "path": path,
        },
    )


def notify_supporters(payload: dict[str, Any]) -> None:
    """Tell a report's supporters (decision 0010) about each status change, by tracking number only."""
    from lampungin.cases.models import CaseSupport

    event = CaseEvent.objects.select_related("case").filter(pk=payload.get("event_id")).first()
    if event is None or event.visibility != Visibility.PUBLIC or not event.to_state:
        return
    case = event.case
    with override("id"):
        title = _("Laporan yang Anda dukung %(t)s: %(s)s") % {
            "t": case.tracking,
            "s": CaseState(event.to_state).label,
        }
    now = clock.now()
    user_ids = (
        CaseSupport.objects.filter(case=case)
        .exclude(user_id=event.actor_id)
        .values_list("user_id", flat=True)
    )
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid, source_event=event, title=title, url=f"/laporan/{case.tracking}", created_at=now
            )
            for uid in user_ids
            if uid != case.reporter_id
        ],
        ignore_conflicts=True,
    )


def notify_merged(payload: dict[str, Any]) -> None:
    """Tell the people a merge made supporters of the surviving report where to follow it now."""
    event = CaseEvent.objects.select_related("case").filter(pk=payload.get("event_id")).first()
    if event is None:
        return
    case = event.case
    with override("id"):
        title = _("Laporan Anda digabung dengan laporan serupa %(t)s") % {"t": case.tracking}
    now = clock.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid, source_event=event, title=title, url=f"/laporan/{case.tracking}", created_at=now
            )
            for uid in payload.get("user_ids", [])
        ],
        ignore_conflicts=True,
    )
