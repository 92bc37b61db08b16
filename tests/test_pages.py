"""Citizen and staff pages with Django's test client, from sign-up to a closed report."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, image_bytes, upload
from django.test import Client

from lampungin.accounts.models import User
from lampungin.cases.choices import AttachmentKind, CaseState, Privacy
from lampungin.cases.models import Case
from lampungin.cases.timeline import verify_case_chain
from lampungin.demo.accounts import DEMO_PASSWORD, DOMAIN, ensure_demo_accounts

TRACKING_IN_URL = re.compile(r"^/lapor/terkirim/(LPG-[A-Z2-9]{4}-[A-Z2-9]{2})/$")


def state_shown(html: str) -> str:
    match = re.search(r'<span class="state">([^<]+)</span>', html)
    assert match, "no state on the page"
    return match.group(1)


# --- catalog ---------------------------------------------------------------------------------


def test_home_lists_services(db, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Layanan publik Provinsi Lampung dalam satu pintu" in html
    assert "E-Samsat Lampung" in html
    assert "Portal SPMB Provinsi Lampung" in html
    assert 'href="/layanan/ppdb-sma/"' in html


def test_home_search(db, client):
    html = client.get("/", {"q": "pajak kendaraan"}).content.decode()
    assert "Pembayaran Pajak Kendaraan Bermotor (PKB) Tahunan di Samsat" in html
    assert "Portal SPMB Provinsi Lampung" not in html


def test_home_search_without_result(db, client):
    html = client.get("/", {"q": "kapal selam"}).content.decode()
    assert "Tidak ada layanan yang cocok." in html


def test_home_filters_by_group(db, client):
    html = client.get("/", {"kelompok": "kesehatan"}).content.decode()
    assert "Pendaftaran Online Pasien RSUD Dr. H. Abdul Moeloek" in html
    assert "E-Samsat Lampung" not in html


def test_service_detail_shows_the_standard(db, client):
    response = client.get("/layanan/ppdb-sma/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penerimaan Murid Baru (SPMB/PPDB) SMA Negeri" in html
    for label in (
        "Persyaratan",
        "Sistem, mekanisme, dan prosedur",
        "Biaya/tarif",
        "Produk pelayanan",
        "Dasar hukum",
    ):
        assert f"<dt>{label}</dt>" in html, label
    assert "Tidak dipungut biaya" in html
    assert "belum diverifikasi oleh instansi" in html  # sample content is marked as such


def test_unknown_or_unpublished_service_is_404(db, client):
    from lampungin.catalog.models import Service

    assert client.get("/layanan/tidak-ada/").status_code == 404
    Service.objects.filter(code="ppdb-sma").update(is_published=False)
    assert client.get("/layanan/ppdb-sma/").status_code == 404


# --- tracking lookup ----------------------------------------------------------------------------


def test_lookup_forgives_typing(citizen, make_case, client):
    case = make_case(citizen, privacy=Privacy.PUBLIC)
    response = client.get("/cari/", {"tracking": case.tracking.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == f"/laporan/{case.tracking}"


def test_lookup_refuses_invalid_number(db, client):
    response = client.get("/cari/", {"tracking": "LPG-0000-00"}, follow=True)
    assert "Nomor pelacakan tidak valid. Contoh: LPG-7K3M-Q9." in response.content.decode()


# --- sign-up and sign-in ------------------------------------------------------------------------


def test_signup_refuses_weak_password_in_bahasa(db, client):
    response = client.post(
        "/akun/daftar/", {"full_name": "Rahmat", "email": "rahmat@warga.test", "password": "12345678"}
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="rahmat@warga.test").exists()
    assert "Kata sandi" in response.content.decode()


def test_login_with_wrong_password(citizen, client):
    response = client.post("/akun/masuk/", {"username": "siti@warga.test", "password": "salah-salah-123"})
    assert response.status_code == 400
    assert "E-mail/nomor HP atau kata sandi salah." in response.content.decode()


def test_login_with_phone(citizen2, client):
    response = client.post("/akun/masuk/", {"username": "081270001234", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/akun/"


def test_login_ignores_offsite_next(citizen, client):
    response = client.post(
        "/akun/masuk/", {"username": "siti@warga.test", "password": PASSWORD, "next": "https://jahat.test/"}
    )
    assert response["Location"] == "/akun/"


def test_report_page_needs_login(db, client):
    response = client.get("/lapor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


# --- the whole journey ------------------------------------------------------------------------


def _file_report_as_new_citizen(client: Client, *, privacy: str = Privacy.PUBLIC) -> Case:
    response = client.post(
        "/akun/daftar/",
        {"full_name": "Rahmat Hidayat", "email": "rahmat@warga.test", "phone": "", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/akun/"
    assert "Akun Anda sudah dibuat." in client.get("/akun/").content.decode()

    form = client.get("/lapor/")
    assert form.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form.content.decode()).group(1)
    data = {
        "report_type": "pengaduan",
        "category": "jalan-provinsi-rusak",
        "title": "Jalan berlubang di Kedaton",
        "description": "Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini.",
        "regency": "18.71",
        "district": "18.71.01",
        "address": "Depan Pasar Kedaton",
        "privacy": privacy,
        "idempotency_key": key,
        "photos": [upload("lubang.jpg", image_bytes(size=(800, 600), gps=True))],
    }
    response = client.post("/lapor/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tracking = TRACKING_IN_URL.match(response["Location"]).group(1)

    # A double tap sends the same form again: still one report.
    again = client.post("/lapor/", {**data, "photos": [upload("lubang.jpg", image_bytes())]})
    assert again["Location"] == response["Location"]

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert tracking in done.content.decode()
    assert "Laporan Anda sudah kami terima" in done.content.decode()
    case = Case.objects.get(tracking=tracking)
    assert case.reporter.email == "rahmat@warga.test"
    assert case.region_id == "18.71.01"
    assert case.attachments.get().kind == AttachmentKind.PHOTO
    return case


def _staff_post(client: Client, case: Case, data: dict, files: list | None = None) -> None:
    payload = {"form": "action", **data}
    if files:
        payload["evidence"] = files
    response = client.post(f"/kantor/laporan/{case.tracking}/", payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/kantor/laporan/{case.tracking}/"


def _work_case_to_resolved(officer: Client, citizen: Client, case: Case, officer_user: User) -> None:
    my_page = f"/akun/laporan/{case.tracking}/"

    _staff_post(officer, case, {"action": "verify"})
    assert state_shown(citizen.get(my_page).content.decode()) == "Terverifikasi"

    _staff_post(officer, case, {"action": "assign", "assignee": officer_user.pk})
    assert state_shown(citizen.get(my_page).content.decode()) == "Didisposisikan"

    _staff_post(officer, case, {"action": "start", "message": "Tim menuju lokasi besok pagi."})
    html = citizen.get(my_page).content.decode()
    assert state_shown(html) == "Diproses"
    assert "Tim menuju lokasi besok pagi." in html

    _staff_post(officer, case, {"form": "comment", "message": "Terima kasih, lokasi sudah kami temukan."})
    _staff_post(officer, case, {"form": "comment", "message": "Aspal tinggal dua sak.", "internal": "on"})
    html = citizen.get(my_page).content.decode()
    assert "Terima kasih, lokasi sudah kami temukan." in html
    assert "Aspal tinggal dua sak." not in html
    assert "Aspal tinggal dua sak." in officer.get(f"/kantor/laporan/{case.tracking}/").content.decode()

    _staff_post(
        officer,
        case,
        {"action": "resolve", "message": "Lubang sudah ditambal."},
        files=[upload("bukti.jpg", image_bytes(size=(400, 300)))],
    )
    html = citizen.get(my_page).content.decode()
    assert state_shown(html) == "Selesai"
    assert "Lubang sudah ditambal." in html
    assert "Apakah masalah Anda sudah selesai?" in html
    evidence = case.attachments.get(kind=AttachmentKind.EVIDENCE)
    assert f'href="/lampiran/{evidence.pk}"' in html


@pytest.fixture
def journey(db, officer_a):
    """A citizen signs up and files a public report; an officer signs in and works it to resolved."""
    citizen = Client()
    case = _file_report_as_new_citizen(citizen)

    public = Client().get(f"/laporan/{case.tracking}")
    assert public.status_code == 200
    assert case.title in public.content.decode()
    assert "Rahmat Hidayat" not in public.content.decode()
    assert "rahmat@warga.test" not in public.content.decode()

    officer = Client()
    response = officer.post("/akun/masuk/", {"username": "andi@binamarga.test", "password": PASSWORD})
    assert response["Location"] == "/kantor/"
    inbox = officer.get("/kantor/")
    assert inbox.status_code == 200
    assert f'href="/kantor/laporan/{case.tracking}/"' in inbox.content.decode()
    assert "Rahmat Hidayat" in officer.get(f"/kantor/laporan/{case.tracking}/").content.decode()

    _work_case_to_resolved(officer, citizen, case, officer_a)
    return citizen, case


def test_citizen_confirms_the_resolution(journey):
    citizen, case = journey
    response = citizen.post(f"/akun/laporan/{case.tracking}/", {"action": "confirm"})
    assert response.status_code == 302
    html = citizen.get(f"/akun/laporan/{case.tracking}/").content.decode()
    assert state_shown(html) == "Ditutup"
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert verify_case_chain(case) == []
    public = Client().get(f"/laporan/{case.tracking}").content.decode()
    assert state_shown(public) == "Ditutup"
    assert "Aspal tinggal dua sak." not in public
    assert "Rahmat Hidayat" not in public


def test_citizen_disputes_the_resolution(journey):
    citizen, case = journey
    refused = citizen.post(f"/akun/laporan/{case.tracking}/", {"action": "dispute", "message": ""})
    assert refused.status_code == 400
    assert "Tuliskan keterangan untuk tindakan ini." in refused.content.decode()

    response = citizen.post(
        f"/akun/laporan/{case.tracking}/", {"action": "dispute", "message": "Masih ada lubang di sisi kiri."}
    )
    assert response.status_code == 302
    html = citizen.get(f"/akun/laporan/{case.tracking}/").content.decode()
    assert state_shown(html) == "Dibuka kembali"
    assert "Masih ada lubang di sisi kiri." in html
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED
    assert verify_case_chain(case) == []


def test_refused_staff_action_shows_message(citizen, officer_a, make_case, client):
    case = make_case(citizen)
    client.force_login(officer_a)
    response = client.post(f"/kantor/laporan/{case.tracking}/", {"form": "action", "action": "resolve"})
    assert response.status_code == 409
    assert "tidak dapat dilakukan pada laporan berstatus" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_citizen_cannot_open_another_citizens_report_page(citizen, citizen2, make_case, client):
    case = make_case(citizen, privacy=Privacy.PUBLIC)
    client.force_login(citizen2)
    assert client.get(f"/akun/laporan/{case.tracking}/").status_code == 404
    assert client.post(f"/akun/laporan/{case.tracking}/", {"action": "confirm"}).status_code == 404


def test_unknown_public_report_is_404(db, client):
    response = client.get("/laporan/LPG-2222-22")
    assert response.status_code == 404


# --- staff pages -----------------------------------------------------------------------------


def test_citizen_gets_403_on_kantor(citizen, make_case, client):
    case = make_case(citizen)
    client.force_login(citizen)
    response = client.get("/kantor/")
    assert response.status_code == 403
    assert "Halaman ini khusus petugas" in response.content.decode()
    assert client.get(f"/kantor/laporan/{case.tracking}/").status_code == 403


def test_kantor_needs_login(db, client):
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_read_only_staff_page(citizen, analyst, make_case, client):
    case = make_case(citizen)
    client.force_login(analyst)
    html = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert "Anda hanya dapat membaca laporan ini." in html
    response = client.post(f"/kantor/laporan/{case.tracking}/", {"form": "action", "action": "verify"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_kantor_inbox_query_count(citizen, officer_a, make_case, client, django_assert_max_num_queries):
    for _ in range(10):
        make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    client.force_login(officer_a)
    client.get("/kantor/")  # warm caches: the pin is about the cost of every request
    # session, user, memberships, count, page (everything the rows show is joined in)
    with django_assert_max_num_queries(5):
        response = client.get("/kantor/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/kantor/laporan/') == 10


# --- Django admin ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/", "Konfigurasi platform"),
        ("/admin/agencies/agency/", "Dinas Bina Marga"),
        ("/admin/catalog/reportcategory/", "Jalan provinsi rusak"),
        ("/admin/catalog/service/", "E-Samsat Lampung"),
        ("/admin/accounts/user/", f"warga@{DOMAIN}"),
        ("/admin/accounts/staffmembership/", "Petugas"),
    ],
)
def test_admin_reachable_by_platform_admin(db, client, url, expected):
    ensure_demo_accounts()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": f"admin@{DOMAIN}", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_refuses_citizens(citizen, client):
    client.force_login(citizen)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
