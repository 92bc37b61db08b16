"""Outbox consumer for service applications: tell the applicant when an agency moves theirs.

Topics: a step approved and the next one started, returned for correction (the applicant
must act), rejected, the letter issued or revoked. The applicant's own actions (submitting,
correcting, withdrawing) notify nobody. Idempotent per event and channel.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.applications.choices import EventKind
from lampungin.applications.models import ApplicationEvent
from lampungin.core import clock
from lampungin.notifications import services
from lampungin.notifications.choices import MessageKind
from lampungin.notifications.models import Notification

TOPICS = (
    "application.step_started",
    "application.returned",
    "application.rejected",
    "application.letter_issued",
    "application.letter_revoked",
)


def notify_applicant(payload: dict[str, Any]) -> None:
    event = (
        ApplicationEvent.objects.select_related(
            "application", "application__applicant", "application__service"
        )
        .filter(pk=payload.get("event_id"))
        .first()
    )
    if event is None:
        return
    application = event.application
    applicant = application.applicant
    if applicant is None or event.actor_id == applicant.pk or not applicant.is_active:
        return
    path = f"/akun/permohonan/{application.tracking}/"
    key = f"application_event:{event.pk}"
    with override("id"):
        title = _("Permohonan %(t)s: %(what)s") % {
            "t": application.tracking,
            "what": EventKind(event.kind).label,
        }
    Notification.objects.get_or_create(
        user=applicant,
        dedupe_key=key,
        defaults={"title": title[:200], "body": event.message[:500], "url": path, "created_at": clock.now()},
    )
    services.queue_deliveries(
        user=applicant,
        kind=MessageKind.APPLICATION_UPDATE,
        dedupe_key=key,
        context={
            "tracking": application.tracking,
            "service": application.service.name,
            "event_kind": event.kind,
            "message": event.message[:1000],
            "path": path,
        },
    )
