"""Outbox consumers for service applications.

The applicant hears when an agency moves their application: a step approved and the next one
started, returned for correction (the applicant must act), rejected, the letter issued or
revoked. Their own actions (submitting, correcting, withdrawing) notify nobody.

The step's agency hears about its deadline (``applications/deadlines.py``): its officers when
the step is at risk, its admins and officers once the deadline passed; the platform admins
when it is still undecided a working day later.

Idempotent per event (or step and rung), person and channel.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.choices import Role
from lampungin.applications.choices import EventKind
from lampungin.applications.models import ApplicationEvent, ApplicationStep
from lampungin.cases.clocks import due_text
from lampungin.core import clock
from lampungin.notifications import services
from lampungin.notifications.choices import MessageKind
from lampungin.notifications.models import Notification
from lampungin.notifications.sla import agency_members, platform_admins

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


def _step(payload: dict[str, Any]) -> ApplicationStep | None:
    return (
        ApplicationStep.objects.select_related("application", "agency")
        .filter(pk=payload.get("step_id"))
        .first()
    )


def _tell_staff(step: ApplicationStep, users: set[int], *, rung: str, title: str, body: str) -> None:
    now = clock.now()
    for user_id in sorted(users):
        Notification.objects.get_or_create(
            user_id=user_id,
            dedupe_key=f"{rung}:{step.pk}",
            defaults={
                "title": title[:200],
                "body": body[:500],
                "url": f"/kantor/permohonan/{step.application.tracking}/",
                "created_at": now,
            },
        )


def _step_context(step: ApplicationStep) -> dict[str, str]:
    return {
        "t": step.application.tracking,
        "step": step.name,
        "agency": step.agency.short_name or step.agency.name,
        "due": due_text(step.due_at),
    }


def notify_step_at_risk(payload: dict[str, Any]) -> None:
    """Warn the officers of the step's agency that its deadline is near."""
    step = _step(payload)
    if step is None or step.finished_at is not None:
        return
    users = agency_members(step.agency_id, {Role.OFFICER}) or agency_members(
        step.agency_id, {Role.AGENCY_ADMIN}
    )
    with override("id"):
        ctx = _step_context(step)
        title = _("Tenggat tahap hampir habis: %(t)s") % ctx
        body = _("Tahap %(step)s permohonan %(t)s harus diputus sebelum %(due)s.") % ctx
    _tell_staff(step, users, rung="application.step_at_risk", title=title, body=body)


def notify_step_breached(payload: dict[str, Any]) -> None:
    """Tell the step agency's admins and officers that its deadline passed."""
    step = _step(payload)
    if step is None:
        return
    users = agency_members(step.agency_id, {Role.AGENCY_ADMIN, Role.OFFICER})
    with override("id"):
        ctx = _step_context(step)
        title = _("Tenggat tahap terlewati: %(t)s") % ctx
        body = _("Tahap %(step)s permohonan %(t)s melewati tenggatnya (%(due)s).") % ctx
    _tell_staff(step, users, rung="application.step_breached", title=title, body=body)


def notify_step_escalated(payload: dict[str, Any]) -> None:
    """Escalate a step still undecided after its deadline to the platform admins."""
    step = _step(payload)
    if step is None or step.finished_at is not None:
        return
    with override("id"):
        ctx = _step_context(step)
        title = _("Eskalasi tenggat permohonan: %(t)s") % ctx
        body = _("Tahap %(step)s di %(agency)s belum diputus sejak tenggatnya (%(due)s).") % ctx
    _tell_staff(step, platform_admins(), rung="application.step_escalated", title=title, body=body)
