"""A page of another regional app (another origin), in Chromium, calling Lampung In."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lampungin.accounts.services import issue_api_token

pytestmark = pytest.mark.browser

OTHER_APP = b"<!doctype html><html lang=id><title>Aplikasi daerah lain</title><h1>Aplikasi lain</h1></html>"


@pytest.fixture
def other_origin():
    """A page served from 127.0.0.1 on another port: a different origin from the live server
    (localhost), as a kabupaten's app on its own domain would be."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(OTHER_APP)))
            self.end_headers()
            self.wfile.write(OTHER_APP)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_another_origin_reads_open311_and_the_api_but_not_the_pages(
    page, server, other_origin, browser_citizen
):
    """Open311 and the API answer a page of another origin; the pages and password sign-in do not."""
    token = issue_api_token(user=browser_citizen, name="Aplikasi lain")
    page.goto(other_origin)
    result = page.evaluate(
        """async ([base, token]) => {
            const services = await (await fetch(base + '/open311/v2/services.json')).json();
            // JSON body and custom headers: the browser asks first (preflight).
            const report = await fetch(base + '/api/v1/reports', {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    'Idempotency-Key': 'uji-cors-1',
                    'Authorization': 'Bearer ' + token,
                },
                body: '{}',
            });
            const refused = async (path, init) => {
                try { await (await fetch(base + path, init)).text(); return false; }
                catch (e) { return true; }
            };
            return {
                services: services.length,
                reportStatus: report.status,
                reportCode: (await report.json()).code,
                pageRefused: await refused('/akun/masuk/'),
                passwordRefused: await refused('/api/v1/auth/token', {
                    method: 'POST',
                    headers: {'Content-Type': 'application/json'},
                    body: JSON.stringify({username: 'siti@warga.test', password: 'tebakan-123'}),
                }),
            };
        }""",
        [server, token],
    )
    assert result["services"] > 30
    # An empty report from the app: refused as a report, and the app can read why.
    assert (result["reportStatus"], result["reportCode"]) == (400, "invalid")
    # The browser refuses to hand these over: no CORS header on pages or on password sign-in.
    assert result["pageRefused"] is True
    assert result["passwordRefused"] is True
