"""Kepatuhan Waktu Layanan: service times measured in WIB working time from the timeline.

Every case is filed and moved with the real services at chosen instants (``clock.frozen_at``),
by the reporter or an officer of the responsible agency, so the numbers below can be
worked out by hand from the ASN hours (Mon–Thu 07:30–12:00 + 13:00–16:00, Fri 07:30–11:30
+ 13:00–16:30; 7.5 h a day). November 2025 has no holiday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from conftest import API, PASSWORD, act, get_token
from django.core.exceptions import ValidationError
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.agencies.models import Agency
from lampungin.analytics import selectors
from lampungin.analytics.choices import GroupBy
from lampungin.cases import services
from lampungin.cases.choices import Action, Privacy, ReportType
from lampungin.cases.models import Case
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.regions.models import Region
from lampungin.sla.calendar import WIB
from lampungin.sla.choices import ClockKind, HolidayKind, TargetUnit
from lampungin.sla.models import SlaPolicy, SlaTarget
from lampungin.sla.services import add_holiday, load_seed_calendar

ROADS = "jalan-provinsi-rusak"  # Dinas Bina Marga: officer_a
HEALTH = "layanan-kesehatan"  # Dinas Kesehatan: officer_b
NOV = {"date_from": date(2025, 11, 1), "date_to": date(2025, 11, 30)}
DESCRIPTION = "Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini."
BASE = [Action.VERIFY, Action.ASSIGN, Action.START]


def at(text: str) -> datetime:
    """``"2025-11-03 08:00"`` in WIB."""
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


def case_at(reporter, submitted: str, steps: list[tuple[Action, str]], staff, **extra) -> Case:
    with clock.frozen_at(at(submitted)):
        case = services.submit_report(
            reporter=reporter,
            report_type=ReportType.COMPLAINT,
            category_code=extra.pop("category", ROADS),
            description=DESCRIPTION,
            privacy=extra.pop("privacy", Privacy.PUBLIC),
            region_code=extra.pop("region_code", "18.71.01"),
        ).case
    for action, when in steps:
        with clock.frozen_at(at(when)):
            act(case, action, staff=staff)
    return case


def minutes_later(text: str, n: int) -> str:
    return (datetime.fromisoformat(text) + timedelta(minutes=n)).isoformat(" ", timespec="minutes")


def handled(verify: str, resolve: str) -> list[tuple[Action, str]]:
    """verify, assign and start a few minutes apart, then resolve."""
    return [
        (Action.VERIFY, verify),
        (Action.ASSIGN, minutes_later(verify, 5)),
        (Action.START, minutes_later(verify, 10)),
        (Action.RESOLVE, resolve),
    ]


@pytest.fixture(autouse=True)
def sla_calendar(db) -> None:
    """The working calendar and default SLA policy, as ``lampungin seed`` loads them."""
    load_seed_calendar()


@pytest.fixture
def metro_district(db) -> str:
    return Region.objects.filter(parent_id="18.72").order_by("code").values_list("code", flat=True)[0]


@pytest.fixture
def november(citizen, citizen2, officer_a, officer_b, metro_district) -> dict[str, Case]:
    """Six cases first resolved in November 2025, and three that must not count."""
    cases = {
        # 08:00 -> 11:00 on a Monday: 3 h.
        "quick": case_at(
            citizen, "2025-11-03 08:00", handled("2025-11-03 09:00", "2025-11-03 11:00"), officer_a
        ),
        # Mon 10:00 -> Tue 10:00: 2 + 3 + 2.5 = 7.5 h, one working day.
        "next_day": case_at(
            citizen2, "2025-11-03 10:00", handled("2025-11-03 11:00", "2025-11-04 10:00"), officer_a
        ),
        # Mon 08:00 -> Wed 15:00 is 21 h; Mon 09:00 -> Wed 09:00 (15 h) waiting for the reporter: 6 h.
        "paused": case_at(
            citizen,
            "2025-11-03 08:00",
            [
                (Action.VERIFY, "2025-11-03 08:30"),
                (Action.ASSIGN, "2025-11-03 08:40"),
                (Action.START, "2025-11-03 08:50"),
                (Action.REQUEST_INFO, "2025-11-03 09:00"),
                (Action.REPORTER_REPLY, "2025-11-05 09:00"),
                (Action.RESOLVE, "2025-11-05 15:00"),
            ],
            officer_a,
        ),
        # Verified Mon 3 Nov 08:30: the 5th working day after is Mon 10 Nov, due 16:00.
        # Resolved Tue 11 Nov 09:30: 7 + 5 × 7.5 + 2 = 46.5 h from submission; late.
        "late": case_at(
            citizen2, "2025-11-03 08:00", handled("2025-11-03 08:30", "2025-11-11 09:30"), officer_a
        ),
        # First resolved Tue 08:00 -> 12:00 (4 h); disputed and resolved again later: 4 h counts.
        "reopened": case_at(
            citizen,
            "2025-11-04 08:00",
            [
                *handled("2025-11-04 08:30", "2025-11-04 12:00"),
                (Action.DISPUTE, "2025-11-05 09:00"),
                (Action.ASSIGN, "2025-11-05 09:10"),
                (Action.START, "2025-11-05 09:20"),
                (Action.RESOLVE, "2025-11-06 10:00"),
            ],
            officer_a,
        ),
        # Dinas Kesehatan in Kota Metro, confidential: Tue 13:00 -> 15:00, 2 h.
        "health": case_at(
            citizen2,
            "2025-11-04 13:00",
            handled("2025-11-04 13:30", "2025-11-04 15:00"),
            officer_b,
            category=HEALTH,
            region_code=metro_district,
            privacy=Privacy.CONFIDENTIAL,
        ),
        # Not counted: still in progress, rejected, and resolved in October.
        "open": case_at(citizen, "2025-11-05 08:00", [(a, "2025-11-05 09:00") for a in BASE], officer_a),
        "rejected": case_at(citizen, "2025-11-05 08:00", [(Action.REJECT, "2025-11-05 09:00")], officer_a),
        "october": case_at(
            citizen, "2025-10-27 08:00", handled("2025-10-27 08:30", "2025-10-27 10:00"), officer_a
        ),
    }
    return cases


def by_code(report: selectors.ServiceTimeReport) -> dict[str, selectors.ServiceTimeRow]:
    return {row.code: row for row in report.rows}


# ---------------------------------------------------------------------------------------
# The numbers
# ---------------------------------------------------------------------------------------


def test_counts_medians_p90_and_share_per_category(november, django_assert_max_num_queries):
    selectors.public_service_time_report(**NOV)  # the calendar is cached per process after one read
    # Cases, their transitions, the calendar token, the standard: never one per case.
    with django_assert_max_num_queries(4):
        report = selectors.public_service_time_report(**NOV)

    assert report.standard == selectors.LAPOR_STANDARD
    assert report.standard.label == "5 hari kerja"
    assert report.hours_per_working_day == 7.5
    rows = by_code(report)
    assert set(rows) == {ROADS, HEALTH}

    roads = rows[ROADS]  # 3, 4, 6, 7.5, 46.5 hours
    assert roads.label == ReportCategory.objects.get(code=ROADS).name
    assert roads.resolved == 5
    assert roads.median_hours == 6.0
    assert roads.p90_hours == pytest.approx(30.9)  # 7.5 + 0.6 × (46.5 − 7.5)
    assert roads.median_days == 0.8
    assert roads.p90_days == pytest.approx(4.12)
    assert (roads.within_standard, roads.within_standard_share) == (4, 0.8)

    health = rows[HEALTH]
    assert (health.resolved, health.median_hours, health.p90_hours, health.within_standard) == (
        1,
        2.0,
        2.0,
        1,
    )

    total = report.total  # 2, 3, 4, 6, 7.5, 46.5 hours
    assert total.resolved == 6
    assert total.median_hours == 5.0
    assert total.p90_hours == pytest.approx(27.0)  # 7.5 + 0.5 × 39
    assert total.within_standard_share == pytest.approx(5 / 6, abs=1e-4)


def test_grouping_by_agency_and_by_regency(november, metro_district):
    agencies = by_code(selectors.public_service_time_report(group_by=GroupBy.AGENCY, **NOV))
    assert {code: row.resolved for code, row in agencies.items()} == {"binamarga": 5, "dinkes": 1}
    assert agencies["binamarga"].median_hours == 6.0

    regencies = by_code(selectors.public_service_time_report(group_by=GroupBy.REGENCY, **NOV))
    assert {code: row.resolved for code, row in regencies.items()} == {"18.71": 5, "18.72": 1}
    assert regencies["18.71"].label == "Kota Bandar Lampung"
    assert regencies["18.72"].label == "Kota Metro"


def test_filters_and_period(november):
    only_metro = selectors.public_service_time_report(regency="18.72", **NOV)
    assert [r.code for r in only_metro.rows] == [HEALTH]
    only_roads = selectors.public_service_time_report(agency="binamarga", **NOV)
    assert only_roads.total.resolved == 5

    with_october = selectors.public_service_time_report(
        date_from=date(2025, 10, 1), date_to=date(2025, 11, 30)
    )
    assert with_october.total.resolved == 7
    # The first resolution decides the period: the re-resolution on 6 Nov does not move "reopened".
    first_days = selectors.public_service_time_report(date_from=date(2025, 11, 6), date_to=date(2025, 11, 30))
    assert first_days.total.resolved == 1  # only "late" (11 Nov)


def test_default_period_is_the_last_90_days(db):
    with clock.frozen_at(at("2026-03-31 10:00")):
        report = selectors.public_service_time_report()
    assert (report.date_from, report.date_to) == (date(2026, 1, 1), date(2026, 3, 31))
    assert report.rows == [] and report.total.resolved == 0 and report.total.median_hours is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"group_by": "pelapor"},
        {"date_from": date(2025, 12, 1), "date_to": date(2025, 11, 1)},
        {"date_from": date(2020, 1, 1), "date_to": date(2025, 1, 1)},
    ],
    ids=["unknown-group", "reversed", "too-long"],
)
def test_bad_parameters_are_refused(db, kwargs):
    with pytest.raises(ValidationError):
        selectors.public_service_time_report(**kwargs)


def test_holidays_and_cuti_bersama_do_not_count():
    # Wed 24 Dec 2025 15:00 -> Mon 29 Dec 08:30: Thu 25 (Natal) and Fri 26 (cuti bersama) are off.
    calendar = selectors.calendar_source()("18.71")
    timing = selectors.measure_case(
        calendar,
        at("2025-12-24 15:00"),
        [
            (Action.VERIFY, "submitted", "verified", at("2025-12-24 15:30")),
            (Action.RESOLVE, "in_progress", "resolved", at("2025-12-29 08:30")),
        ],
        selectors.LAPOR_STANDARD,
    )
    assert timing is not None
    assert timing.working.total_seconds() / 3600 == 2.0  # 1 h on Wednesday + 1 h on Monday
    assert timing.within_standard


def test_a_case_never_resolved_has_no_time():
    calendar = selectors.calendar_source()(None)
    assert selectors.measure_case(calendar, at("2025-11-03 08:00"), [], selectors.LAPOR_STANDARD) is None


def test_the_standard_comes_from_the_default_sla_policy(november):
    target = SlaTarget.objects.get(policy__category=None, policy__agency=None, kind=ClockKind.FOLLOW_UP)
    target.amount, target.unit = 4, TargetUnit.WORKING_HOURS
    target.save()
    report = selectors.public_service_time_report(**NOV)
    assert report.standard.label == "4 jam kerja"
    # Follow-up from verification: quick 2 h, next_day 6.5 h, paused 5.5 h, late 46 h, reopened 3.5 h.
    roads = by_code(report)[ROADS]
    assert (roads.within_standard, roads.within_standard_share) == (2, 0.4)
    assert roads.median_hours == 6.0  # the service time itself does not depend on the standard


def test_without_a_policy_the_lapor_default_applies(november):
    SlaPolicy.objects.update(is_active=False)
    report = selectors.public_service_time_report(**NOV)
    assert report.standard == selectors.LAPOR_STANDARD
    assert by_code(report)[ROADS].within_standard == 4


def test_a_regional_holiday_counts_only_in_its_regency(november):
    add_holiday(day=date(2025, 11, 4), name="Hari jadi (uji)", kind=HolidayKind.REGIONAL, region_code="18.72")
    rows = by_code(selectors.public_service_time_report(**NOV))
    assert rows[HEALTH].median_hours == 0.0  # Kota Metro was off that Tuesday
    assert rows[ROADS].median_hours == 6.0  # Bandar Lampung worked ("reopened": 4 h that day)


# ---------------------------------------------------------------------------------------
# Scoping
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a", {ROADS: 5}),
        ("officer_b", {HEALTH: 1}),
        ("liaison", {ROADS: 5}),  # Kota Bandar Lampung
        ("analyst", {ROADS: 5, HEALTH: 1}),
        ("auditor", {ROADS: 5, HEALTH: 1}),
    ],
)
def test_staff_report_is_scoped_by_the_actor(
    november, request, persona, expected, django_assert_max_num_queries
):
    actor = actor_for(request.getfixturevalue(persona))
    selectors.calendar_source()  # warm the process cache
    with django_assert_max_num_queries(4):
        report = selectors.service_time_report(actor, **NOV)
    assert {row.code: row.resolved for row in report.rows} == expected


# ---------------------------------------------------------------------------------------
# API and pages: aggregates only
# ---------------------------------------------------------------------------------------

PERSONAL = ("Siti", "Rahmawati", "Budi", "Santoso", "Andi", "Yusuf", "0812", "warga.test", DESCRIPTION[:20])


def assert_no_personal_data(text: str, cases: dict[str, Case]) -> None:
    for word in PERSONAL:
        assert word not in text
    for case in cases.values():
        assert case.tracking not in text


def test_public_api(november):
    response = Client().get(f"{API}/reports/service-times", {"from": "2025-11-01", "to": "2025-11-30"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["date_from"], body["date_to"], body["group_by"]) == ("2025-11-01", "2025-11-30", "category")
    assert body["standard"] == {"amount": 5, "unit": "working_days", "label": "5 hari kerja"}
    roads = next(r for r in body["rows"] if r["code"] == ROADS)
    assert roads["resolved"] == 5
    assert roads["median_working_hours"] == 6.0
    assert roads["median_working_days"] == 0.8
    assert roads["p90_working_hours"] == pytest.approx(30.9)
    assert roads["within_standard"] == 4 and roads["within_standard_share"] == 0.8
    assert body["total"]["resolved"] == 6
    assert_no_personal_data(response.content.decode(), november)

    regencies = Client().get(
        f"{API}/reports/service-times", {"from": "2025-11-01", "to": "2025-11-30", "group_by": "regency"}
    )
    assert {r["code"] for r in regencies.json()["rows"]} == {"18.71", "18.72"}


@pytest.mark.parametrize(
    "params",
    [
        {"group_by": "x"},
        {"from": "2025-12-01", "to": "2025-11-01"},
    ],
)
def test_public_api_refuses_bad_parameters(db, params):
    response = Client().get(f"{API}/reports/service-times", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_staff_api_is_scoped_and_for_staff_only(november, officer_a, citizen):
    client = Client()
    url = f"{API}/staff/reports/service-times"
    params = {"from": "2025-11-01", "to": "2025-11-30"}
    assert client.get(url, params).status_code == 401
    as_citizen = client.get(url, params, headers={"Authorization": f"Bearer {get_token(citizen)}"})
    assert as_citizen.status_code == 403
    as_officer = client.get(url, params, headers={"Authorization": f"Bearer {get_token(officer_a)}"})
    assert as_officer.status_code == 200
    assert [r["code"] for r in as_officer.json()["rows"]] == [ROADS]


def test_public_page(november):
    response = Client().get("/kepatuhan/", {"from": "2025-11-01", "to": "2025-11-30", "group_by": "agency"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kepatuhan waktu layanan" in html
    assert "Cara waktu layanan dihitung" in html
    assert "cuti bersama" in html
    assert Agency.objects.get(code="binamarga").short_name in html
    assert "80%" in html  # 4 of 5 within the standard
    assert "0,8 hari kerja" in html  # median, in Bahasa Indonesia's decimal comma
    assert_no_personal_data(html, november)


def test_public_page_shows_bad_filters_on_the_form(db):
    response = Client().get("/kepatuhan/", {"from": "2025-12-01", "to": "2025-11-01"})
    assert response.status_code == 200
    assert "Tanggal awal harus sebelum tanggal akhir" in response.content.decode()


def test_home_links_to_the_public_report(db):
    assert 'href="/kepatuhan/"' in Client().get("/").content.decode()


def test_staff_page(november, officer_a):
    client = Client()
    assert client.get("/kantor/kepatuhan/").status_code == 302  # to the login page
    client.login(username=officer_a.email, password=PASSWORD)
    assert 'href="/kantor/kepatuhan/"' in client.get("/kantor/").content.decode()
    response = client.get("/kantor/kepatuhan/", {"from": "2025-11-01", "to": "2025-11-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ReportCategory.objects.get(code=ROADS).name in html
    assert ReportCategory.objects.get(code=HEALTH).name not in html  # Dinas Kesehatan's, not in scope


def test_staff_page_is_not_for_citizens(citizen):
    client = Client()
    client.login(username=citizen.email, password=PASSWORD)
    assert client.get("/kantor/kepatuhan/").status_code == 403
