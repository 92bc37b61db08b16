"""Browser fixtures: Debian's Chromium driven by Playwright against Django's live server.

The tests run with the rest of the suite wherever ``/usr/bin/chromium`` exists (CI installs
it) and are skipped, saying why, where it does not. Playwright's own browser downloads are
never used: ``playwright install`` needs the network, Debian's package does not.

Every test gets a fresh browser context (its own cookies, service worker, IndexedDB) and a
phone-sized viewport; Chromium resolves no host name but the live server's, so a page that
would call out to the internet fails its test instead of passing by luck.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.test import Client

from lampungin.accounts.models import User
from lampungin.accounts.services import register_citizen
from lampungin.agencies.services import load_seed_agencies
from lampungin.catalog.services import load_seed_catalog
from lampungin.regions.models import Region
from lampungin.regions.services import load_lampung_regions

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No host but the live server (localhost) and the loopback address resolves, IP literals
    # included: a page that would call out to the internet fails its test instead of passing
    # by luck. 127.0.0.1 serves as "another origin" in the cross-origin test.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
PHONE = {"width": 390, "height": 844}
BROWSER_PASSWORD = "Tapis-Lampung-2026!"
TRACKING_RE = re.compile(r"LPG-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}")


def load_reference_data() -> None:
    """Regions (without desa), agencies and the catalog, when a transactional flush removed them."""
    if not Region.objects.filter(code="18.71.01").exists():
        load_lampung_regions(include_villages=False)
        load_seed_agencies()
        load_seed_catalog()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker):
    """Put the reference data back after this module's last flush, for the tests that follow."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("LAMPUNGIN_REQUIRE_BROWSER"):
            # CI installs Chromium: there a missing browser is a failure, never a silent skip.
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the 'test' extra")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from
    # such a thread unless told that they are deliberate (the test's own checks are).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as driver:
        yield driver
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def reference_data(transactional_db):
    load_reference_data()
    cache.clear()  # rate limits of an earlier test's user must not leak into this one


@pytest.fixture(scope="session")
def _static_through_whitenoise(live_server):
    """Serve /static/ through the middleware (WhiteNoise: compression, cache headers), as in production.

    Django's live server answers /static/ with its own test handler, which neither compresses
    nor sets cache headers, so the page weights measured here would be nobody's reality.
    """
    from django.core.handlers.wsgi import WSGIHandler

    httpd = live_server.thread.httpd
    original = httpd.get_app()
    httpd.set_app(WSGIHandler())
    yield
    httpd.set_app(original)


@pytest.fixture
def server(live_server, _static_through_whitenoise, reference_data) -> str:
    return live_server.url


@pytest.fixture
def context(chromium, server):
    """A fresh phone-sized browser context (cookies, service worker, IndexedDB of its own)."""
    context = chromium.new_context(viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def browser_citizen(reference_data) -> User:
    return register_citizen(full_name="Siti Rahmawati", email="siti@warga.test", password=BROWSER_PASSWORD)


@pytest.fixture
def signed_in(context, server, browser_citizen) -> User:
    """The browser context carries a session of ``browser_citizen`` (no login form: faster)."""
    client = Client()
    client.force_login(browser_citizen)
    host = urlparse(server).hostname
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return browser_citizen
