"""A page of another regional app (another origin), in Chromium, calling Lampung In."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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


def test_another_origin_reads_open311_and_the_api_but_not_the_pages(page, server, other_origin):
    page.goto(other_origin)
    result = page.evaluate(
        """async (base) => {
            const services = await (await fetch(base + '/open311/v2/services.json')).json();
            // JSON body and a custom header: the browser asks first (preflight).
            const token = await fetch(base + '/api/v1/auth/token', {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'Idempotency-Key': 'uji-cors-1'},
                body: JSON.stringify({username: 'tidak.ada@contoh.test', password: 'salah-sandi-123'}),
            });
            let pageRead = true;
            try { await (await fetch(base + '/akun/masuk/')).text(); } catch (e) { pageRead = false; }
            return {
                services: services.length,
                tokenStatus: token.status,
                tokenCode: (await token.json()).code,
                pageRead,
            };
        }""",
        server,
    )
    assert result["services"] > 30
    assert (result["tokenStatus"], result["tokenCode"]) == (403, "bad_credentials")
    assert result["pageRead"] is False  # the browser refuses: no CORS header on pages
