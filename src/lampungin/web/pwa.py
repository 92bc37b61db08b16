"""The installable web app: manifest, service worker (served from the root scope) and offline page.

The service worker is rendered from a template so that it lists the app shell with the same
versioned URLs the pages use and carries a version derived from their content: a deploy that
changes the CSS or the scripts installs a new worker, which replaces the old cache.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOR = "#0b5e3c"
# Files every page needs, cached when the service worker installs.
SHELL_STATIC = ("lampungin/app.css", "lampungin/lapor.js", "lampungin/icons/icon-192.png")


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC] + [reverse("web:offline")]


@require_GET
@cache_control(public=True, max_age=86400)
def manifest(request: HttpRequest) -> HttpResponse:
    with translation.override("id"):  # the manifest's language is fixed: "lang": "id"
        data = {
            "name": "Lampung In",
            "short_name": "Lampung In",
            "description": "Satu pintu layanan publik digital Provinsi Lampung",
            "lang": "id",
            "dir": "ltr",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOR,
            "icons": [
                {"src": static("lampungin/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("lampungin/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("lampungin/icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            "shortcuts": [{"name": "Lapor", "url": reverse("web:report_new")}],
        }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/manifest+json"
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    urls = shell_urls()
    body = render_to_string(
        "web/sw.js",
        {
            "shell": json.dumps(urls),
            "offline_url": json.dumps(reverse("web:offline")),
            "report_url": json.dumps(reverse("web:report_new")),
            "logout_url": json.dumps(reverse("web:logout")),
            "static_prefix": json.dumps(settings.STATIC_URL + "lampungin/"),
        },
    )
    # The version changes whenever the worker's code or any shell URL (which carries its file's
    # content hash) changes.
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = body.replace('"__VERSION__"', json.dumps(version), 1)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on navigation; never let an HTTP cache hide an update.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that cannot be loaded without a network."""
    return render(request, "web/offline.html")
