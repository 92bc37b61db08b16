"""Limits on guessing passwords, opening accounts in bulk and hammering the machine-facing
doors (Open311, the anonymous REST API, the OIDC token endpoint), and the client address
they count by."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import API, PASSWORD
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from lampungin.accounts import throttle
from lampungin.accounts.models import User
from lampungin.core import clock, ratelimit

LOGIN = "/akun/masuk/"
BLOCKED = "Terlalu banyak percobaan masuk yang gagal"


def cache_keys() -> list[str]:
    """Every key in the cache: Redis when the suite runs with LAMPUNGIN_REDIS_URL, else LocMem."""
    backend = cache._cache
    if hasattr(backend, "get_client"):
        return [k.decode() for k in backend.get_client().keys("*")]
    return [str(k) for k in backend]


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def start():
    """A fixed instant at the start of a 15-minute window, so that windows end where the
    test says."""
    instant = timezone.now().replace(minute=0, second=0, microsecond=0)
    with clock.frozen_at(instant):
        yield instant


# ---------------------------------------------------------------------------------------
# Sign-in
# ---------------------------------------------------------------------------------------


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failed_sign_ins_block_the_name_even_for_the_right_password(client, citizen, start):
    for _ in range(3):
        response = sign_in(client, citizen.email, "salah-sandi-123")
        assert response.status_code == 400
        assert "kata sandi salah" in response.content.decode()
    response = sign_in(client, citizen.email, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert BLOCKED in text and "15 menit" in text
    assert not signed_in(client)

    clock.advance(timedelta(minutes=10))
    assert "5 menit" in sign_in(client, citizen.email, PASSWORD).content.decode()
    clock.advance(timedelta(minutes=5))  # the window is over
    response = sign_in(client, citizen.email, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_same_person_by_phone_or_other_case_is_the_same_name_only_when_typed_so(
    client, citizen, citizen2, start
):
    for _ in range(3):
        sign_in(client, "SITI@warga.test", "salah-sandi-123")
    assert sign_in(client, "siti@warga.test", PASSWORD).status_code == 429
    # Another account from the same address is still below the address limit.
    response = sign_in(Client(), citizen2.email, PASSWORD)
    assert response.status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_sign_in_clears_the_names_earlier_mistakes(client, citizen, start):
    for _ in range(2):
        sign_in(client, citizen.email, "salah-sandi-123")
    assert sign_in(client, citizen.email, PASSWORD).status_code == 302
    other = Client()
    for _ in range(2):
        assert sign_in(other, citizen.email, "salah-sandi-123").status_code == 400
    assert sign_in(other, citizen.email, PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_many_names_from_one_address_block_the_address(client, citizen, start):
    # Ten times the per-name limit, spread over names so that no name reaches its own.
    for n in range(20):
        assert sign_in(client, f"tebak{n}@contoh.test", "salah-sandi-123").status_code == 400
    assert sign_in(client, citizen.email, PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, citizen.email, PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_admin_sign_in_says_why_it_refuses(client, platform_admin, start):
    for _ in range(2):
        client.post("/admin/login/", {"username": platform_admin.email, "password": "salah-sandi-123"})
    response = client.post("/admin/login/", {"username": platform_admin.email, "password": PASSWORD})
    assert response.status_code == 200  # the admin re-shows its form
    assert BLOCKED in response.content.decode()
    assert not signed_in(client)


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_api_token_is_refused_with_429_and_retry_after(client, citizen, start):
    def ask(password: str):
        return client.post(
            f"{API}/auth/token",
            {"username": citizen.email, "password": password},
            content_type="application/json",
        )

    for _ in range(2):
        assert ask("salah-sandi-123").json()["code"] == "bad_credentials"
    response = ask(PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and BLOCKED in response.json()["detail"]
    assert response["Retry-After"] == str(15 * 60)


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_no_sign_in_name_is_kept_in_clear(client, citizen2, start):
    for _ in range(3):
        sign_in(client, "0812-7000-1234", "salah-sandi-123")
    keys = " ".join(cache_keys())
    assert f"rl:login-user:{citizen2.pk}:" in keys
    for _ in range(2):
        sign_in(client, "0899-0000-1111", "salah-sandi-123")  # no such account: counted by name
    keys = " ".join(cache_keys())
    assert "rl:login-name:" in keys
    assert "7000" not in keys and "0812" not in keys and "1111" not in keys and "budi" not in keys


# ---------------------------------------------------------------------------------------
# New accounts
# ---------------------------------------------------------------------------------------


@override_settings(SIGNUP_RATE_LIMIT=2)
def test_signups_per_address_are_limited_and_nothing_is_created_past_it(client, db, start):
    def signup(n: int, c: Client):
        return c.post(
            "/akun/daftar/",
            {"full_name": f"Warga {n}", "email": f"warga{n}@contoh.test", "password": "Tapis-Lampung-2026"},
        )

    assert signup(1, client).status_code == 302
    assert signup(2, Client()).status_code == 302
    response = signup(3, Client())
    assert response.status_code == 429
    assert "Terlalu banyak akun baru" in response.content.decode()
    assert not User.objects.filter(email="warga3@contoh.test").exists()

    api = Client().post(
        f"{API}/auth/register",
        {"full_name": "Warga 4", "email": "warga4@contoh.test", "password": "Tapis-Lampung-2026"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"
    assert not User.objects.filter(email="warga4@contoh.test").exists()


# ---------------------------------------------------------------------------------------
# Machine-facing doors
# ---------------------------------------------------------------------------------------


@override_settings(PUBLIC_RATE_LIMIT=3)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_429_in_its_own_error_format(client, db, start, fmt):
    for _ in range(3):
        assert client.get(f"/open311/v2/services.{fmt}").status_code == 200
    response = client.get(f"/open311/v2/services.{fmt}")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    if fmt == "json":
        (error,) = response.json()
        assert error["code"] == 429 and "Terlalu banyak permintaan" in error["description"]
    else:
        assert b"<errors><error><code>429</code>" in response.content
    assert Client(REMOTE_ADDR="10.9.9.9").get(f"/open311/v2/services.{fmt}").status_code == 200
    clock.advance(timedelta(minutes=1))
    assert client.get(f"/open311/v2/services.{fmt}").status_code == 200


@override_settings(PUBLIC_RATE_LIMIT=3)
def test_anonymous_api_calls_are_limited_per_address(client, db, start):
    for _ in range(3):
        assert client.get(f"{API}/regions").status_code == 200
    response = client.get(f"{API}/regions")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response["Retry-After"]


@override_settings(PUBLIC_RATE_LIMIT=2)
def test_a_made_up_authorization_header_only_buys_the_larger_shared_budget(client, db, start):
    headers = {"Authorization": "Bearer bukan-token"}
    answers = [client.get(f"{API}/regions", headers=headers).status_code for _ in range(21)]
    assert answers[:20] == [200] * 20  # public endpoints ignore the header
    assert answers[20] == 429


@override_settings(PUBLIC_RATE_LIMIT=2)
def test_signed_in_session_is_not_counted_per_address(client, citizen, start):
    client.force_login(citizen)
    assert all(client.get(f"{API}/regions").status_code == 200 for _ in range(5))


@override_settings(PUBLIC_RATE_LIMIT=2)
def test_oidc_token_endpoint_is_limited_with_an_oauth_error(client, db, start):
    data = {"grant_type": "authorization_code", "code": "tebakan", "client_id": "tidak-ada"}
    for _ in range(2):
        response = client.post("/oidc/token/", data)
        assert response.status_code in (400, 401)
    response = client.post("/oidc/token/", data)
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited" and response["Retry-After"]
    assert response["Cache-Control"] == "no-store"


# ---------------------------------------------------------------------------------------
# Who the client is
# ---------------------------------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_is_remote_addr_without_trusted_proxies():
    assert ratelimit.client_ip(request_from("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy_ignores_what_the_client_wrote():
    # The client wrote "1.2.3.4"; our proxy appended the address it saw.
    assert ratelimit.client_ip(request_from("10.0.0.2", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    assert ratelimit.client_ip(request_from("10.0.0.2", "198.51.100.9")) == "198.51.100.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_ip_behind_two_proxies():
    forwarded = "1.2.3.4, 198.51.100.9, 10.0.0.5"
    assert ratelimit.client_ip(request_from("10.0.0.2", forwarded)) == "198.51.100.9"
    # Fewer entries than proxies: a misconfiguration, so fall back to the peer.
    assert ratelimit.client_ip(request_from("10.0.0.2", "")) == "10.0.0.2"


def test_client_ip_groups_ipv6_by_64_and_refuses_garbage():
    assert ratelimit.client_ip(request_from("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert ratelimit.client_ip(request_from("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"
    assert ratelimit.client_ip(request_from("bukan-alamat")) == "unknown"


@override_settings(LOGIN_FAILURE_LIMIT=3)
@pytest.mark.parametrize("spelling", ["0812-7000-1234", "081270001234", "+62 812 7000 1234", "6281270001234"])
def test_every_spelling_of_a_phone_number_is_one_name(client, citizen2, start, spelling):
    for wrong in ("081270001234", "+6281270001234", "0812 7000 1234"):
        sign_in(Client(REMOTE_ADDR=f"10.0.0.{len(wrong)}"), wrong, "salah-sandi-123")
    response = sign_in(Client(REMOTE_ADDR="10.0.9.9"), spelling, PASSWORD)
    assert response.status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_an_attempt_is_counted_before_its_password_is_checked(client, citizen, start, monkeypatch):
    """What stops parallel guessing: when the slow hash runs, this attempt already counts."""
    seen: list[int] = []
    original = User.check_password

    def spy(user, raw):
        seen.append(
            ratelimit.hits(
                throttle._name_key(citizen.email, citizen.pk), window_seconds=throttle.WINDOW_SECONDS
            )
        )
        return original(user, raw)

    monkeypatch.setattr(User, "check_password", spy)
    for _ in range(3):
        sign_in(client, citizen.email, "salah-sandi-123")
    assert seen == [1, 2]  # the third attempt never reached the password check


@override_settings(LOGIN_FAILURE_LIMIT=1)
def test_successful_sign_ins_do_not_use_up_the_address(citizen, citizen2, start):
    # Many people behind one address (a school, a carrier's NAT) sign in fine.
    for _ in range(15):
        for person in (citizen, citizen2):
            assert sign_in(Client(), person.email, PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_an_accounts_email_and_phone_share_one_budget(citizen2, start):
    """Budi signs in with his e-mail or his phone: guesses through either count for the account."""
    sign_in(Client(REMOTE_ADDR="10.0.1.1"), "BUDI@warga.test", "salah-sandi-123")
    sign_in(Client(REMOTE_ADDR="10.0.1.2"), "0812-7000-1234", "salah-sandi-123")
    sign_in(Client(REMOTE_ADDR="10.0.1.3"), "budi@WARGA.test", "salah-sandi-123")
    assert sign_in(Client(REMOTE_ADDR="10.0.1.4"), "+62 812 7000 1234", PASSWORD).status_code == 429
