"""Outbox consumers for SLA deadlines: in-app notifications for the staff who must act.

``sla.at_risk``  → the assigned officer, or every officer of the agency if nobody is assigned;
``sla.breached`` → the agency admins and the assigned officer (officers if the agency has no admin);
the agency is the one that must meet the clock: for a joint-handling task's clock, the task's
agency and its assignee, not the case's responsible agency;
``sla.escalated`` → the platform admins.

Idempotent: each person gets one notification per clock and rung (``dedupe_key``), however
often the outbox delivers the message.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.clocks import clock_view, due_text
from lampungin.core import clock
from lampungin.notifications.models import Notification
from lampungin.sla.choices import ClockKind
from lampungin.sla.selectors import calendar_for


def agency_members(agency_id: int, roles: set[str]) -> set[int]:
    return set(
        StaffMembership.objects.filter(
            agency_id=agency_id, role__in=roles, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _assignee(c: CaseClock, agency_id: int) -> set[int]:
    """The assigned officer (of the task, for a task's clock), if still an active member of
    the agency that must act."""
    user_id = c.task.assignee_id if c.task_id else c.case.assignee_id
    if user_id and agency_members(agency_id, {Role.OFFICER, Role.AGENCY_ADMIN}) & {user_id}:
        return {user_id}
    return set()


def _acting_agency_id(c: CaseClock) -> int:
    # Messages queued before the payload named the agency: work it out the same way.
    return c.task.agency_id if c.task_id else c.case.agency_id


def platform_admins() -> set[int]:
    return set(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.PLATFORM_ADMIN, memberships__is_active=True))
        .values_list("id", flat=True)
    )


def _deliver(
    user_ids: set[int], *, key: str, title: str, body: str, url: str, event_id: int | None = None
) -> None:
    now = clock.now()
    for user_id in sorted(user_ids):
        Notification.objects.get_or_create(
            user_id=user_id,
            dedupe_key=key,
            defaults={
                "title": title,
                "body": body,
                "url": url,
                "created_at": now,
                "source_event_id": event_id,
            },
        )


def _load(payload: dict[str, Any]) -> CaseClock | None:
    return CaseClock.objects.select_related("case", "task").filter(pk=payload.get("clock_id")).first()


def _context(c: CaseClock) -> dict[str, str]:
    view = clock_view(c, calendar_for(c.regency_id))
    return {
        "clock": str(ClockKind(c.kind).label),
        "tracking": c.case.tracking,
        "title": c.case.title,
        "due": due_text(c.due_at),
        "remaining": view.remaining_text,
    }


def _url(c: CaseClock) -> str:
    return f"/kantor/laporan/{c.case.tracking}/"


def notify_at_risk(payload: dict[str, Any]) -> None:
    """Warn the officer(s) of a case whose deadline is near."""
    c = _load(payload)
    if c is None or c.stopped_at is not None:
        return
    agency_id = payload.get("agency_id") or _acting_agency_id(c)
    users = (
        _assignee(c, agency_id)
        or agency_members(agency_id, {Role.OFFICER})
        or agency_members(agency_id, {Role.AGENCY_ADMIN})
    )
    with override("id"):
        ctx = _context(c)
        title = _("Tenggat hampir habis: %(tracking)s") % ctx
        body = _("Tenggat %(clock)s laporan “%(title)s” jatuh pada %(due)s (%(remaining)s).") % ctx
    _deliver(users, key=f"sla.at_risk:{c.pk}:{agency_id}", title=title, body=body, url=_url(c))


def notify_breached(payload: dict[str, Any]) -> None:
    """Tell the agency admins (and the assigned officer) that a deadline passed."""
    c = _load(payload)
    if c is None:
        return
    agency_id = payload.get("agency_id") or _acting_agency_id(c)
    admins = agency_members(agency_id, {Role.AGENCY_ADMIN}) or agency_members(agency_id, {Role.OFFICER})
    with override("id"):
        ctx = _context(c)
        title = _("Tenggat terlewati: %(tracking)s") % ctx
        body = _("Tenggat %(clock)s laporan “%(title)s” sudah lewat (%(due)s): %(remaining)s.") % ctx
    _deliver(
        admins | _assignee(c, agency_id),
        key=f"sla.breached:{c.pk}:{agency_id}",
        title=title,
        body=body,
        url=_url(c),
        # The transfer re-notice has no event of its own; linking the original breach
        # event twice to one person would collide with the (user, event) constraint.
        event_id=None if payload.get("transfer") else payload.get("event_id"),
    )


def notify_escalated(payload: dict[str, Any]) -> None:
    """Escalate a deadline still unmet to the platform admins."""
    c = _load(payload)
    if c is None:
        return
    with override("id"):
        ctx = _context(c)
        title = _("Eskalasi tenggat: %(tracking)s") % ctx
        body = _("Tenggat %(clock)s laporan “%(title)s” (%(due)s) belum dipenuhi: %(remaining)s.") % ctx
    _deliver(platform_admins(), key=f"sla.escalated:{c.pk}", title=title, body=body, url=_url(c))
