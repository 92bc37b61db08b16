"""The installable web app: manifest, service worker, offline page, and the language switch."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_manifest_and_service_worker_make_the_site_installable(page, server):
    response = page.goto(server + "/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.text())
    assert manifest["name"] == "Lampung In"
    assert (manifest["lang"], manifest["start_url"], manifest["display"]) == ("id", "/", "standalone")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(server + icon["src"]).headers["content-type"] == "image/png"

    page.goto(server + "/")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == server + "/"
    assert page.locator("link[rel=manifest]").get_attribute("href") == "/manifest.webmanifest"


def test_offline_navigation_shows_the_offline_page_or_the_saved_report_form(page, context, server, signed_in):
    page.goto(server + "/lapor/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now under the worker's control, which keeps a copy of the form
    assert page.evaluate("!!navigator.serviceWorker.controller")

    context.set_offline(True)
    page.goto(server + "/layanan/tidak-ada/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anda sedang tidak tersambung ke internet"
    page.goto(server + "/lapor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Buat laporan"
    assert page.get_by_role("button", name="Kirim laporan").is_visible()


def test_language_switch_without_javascript(chromium, server):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(server + "/akun/masuk/")
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.get_by_role("heading", level=1).inner_text() == "Masuk"

        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.url == server + "/akun/masuk/"  # back on the same page
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
        assert page.get_by_label("E-mail or phone number").is_visible()

        page.goto(server + "/")  # the choice sticks
        assert page.get_by_role("link", name="My account").count() == 0
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Lampung Province public services through one front door"
        )
        page.get_by_role("button", name="Bahasa Indonesia").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "id"
    finally:
        context.close()
