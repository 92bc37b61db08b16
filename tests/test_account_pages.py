"""My account pages: download my data (the API's export), delete my account; the confirmation page."""

from __future__ import annotations

import json

from conftest import PASSWORD
from django.test import Client

from lampungin.accounts.erasure import DELETED_NAME
from lampungin.accounts.models import CitizenProfile, User
from lampungin.cases.choices import Privacy
from lampungin.cases.models import Case

NIK = "1871014101900003"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_account_page_links_to_download_and_delete(citizen):
    body = signed_in(citizen).get("/akun/").content.decode()
    assert 'href="/akun/data-saya.json"' in body and "Unduh data saya (JSON)" in body
    assert 'href="/akun/hapus/"' in body


def test_download_is_my_export_and_nobody_elses(citizen, citizen2, officer_a, make_case):
    profile = CitizenProfile.objects.get(user=citizen)
    profile.set_nik(NIK)
    profile.save()
    mine = make_case(citizen, state="assigned", staff=officer_a)
    theirs = make_case(citizen2)
    response = signed_in(citizen).get("/akun/data-saya.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    body = json.loads(text)
    assert body["account"]["email"] == "siti@warga.test"
    assert body["account"]["nik_masked"] and NIK not in text
    assert [r["tracking"] for r in body["reports"]] == [mine.tracking]
    assert theirs.tracking not in text and "Budi" not in text
    assert set(body) >= {"account", "reports", "notifications", "consents", "api_tokens"}


def test_download_requires_login(db):
    response = Client().get("/akun/data-saya.json")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_delete_page_explains_and_asks_for_the_password(citizen):
    response = signed_in(citizen).get("/akun/hapus/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidak dapat dibatalkan" in body
    assert "tanpa nama Anda" in body
    assert 'type="password"' in body


def test_delete_with_a_wrong_password_keeps_the_account(citizen, make_case):
    case = make_case(citizen)
    client = signed_in(citizen)
    response = client.post("/akun/hapus/", {"password": "salah-sekali-123"})
    assert response.status_code == 400
    assert "Kata sandi salah" in response.content.decode()
    user = User.objects.get(pk=citizen.pk)
    assert user.is_active and user.full_name == "Siti Rahmawati"
    assert Case.objects.get(pk=case.pk).reporter_id == citizen.pk
    assert client.get("/akun/").status_code == 200  # still signed in


def test_delete_with_the_password_erases_and_signs_out(citizen, officer_a, make_case):
    case = make_case(citizen, state="assigned", staff=officer_a)
    client = signed_in(citizen)
    response = client.post("/akun/hapus/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Akun Anda sudah dihapus" in response.content.decode()
    user = User.objects.get(pk=citizen.pk)
    assert user.full_name == DELETED_NAME and not user.is_active
    case.refresh_from_db()
    assert case.reporter_id is None  # the report stays, without its reporter
    assert client.get("/akun/").status_code == 302  # signed out
    login = Client().post("/akun/masuk/", {"username": "siti@warga.test", "password": PASSWORD})
    assert login.status_code == 400  # can no longer sign in


def test_staff_cannot_delete_themselves_here_either(officer_a):
    response = signed_in(officer_a).post("/akun/hapus/", {"password": PASSWORD})
    assert response.status_code == 409
    assert "Akun petugas tidak dapat dihapus sendiri" in response.content.decode()
    assert User.objects.get(pk=officer_a.pk).is_active


def test_confirmation_shows_the_number_and_progressive_share_buttons(citizen, make_case):
    case = make_case(citizen)
    case.privacy = Privacy.PUBLIC
    case.save(update_fields=["privacy"])
    body = signed_in(citizen).get(f"/lapor/terkirim/{case.tracking}/").content.decode()
    assert f'<p class="tracking" id="tracking-number">{case.tracking}</p>' in body
    assert '<p id="share-actions" hidden' in body  # shown only by share.js
    assert "Salin nomor" in body and "Bagikan" in body
    assert f"http://testserver/laporan/{case.tracking}</a>" in body


def test_confirmation_of_a_confidential_report_has_no_public_link(citizen, make_case):
    case = make_case(citizen)
    case.privacy = Privacy.CONFIDENTIAL
    case.save(update_fields=["privacy"])
    body = signed_in(citizen).get(f"/lapor/terkirim/{case.tracking}/").content.decode()
    assert case.tracking in body
    assert f"/laporan/{case.tracking}" not in body.replace(f"/akun/laporan/{case.tracking}", "")
    assert 'data-url=""' in body
