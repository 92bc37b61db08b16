"""Referred reports (bukan wewenang): how they travel and the news that comes back.

A report referred to a kabupaten/kota (or national body) keeps its case and tracking
number. The receiving government gets it on the platform when it is onboarded (its liaison
and officers see it in /kantor/), otherwise by e-mail to its configured address (sent by an
outbox handler in ``integrations.lapor`` after commit) or through the national SP4N-LAPOR!
exchange file (``lampungin lapor export``). Status updates coming back (``lampungin lapor
import``, ``POST /api/v1/integrations/lapor/status``) become public timeline events here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.agencies.models import Agency
from lampungin.cases import permissions, services
from lampungin.cases.choices import Action, CaseState, EventKind, ReferralChannel, ReferralStatus, Visibility
from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import append_event
from lampungin.core import clock, outbox
from lampungin.core.errors import NotAllowed, NotFound
from lampungin.core.ids import normalize_tracking_number


def channel_for(agency: Agency) -> ReferralChannel:
    """How a referral reaches ``agency``: on the platform, by e-mail, or through LAPOR!."""
    if agency.onboarded:
        return ReferralChannel.PLATFORM
    if agency.email:
        return ReferralChannel.EMAIL
    return ReferralChannel.LAPOR


def may_report_status(actor: Actor, case: Case) -> bool:
    """Who may record news from the receiving government: platform admins, and the
    receiving agency's own staff or liaison (an onboarded government types it in itself)."""
    return permissions.receives_referral(actor, case)


@dataclass(frozen=True)
class StatusUpdate:
    """One status update about a referred report, as received (file or API)."""

    update_id: str
    tracking: str
    status: str
    message: str = ""
    agency: str = ""
    occurred_at: datetime | None = None


def record_status_update(*, actor: Actor, update: StatusUpdate, source: str) -> CaseEvent | None:
    """Append the receiving government's news to the referred case's public timeline.

    Must hold: the case exists and was referred; ``actor`` may report for it; the status is
    known. Idempotent on ``update_id`` per case: a repeated update returns None and writes
    nothing, so a file can be imported twice.
    """
    errors: dict[str, list[str]] = {}
    update_id = (update.update_id or "").strip()[:80]
    if not update_id:
        errors["id"] = [_("Setiap kabar wajib memiliki id.")]
    if update.status not in ReferralStatus.values:
        errors["status"] = [_("Status tidak dikenal: %(s)s.") % {"s": update.status}]
    message = (update.message or "").strip()
    if len(message) > 4000:
        errors["message"] = [_("Pesan terlalu panjang (maksimal 4000 karakter).")]
    if errors:
        raise ValidationError(errors)
    number = normalize_tracking_number(update.tracking or "")
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("referred_to")
            .filter(tracking=number)
            .first()
            if number
            else None
        )
        # A repeated update is a no-op even once the case is no longer referred (a returned
        # referral came back), for whoever recorded it or may speak for the receiver: importing
        # the same file twice must stay safe, without telling others which ids exist.
        earlier = (
            case.events.filter(kind=EventKind.REFERRAL_UPDATE, data__update_id=update_id).first()
            if case is not None
            else None
        )
        if earlier is not None and (
            earlier.actor_id == actor.user_id or actor.platform_admin or may_report_status(actor, case)
        ):
            return None
        if case is None or case.referred_to_id is None:
            raise NotFound(_("Laporan rujukan %(t)s tidak ditemukan.") % {"t": update.tracking})
        if not may_report_status(actor, case):
            raise NotAllowed(_("Anda tidak berwenang mencatat kabar rujukan laporan ini."))
        status = ReferralStatus(update.status)
        label = update.agency.strip()[:200] or case.referred_to.name
        case.updated_at = clock.now()
        event = append_event(
            case,
            kind=EventKind.REFERRAL_UPDATE,
            actor=actor.user,
            actor_label=label,
            visibility=Visibility.PUBLIC,
            message=f"{status.label}: {message}" if message else str(status.label),
            data={
                "update_id": update_id,
                "status": status.value,
                "source": source,
                "occurred_at": update.occurred_at.isoformat() if update.occurred_at else None,
            },
        )
        case.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
        outbox.emit("case.comment", {"case_id": case.pk, "event_id": event.pk})
        if status == ReferralStatus.RETURNED and case.state == CaseState.REFERRED:
            # "Not ours either": the case comes back to the agency that referred it.
            services.perform_action(
                actor=actor,
                case=case,
                action=Action.RETURN_REFERRAL,
                message=message or str(status.label),
            )
    return event


def record_sent(*, case_id: int, referral_event_id: int, channel: str, recipient: str) -> CaseEvent | None:
    """Note on the timeline that the referral left through ``channel`` (called by the
    outbox handler after it sent it). Idempotent per referral event."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("referred_to").get(pk=case_id)
        if case.events.filter(kind=EventKind.REFERRAL_SENT, data__for_event=referral_event_id).exists():
            return None
        name = case.referred_to.name if case.referred_to else recipient
        event = append_event(
            case,
            kind=EventKind.REFERRAL_SENT,
            actor=None,
            actor_label=_("Sistem"),
            visibility=Visibility.PUBLIC,
            message=_("Rujukan dikirim ke %(agency)s melalui %(channel)s.")
            % {"agency": name, "channel": ReferralChannel(channel).label},
            data={"for_event": referral_event_id, "channel": channel, "recipient": recipient},
        )
        case.save(update_fields=["last_event_seq", "last_event_hash"])
    return event


def already_sent(case: Case, referral_event_id: int) -> bool:
    return case.events.filter(kind=EventKind.REFERRAL_SENT, data__for_event=referral_event_id).exists()


def referred_for_export(*, since: datetime | None = None) -> QuerySet[CaseEvent]:
    """Referral events (newest last) of cases referred to governments not on the platform."""
    qs = (
        CaseEvent.objects.filter(kind=EventKind.TRANSITION, action=Action.REFER, to_state=CaseState.REFERRED)
        .filter(case__referred_to__onboarded=False)
        .select_related("case", "case__category", "case__region", "case__regency", "case__referred_to")
        .order_by("created_at", "id")
    )
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    return qs


def news(case: Case) -> list[CaseEvent]:
    """The status updates received about a referred case, oldest first (for staff pages)."""
    return list(case.events.filter(kind=EventKind.REFERRAL_UPDATE).order_by("seq"))
