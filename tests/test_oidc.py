"""Single sign-on: Lampung In as an OpenID Connect provider, driven by a real relying party.

The relying party is Authlib's ``OAuth2Session`` (code flow + PKCE S256) talking HTTP to the
running server (``live_server``); ID tokens are verified with joserfc (Authlib's JOSE
library) against the published JWKS. The citizen's browser is a ``requests`` session that
signs in on the real login page and answers the real consent form.

Live-server tests need a transactional database, which pytest-django empties after each
test; ``_reference_data`` puts the session's reference data (regions, agencies, catalog)
back so that later test modules find it.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.accounts.services import register_citizen
from lampungin.agencies.models import Agency
from lampungin.agencies.services import load_seed_agencies
from lampungin.catalog.models import Service
from lampungin.catalog.services import load_seed_catalog
from lampungin.integrations.oidc import services
from lampungin.integrations.oidc.claims import subject_for
from lampungin.integrations.oidc.models import Application, Consent, SigningKey
from lampungin.regions.services import load_lampung_regions

PASSWORD = "Tapis-Lampung-2026!"
NIK = "1871995708909999"  # fictional: Kota Bandar Lampung has no kecamatan 99
REDIRECT = "http://127.0.0.1:8001/callback"
AFTER_LOGOUT = "http://127.0.0.1:8001/"

live = pytest.mark.django_db(transaction=True)


# ---------------------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _reference_data(django_db_blocker) -> Iterator[None]:
    """Restore the session's reference data after this module's transactional tests."""
    yield
    with django_db_blocker.unblock():
        if not Agency.objects.exists():
            load_lampung_regions(include_villages=False)
            load_seed_agencies()
            load_seed_catalog()


# HTTP sessions opened by a test; closed after it so that no keep-alive connection outlives
# the live server's database connection.
_OPEN_SESSIONS: list[requests.Session] = []


@pytest.fixture(autouse=True)
def _close_http_sessions() -> Iterator[None]:
    yield
    while _OPEN_SESSIONS:
        _OPEN_SESSIONS.pop().close()


@pytest.fixture
def reference_data(transactional_db) -> None:
    """Agencies and the catalog, which a previous transactional test may have flushed."""
    if not Agency.objects.exists():
        load_lampung_regions(include_villages=False)
        load_seed_agencies()
        load_seed_catalog()


@pytest.fixture
def server(live_server, settings, reference_data) -> str:
    """The live server's base URL, which is also the issuer."""
    settings.SITE_URL = live_server.url
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": live_server.url}
    return live_server.url


@pytest.fixture
def discovery(server) -> dict:
    response = requests.get(f"{server}/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def citizen(reference_data) -> User:
    user = register_citizen(
        full_name="Siti Rahmawati",
        email="siti@warga.test",
        phone="0812-7000-1234",
        password=PASSWORD,
        nik=NIK,
    )
    return user


@dataclass
class RegisteredApp:
    application: Application
    client_secret: str


def register(*, scopes: str = "openid profile email phone", name: str = "Aplikasi Beasiswa") -> RegisteredApp:
    registration = services.register_application(
        name=name,
        redirect_uris=[REDIRECT],
        post_logout_redirect_uris=[AFTER_LOGOUT],
        agency=Agency.objects.get(code="disdikbud"),
        allowed_scopes=scopes.split(),
    )
    return RegisteredApp(registration.application, registration.client_secret)


@pytest.fixture
def app(reference_data) -> RegisteredApp:
    return register()


class _Forms(HTMLParser):
    """The forms of a page: action, method and the values of their inputs and named buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": a.get("method", "get"), "fields": {}}
            )
        elif tag in ("input", "button") and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Browser:
    """A citizen's browser on Lampung In: signs in on the login page, answers forms."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        _OPEN_SESSIONS.append(self.session)

    def get(self, url: str) -> requests.Response:
        return self.session.get(urljoin(self.base, url), allow_redirects=False, timeout=10)

    def submit(self, response: requests.Response, *, form_index: int = -1, **extra: str) -> requests.Response:
        form = forms_of(response.text)[form_index]
        data = {k: v for k, v in form["fields"].items() if k != "allow"}
        data.update(extra)
        return self.session.post(
            urljoin(response.url, form["action"]), data=data, allow_redirects=False, timeout=10
        )

    def login(self, email: str, password: str = PASSWORD, next_url: str = "") -> requests.Response:
        page = self.get(f"/akun/masuk/?next={requests.utils.quote(next_url)}" if next_url else "/akun/masuk/")
        form = forms_of(page.text)[-1]
        data = {**form["fields"], "username": email, "password": password}
        return self.session.post(page.url, data=data, allow_redirects=False, timeout=10)


@dataclass
class RelyingParty:
    """A regional app using Authlib: starts the flow, exchanges the code, verifies ID tokens."""

    app: RegisteredApp
    discovery: dict
    scope: str = "openid profile email"
    client: OAuth2Session = field(init=False)
    verifier: str = field(init=False, default="")
    nonce: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.client = OAuth2Session(
            self.app.application.client_id,
            self.app.client_secret,
            scope=self.scope,
            redirect_uri=REDIRECT,
            code_challenge_method="S256",
        )
        _OPEN_SESSIONS.append(self.client)

    def authorization_url(self) -> str:
        self.verifier = generate_token(48)
        self.nonce = generate_token(16)
        url, _state = self.client.create_authorization_url(
            self.discovery["authorization_endpoint"], code_verifier=self.verifier, nonce=self.nonce
        )
        return url

    def fetch_token(self, callback: str) -> dict:
        return self.client.fetch_token(
            self.discovery["token_endpoint"], authorization_response=callback, code_verifier=self.verifier
        )

    def verify_id_token(self, id_token: str, *, refreshed: bool = False) -> jwt.Token:
        """Signature with the published keys; iss, aud, exp; the nonce (absent after a refresh)."""
        keyset = KeySet.import_key_set(requests.get(self.discovery["jwks_uri"], timeout=10).json())
        token = jwt.decode(id_token, keyset, algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.discovery["issuer"]},
            aud={"essential": True, "value": self.app.application.client_id},
            nonce={"essential": not refreshed, "value": self.nonce},
            sub={"essential": True},
            exp={"essential": True},
        ).validate(token.claims)
        return token

    def userinfo(self) -> dict:
        response = self.client.get(self.discovery["userinfo_endpoint"], timeout=10)
        response.raise_for_status()
        return response.json()


def consent_page(browser: Browser, rp: RelyingParty, email: str = "siti@warga.test") -> requests.Response:
    """Start the flow; sign in through the login page if needed; return the consent page."""
    url = rp.authorization_url()
    response = browser.get(url)
    if response.status_code == 302 and "/akun/masuk/" in response.headers["Location"]:
        signed_in = browser.login(email, next_url=url.removeprefix(browser.base))
        assert signed_in.status_code == 302
        response = browser.get(signed_in.headers["Location"])
    return response


def callback_params(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text[:500]
    location = response.headers["Location"]
    assert location.startswith(REDIRECT), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def sign_in(browser: Browser, rp: RelyingParty, email: str = "siti@warga.test") -> dict:
    """The whole flow for a citizen who consents: returns the token response."""
    page = consent_page(browser, rp, email)
    if page.status_code == 200:  # the consent screen
        page = browser.submit(page, allow="true")
    params = callback_params(page)
    assert "code" in params, params
    return rp.fetch_token(page.headers["Location"])


# ---------------------------------------------------------------------------------------
# Discovery and keys
# ---------------------------------------------------------------------------------------


@live
def test_discovery_publishes_issuer_endpoints_and_keys(server, discovery) -> None:
    assert discovery["issuer"] == server
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert discovery[endpoint].startswith(server + "/")
    assert discovery["end_session_endpoint"].startswith(server + "/")
    assert discovery["revocation_endpoint"].startswith(server + "/")
    assert discovery["response_types_supported"] == ["code"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["subject_types_supported"] == ["pairwise"]
    assert discovery["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"openid", "profile", "email", "phone", "nik", "lampungin_roles"} <= set(
        discovery["scopes_supported"]
    )
    assert {"sub", "name", "email", "email_verified", "phone_number", "nik"} <= set(
        discovery["claims_supported"]
    )
    jwks = requests.get(discovery["jwks_uri"], timeout=10).json()
    assert [k["kty"] for k in jwks["keys"]] == ["RSA"]
    assert {"kid", "n", "e"} <= set(jwks["keys"][0]) and "d" not in jwks["keys"][0]  # public part only
    # The private key is encrypted at rest.
    stored = SigningKey.objects.get()
    assert "PRIVATE KEY" not in stored.private_key_encrypted


# ---------------------------------------------------------------------------------------
# The code flow with PKCE, end to end
# ---------------------------------------------------------------------------------------


@live
def test_citizen_signs_in_to_a_regional_app_with_code_and_pkce(server, discovery, app, citizen) -> None:
    browser, rp = Browser(server), RelyingParty(app, discovery, scope="openid profile email")

    page = consent_page(browser, rp)
    assert page.status_code == 200
    assert "Aplikasi Beasiswa" in page.text
    assert "Dinas Pendidikan dan Kebudayaan" in page.text  # the agency that runs it
    assert "Izinkan" in page.text and "Tolak" in page.text
    assert "Alamat e-mail Anda" in page.text  # each scope explained in plain Indonesian
    callback = browser.submit(page, allow="true")
    params = callback_params(callback)
    assert params["iss"] == server  # RFC 9207 mix-up defence
    token = rp.fetch_token(callback.headers["Location"])
    assert {"access_token", "refresh_token", "id_token"} <= set(token)

    id_token = rp.verify_id_token(token["id_token"])
    assert id_token.header["alg"] == "RS256"
    assert id_token.header["kid"] == SigningKey.objects.get(is_current=True).kid
    claims = id_token.claims
    assert claims["name"] == "Siti Rahmawati"
    assert claims["preferred_username"] == "Siti"
    assert claims["sub"] != str(citizen.pk) and len(claims["sub"]) == 36  # opaque, pairwise
    assert "email" not in claims and "nik" not in claims  # personal data only from userinfo

    info = rp.userinfo()
    assert info["sub"] == claims["sub"]
    assert info["email"] == "siti@warga.test"
    assert info["email_verified"] is False
    assert "phone_number" not in info and "nik" not in info  # not requested

    consent = Consent.objects.get(user=citizen, application=app.application)
    assert consent.scope_set == {"openid", "profile", "email"} and consent.revoked_at is None

    # Refresh: a new access token and a new, verifiable ID token for the same subject.
    refreshed = rp.client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    assert rp.verify_id_token(refreshed["id_token"], refreshed=True).claims["sub"] == claims["sub"]
    assert rp.userinfo()["sub"] == claims["sub"]

    # Signing in again with the consent in force goes straight back to the app.
    again = browser.get(rp.authorization_url())
    assert "code" in callback_params(again)
    assert Consent.objects.filter(user=citizen).count() == 1


@live
def test_subject_is_stable_per_app_host_and_differs_between_hosts(server, discovery, citizen) -> None:
    browser = Browser(server)
    first = register(name="Aplikasi A")
    second = register(name="Aplikasi B")  # same redirect host: same sector
    elsewhere = services.register_application(
        name="Aplikasi Kabupaten",
        redirect_uris=["http://localhost:8002/callback"],
        allowed_scopes=["openid"],
    )
    subs = [rp_sub(browser, RelyingParty(a, discovery, scope="openid")) for a in (first, second, first)]
    assert subs[0] == subs[1] == subs[2]
    assert subs[0] != str(citizen.pk)
    assert subject_for(citizen, elsewhere.application) != subs[0]


def rp_sub(browser: Browser, rp: RelyingParty) -> str:
    token = sign_in(browser, rp)
    return rp.verify_id_token(token["id_token"]).claims["sub"]


@live
def test_rp_initiated_logout_ends_the_session_and_the_tokens(server, discovery, app, citizen) -> None:
    browser, rp = Browser(server), RelyingParty(app, discovery)
    token = sign_in(browser, rp)
    query = {"id_token_hint": token["id_token"], "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s1"}
    confirm = browser.session.get(
        discovery["end_session_endpoint"], params=query, allow_redirects=False, timeout=10
    )
    assert confirm.status_code == 200
    assert "Keluar dari Lampung In?" in confirm.text and "Aplikasi Beasiswa" in confirm.text
    stay = browser.submit(confirm)  # "Tetap masuk"
    assert stay.status_code == 302 and stay.headers["Location"] == "/akun/"
    assert browser.get("/akun/").status_code == 200  # still signed in
    done = browser.submit(confirm, allow="true")
    assert done.status_code == 302
    assert done.headers["Location"] == f"{AFTER_LOGOUT}?state=s1"
    assert browser.get("/akun/").status_code == 302  # signed out of Lampung In
    with pytest.raises(OAuthError):
        rp.client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])


# ---------------------------------------------------------------------------------------
# PKCE is required, S256 only
# ---------------------------------------------------------------------------------------


@live
def test_authorization_without_pkce_is_refused(server, discovery, app, citizen) -> None:
    browser = Browser(server)
    browser.login("siti@warga.test")
    no_pkce = OAuth2Session(
        app.application.client_id, app.client_secret, scope="openid", redirect_uri=REDIRECT
    )
    url, _state = no_pkce.create_authorization_url(discovery["authorization_endpoint"])
    assert "code_challenge" not in url
    params = callback_params(browser.get(url))
    assert params["error"] == "invalid_request"
    assert "code" not in params


@live
def test_plain_pkce_and_a_missing_verifier_are_refused(server, discovery, app, citizen) -> None:
    browser = Browser(server)
    browser.login("siti@warga.test")
    plain = OAuth2Session(app.application.client_id, app.client_secret, scope="openid", redirect_uri=REDIRECT)
    verifier = generate_token(48)
    url, _ = plain.create_authorization_url(
        discovery["authorization_endpoint"], code_challenge=verifier, code_challenge_method="plain"
    )
    page = browser.get(url)
    answer = browser.submit(page, allow="true") if page.status_code == 200 else page
    assert callback_params(answer)["error"] == "invalid_request"

    rp = RelyingParty(app, discovery, scope="openid")
    page = consent_page(browser, rp)
    callback = browser.submit(page, allow="true") if page.status_code == 200 else page
    code = callback_params(callback)["code"]
    response = requests.post(
        discovery["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        auth=(app.application.client_id, app.client_secret),
        timeout=10,
    )
    assert response.status_code == 400
    assert "id_token" not in response.text


# ---------------------------------------------------------------------------------------
# Scopes: allow-list per app (server side) and the citizen's consent
# ---------------------------------------------------------------------------------------


@live
def test_nik_scope_is_refused_when_the_app_is_not_allowed_it(server, discovery, app, citizen) -> None:
    browser, rp = Browser(server), RelyingParty(app, discovery, scope="openid profile nik")
    params = callback_params(consent_page(browser, rp))
    assert params["error"] == "invalid_scope"
    assert not Consent.objects.exists()

    # Nor does editing the consent form's hidden scope field help.
    rp.client.scope = "openid profile"
    page = consent_page(browser, rp)
    assert page.status_code == 200
    tampered = browser.submit(page, allow="true", scope="openid profile nik")
    assert callback_params(tampered)["error"] == "invalid_scope"
    assert not Consent.objects.exists()


@live
def test_nik_is_released_only_when_allowed_and_consented(server, discovery, citizen) -> None:
    allowed = register(scopes="openid profile nik", name="Aplikasi Bansos")
    browser, rp = Browser(server), RelyingParty(allowed, discovery, scope="openid profile nik")

    page = consent_page(browser, rp)
    assert page.status_code == 200
    assert "Nomor Induk Kependudukan" in page.text
    assert NIK not in page.text  # the consent screen shows it masked
    refused = browser.submit(page)  # "Tolak"
    assert callback_params(refused)["error"] == "access_denied"
    assert not Consent.objects.exists()

    token = sign_in(browser, rp)
    assert "nik" not in rp.verify_id_token(token["id_token"]).claims  # never in a token that travels in URLs
    assert rp.userinfo()["nik"] == NIK
    assert Consent.objects.get().scope_set == {"openid", "profile", "nik"}


@live
def test_staff_roles_are_released_under_their_scope(server, discovery, reference_data) -> None:
    officer = User.objects.create_user(
        email="andi@binamarga.test", password=PASSWORD, full_name="Andi Saputra"
    )
    StaffMembership.objects.create(
        user=officer, role=Role.OFFICER, agency=Agency.objects.get(code="binamarga")
    )
    internal = register(scopes="openid profile lampungin_roles", name="Aplikasi Internal Bina Marga")
    browser = Browser(server)
    rp = RelyingParty(internal, discovery, scope="openid profile lampungin_roles")
    sign_in(browser, rp, email="andi@binamarga.test")
    assert rp.userinfo()["roles"] == [{"role": "officer", "agency": "binamarga", "region": None}]


# ---------------------------------------------------------------------------------------
# Consent: recorded, listed, revoked
# ---------------------------------------------------------------------------------------


@live
def test_revoking_a_consent_stops_the_app_and_asks_again(server, discovery, app, citizen) -> None:
    browser, rp = Browser(server), RelyingParty(app, discovery)
    token = sign_in(browser, rp)

    listing = browser.get("/akun/izin-aplikasi/")
    assert listing.status_code == 200
    assert "Aplikasi Beasiswa" in listing.text and "Cabut izin" in listing.text
    assert "/akun/izin-aplikasi/" in browser.get("/akun/").text  # linked from the account page

    revoked = browser.submit(listing)
    assert revoked.status_code == 302
    consent = Consent.objects.get()
    assert consent.revoked_at is not None and consent.ended_because == "revoked"
    assert "sudah dicabut" in browser.get("/akun/izin-aplikasi/").text

    with pytest.raises(OAuthError) as refused:
        rp.client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refused.value.error == "invalid_grant"
    assert rp.client.get(discovery["userinfo_endpoint"], timeout=10).status_code == 401

    again = consent_page(browser, rp)
    assert again.status_code == 200 and "Izinkan" in again.text  # the consent screen, not a code

    # A second citizen cannot revoke someone else's consent.
    register_citizen(full_name="Budi Santoso", email="budi@warga.test", password=PASSWORD)
    other = Browser(server)
    other.login("budi@warga.test")
    sign_in(browser, rp)
    theirs = Consent.objects.active().get()
    csrf = other.session.cookies.get("csrftoken") or ""
    attempt = other.session.post(
        f"{server}/akun/izin-aplikasi/{theirs.pk}/cabut/",
        data={"csrfmiddlewaretoken": csrf},
        allow_redirects=False,
        timeout=10,
    )
    assert attempt.status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@live
def test_widening_a_consent_asks_for_the_new_scopes_only_once(server, discovery, app, citizen) -> None:
    browser = Browser(server)
    sign_in(browser, RelyingParty(app, discovery, scope="openid profile"))
    wider = RelyingParty(app, discovery, scope="openid phone")
    page = consent_page(browser, wider)
    assert page.status_code == 200 and "Nomor HP Anda" in page.text
    sign_in(browser, wider)
    consents = Consent.objects.order_by("granted_at")
    assert [c.ended_because for c in consents] == ["replaced", ""]
    assert consents.last().scope_set == {"openid", "profile", "phone"}
    assert wider.userinfo()["phone_number"] == "+6281270001234"


# ---------------------------------------------------------------------------------------
# Key rotation
# ---------------------------------------------------------------------------------------


@live
def test_rotation_publishes_both_keys_and_old_tokens_still_verify(server, discovery, app, citizen) -> None:
    browser, rp = Browser(server), RelyingParty(app, discovery)
    before = sign_in(browser, rp)
    old_kid = rp.verify_id_token(before["id_token"]).header["kid"]

    out = io.StringIO()
    call_command("oidc_rotate_key", stdout=out)
    new_kid = SigningKey.objects.get(is_current=True).kid
    assert new_kid != old_kid and new_kid in out.getvalue()

    jwks = requests.get(discovery["jwks_uri"], timeout=10).json()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_kid}
    assert rp.verify_id_token(before["id_token"]).header["kid"] == old_kid  # signed before, still valid

    after = sign_in(browser, rp)
    assert rp.verify_id_token(after["id_token"]).header["kid"] == new_kid

    # An ID token signed with the old key is still accepted as a logout hint.
    query = {"id_token_hint": before["id_token"], "post_logout_redirect_uri": AFTER_LOGOUT}
    confirm = browser.session.get(discovery["end_session_endpoint"], params=query, timeout=10)
    assert confirm.status_code == 200 and "Keluar dari Lampung In?" in confirm.text


# ---------------------------------------------------------------------------------------
# The sample relying party (examples/relying_party/)
# ---------------------------------------------------------------------------------------


def _load_example():
    path = Path(__file__).resolve().parents[1] / "examples" / "relying_party" / "app.py"
    spec = importlib.util.spec_from_file_location("relying_party_example", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@live
def test_the_sample_relying_party_signs_a_citizen_in_and_out(server, citizen) -> None:
    example = _load_example()
    settings = example.Settings(
        issuer=server, client_id="", client_secret="", scope="openid profile nik", port=0
    )
    httpd, example_rp = example.make_server(settings)
    registered = services.register_application(
        name="Contoh Aplikasi Daerah",
        redirect_uris=[example_rp.redirect_uri],
        post_logout_redirect_uris=[f"{example_rp.base_url}/"],
        allowed_scopes=["openid", "profile", "nik"],
    )
    settings.client_id = registered.application.client_id
    settings.client_secret = registered.client_secret
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        browser = Browser(server)  # one browser, two sites
        start = browser.get(f"{example_rp.base_url}/login")
        assert start.headers["Location"].startswith(f"{server}/oidc/authorize/")
        page = browser.get(start.headers["Location"])
        signed_in = browser.login("siti@warga.test", next_url=page.headers["Location"].split("next=", 1)[1])
        consent = browser.get(requests.utils.unquote(signed_in.headers["Location"]))
        callback = browser.submit(consent, allow="true")
        assert callback.headers["Location"].startswith(example_rp.redirect_uri)
        assert browser.get(callback.headers["Location"]).status_code == 302
        home = browser.get(f"{example_rp.base_url}/")
        assert "Halo, <strong>Siti Rahmawati</strong>" in home.text
        assert NIK in home.text  # from userinfo, after the citizen consented
        assert SigningKey.objects.get(is_current=True).kid in home.text

        out = browser.get(f"{example_rp.base_url}/logout")
        confirm = browser.get(out.headers["Location"])
        assert confirm.status_code == 200
        assert browser.submit(confirm, allow="true").headers["Location"] == f"{example_rp.base_url}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------------------------------
# App registry: command line, admin, catalog
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_oidc_client_command_registers_an_app_and_prints_its_secret_once() -> None:
    out = io.StringIO()
    call_command(
        "oidc_client",
        "create",
        "Aplikasi Puskesmas",
        "--redirect-uri",
        "https://puskesmas.example.go.id/callback",
        "--agency",
        "dinkes",
        "--scopes",
        "openid profile email",
        stdout=out,
    )
    lines = dict(line.split(":", 1) for line in out.getvalue().splitlines() if line and not line[0].isspace())
    client_id, secret = lines["client_id"].strip(), lines["client_secret"].strip()
    app = Application.objects.get(client_id=client_id)
    assert app.agency.code == "dinkes" and app.allowed_scopes == "openid profile email"
    assert app.client_type == Application.CLIENT_CONFIDENTIAL
    assert app.client_secret != secret and check_password(secret, app.client_secret)  # only the hash

    public = io.StringIO()
    call_command(
        "oidc_client",
        "create",
        "Lampung In Seluler",
        "--redirect-uri",
        "https://app.example/cb",
        "--public",
        stdout=public,
    )
    assert "none (public client" in public.getvalue()


@pytest.mark.django_db
def test_registry_refuses_unknown_scopes_and_skipping_consent() -> None:
    with pytest.raises(ValidationError) as bad_scope:
        services.register_application(name="X", redirect_uris=[REDIRECT], allowed_scopes=["openid", "ktp"])
    assert "allowed_scopes" in bad_scope.value.message_dict
    registration = services.register_application(name="Y", redirect_uris=[REDIRECT])
    registration.application.skip_authorization = True
    with pytest.raises(ValidationError, match="persetujuan tidak bisa dilewati"):
        registration.application.full_clean()


@pytest.mark.django_db
def test_admin_registers_an_app_and_shows_the_secret_once(platform_admin_user) -> None:
    client = Client()
    client.force_login(platform_admin_user)
    response = client.post(
        "/admin/oidc/application/add/",
        {
            "name": "Aplikasi Perizinan",
            "agency": Agency.objects.get(code="dpmptsp").pk,
            "client_type": "confidential",
            "redirect_uris": "https://izin.example.go.id/callback",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "allowed_scopes": ["openid", "profile"],
        },
    )
    assert response.status_code == 200, response.content[:2000]
    app = Application.objects.get(name="Aplikasi Perizinan")
    page = response.content.decode()
    assert app.client_id in page and "client_secret" in page
    assert "no-store" in response["Cache-Control"]
    secret = page.split("client_secret</th><td><code>", 1)[1].split("</code>", 1)[0]
    assert check_password(secret, app.client_secret)
    assert app.allowed_scopes == "openid profile" and app.algorithm == "RS256"
    for page_url in ("/admin/oidc/application/", "/admin/oidc/application/add/", "/admin/oidc/consent/"):
        assert client.get(page_url).status_code == 200
    assert client.get("/admin/oidc/signingkey/").status_code == 200
    change = client.get(f"/admin/oidc/application/{app.pk}/change/").content.decode()
    assert secret not in change and app.client_secret not in change


@pytest.fixture
def platform_admin_user(db) -> User:
    return User.objects.create_superuser(
        email="admin@diskominfotik.test", password=PASSWORD, full_name="Admin"
    )


@pytest.mark.django_db
def test_catalog_app_linked_to_sso_opens_with_masuk_dengan_lampung_in() -> None:
    service = Service.objects.filter(kind="app").exclude(url="").first()
    client = Client()
    assert "Masuk dengan Lampung In" not in client.get(f"/layanan/{service.code}/").content.decode()
    services.register_application(name=service.name, redirect_uris=[REDIRECT], catalog_service=service)
    page = client.get(f"/layanan/{service.code}/").content.decode()
    assert "Masuk dengan Lampung In" in page and f'href="{service.url}"' in page
