"""REST API v1: accounts, reports, staff work, public status, schema and probes."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DESCRIPTION, PASSWORD, ApiClient, image_bytes, upload
from django.test import Client

from lampungin.accounts.models import ApiToken, User
from lampungin.cases.choices import Channel, Privacy
from lampungin.cases.models import Case
from lampungin.cases.timeline import verify_case_chain
from lampungin.core.ids import is_valid_tracking_number

TRACKING_RE = re.compile(r"^LPG-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$")


def report_form(**overrides) -> dict:
    data = {
        "report_type": "pengaduan",
        "category": "jalan-provinsi-rusak",
        "description": DESCRIPTION,
        "title": "Jalan berlubang di Kedaton",
        "privacy": Privacy.PUBLIC,
        "region": "18.71.01",
        "address": "Depan Pasar Kedaton",
    }
    data.update(overrides)
    return data


# --- accounts ----------------------------------------------------------------------------


def test_register_then_token_then_me(db):
    client = ApiClient()
    response = client.post(
        "/auth/register",
        {
            "full_name": "Rahmat Hidayat",
            "email": "Rahmat@Warga.test",
            "phone": "0812 1111 2222",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "rahmat@warga.test"
    assert body["phone_masked"] == "+6281****222"
    assert body["roles"] == []

    for username in ("rahmat@warga.test", "081211112222"):
        token = client.post("/auth/token", {"username": username, "password": PASSWORD})
        assert token.status_code == 200
        assert token.json()["token_type"] == "bearer"
        assert token.json()["token"].startswith("lpi_")

    me = ApiClient(token.json()["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["full_name"] == "Rahmat Hidayat"
    # Only a hash of the token is stored.
    assert not ApiToken.objects.filter(token_hash=token.json()["token"]).exists()


def test_register_refuses_duplicates_in_bahasa(citizen):
    response = ApiClient().post(
        "/auth/register", {"full_name": "Siti Lain", "email": "siti@warga.test", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["email"] == ["E-mail ini sudah terdaftar."]


def test_register_requires_email_or_phone(db):
    response = ApiClient().post("/auth/register", {"full_name": "Tanpa Kontak", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["detail"] == "Isi e-mail atau nomor HP."
    assert not User.objects.filter(full_name="Tanpa Kontak").exists()


def test_wrong_password_refused(citizen):
    response = ApiClient().post("/auth/token", {"username": "siti@warga.test", "password": "salah-sandi-123"})
    assert response.status_code == 403
    assert response.json() == {"detail": "E-mail/nomor HP atau kata sandi salah.", "code": "bad_credentials"}


@pytest.mark.parametrize("header", [None, "Bearer lpi_palsu", "Basic abc"])
def test_reports_need_a_valid_token(db, header):
    headers = {"Authorization": header} if header else {}
    response = Client().get("/api/v1/reports/mine", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Silakan masuk terlebih dahulu.", "code": "unauthorized"}


def test_revoked_token_refused(citizen, api_as):
    from django.utils import timezone

    client = api_as(citizen)
    assert client.get("/reports/mine").status_code == 200
    ApiToken.objects.filter(user=citizen).update(revoked_at=timezone.now())
    assert client.get("/reports/mine").status_code == 401


# --- filing a report ------------------------------------------------------------------


def test_create_report_with_photos(citizen, api_as, media_root):
    client = api_as(citizen)
    data = report_form(
        photos=[upload("lubang1.jpg", image_bytes()), upload("lubang2.png", image_bytes("PNG"))]
    )
    response = client.post_form("/reports", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert TRACKING_RE.match(body["tracking"])
    assert is_valid_tracking_number(body["tracking"])
    assert body["state"] == "submitted"
    assert body["state_label"] == "Baru"
    assert body["agency"] == Case.objects.get().agency.short_name
    assert body["regency"] == "Kota Bandar Lampung"
    assert body["region"] == {"code": "18.71.01", "name": "Kec. Kedaton"}
    assert body["reporter_name"] == "Siti Rahmawati"  # the reporter sees their own name
    assert len(body["photos"]) == 2
    assert body["allowed_actions"] == []

    case = Case.objects.get(tracking=body["tracking"])
    assert case.channel == Channel.API
    assert case.reporter == citizen
    assert case.attachments.count() == 2
    assert all((media_root / a.file.name).is_file() for a in case.attachments.all())
    assert verify_case_chain(case) == []


def test_create_report_with_coordinates_only(citizen, api_as):
    response = api_as(citizen).post_form("/reports", report_form(region="", lat="-5.3971", lng="105.2668"))
    assert response.status_code == 201, response.content
    assert response.json()["regency"] == "Kota Bandar Lampung"
    assert response.json()["lat"] == pytest.approx(-5.3971)


def test_idempotency_key_files_once(citizen, api_as):
    client = api_as(citizen)
    headers = {"Idempotency-Key": "0f6e9c1a-ulang"}
    first = client.post_form(
        "/reports", report_form(photos=[upload("a.jpg", image_bytes())]), headers=headers
    )
    second = client.post_form(
        "/reports", report_form(photos=[upload("a.jpg", image_bytes())]), headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["tracking"] == second.json()["tracking"]
    assert Case.objects.filter(reporter=citizen).count() == 1
    assert Case.objects.get().attachments.count() == 1


def test_idempotency_key_is_per_reporter(citizen, citizen2, api_as):
    headers = {"Idempotency-Key": "kunci-sama"}
    first = api_as(citizen).post_form("/reports", report_form(), headers=headers)
    second = api_as(citizen2).post_form("/reports", report_form(), headers=headers)
    assert first.json()["tracking"] != second.json()["tracking"]
    assert Case.objects.count() == 2


def test_without_key_two_posts_are_two_reports(citizen, api_as):
    client = api_as(citizen)
    assert client.post_form("/reports", report_form()).status_code == 201
    assert client.post_form("/reports", report_form()).status_code == 201
    assert Case.objects.count() == 2


# --- reading and working a report ------------------------------------------------------


def test_my_reports_detail_and_timeline(citizen, citizen2, make_case, api_as):
    mine = [make_case(citizen) for _ in range(3)]
    make_case(citizen2)
    client = api_as(citizen)
    page = client.get("/reports/mine").json()
    assert page["count"] == 3
    assert [item["tracking"] for item in page["items"]] == [c.tracking for c in reversed(mine)]
    first = client.get("/reports/mine", limit=2).json()
    second = client.get("/reports/mine", limit=2, cursor=first["next_cursor"]).json()
    assert [item["tracking"] for item in second["items"]] == [mine[0].tracking]
    assert second["next_cursor"] is None

    detail = client.get(f"/reports/{mine[0].tracking.lower().replace('-', '')}")
    assert detail.status_code == 200
    assert detail.json()["tracking"] == mine[0].tracking

    timeline = client.get(f"/reports/{mine[0].tracking}/timeline").json()
    assert [(e["seq"], e["kind"], e["to_state"], e["to_state_label"]) for e in timeline] == [
        (1, "submitted", "submitted", "Baru")
    ]


def test_unknown_or_malformed_tracking_is_404(citizen, api_as):
    client = api_as(citizen)
    assert client.get("/reports/LPG-2222-22").status_code == 404
    assert client.get("/reports/bukan-nomor").status_code == 404


def test_staff_works_a_case_through_the_api(citizen, officer_a, make_case, api_as):
    case = make_case(citizen)
    staff = api_as(officer_a)
    reporter = api_as(citizen)

    detail = staff.get(f"/reports/{case.tracking}").json()
    assert set(detail["allowed_actions"]) == {"verify", "reject", "refer", "transfer"}

    steps = [
        {"action": "verify"},
        {"action": "assign", "assignee_id": officer_a.pk},
        {"action": "start", "message": "Tim menuju lokasi."},
        {"action": "resolve", "message": "Lubang sudah ditambal."},
    ]
    for step in steps:
        response = staff.post(f"/reports/{case.tracking}/actions", step)
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "resolved"
    assert response.json()["assignee_name"] == "Andi Saputra"

    comment = staff.post(f"/reports/{case.tracking}/comments", {"message": "Silakan cek hasilnya."})
    assert comment.status_code == 201
    assert comment.json()["visibility"] == "public"
    note = staff.post(
        f"/reports/{case.tracking}/comments", {"message": "Aspal sisa 2 sak.", "internal": True}
    )
    assert note.status_code == 201
    assert note.json()["visibility"] == "internal"

    assert reporter.get(f"/reports/{case.tracking}").json()["allowed_actions"] == ["confirm", "dispute"]
    confirm = reporter.post(f"/reports/{case.tracking}/actions", {"action": "confirm"})
    assert confirm.status_code == 200
    assert confirm.json()["state"] == "closed"

    reporter_view = reporter.get(f"/reports/{case.tracking}/timeline").json()
    assert [e["to_state"] for e in reporter_view if e["to_state"]] == [
        "submitted",
        "verified",
        "assigned",
        "in_progress",
        "resolved",
        "closed",
    ]
    assert "Aspal sisa 2 sak." not in json.dumps(reporter_view)
    staff_view = staff.get(f"/reports/{case.tracking}/timeline").json()
    assert "Aspal sisa 2 sak." in json.dumps(staff_view)
    case.refresh_from_db()
    assert verify_case_chain(case) == []


def test_refused_transition_is_409_in_bahasa(citizen, officer_a, make_case, api_as):
    case = make_case(citizen)
    response = api_as(officer_a).post(
        f"/reports/{case.tracking}/actions", {"action": "resolve", "message": "x"}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Tindakan \u201cSelesaikan\u201d tidak dapat dilakukan "
        "pada laporan berstatus \u201cBaru\u201d.",
        "code": "transition_not_allowed",
    }


def test_missing_message_is_400_in_bahasa(citizen, officer_a, make_case, api_as):
    case = make_case(citizen)
    response = api_as(officer_a).post(
        f"/reports/{case.tracking}/actions", {"action": "reject", "reject_reason": "spam"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Tuliskan keterangan untuk tindakan ini."
    assert response.json()["errors"] == {"message": ["Tuliskan keterangan untuk tindakan ini."]}


# --- staff inbox --------------------------------------------------------------------------


def test_staff_inbox(citizen, officer_a, officer_b, make_case, api_as):
    road = make_case(citizen)
    health = make_case(citizen, category="layanan-kesehatan")
    inbox_a = api_as(officer_a).get("/staff/inbox").json()
    assert [item["tracking"] for item in inbox_a["items"]] == [road.tracking]
    inbox_b = api_as(officer_b).get("/staff/inbox").json()
    assert [item["tracking"] for item in inbox_b["items"]] == [health.tracking]
    assert api_as(officer_a).get("/staff/inbox", q=road.tracking.lower()).json()["count"] == 1
    assert api_as(officer_a).get("/staff/inbox", state="closed").json()["count"] == 0


def test_citizen_gets_403_on_staff_inbox(citizen, api_as):
    response = api_as(citizen).get("/staff/inbox")
    assert response.status_code == 403
    assert response.json() == {"detail": "Halaman ini untuk petugas.", "code": "forbidden"}


# --- query counts (STYLE habit 10) -----------------------------------------------------------


def test_inbox_query_count_does_not_grow_with_cases(
    citizen, officer_a, admin_a, make_case, api_as, django_assert_max_num_queries
):
    for _ in range(8):
        make_case(citizen, state="assigned", staff=officer_a)
    client = api_as(officer_a)
    # token lookup, token touch, memberships, count, page (with every related row joined)
    with django_assert_max_num_queries(5):
        response = client.get("/staff/inbox")
    assert response.json()["count"] == 8


def test_my_reports_query_count_does_not_grow_with_cases(
    citizen, make_case, api_as, django_assert_max_num_queries
):
    for _ in range(8):
        make_case(citizen)
    client = api_as(citizen)
    # token lookup, token touch, memberships, count, page
    with django_assert_max_num_queries(5):
        response = client.get("/reports/mine")
    assert response.json()["count"] == 8


# --- public status -------------------------------------------------------------------------


def test_public_report_has_no_personal_fields(citizen, officer_a, make_case):
    case = make_case(
        citizen, privacy=Privacy.PUBLIC, state="assigned", staff=officer_a, lat=-5.3971, lng=105.2668
    )
    response = Client().get(f"/api/v1/public/reports/{case.tracking}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking"] == case.tracking
    assert {"reporter_name", "lat", "lng", "address", "assignee_name", "unit"}.isdisjoint(body)
    assert [e["to_state"] for e in body["timeline"]] == ["submitted", "verified", "assigned"]
    assert "Siti" not in response.content.decode()
    assert "Andi Saputra" not in response.content.decode()


# --- schema and probes -----------------------------------------------------------------------


def test_openapi_schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Lampung In API"
    for path in (
        "/api/v1/reports",
        "/api/v1/reports/mine",
        "/api/v1/reports/{tracking}",
        "/api/v1/reports/{tracking}/actions",
        "/api/v1/staff/inbox",
        "/api/v1/public/reports/{tracking}",
        "/api/v1/auth/token",
    ):
        assert path in schema["paths"], path


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok"}}


def test_readyz_names_what_failed(db, monkeypatch):
    from lampungin.core import health

    def broken() -> None:
        raise ConnectionError("redis mati")

    monkeypatch.setattr(health, "_check_cache", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"


# --- rate limit ---------------------------------------------------------------------------------


def test_report_rate_limit_shared_by_api_and_page(citizen, api_as, client, settings):
    settings.REPORT_RATE_LIMIT = 2
    api = api_as(citizen)
    assert api.post_form("/reports", report_form()).status_code == 201
    client.force_login(citizen)
    page = client.post(
        "/lapor/",
        {**report_form(region=""), "regency": "18.71", "district": "18.71.01", "idempotency_key": "k-1"},
    )
    assert page.status_code == 302
    refused = api.post_form("/reports", report_form())
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Anda sudah mengirim banyak laporan dalam satu jam terakhir. Silakan coba lagi nanti.",
        "code": "rate_limited",
    }
    page = client.post("/lapor/", {**report_form(region=""), "regency": "18.71", "idempotency_key": "k-2"})
    assert page.status_code == 429
    assert "Anda sudah mengirim banyak laporan" in page.content.decode()
    assert 'value="k-2"' in page.content.decode()  # the form keeps its key for the retry
    assert Case.objects.filter(reporter=citizen).count() == 2
