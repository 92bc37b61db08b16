"""Every write to working time and SLA policies, and the seed that loads them.

A change of holidays or office hours calls :func:`calendar_changed` in its transaction:
it gives the calendar a new token (every process then rebuilds its cached calendars) and
records an outbox message ``sla.calendar_changed``. The cases app handles that message
after commit by enqueueing the recompute of every open SLA clock, so an admin's click
returns at once and the recompute is not lost if the process dies after the commit.
"""

from __future__ import annotations

import uuid
from datetime import date

import holidays as holidays_lib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lampungin.core import clock, outbox
from lampungin.regions.choices import Level
from lampungin.regions.models import Region
from lampungin.sla.calendar import Weekly, default_weekly, ramadan_weekly
from lampungin.sla.choices import ClockKind, HolidayKind, TargetUnit
from lampungin.sla.models import (
    CalendarVersion,
    Holiday,
    SlaPolicy,
    SlaTarget,
    WorkingInterval,
    WorkingSchedule,
)
from lampungin.sla.selectors import CALENDAR_ROW

CALENDAR_CHANGED = "sla.calendar_changed"
SEED_YEARS = range(2024, 2029)
DEFAULT_POLICY = "default"

# Ramadan (1 Ramadan .. the eve of Idul Fitri), when ASN work 32.5 h/week from 08:00.
# 1445–1447 H as the government set them; 1448–1449 H are estimates to be confirmed by the
# sidang isbat, which is why admins can move them.
RAMADAN: list[tuple[str, date, date, bool]] = [
    ("Ramadan 1445 H", date(2024, 3, 12), date(2024, 4, 9), False),
    ("Ramadan 1446 H", date(2025, 3, 1), date(2025, 3, 30), False),
    ("Ramadan 1447 H", date(2026, 2, 19), date(2026, 3, 20), False),
    ("Ramadan 1448 H", date(2027, 2, 8), date(2027, 3, 9), True),
    ("Ramadan 1449 H", date(2028, 1, 28), date(2028, 2, 26), True),
]

# The SP4N-LAPOR! clocks (Perpres 76/2013, PermenPANRB 62/2018) and the law's calendar-day
# limit (UU 25/2009): kind -> amount, unit, start states, stop states, pause states,
# at-risk %, escalation delay. States are CaseState values.
DEFAULT_TARGETS: dict[str, tuple[int, str, list[str], list[str], list[str], int | None, int | None]] = {
    ClockKind.VERIFICATION: (
        3,
        TargetUnit.WORKING_DAYS,
        ["submitted"],
        ["verified", "rejected", "referred"],
        [],
        80,
        1,
    ),
    ClockKind.FOLLOW_UP: (
        5,
        TargetUnit.WORKING_DAYS,
        ["verified", "assigned", "reopened"],
        ["resolved", "rejected", "referred", "closed"],
        ["waiting_reporter"],
        80,
        1,
    ),
    # The reporter's window: nobody to warn or escalate; when it passes staff may close.
    ClockKind.REPORTER_RESPONSE: (
        10,
        TargetUnit.WORKING_DAYS,
        ["resolved"],
        ["closed", "reopened"],
        [],
        None,
        None,
    ),
    ClockKind.LEGAL_DECISION: (
        60,
        TargetUnit.CALENDAR_DAYS,
        ["submitted"],
        ["resolved", "rejected", "referred", "closed"],
        [],
        80,
        1,
    ),
}


def calendar_changed() -> str:
    """Give the calendar a new token and record the change for the recompute (in the caller's transaction)."""
    token = uuid.uuid4().hex
    now = clock.now()
    updated = CalendarVersion.objects.filter(pk=CALENDAR_ROW).update(token=token, changed_at=now)
    if not updated:
        CalendarVersion.objects.update_or_create(
            pk=CALENDAR_ROW, defaults={"token": token, "changed_at": now}
        )
    outbox.emit(CALENDAR_CHANGED, {"token": token})
    return token


# -- holidays --------------------------------------------------------------------------


def _region(region_code: str | None) -> Region | None:
    if not region_code:
        return None
    region = Region.objects.filter(code=region_code, level=Level.REGENCY).first()
    if region is None:
        raise ValidationError({"region": [_("Kabupaten/kota tidak dikenal.")]})
    return region


def save_holiday(holiday: Holiday) -> Holiday:
    """Validate and store ``holiday`` (new or edited) and mark the calendar changed."""
    holiday.updated_at = clock.now()
    holiday.full_clean(exclude=["seed_key"])
    with transaction.atomic():
        holiday.save()
        calendar_changed()
    return holiday


def add_holiday(
    *,
    day: date,
    name: str,
    kind: str = HolidayKind.NATIONAL,
    region_code: str | None = None,
    is_estimate: bool = False,
    source: str = "admin",
) -> Holiday:
    """Add a non-working day; every open clock is recomputed after commit."""
    return save_holiday(
        Holiday(
            date=day,
            name=name.strip(),
            kind=kind,
            region=_region(region_code),
            is_estimate=is_estimate,
            source=source,
        )
    )


def move_holiday(*, holiday: Holiday, to: date, is_estimate: bool | None = None) -> Holiday:
    """Move a holiday to another date (an estimate confirmed by decree); clocks are recomputed."""
    holiday.date = to
    if is_estimate is not None:
        holiday.is_estimate = is_estimate
    return save_holiday(holiday)


def remove_holiday(*, holiday: Holiday) -> None:
    """Make a date a working day again; clocks are recomputed.

    A holiday loaded by the seed is kept as inactive (so the seed does not bring it back);
    one added by an admin is deleted.
    """
    with transaction.atomic():
        if holiday.seed_key:
            holiday.is_active = False
            holiday.updated_at = clock.now()
            holiday.save(update_fields=["is_active", "updated_at"])
        else:
            holiday.delete()
        calendar_changed()


# -- office hours ----------------------------------------------------------------------


def save_schedule(schedule: WorkingSchedule) -> WorkingSchedule:
    """Store a schedule's dates and name and mark the calendar changed."""
    schedule.full_clean()
    with transaction.atomic():
        schedule.save()
        calendar_changed()
    return schedule


def set_schedule_intervals(schedule: WorkingSchedule, weekly: Weekly) -> None:
    """Replace the intervals of ``schedule`` with ``weekly`` and mark the calendar changed."""
    with transaction.atomic():
        schedule.intervals.all().delete()
        _create_intervals(schedule, weekly)
        calendar_changed()


def schedule_intervals_changed(schedule: WorkingSchedule) -> None:
    """After an admin edited a schedule's intervals: check they form a valid week, mark the change."""
    try:
        schedule.weekly()
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    calendar_changed()


def delete_schedule(*, schedule: WorkingSchedule) -> None:
    """Remove a dated override (the default week cannot be removed, only edited)."""
    if schedule.is_default:
        raise ValidationError(_("Jadwal baku tidak dapat dihapus; ubah jam kerjanya."))
    with transaction.atomic():
        schedule.delete()
        calendar_changed()


def _create_intervals(schedule: WorkingSchedule, weekly: Weekly) -> None:
    WorkingInterval.objects.bulk_create(
        WorkingInterval(schedule=schedule, weekday=weekday, start=start, end=end)
        for weekday, day in enumerate(weekly)
        for start, end in day
    )


# -- seed ------------------------------------------------------------------------------


def _seed_schedule(
    name: str, weekly: Weekly, *, date_from=None, date_to=None, is_estimate=False, note=""
) -> bool:
    lookup = {"is_default": True} if date_from is None else {"name": name}
    schedule, created = WorkingSchedule.objects.get_or_create(
        **lookup,
        defaults={
            "name": name,
            "is_default": date_from is None,
            "date_from": date_from,
            "date_to": date_to,
            "is_estimate": is_estimate,
            "note": note,
        },
    )
    if created:
        _create_intervals(schedule, weekly)
    return created


def _seed_holidays() -> int:
    now = clock.now()
    version = getattr(holidays_lib, "__version__", "")
    # Loaded before (an admin may have moved or removed it since), or added by hand.
    seeded = set(Holiday.objects.exclude(seed_key=None).values_list("seed_key", flat=True))
    taken = set(Holiday.objects.filter(region__isnull=True, is_active=True).values_list("date", "kind"))
    new = []
    for category, kind in (("public", HolidayKind.NATIONAL), ("government", HolidayKind.CUTI_BERSAMA)):
        entries = holidays_lib.country_holidays("ID", years=SEED_YEARS, categories=(category,), language="id")
        for day, name in sorted(entries.items()):
            key = f"ID:{day.isoformat()}:{kind}"
            if key in seeded or (day, kind) in taken:
                continue
            new.append(
                Holiday(
                    date=day,
                    name=name[:200],
                    kind=kind,
                    is_estimate="perkiraan" in name.lower(),
                    seed_key=key,
                    source=f"holidays {version}".strip(),
                    updated_at=now,
                )
            )
    Holiday.objects.bulk_create(new)
    return len(new)


def ensure_default_policy() -> SlaPolicy:
    """The SP4N-LAPOR! default policy, created with its targets if missing (keeps admins' edits)."""
    policy, created = SlaPolicy.objects.get_or_create(
        code=DEFAULT_POLICY,
        defaults={
            "name": _("Standar SP4N-LAPOR! dan UU 25/2009"),
            "note": "SP4N-LAPOR! (Perpres 76/2013, PermenPANRB 62/2018); UU 25/2009 (Pelayanan Publik).",
        },
    )
    if created:
        for kind, (amount, unit, start, stop, pause, at_risk, escalate) in DEFAULT_TARGETS.items():
            target = SlaTarget(
                policy=policy,
                kind=kind,
                amount=amount,
                unit=unit,
                start_states=start,
                stop_states=stop,
                pause_states=pause,
                at_risk_percent=at_risk,
                escalate_after_days=escalate,
            )
            target.full_clean(exclude=["policy"])
            target.save()
    return policy


@transaction.atomic
def load_seed_calendar() -> tuple[int, int]:
    """Default week, Ramadan overrides, holidays 2024–2028 and the default SLA policy.

    Idempotent and keeps admins' edits: a seeded holiday an admin moved or removed is not
    added again. Returns (holidays created, schedules created).
    """
    schedules = int(_seed_schedule(_("Jam kerja ASN (Perpres 21/2023)"), default_weekly()))
    for name, date_from, date_to, estimate in RAMADAN:
        schedules += _seed_schedule(
            name,
            ramadan_weekly(),
            date_from=date_from,
            date_to=date_to,
            is_estimate=estimate,
            note=_("Jam kerja bulan Ramadan: 32,5 jam per minggu mulai 08.00."),
        )
    created = _seed_holidays()
    ensure_default_policy()
    if created or schedules:
        calendar_changed()
    return created, schedules
