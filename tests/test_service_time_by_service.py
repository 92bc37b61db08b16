"""Kepatuhan Waktu Layanan per catalog service: service applications (permohonan) timed.

Applications of the demo service (steps DPMPTSP → Dinas Bina Marga → DPMPTSP; standard
9 working days) are walked with the real services at chosen instants, so the numbers
can be worked out by hand from the ASN hours (Mon–Thu 07:30–12:00 + 13:00–16:00, Fri
07:30–11:30 + 13:00–16:30; 7.5 h a day). November 2025 has no holiday.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from applications_support import approve, setup_process, submit
from conftest import API, PASSWORD
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.accounts.models import CitizenProfile
from lampungin.agencies.models import Agency
from lampungin.analytics import selectors
from lampungin.analytics.choices import GroupBy
from lampungin.applications import services
from lampungin.applications.models import Application
from lampungin.core import clock
from lampungin.demo.applications import SERVICE_CODE
from lampungin.sla.calendar import WIB
from lampungin.sla.services import load_seed_calendar

NOV = {"date_from": date(2025, 11, 1), "date_to": date(2025, 11, 30), "group_by": GroupBy.SERVICE}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


@pytest.fixture(autouse=True)
def sla_calendar(db) -> None:
    load_seed_calendar()


def walk(citizen, submitted: str, steps: list[tuple[str, object, str]]) -> Application:
    """Submit at ``submitted``, then ``(kind, officer, when)`` with kind approve/return/resubmit/reject."""
    with clock.frozen_at(at(submitted)):
        app = submit(citizen)
    for kind, user, when in steps:
        app.refresh_from_db()
        with clock.frozen_at(at(when)):
            if kind == "approve":
                app = approve(user, app)
            elif kind == "return":
                app = services.return_to_applicant(
                    actor=actor_for(user), application=app, fields=["nib"], message="NIB salah ketik."
                )
            elif kind == "resubmit":
                app = services.resubmit_application(
                    actor=actor_for(user), application=app, answers={"nib": "9120001234568"}, files={}
                )
            else:
                app = services.reject_application(
                    actor=actor_for(user), application=app, reason="Bukan jalan provinsi."
                )
    return app


@pytest.fixture
def november(db, citizen, intake, officer_a):
    setup_process()
    # Siti lives in Kec. Teluk Betung Selatan, Kota Bandar Lampung: her applications count there.
    CitizenProfile.objects.update_or_create(user=citizen, defaults={"home_region_id": "18.71.01"})

    def three(day: str, a: str, b: str, c: str):
        return [
            ("approve", intake, f"{day} {a}"),
            ("approve", officer_a, f"{day} {b}"),
            ("approve", intake, c),
        ]

    return {
        # Mon 08:00 -> 11:00: 3 h.
        "quick": walk(citizen, "2025-11-03 08:00", three("2025-11-03", "09:00", "10:00", "2025-11-03 11:00")),
        # Mon 08:00 -> Wed 15:00 is 21 h; returned Mon 09:00 -> Wed 09:00 (15 h): 6 h.
        "returned": walk(
            citizen,
            "2025-11-03 08:00",
            [
                ("return", intake, "2025-11-03 09:00"),
                ("resubmit", citizen, "2025-11-05 09:00"),
                *three("2025-11-05", "10:00", "11:00", "2025-11-05 15:00"),
            ],
        ),
        # 9th working day after Mon 3 Nov is Fri 14 Nov (due 16:30); letter Mon 17 Nov 09:30:
        # 7 + 9 × 7.5 + 2 = 76.5 h; late.
        "late": walk(citizen, "2025-11-03 08:00", three("2025-11-04", "08:00", "09:00", "2025-11-17 09:30")),
        # Rejected at step 1 (DPMPTSP): counted apart, never reached Dinas Bina Marga.
        "rejected": walk(citizen, "2025-11-04 08:00", [("reject", intake, "2025-11-04 09:00")]),
        # Not counted: decided in October, and still open.
        "october": walk(
            citizen, "2025-10-27 08:00", three("2025-10-27", "09:00", "10:00", "2025-10-27 11:00")
        ),
        "open": walk(citizen, "2025-11-05 08:00", [("approve", intake, "2025-11-05 09:00")]),
    }


def test_count_median_p90_and_share_per_service(november, django_assert_max_num_queries):
    selectors.public_service_time_report(**NOV)  # the calendar is cached per process after one read
    with django_assert_max_num_queries(3):  # applications, their events, the calendar token
        report = selectors.public_service_time_report(**NOV)
    assert report.standard is None and report.group_label == "Layanan (permohonan)"
    [row] = report.rows
    assert row.code == SERVICE_CODE
    assert row.standard_label == "9 hari kerja"
    assert row.agency_label == Agency.objects.get(code="dpmptsp").short_name  # owner of the service
    assert row.resolved == 3  # 3, 6, 76.5 hours
    assert row.median_hours == 6.0
    assert row.p90_hours == pytest.approx(62.4)  # 6 + 0.8 × 70.5
    assert row.median_days == 0.8
    assert (row.within_standard, row.with_standard, row.within_standard_share) == (2, 3, 0.6667)
    assert row.rejected == 1
    assert report.total.resolved == 3 and report.total.rejected == 1


def test_calendar_day_standard(november):
    from lampungin.catalog.models import Service

    Service.objects.filter(code=SERVICE_CODE).update(service_time_days=14, service_time_unit="calendar")
    [row] = selectors.public_service_time_report(**NOV).rows
    # "late" took 14 days 1.5 h: still late in calendar days; the other two are within.
    assert (row.within_standard, row.standard_label) == (2, "14 hari kalender")
    Service.objects.filter(code=SERVICE_CODE).update(service_time_days=None)
    [row] = selectors.public_service_time_report(**NOV).rows
    assert (row.within_standard_share, row.with_standard, row.standard_label) == (None, 0, "tanpa standar")


def test_agency_and_regency_filters(november, citizen2, intake, officer_a):
    assert selectors.public_service_time_report(agency="dinkes", **NOV).rows == []
    assert selectors.public_service_time_report(agency="dpmptsp", **NOV).rows[0].resolved == 3
    assert Application.objects.get(pk=november["quick"].pk).regency_id == "18.71"
    # Budi has no domicile in his profile: counted in the province, in no kabupaten/kota.
    walk(
        citizen2,
        "2025-11-10 08:00",
        [
            ("approve", intake, "2025-11-10 09:00"),
            ("approve", officer_a, "2025-11-10 10:00"),
            ("approve", intake, "2025-11-10 11:00"),
        ],
    )
    assert selectors.public_service_time_report(**NOV).rows[0].resolved == 4
    assert selectors.public_service_time_report(regency="18.71", **NOV).rows[0].resolved == 3
    assert selectors.public_service_time_report(regency="18.01", **NOV).rows == []


def test_staff_scoping(november, officer_a, officer_b, analyst):
    # Dinas Bina Marga sees the applications that reached its step: not the one rejected before.
    [row] = selectors.service_time_report(actor_for(officer_a), **NOV).rows
    assert (row.resolved, row.rejected) == (3, 0)
    assert selectors.service_time_report(actor_for(officer_b), **NOV).rows == []
    [row] = selectors.service_time_report(actor_for(analyst), **NOV).rows
    assert (row.resolved, row.rejected) == (3, 1)


def test_public_api_and_page_carry_no_personal_data(november, citizen):
    params = {"from": "2025-11-01", "to": "2025-11-30", "group_by": "service"}
    response = Client().get(f"{API}/reports/service-times", params)
    assert response.status_code == 200
    body = response.json()
    assert body["standard"] is None
    assert body["rows"][0]["resolved"] == 3 and body["rows"][0]["rejected"] == 1
    page = Client().get("/kepatuhan/", params)
    assert page.status_code == 200
    assert "Layanan (permohonan)" in page.content.decode()
    for text in (response.content.decode(), page.content.decode()):
        assert citizen.full_name not in text and citizen.email not in text
        assert "PMH-" not in text and "9120001234567" not in text and "Tapis" not in text


def test_staff_api_and_page(november, officer_a):
    client = Client()
    assert client.login(email=officer_a.email, password=PASSWORD)
    page = client.get("/kantor/kepatuhan/", {"from": "2025-11-01", "to": "2025-11-30", "group_by": "service"})
    assert page.status_code == 200 and "9 hari kerja" in page.content.decode()
