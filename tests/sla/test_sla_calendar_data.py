"""Working time as data: the seed, holiday services, the calendar built from the database,
its cache keyed by the calendar version, and the admin going through the services."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lampungin.accounts.models import User
from lampungin.core.models import OutboxMessage
from lampungin.sla import selectors, services
from lampungin.sla.calendar import WIB, default_weekly, ramadan_weekly
from lampungin.sla.choices import HolidayKind
from lampungin.sla.models import CalendarVersion, Holiday, SlaPolicy, WorkingInterval, WorkingSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return services.load_seed_calendar()


def test_seed_loads_holidays_cuti_bersama_ramadan_and_default_policy(seeded):
    holidays_created, schedules_created = seeded
    assert holidays_created > 100
    assert schedules_created == 6  # the default week and Ramadan 1445–1449 H
    # Cuti bersama come from the "government" category of the holidays package.
    cuti = Holiday.objects.get(date=date(2026, 12, 24))
    assert cuti.kind == HolidayKind.CUTI_BERSAMA and "Cuti Bersama" in cuti.name
    assert Holiday.objects.get(date=date(2026, 12, 25)).kind == HolidayKind.NATIONAL
    # Islamic dates of future years are estimates.
    assert Holiday.objects.get(date=date(2027, 3, 10), kind=HolidayKind.NATIONAL).is_estimate
    assert not Holiday.objects.get(date=date(2026, 3, 21), kind=HolidayKind.NATIONAL).is_estimate
    ramadan = WorkingSchedule.objects.get(name="Ramadan 1447 H")
    assert (ramadan.date_from, ramadan.date_to, ramadan.is_estimate) == (
        date(2026, 2, 19),
        date(2026, 3, 20),
        False,
    )
    assert WorkingSchedule.objects.get(name="Ramadan 1448 H").is_estimate
    assert ramadan.weekly() == ramadan_weekly()
    assert WorkingSchedule.objects.get(is_default=True).weekly() == default_weekly()
    assert SlaPolicy.objects.get(code="default").targets.count() == 4


def test_seed_is_idempotent_and_keeps_admin_edits(seeded):
    eid = Holiday.objects.get(date=date(2027, 3, 10), kind=HolidayKind.NATIONAL)
    services.move_holiday(holiday=eid, to=date(2027, 3, 9), is_estimate=False)
    services.remove_holiday(holiday=Holiday.objects.get(date=date(2026, 12, 24)))
    count = Holiday.objects.count()
    token = selectors.calendar_token()
    assert services.load_seed_calendar() == (0, 0)
    assert Holiday.objects.count() == count
    assert not Holiday.objects.filter(date=date(2027, 3, 10), kind=HolidayKind.NATIONAL).exists()
    assert Holiday.objects.get(date=date(2026, 12, 24)).is_active is False  # kept as a tombstone
    assert selectors.calendar_token() == token  # nothing changed, nothing to recompute


def test_calendar_from_the_database(seeded):
    cal = selectors.calendar_for("18.71")
    assert not cal.is_working_day(date(2026, 12, 24))  # cuti bersama
    assert not cal.is_working_day(date(2026, 12, 25))  # Christmas
    assert not cal.is_working_day(date(2026, 12, 26))  # Saturday
    assert cal.is_working_day(date(2026, 12, 28))
    # Ramadan 1447 H: from 08:00.
    assert cal.schedule_for(date(2026, 2, 23))[0][0] == time(8, 0)
    assert cal.schedule_for(date(2026, 2, 18))[0][0] == time(7, 30)


def test_regional_holiday_counts_only_in_its_regency(seeded):
    day = date(2026, 12, 17)  # a Thursday
    services.add_holiday(day=day, name="HUT Kota Metro", kind=HolidayKind.REGIONAL, region_code="18.72")
    assert not selectors.calendar_for("18.72").is_working_day(day)
    assert selectors.calendar_for("18.71").is_working_day(day)
    assert selectors.calendar_for(None).is_working_day(day)


def test_cache_is_keyed_by_the_calendar_version(seeded, django_assert_num_queries):
    first = selectors.calendar_for("18.71")
    with django_assert_num_queries(1):  # the version only
        assert selectors.calendar_for("18.71") is first
    token = selectors.calendar_token()
    services.add_holiday(day=date(2026, 12, 30), name="Libur tambahan")
    assert selectors.calendar_token() != token
    second = selectors.calendar_for("18.71")
    assert second is not first
    assert not second.is_working_day(date(2026, 12, 30))


def test_another_process_sees_a_change_through_the_version_row(seeded):
    """A change made elsewhere (simulated: the row and holidays change behind our back) is
    noticed on the next read, because the token is read from the database every time."""
    cal = selectors.calendar_for(None)
    assert cal.is_working_day(date(2026, 12, 29))
    Holiday.objects.create(
        date=date(2026, 12, 29),
        name="Dari proses lain",
        kind=HolidayKind.NATIONAL,
        updated_at=datetime.now(WIB),
    )
    CalendarVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    assert not selectors.calendar_for(None).is_working_day(date(2026, 12, 29))


def test_holiday_changes_bump_the_version_and_record_an_outbox_message(seeded):
    before = OutboxMessage.objects.filter(topic="sla.calendar_changed").count()
    holiday = services.add_holiday(day=date(2026, 12, 31), name="Tutup tahun")
    services.move_holiday(holiday=holiday, to=date(2026, 12, 30))
    services.remove_holiday(holiday=holiday)
    assert OutboxMessage.objects.filter(topic="sla.calendar_changed").count() == before + 3
    assert not Holiday.objects.filter(pk=holiday.pk).exists()  # an admin's own holiday is deleted


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": HolidayKind.REGIONAL}, "region"),
        ({"kind": HolidayKind.NATIONAL, "region_code": "18.71"}, "region"),
        ({"kind": HolidayKind.REGIONAL, "region_code": "18.71.01"}, "region"),
    ],
)
def test_invalid_holidays_are_refused(seeded, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.add_holiday(day=date(2026, 12, 16), name="Uji", **kwargs)
    assert field in exc.value.message_dict


def test_one_active_holiday_per_date_kind_and_region(seeded):
    with pytest.raises(ValidationError):
        services.add_holiday(day=date(2026, 12, 25), name="Natal lagi")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Holiday.objects.create(
            date=date(2026, 12, 25),
            name="Natal lagi",
            kind=HolidayKind.NATIONAL,
            updated_at=datetime.now(WIB),
        )


def test_overlapping_intervals_are_refused(seeded):
    schedule = WorkingSchedule.objects.get(is_default=True)
    WorkingInterval.objects.create(schedule=schedule, weekday=0, start=time(11, 0), end=time(13, 30))
    with pytest.raises(ValidationError):
        services.schedule_intervals_changed(schedule)


def test_default_schedule_cannot_be_deleted(seeded):
    with pytest.raises(ValidationError):
        services.delete_schedule(schedule=WorkingSchedule.objects.get(is_default=True))


def test_schedule_change_changes_the_calendar(seeded):
    schedule = WorkingSchedule.objects.get(is_default=True)
    weekly = list(default_weekly())
    weekly[5] = ((time(8, 0), time(12, 0)),)  # Saturday mornings
    services.set_schedule_intervals(schedule, tuple(weekly))
    assert selectors.calendar_for(None).is_working_day(date(2026, 12, 12))


# -- admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(email="root@diskominfotik.test", password="x" * 12, full_name="Root")


def test_admin_add_and_delete_go_through_the_services(seeded, superuser, client):
    client.force_login(superuser)
    token = selectors.calendar_token()
    response = client.post(
        "/admin/sla/holiday/add/",
        {
            "date": "2026-12-16",
            "name": "HUT Kabupaten Way Kanan",
            "kind": HolidayKind.REGIONAL,
            "region": "18.08",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday = Holiday.objects.get(name="HUT Kabupaten Way Kanan")
    assert holiday.source == "admin"
    assert selectors.calendar_token() != token
    assert not selectors.calendar_for("18.08").is_working_day(date(2026, 12, 16))

    seeded_one = Holiday.objects.get(date=date(2026, 12, 24))
    response = client.post(f"/admin/sla/holiday/{seeded_one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    seeded_one.refresh_from_db()
    assert seeded_one.is_active is False
    assert selectors.calendar_for(None).is_working_day(date(2026, 12, 24))


def test_admin_pages_render(seeded, superuser, client):
    client.force_login(superuser)
    for url in ("/admin/sla/holiday/", "/admin/sla/workingschedule/", "/admin/sla/slapolicy/"):
        assert client.get(url).status_code == 200
    policy = SlaPolicy.objects.get(code="default")
    assert client.get(f"/admin/sla/slapolicy/{policy.pk}/change/").status_code == 200
    schedule = WorkingSchedule.objects.get(is_default=True)
    assert client.get(f"/admin/sla/workingschedule/{schedule.pk}/change/").status_code == 200
