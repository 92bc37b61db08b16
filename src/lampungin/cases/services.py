"""Every write to a case: submission, lifecycle actions, replies and notes.

Each function runs in one transaction that locks the case row, changes it, appends the
timeline event(s) and records the outbox message(s); side effects run after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.accounts.models import User
from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency
from lampungin.cases import clocks, dispositions, guards, lifecycle, permissions, routing, transfers
from lampungin.cases.choices import (
    Action,
    AttachmentKind,
    CaseState,
    Channel,
    EventKind,
    Privacy,
    RejectReason,
    ReportType,
    Visibility,
)
from lampungin.cases.images import ProcessedPhoto, process_photo
from lampungin.cases.models import Attachment, Case, CaseEvent
from lampungin.cases.timeline import append_event
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock, ids, outbox, ratelimit
from lampungin.core.errors import Conflict, NotAllowed, TooManyRequests
from lampungin.regions.geo import in_lampung
from lampungin.regions.models import Region
from lampungin.regions.selectors import nearest_regency

MAX_DESCRIPTION = 4000
MIN_DESCRIPTION = 15


@dataclass(frozen=True)
class PhotoUpload:
    """A file as received from a form or the API, before validation."""

    name: str
    data: bytes


@dataclass(frozen=True)
class SubmitResult:
    case: Case
    created: bool  # False when the idempotency key matched an earlier submission


def _actor_label(actor: Actor, case: Case) -> str:
    if actor.user is None:
        return _("Sistem")
    if permissions.is_reporter(actor, case):
        return _("Pelapor")
    if case.agency_id in actor.agency_ids:
        return _("Petugas %(agency)s") % {"agency": case.agency.short_name}
    if actor.platform_admin:
        return _("Admin platform")
    if case.category.validating_agency_id and case.category.validating_agency_id in actor.agency_ids:
        return _("Validator %(agency)s") % {"agency": case.category.validating_agency.short_name}
    return _("Petugas")


def _validate_location(
    region_code: str, lat: float | None, lng: float | None, errors: dict[str, list[str]]
) -> tuple[Region | None, Region | None]:
    region = None
    if (lat is None) != (lng is None):
        errors.setdefault("location", []).append(_("Koordinat harus berisi lintang dan bujur."))
    elif lat is not None and lng is not None and not in_lampung(lat, lng):
        errors.setdefault("location", []).append(_("Titik lokasi berada di luar Provinsi Lampung."))
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not region_code.startswith("18."):
            errors.setdefault("region", []).append(_("Wilayah tidak dikenal."))
            region = None
    elif lat is None:
        errors.setdefault("location", []).append(
            _("Tentukan lokasi: tandai titik di peta atau pilih kabupaten/kota.")
        )
    if errors.get("location") or errors.get("region"):
        return None, None
    if region is None and lat is not None and lng is not None:
        region = nearest_regency(lat, lng)
    if region is None:
        return None, None
    regency = Region.objects.get(code=region.regency_code) if region.regency_code else None
    if regency is None:
        errors.setdefault("region", []).append(_("Pilih kabupaten/kota atau wilayah di bawahnya."))
    return region, regency


def check_report_rate(reporter: User, *, idempotency_key: str = "") -> None:
    """Refuse a new report when ``reporter`` has filed too many this hour (shared by pages and API).

    A retry of a report already filed (same idempotency key) is not a new report: it is
    neither counted nor refused, so a weak network never turns into a lost tracking number.
    """
    key = idempotency_key.strip()[:80]
    if key and Case.objects.filter(reporter=reporter, idempotency_key=key).exists():
        return
    if not ratelimit.allow(f"report:{reporter.pk}", limit=settings.REPORT_RATE_LIMIT, window_seconds=3600):
        raise TooManyRequests(
            _("Anda sudah mengirim banyak laporan dalam satu jam terakhir. Silakan coba lagi nanti.")
        )


def submit_report(
    *,
    reporter: User,
    report_type: str,
    category_code: str,
    description: str,
    title: str = "",
    privacy: str = Privacy.CONFIDENTIAL,
    region_code: str = "",
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    photos: Sequence[PhotoUpload] = (),
    idempotency_key: str = "",
    channel: str = Channel.WEB,
    client_time: datetime | None = None,
) -> SubmitResult:
    """File a report for ``reporter``; validates everything before writing anything.

    The same ``idempotency_key`` from the same reporter returns the first case instead of
    creating a second one, so a retried upload on a weak network files the report once.
    """
    key = idempotency_key.strip()[:80] or None
    if key:
        existing = Case.objects.filter(reporter=reporter, idempotency_key=key).first()
        if existing:
            return SubmitResult(existing, created=False)

    errors: dict[str, list[str]] = {}
    if report_type not in ReportType.values:
        errors.setdefault("report_type", []).append(
            _("Pilih jenis laporan: aspirasi, pengaduan, atau permintaan informasi.")
        )
    category = (
        ReportCategory.objects.filter(code=category_code, is_active=True)
        .select_related("default_agency")
        .first()
    )
    if category is None:
        errors.setdefault("category", []).append(_("Kategori laporan tidak dikenal."))
    description = (description or "").strip()
    if len(description) < MIN_DESCRIPTION:
        errors.setdefault("description", []).append(
            _("Uraikan laporan Anda (minimal %(n)s karakter).") % {"n": MIN_DESCRIPTION}
        )
    elif len(description) > MAX_DESCRIPTION:
        errors.setdefault("description", []).append(
            _("Uraian terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_DESCRIPTION}
        )
    if privacy not in Privacy.values:
        errors.setdefault("privacy", []).append(_("Pilihan privasi tidak dikenal."))
    region, regency = _validate_location(region_code.strip(), lat, lng, errors)
    if len(photos) > 5:
        errors.setdefault("photos", []).append(_("Maksimal 5 foto per laporan."))
    processed: list[ProcessedPhoto] = []
    for upload in photos[:5]:
        try:
            processed.append(process_photo(upload.data, name=upload.name))
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    assert category is not None and region is not None and regency is not None  # noqa: S101 - checked above

    title = (title or "").strip()[:150] or _short_title(description)
    saved_files: list[Attachment] = []
    try:
        with transaction.atomic():
            now = clock.now()
            routed = routing.decide(
                category=category, region=region, regency=regency, text=f"{title}\n{description}"
            )
            case = Case(
                tracking=_unique_tracking(),
                report_type=report_type,
                category=category,
                title=title,
                description=description,
                privacy=privacy,
                reporter=reporter,
                agency=routed.agency,
                unit=routed.unit,
                region=region,
                regency=regency,
                lat=lat,
                lng=lng,
                address=address.strip()[:300],
                channel=channel,
                idempotency_key=key,
                created_at=now,
                updated_at=now,
            )
            case.save()
            event = append_event(
                case,
                kind=EventKind.SUBMITTED,
                to_state=CaseState.SUBMITTED,
                actor=reporter,
                actor_label=_("Pelapor"),
                visibility=Visibility.PUBLIC,
                client_time=client_time,
                data={**routed.event_data(), "photos": len(processed)},
            )
            for photo in processed:
                saved_files.append(_store_photo(case, event, photo, AttachmentKind.PHOTO, reporter))
            clocks.on_state_change(case, "", CaseState.SUBMITTED)
            outbox.emit("case.submitted", {"case_id": case.pk, "event_id": event.pk})
            if routing.skips_verification(routed, category):
                verified = routing.auto_verify(case)
                clocks.on_state_change(case, CaseState.SUBMITTED, CaseState.VERIFIED)
                outbox.emit(
                    "case.transition",
                    {
                        "case_id": case.pk,
                        "event_id": verified.pk,
                        "action": Action.VERIFY.value,
                        "from": CaseState.SUBMITTED.value,
                        "to": CaseState.VERIFIED.value,
                    },
                )
            case.save(update_fields=["state", "last_event_seq", "last_event_hash"])
    except IntegrityError:
        for attachment in saved_files:
            attachment.file.delete(save=False)
        if key:
            # Two identical submissions raced; the other one won.
            existing = Case.objects.filter(reporter=reporter, idempotency_key=key).first()
            if existing:
                return SubmitResult(existing, created=False)
        raise
    except Exception:
        for attachment in saved_files:
            attachment.file.delete(save=False)
        raise
    return SubmitResult(case, created=True)


def _short_title(description: str) -> str:
    first_line = description.splitlines()[0]
    return first_line if len(first_line) <= 80 else first_line[:77].rsplit(" ", 1)[0] + "…"


def _unique_tracking() -> str:
    for _attempt in range(20):
        number = ids.new_tracking_number()
        if not Case.objects.filter(tracking=number).exists():
            return number
    raise RuntimeError("could not allocate a tracking number")


def _store_photo(
    case: Case, event: CaseEvent, photo: ProcessedPhoto, kind: str, user: User | None
) -> Attachment:
    attachment = Attachment(
        case=case,
        event=event,
        kind=kind,
        size=photo.size,
        width=photo.width,
        height=photo.height,
        sha256=photo.sha256,
        uploaded_by=user,
        created_at=clock.now(),
    )
    attachment.file.save(f"{photo.sha256[:16]}.jpg", ContentFile(photo.content), save=False)
    attachment.save()
    return attachment


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency", "category").get(pk=case.pk)


def perform_action(
    *,
    actor: Actor,
    case: Case,
    action: str,
    message: str = "",
    assignee_id: int | None = None,
    unit_id: int | None = None,
    referred_to_code: str = "",
    reject_reason: str = "",
    agency_code: str = "",
    evidence: Sequence[PhotoUpload] = (),
) -> CaseEvent:
    """Move ``case`` along the lifecycle by ``action`` and record it in the timeline.

    Refused with NotAllowed when ``actor`` may not take the action on this case, and with
    Conflict when the lifecycle table has no such move from the current state.
    """
    try:
        act = Action(action)
    except ValueError:
        raise ValidationError({"action": [_("Tindakan tidak dikenal.")]}) from None
    message = (message or "").strip()
    if len(message) > MAX_DESCRIPTION:
        raise ValidationError({"message": [_("Pesan terlalu panjang (maksimal 4000 karakter).")]})
    if len(evidence) > 5:
        raise ValidationError({"evidence": [_("Maksimal 5 foto bukti.")]})
    processed = [process_photo(p.data, name=p.name) for p in evidence]

    saved: list[Attachment] = []
    try:
        with transaction.atomic():
            case = _locked(case)
            if not permissions.may_act(actor, case, act):
                raise NotAllowed(_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))
            target = lifecycle.target_state(act, CaseState(case.state))
            if target is None:
                raise Conflict(
                    _("Tindakan “%(action)s” tidak dapat dilakukan pada laporan berstatus “%(state)s”.")
                    % {"action": act.label, "state": CaseState(case.state).label},
                    code="transition_not_allowed",
                )
            if act in lifecycle.MESSAGE_REQUIRED and not message:
                raise ValidationError({"message": [_("Tuliskan keterangan untuk tindakan ini.")]})
            # Conditions beyond the table: open joint tasks, required validation, the
            # reporter's dispute window (decision 0010).
            guards.check(actor=actor, case=case, action=act)
            data = _apply_action_fields(
                case,
                act,
                assignee_id=assignee_id,
                unit_id=unit_id,
                referred_to_code=referred_to_code,
                reject_reason=reject_reason,
                agency_code=agency_code,
            )
            now = clock.now()
            from_state = case.state
            case.state = target
            case.updated_at = now
            if target == CaseState.RESOLVED:
                case.resolved_at = now
            if target in (CaseState.CLOSED, CaseState.REJECTED):
                case.closed_at = now
            # A reporter's own words may identify them (UU 27/2022): the state change is
            # public, what they wrote goes in a separate event for the parties only.
            by_reporter = lifecycle.ACTOR_OF[act] != lifecycle.ActorKind.STAFF and permissions.is_reporter(
                actor, case
            )
            aside = _aside(act, by_reporter) if message else None
            # A returned referral speaks for the government that sent it back.
            label = data.get("returned_by_name") or _actor_label(actor, case)
            event = append_event(
                case,
                kind=EventKind.TRANSITION,
                action=act,
                from_state=from_state,
                to_state=target,
                actor=actor.user,
                actor_label=label,
                visibility=Visibility.PUBLIC,
                message="" if aside else message,
                data=data,
            )
            transfers.after_event(case, data)  # a transfer or a verifier's routing: SLA clocks
            if aside:
                append_event(
                    case,
                    kind=aside[0],
                    actor=actor.user,
                    actor_label=label,
                    visibility=aside[1],
                    message=message,
                    data={"for_action": act.value},
                )
            resolving = act in (Action.RESOLVE, Action.SUBMIT_RESOLUTION)
            kind = AttachmentKind.EVIDENCE if resolving else AttachmentKind.PHOTO
            for photo in processed:
                saved.append(_store_photo(case, event, photo, kind, actor.user))
            clocks.on_state_change(case, from_state, target)
            case.save()
            outbox.emit(
                "case.transition",
                {
                    "case_id": case.pk,
                    "event_id": event.pk,
                    "action": act.value,
                    "from": from_state,
                    "to": target,
                },
            )
    except Exception:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return event


def _aside(act: Action, by_reporter: bool) -> tuple[EventKind, Visibility] | None:
    """Where a transition's message goes when it must not be public on the transition itself:
    the reporter's words to the parties only; a disposition's instruction to staff only."""
    if by_reporter:
        return EventKind.COMMENT, Visibility.PARTIES
    if act in lifecycle.INTERNAL_MESSAGE:
        return EventKind.NOTE, Visibility.INTERNAL
    return None


def _apply_action_fields(
    case: Case,
    action: Action,
    *,
    assignee_id: int | None,
    unit_id: int | None,
    referred_to_code: str,
    reject_reason: str,
    agency_code: str = "",
) -> dict:
    """Set the fields an action carries (assignee, referral target, reason) and return them for the event."""
    if action in (Action.TRANSFER, Action.VERIFY):
        return transfers.apply(case, action, agency_code=agency_code)
    if action == Action.ASSIGN:
        return dispositions.apply_assign(case, assignee_id=assignee_id, unit_id=unit_id)
    if action == Action.REFER:
        target = Agency.objects.filter(code=referred_to_code, is_active=True).first()
        if target is None or target.level == AgencyLevel.PROVINCE:
            raise ValidationError(
                {"referred_to": [_("Pilih pemerintah kabupaten/kota atau instansi nasional tujuan rujukan.")]}
            )
        case.referred_to = target
        return {"referred_to": target.code, "referred_to_name": target.name}
    if action == Action.RETURN_REFERRAL:
        # The receiving government no longer sees it; the event keeps who sent it back.
        returned_by = case.referred_to
        case.referred_to = None
        return {"returned_by": returned_by.code, "returned_by_name": returned_by.name} if returned_by else {}
    if action == Action.REJECT:
        if reject_reason not in RejectReason.values:
            raise ValidationError({"reject_reason": [_("Pilih alasan penolakan.")]})
        case.reject_reason = reject_reason
        return {"reject_reason": reject_reason}
    return {}


def add_comment(*, actor: Actor, case: Case, message: str, internal: bool = False) -> CaseEvent:
    """A reply without a state change: a public reply or internal note by staff, or a reporter's message."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Pesan tidak boleh kosong.")]})
    if len(message) > MAX_DESCRIPTION:
        raise ValidationError({"message": [_("Pesan terlalu panjang (maksimal 4000 karakter).")]})
    with transaction.atomic():
        case = _locked(case)
        staff = permissions.handles(actor, case)
        reporter = permissions.is_reporter(actor, case)
        if not (staff or reporter) or (internal and not staff):
            raise NotAllowed(_("Anda tidak berwenang menanggapi laporan ini."))
        if internal:
            visibility, kind = Visibility.INTERNAL, EventKind.NOTE
        elif staff:
            visibility, kind = Visibility.PUBLIC, EventKind.COMMENT
        else:
            # A reporter's own words may identify them: never on the public page.
            visibility, kind = Visibility.PARTIES, EventKind.COMMENT
        case.updated_at = clock.now()
        event = append_event(
            case,
            kind=kind,
            actor=actor.user,
            actor_label=_actor_label(actor, case),
            visibility=visibility,
            message=message,
        )
        case.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
        if visibility != Visibility.INTERNAL:
            outbox.emit("case.comment", {"case_id": case.pk, "event_id": event.pk})
    return event
