"""A citizen files a report with a photo on a phone-sized screen, online and offline."""

from __future__ import annotations

import io
import json
import os

import pytest
from PIL import Image

from lampungin.cases.models import Attachment, Case

from .conftest import BROWSER_PASSWORD, TRACKING_RE

pytestmark = pytest.mark.browser

DESCRIPTION = "Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini."


def big_photo() -> bytes:
    """A 2400×1800 camera-like JPEG of noise: large on disk, so shrinking it shows."""
    image = Image.frombytes("RGB", (2400, 1800), os.urandom(2400 * 1800 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def fill_report(page, *, photo: bytes | None = None, description: str = DESCRIPTION) -> None:
    page.get_by_label("Pengaduan").check()
    page.get_by_label("Kategori").select_option("jalan-provinsi-rusak")
    page.get_by_label("Uraian laporan").fill(description)
    page.get_by_label("Kabupaten/kota", exact=True).select_option("18.71")
    page.get_by_label("Kecamatan (opsional)").select_option("18.71.01")
    if photo is not None:
        page.get_by_label("Foto (maksimal 5)").set_input_files(
            {"name": "jalan.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )


def test_report_with_a_photo_from_login_to_tracking_number(page, server, browser_citizen):
    page.goto(server + "/akun/masuk/?next=/lapor/")
    page.get_by_label("E-mail atau nomor HP").fill(browser_citizen.email)
    page.get_by_label("Kata sandi").fill(BROWSER_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/lapor/")

    photo = big_photo()
    fill_report(page, photo=photo)
    # Note what the form really sends, as the page unloads (the request body is not visible).
    page.evaluate(
        """addEventListener("beforeunload", () => sessionStorage.setItem("sent", JSON.stringify(
            [...document.getElementById("id_photos").files].map(f => [f.name, f.type, f.size]))))"""
    )
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim/**")

    # The browser shrank the photo before sending it (longest side 1600 px, JPEG 0.8).
    [[name, kind, size]] = json.loads(page.evaluate("sessionStorage.getItem('sent')"))
    assert (name, kind) == ("jalan.jpg", "image/jpeg")
    assert size < len(photo) / 2
    tracking = TRACKING_RE.search(page.locator(".tracking").inner_text()).group(0)
    case = Case.objects.get(tracking=tracking)
    assert case.reporter == browser_citizen
    assert case.region_id == "18.71.01"
    photo_row = Attachment.objects.get(case=case)
    assert max(photo_row.width, photo_row.height) == 1600


def waiting_keys(page) -> list[str]:
    return page.evaluate("window.lampunginOutbox.items().then(xs => xs.map(x => x.key))")


def test_offline_report_waits_then_is_sent_once(page, context, server, signed_in):
    page.goto(server + "/lapor/")
    page.evaluate("navigator.serviceWorker.ready")

    context.set_offline(True)
    fill_report(page, photo=big_photo())
    page.get_by_role("button", name="Kirim laporan").click()
    waiting = page.locator("#outbox")
    waiting.get_by_text("Menunggu dikirim").wait_for()
    assert waiting.locator("ul li.outbox-item").count() == 1
    [key] = waiting_keys(page)
    assert Case.objects.count() == 0

    # A second report written offline gets a key of its own.
    fill_report(page, description="Lampu jalan mati sepanjang satu kilometer, rawan begal malam hari.")
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#outbox ul li.outbox-item").nth(1).wait_for()
    keys = waiting_keys(page)
    assert len(keys) == 2 and key in keys and len(set(keys)) == 2

    context.set_offline(False)  # fires "online": the page sends what waits
    page.locator("#outbox .sent li").nth(1).wait_for()
    assert waiting.locator("ul li.outbox-item").count() == 0
    assert Case.objects.count() == 2
    case = Case.objects.get(idempotency_key=key)
    assert case.reporter == signed_in
    assert Attachment.objects.filter(case=case).count() == 1
    assert case.tracking in page.locator("#outbox .sent").inner_text()


def test_an_interrupted_send_still_files_one_report(page, context, server, signed_in):
    page.goto(server + "/lapor/")
    context.set_offline(True)
    fill_report(page)
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#outbox ul li.outbox-item").wait_for()
    [key] = waiting_keys(page)

    # The first send reaches the server, which files the report, but the answer never
    # arrives (the connection drops): the page must keep the report and try again.
    calls = []

    def drop_the_answer(route):
        calls.append(route.request.headers.get("idempotency-key"))
        if len(calls) == 1:
            route.fetch()  # the server processes the request…
            route.abort("connectionreset")  # …and the page never hears back
        else:
            route.continue_()

    context.route("**/api/v1/reports", drop_the_answer)
    context.set_offline(False)
    page.get_by_text("Belum tersambung").wait_for()
    assert Case.objects.filter(idempotency_key=key).count() == 1
    assert len(waiting_keys(page)) == 1  # still waiting: no 201 was seen

    page.reload()  # sending also starts on page load
    page.locator("#outbox .sent li").wait_for()
    assert calls == [key, key]
    assert waiting_keys(page) == []
    assert Case.objects.count() == 1
    assert Case.objects.get(idempotency_key=key).tracking in page.locator("#outbox .sent").inner_text()


def test_a_post_that_fails_on_a_network_that_claims_to_be_up_is_kept(page, context, server, signed_in):
    """Weak signal: the phone says "online", the upload fails; the service worker keeps the report."""
    page.goto(server + "/lapor/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # under the worker's control, which keeps a copy of the form
    page.evaluate("Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true})")
    fill_report(page, photo=big_photo())
    context.set_offline(True)
    page.get_by_role("button", name="Kirim laporan").click()  # a plain post: the page believes it is online
    page.locator("#outbox ul li.outbox-item").wait_for()  # back on the (cached) form, listed as waiting
    [key] = waiting_keys(page)
    assert Case.objects.count() == 0

    context.set_offline(False)
    page.locator("#outbox .sent li").wait_for()
    case = Case.objects.get(idempotency_key=key)
    assert Attachment.objects.filter(case=case).count() == 1
    assert Case.objects.count() == 1
