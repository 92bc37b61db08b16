"""The installable web app without a browser: manifest, service worker, offline page, caching."""

from __future__ import annotations

import gzip
import json
import re

from conftest import photo
from django.templatetags.static import static
from django.test import Client
from PIL import Image, ImageChops

from lampungin.web.icons import ICON_DIR, ICONS, draw_icon
from lampungin.web.staticfiles import content_version

GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_manifest_is_served_with_its_content_type_and_fields(db) -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Lampung In"
    assert (manifest["lang"], manifest["start_url"], manifest["display"]) == ("id", "/", "standalone")
    assert manifest["theme_color"] == "#0b5e3c"
    assert {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]} >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }


def test_service_worker_is_served_from_the_root_and_never_cached(db) -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.text
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', body)
    shell = json.loads(re.search(r"const SHELL = (\[.*\]);", body).group(1))
    assert static("lampungin/app.css") in shell and "/luring/" in shell


def test_every_page_links_the_manifest_and_registers_the_worker(db) -> None:
    page = Client().get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'navigator.serviceWorker.register("/sw.js")' in page


def test_offline_page(db) -> None:
    page = Client().get("/luring/")
    assert page.status_code == 200
    assert "Anda sedang tidak tersambung ke internet" in page.text


def test_static_urls_carry_the_content_hash_and_are_cached_for_a_year(db) -> None:
    url = static("lampungin/app.css")
    assert url == f"/static/lampungin/app.css?v={content_version('lampungin/app.css')}"
    response = Client().get(url, headers=GZIP)
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    assert static("lampungin/tidak-ada.css") == "/static/lampungin/tidak-ada.css"


def test_pages_are_compressed_and_photos_are_not(citizen, make_case) -> None:
    page = Client().get("/", headers=GZIP)
    assert page["Content-Encoding"] == "gzip"
    assert b"Lampung" in gzip.decompress(page.content)

    case = make_case(citizen, photos=[photo()])
    attachment = case.attachments.get()
    client = Client()
    client.force_login(citizen)
    response = client.get(f"/lampiran/{attachment.pk}", headers=GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_committed_icons_are_what_the_script_draws() -> None:
    for name, (size, maskable) in ICONS.items():
        committed = Image.open(ICON_DIR / name).convert("RGB")
        assert committed.size == (size, size)
        drawn = draw_icon(size, maskable=maskable)
        assert ImageChops.difference(committed, drawn).getbbox() is None, name
