"""REST API authentication: personal tokens, OIDC access tokens, API keys, sessions; scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ApiClient
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from lampungin.accounts.scopes import ApiScope
from lampungin.integrations.oidc.services import register_application
from lampungin.integrations.open311.services import create_api_key, revoke_api_key

AccessToken = get_access_token_model()


def oidc_token(user, scope: str, *, expires_in: int = 3600, raw: str = "akses-rahasia-123") -> str:
    app = register_application(
        name="Aplikasi Seluler", redirect_uris=["https://app.lampungprov.go.id/cb"], public=True
    ).application
    AccessToken.objects.create(
        user=user,
        application=app,
        token=raw,
        scope=scope,
        expires=timezone.now() + timedelta(seconds=expires_in),
    )
    return raw


def test_personal_token_has_every_scope(citizen, make_case, api_as):
    make_case(citizen)
    client = api_as(citizen)
    assert client.get("/reports/mine").json()["count"] == 1
    assert client.get("/me").status_code == 200
    assert client.get("/notifications").status_code == 200


def test_session_auth_needs_no_token(citizen, make_case):
    make_case(citizen)
    browser = Client()
    browser.force_login(citizen)
    assert browser.get("/api/v1/reports/mine").json()["count"] == 1


def test_oidc_access_token_is_limited_to_its_scopes(citizen, make_case):
    case = make_case(citizen)
    client = ApiClient(oidc_token(citizen, "openid profile reports:read"))
    assert client.get("/reports/mine").json()["items"][0]["tracking"] == case.tracking
    refused = client.get("/me")
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    comment = client.post(f"/reports/{case.tracking}/comments", {"message": "Mohon segera ditangani."})
    assert comment.status_code == 403


def test_oidc_token_without_api_scopes_opens_nothing(citizen):
    client = ApiClient(oidc_token(citizen, "openid profile email"))
    assert client.get("/reports/mine").status_code == 403


@pytest.mark.parametrize("how", ["expired", "revoked", "inactive_user"])
def test_dead_oidc_tokens_are_refused(citizen, how):
    token = oidc_token(citizen, "reports:read", expires_in=-10 if how == "expired" else 3600)
    if how == "revoked":
        AccessToken.objects.filter(user=citizen).delete()  # DOT revokes by deleting
    if how == "inactive_user":
        citizen.is_active = False
        citizen.save()
    response = ApiClient(token).get("/reports/mine")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_api_key_with_staff_scopes_sees_its_agency_inbox(citizen, make_case):
    road = make_case(citizen)  # Bina Marga
    make_case(citizen, category="layanan-kesehatan")  # Dinas Kesehatan
    _key, raw = create_api_key(
        name="Sistem Bina Marga", agency_code=road.agency.code, scopes="staff:inbox reports:read"
    )
    client = ApiClient(raw)
    inbox = client.get("/staff/inbox").json()
    assert [item["tracking"] for item in inbox["items"]] == [road.tracking]
    assert client.get(f"/reports/{road.tracking}").status_code == 200
    # staff:act was not given: no transition.
    response = client.post(
        f"/reports/{road.tracking}/actions", {"action": "verify", "message": "Diverifikasi."}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_api_key_with_act_scope_can_verify(citizen, make_case):
    road = make_case(citizen)
    _key, raw = create_api_key(
        name="Sistem Bina Marga", agency_code=road.agency.code, scopes="staff:inbox staff:act reports:read"
    )
    response = ApiClient(raw).post(
        f"/reports/{road.tracking}/actions", {"action": "verify", "message": "Valid."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "verified"


def test_open311_only_key_and_revoked_key_are_refused(citizen, make_case):
    _key, open311_only = create_api_key(name="Aplikasi 311")
    assert ApiClient(open311_only).get("/reports/mine").status_code == 401
    _key, raw = create_api_key(name="Sistem lain", scopes="reports:read")
    assert ApiClient(raw).get("/reports/mine").status_code == 200
    revoke_api_key(name="Sistem lain")
    assert ApiClient(raw).get("/reports/mine").status_code == 401


def test_staff_scopes_on_a_key_need_an_agency(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        create_api_key(name="Tanpa instansi", scopes="staff:inbox")
    with pytest.raises(ValidationError):
        create_api_key(name="Ngawur", scopes="reports:delete")


def test_personal_token_scope_check_on_citizen_transition(citizen, officer_a, make_case):
    case = make_case(citizen, state="resolved", staff=officer_a)
    client = ApiClient(oidc_token(citizen, "reports:read"))
    response = client.post(
        f"/reports/{case.tracking}/actions", {"action": "confirm", "message": "Terima kasih."}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_every_scope_is_used_by_some_endpoint():
    from lampungin.api.main import api

    used: set[str] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for auth in op.auth_callbacks or ():
                    used |= set(getattr(auth, "scopes", ()))
    assert used == set(ApiScope.values)
