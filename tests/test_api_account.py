"""My account over the API: profile, data export, deletion; rating a resolved report."""

from __future__ import annotations

from conftest import PASSWORD
from django.test import Client

from lampungin.accounts.erasure import DELETED_NAME, registered_erasers
from lampungin.accounts.models import ApiToken, CitizenProfile, User
from lampungin.accounts.services import register_citizen
from lampungin.cases.models import Case
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import clock
from lampungin.notifications.models import Notification

NIK = "1871014101900003"


def test_patch_profile(citizen, citizen2, api_as):
    client = api_as(citizen)
    response = client.client.patch(
        "/api/v1/me",
        {"full_name": "Siti R.", "home_region": "18.71"},
        content_type="application/json",
        headers=client._headers(None),
    )
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Siti R."
    assert CitizenProfile.objects.get(user=citizen).home_region_id == "18.71"
    clash = client.client.patch(
        "/api/v1/me",
        {"email": citizen2.email},
        content_type="application/json",
        headers=client._headers(None),
    )
    assert clash.status_code == 400
    assert "email" in clash.json()["errors"]


def test_export_contains_my_data_and_nobody_elses(citizen2, officer_a, make_case, api_as):
    siti = register_citizen(full_name="Siti Nik", password=PASSWORD, email="siti.nik@test.test", nik=NIK)
    mine = make_case(siti, state="assigned", staff=officer_a)
    theirs = make_case(citizen2)
    Notification.objects.create(user=siti, title="Kabar untuk Siti", created_at=clock.now())
    Notification.objects.create(user=citizen2, title="Kabar untuk Budi", created_at=clock.now())
    response = api_as(siti).get("/me/export")
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert body["account"]["email"] == "siti.nik@test.test"
    assert body["account"]["nik_masked"] and NIK not in text
    assert [r["tracking"] for r in body["reports"]] == [mine.tracking]
    assert [e["to_state"] for e in body["reports"][0]["timeline"]] == ["submitted", "verified", "assigned"]
    assert theirs.tracking not in text
    assert [n["title"] for n in body["notifications"]] == ["Kabar untuk Siti"]
    assert "Budi" not in text
    assert [t["name"] for t in body["api_tokens"]] == ["aplikasi"]


def test_delete_account_anonymises_and_keeps_reports(citizen, officer_a, make_case, api_as):
    profile = CitizenProfile.objects.get(user=citizen)
    profile.set_nik(NIK)
    profile.save()
    case = make_case(citizen, state="assigned", staff=officer_a)
    Notification.objects.create(user=citizen, title="Kabar", created_at=clock.now())
    client = api_as(citizen)
    assert client.client.delete("/api/v1/me", headers=client._headers(None)).status_code == 204

    user = User.objects.get(pk=citizen.pk)
    assert user.full_name == DELETED_NAME
    assert user.email.endswith("@dihapus.invalid") and "siti" not in user.email.lower()
    assert user.phone is None and not user.is_active and not user.has_usable_password()
    assert not CitizenProfile.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    case.refresh_from_db()
    assert case.reporter_id is None
    assert verify_case_chain(case) == []  # the chain covers actor ids: the row had to stay
    assert client.get("/me").status_code == 401
    assert (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "siti@test.test", "password": PASSWORD},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_staff_cannot_delete_themselves(officer_a, api_as):
    client = api_as(officer_a)
    response = client.client.delete("/api/v1/me", headers=client._headers(None))
    assert response.status_code == 409
    assert User.objects.get(pk=officer_a.pk).is_active


def test_every_relation_to_user_is_covered_by_the_personal_data_map(db):
    from lampungin.api.personal_data import COVERED

    relations = {
        f"{rel.related_model._meta.app_label}.{rel.related_model.__name__}.{rel.field.name}"
        for rel in User._meta.get_fields(include_hidden=True)  # hidden: related_name="+" too
        if rel.auto_created and not rel.concrete and not rel.many_to_many
    }
    relations -= {"admin.LogEntry.user"}  # Django admin's log: staff only
    missing = relations - set(COVERED)
    assert not missing, f"personal data not covered by api/personal_data.py: {sorted(missing)}"
    assert registered_erasers() == ["analytics", "applications", "cases", "notifications", "sso"]


# --- rating ---------------------------------------------------------------------------------


def test_rating_rules(citizen, citizen2, officer_a, make_case, api_as):
    open_case = make_case(citizen)
    resolved = make_case(citizen, state="resolved", staff=officer_a)
    client = api_as(citizen)
    early = client.post(f"/reports/{open_case.tracking}/rating", {"stars": 5})
    assert early.status_code == 409
    bad = client.post(f"/reports/{resolved.tracking}/rating", {"stars": 7})
    assert bad.status_code == 400 and "stars" in bad.json()["errors"]
    stranger = api_as(citizen2).post(f"/reports/{resolved.tracking}/rating", {"stars": 1})
    assert stranger.status_code == 404  # not theirs to see
    staff = api_as(officer_a).post(f"/reports/{resolved.tracking}/rating", {"stars": 5})
    assert staff.status_code == 403
    ok = client.post(f"/reports/{resolved.tracking}/rating", {"stars": 4, "comment": "Cepat ditangani."})
    assert ok.status_code == 201, ok.content
    assert ok.json()["stars"] == 4
    again = client.post(f"/reports/{resolved.tracking}/rating", {"stars": 5})
    assert again.status_code == 409
    assert Case.objects.get(pk=resolved.pk).rating.stars == 4
