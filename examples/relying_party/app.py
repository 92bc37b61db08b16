"""A tiny regional app that signs citizens in with Lampung In ("Masuk dengan Lampung In").

Standard library web server + Authlib (OAuth 2.0 / OpenID Connect client) + joserfc (JOSE).
It does what every relying party must do, and nothing else:

1. reads the provider's discovery document (``/.well-known/openid-configuration``);
2. sends the browser to the authorization endpoint with ``state``, ``nonce`` and a PKCE
   S256 code challenge;
3. on the callback, checks ``state``, exchanges the code with the code verifier and its
   client secret, verifies the ID token's signature with the published JWKS and its
   ``iss``, ``aud``, ``exp`` and ``nonce``, then asks the userinfo endpoint for the claims;
4. signs out through the provider (RP-initiated logout).

Run it against the demo (see README.md):  python examples/relying_party/app.py
Settings (environment): RP_ISSUER, RP_CLIENT_ID, RP_CLIENT_SECRET, RP_SCOPE, RP_PORT.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SESSION_COOKIE = "rp_session"


@dataclass
class Settings:
    issuer: str = os.environ.get("RP_ISSUER", "http://127.0.0.1:8000")
    client_id: str = os.environ.get("RP_CLIENT_ID", "contoh-aplikasi-daerah")
    client_secret: str = os.environ.get("RP_CLIENT_SECRET", "rahasia-demo-contoh-aplikasi-daerah-2026")
    scope: str = os.environ.get("RP_SCOPE", "openid profile email")
    host: str = "127.0.0.1"
    port: int = int(os.environ.get("RP_PORT", "8001"))


@dataclass
class RelyingParty:
    """The OpenID Connect client: one instance per app, shared by all requests."""

    settings: Settings
    base_url: str = ""
    sessions: dict[str, dict] = field(default_factory=dict)  # the app's own sessions, in memory
    _metadata: dict | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/callback"

    def metadata(self) -> dict:
        """The provider's discovery document, fetched once."""
        with self._lock:
            if self._metadata is None:
                url = f"{self.settings.issuer}/.well-known/openid-configuration"
                response = requests.get(url, timeout=10)
                response.raise_for_status()
                self._metadata = response.json()
            return self._metadata

    def client(self, token: dict | None = None) -> OAuth2Session:
        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=self.settings.scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token=token,
        )

    def start(self, session: dict) -> str:
        """Remember state, nonce and code verifier; return where to send the browser."""
        session["verifier"] = generate_token(48)
        session["nonce"] = generate_token(20)
        with self.client() as client:
            url, session["state"] = client.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                code_verifier=session["verifier"],
                nonce=session["nonce"],
            )
        return url

    def finish(self, session: dict, callback_url: str) -> None:
        """Check the callback, exchange the code, verify the ID token, read userinfo."""
        params = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        if params.get("state") != session.pop("state", None):
            raise ValueError("state does not match: not the sign-in this browser started")
        if "error" in params:
            raise ValueError(f"{params['error']}: {params.get('error_description', '')}")
        if params.get("iss") and params["iss"] != self.metadata()["issuer"]:
            raise ValueError("the response comes from another issuer")  # RFC 9207
        with self.client() as client:
            token = client.fetch_token(
                self.metadata()["token_endpoint"],
                authorization_response=callback_url,
                code_verifier=session.pop("verifier"),
            )
            session["id_token_claims"] = self.verify_id_token(token["id_token"], nonce=session.pop("nonce"))
            session["id_token"] = token["id_token"]
            client.token = token
            response = client.get(self.metadata()["userinfo_endpoint"], timeout=10)
            response.raise_for_status()
            session["userinfo"] = response.json()

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict:
        """The ID token's claims, after checking signature (JWKS), iss, aud, exp and nonce."""
        jwks = requests.get(self.metadata()["jwks_uri"], timeout=10).json()  # fresh: keys rotate
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.metadata()["issuer"]},
            aud={"essential": True, "value": self.settings.client_id},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
            exp={"essential": True},
        ).validate(token.claims)
        return {**token.claims, "_kid": token.header.get("kid")}

    def logout_url(self, session: dict) -> str:
        query = {"post_logout_redirect_uri": f"{self.base_url}/", "client_id": self.settings.client_id}
        if session.get("id_token"):
            query["id_token_hint"] = session["id_token"]
        return f"{self.metadata()['end_session_endpoint']}?{urlencode(query)}"


PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Contoh Aplikasi Daerah</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
pre{{background:#f4f4f4;padding:1rem;overflow:auto}}
a.btn{{display:inline-block;padding:.6rem 1rem;background:#ffd23f;border:1px solid #e0b000;
border-radius:8px;color:#1b1f23;text-decoration:none;font-weight:600}}
</style></head><body><h1>Contoh Aplikasi Daerah</h1>{body}</body></html>"""


def make_handler(rp: RelyingParty) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _session(self) -> tuple[str, dict]:
            jar = cookies.SimpleCookie(self.headers.get("Cookie", ""))
            sid = jar[SESSION_COOKIE].value if SESSION_COOKIE in jar else ""
            if sid not in rp.sessions:
                sid = secrets.token_urlsafe(24)
                rp.sessions[sid] = {}
            return sid, rp.sessions[sid]

        def _send(self, status: int, body: str = "", location: str = "", sid: str = "") -> None:
            self.send_response(status)
            if sid:
                self.send_header("Set-Cookie", f"{SESSION_COOKIE}={sid}; HttpOnly; SameSite=Lax; Path=/")
            if location:
                self.send_header("Location", location)
            data = PAGE.format(body=body).encode() if body else b""
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            sid, session = self._session()
            path = urlsplit(self.path).path
            try:
                if path == "/login":
                    self._send(302, location=rp.start(session), sid=sid)
                elif path == "/callback":
                    rp.finish(session, f"{rp.base_url}{self.path}")
                    self._send(302, location="/", sid=sid)
                elif path == "/logout":
                    url = rp.logout_url(session)
                    session.clear()
                    self._send(302, location=url, sid=sid)
                elif path == "/":
                    self._send(200, self._home(session), sid=sid)
                else:
                    self._send(404, "<p>Tidak ditemukan.</p>", sid=sid)
            except (OAuthError, JoseError, ValueError, requests.RequestException) as exc:
                body = f'<p>Gagal masuk: {html.escape(str(exc))}</p><p><a href="/">Kembali</a></p>'
                self._send(400, body, sid=sid)

        def _home(self, session: dict) -> str:
            if "userinfo" not in session:
                return (
                    "<p>Aplikasi contoh yang memakai akun Lampung In.</p>"
                    '<p><a class="btn" href="/login">Masuk dengan Lampung In</a></p>'
                )
            name = html.escape(session["userinfo"].get("name", session["userinfo"]["sub"]))
            id_claims = html.escape(json.dumps(session["id_token_claims"], indent=2, ensure_ascii=False))
            userinfo = html.escape(json.dumps(session["userinfo"], indent=2, ensure_ascii=False))
            return (
                f"<p>Halo, <strong>{name}</strong>. ID token terverifikasi dengan JWKS Lampung In.</p>"
                f"<h2>Klaim ID token</h2><pre>{id_claims}</pre>"
                f"<h2>Userinfo</h2><pre>{userinfo}</pre>"
                '<p><a class="btn" href="/logout">Keluar</a></p>'
            )

        def log_message(self, format: str, *args) -> None:
            # Only the request line: URLs here carry codes and ID tokens, which logs must not keep.
            print(f"{self.address_string()} {self.command} {urlsplit(self.path).path}")

    return Handler


def make_server(settings: Settings) -> tuple[ThreadingHTTPServer, RelyingParty]:
    """The app's HTTP server (port 0 picks a free port) and its relying party."""
    rp = RelyingParty(settings)
    server = ThreadingHTTPServer((settings.host, settings.port), make_handler(rp))
    rp.base_url = f"http://{settings.host}:{server.server_address[1]}"
    return server, rp


def main() -> None:
    server, rp = make_server(Settings())
    print(f"Contoh Aplikasi Daerah di {rp.base_url}/")
    print(f"penyedia {rp.settings.issuer} · klien {rp.settings.client_id} · cakupan {rp.settings.scope}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
