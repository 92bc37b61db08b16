"""Cross-origin access: the machine doors answer other origins' pages (never with cookies);
the citizen and office pages do not."""

from __future__ import annotations

import pytest
from conftest import API
from django.test import override_settings

from lampungin.accounts.models import User

ORIGIN = "https://sipd.lampungselatankab.go.id"


def preflight(client, path: str, method: str = "POST", headers: str = "authorization, idempotency-key"):
    return client.options(
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


@pytest.mark.parametrize(
    "path",
    [f"{API}/reports", "/open311/v2/requests.json", "/oidc/token/", "/oidc/userinfo/"],
)
def test_preflight_of_the_machine_doors_allows_any_origin_without_credentials(client, db, path):
    response = preflight(client, path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "idempotency-key", "content-type"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/services.json",
        f"{API}/regions",
        "/.well-known/openid-configuration",
        "/oidc/jwks/",
    ],
)
def test_public_reads_carry_the_cors_header(client, db, path):
    response = client.get(path, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/akun/masuk/",
        "/kantor/",
        "/admin/login/",
        "/lapor/",
        f"{API}/auth/token",
        f"{API}/auth/register",
    ],
)
def test_pages_never_carry_cors_headers(client, db, path):
    response = client.get(path, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(client, path)


@override_settings(PUBLIC_RATE_LIMIT=1)
def test_a_429_is_readable_cross_origin_with_its_retry_after(client, db):
    client.get(f"{API}/regions", headers={"Origin": ORIGIN})
    response = client.get(f"{API}/regions", headers={"Origin": ORIGIN})
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*" and response["Retry-After"]


@override_settings(CORS_ALLOW_ALL_ORIGINS=False, CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_a_configured_list_lets_only_those_origins_in(client, db):
    assert client.get(f"{API}/regions", headers={"Origin": ORIGIN})["Access-Control-Allow-Origin"] == ORIGIN
    other = client.get(f"{API}/regions", headers={"Origin": "https://bukan-lampung.example"})
    assert "Access-Control-Allow-Origin" not in other


@pytest.mark.parametrize("path", [f"{API}/auth/token", f"{API}/auth/register"])
def test_password_endpoints_take_json_only(client, db, path):
    """A page on another origin can post text/plain without a preflight; JSON it cannot."""
    body = '{"username": "siti@warga.test", "password": "tebakan-123", "full_name": "X", "email": "x@y.test"}'
    response = client.post(path, body, content_type="text/plain", headers={"Origin": ORIGIN})
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert "Access-Control-Allow-Origin" not in response
    assert not User.objects.filter(email="x@y.test").exists()
