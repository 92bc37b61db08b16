"""Open311 GeoReport v2 endpoints: parse the request, call a selector or service, render.

The format is the path's suffix (``.json`` or ``.xml``); any other suffix is a 404. Every
failure is answered in GeoReport's error format, in the format asked for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lampungin.core import clock, ratelimit
from lampungin.core.errors import DomainError
from lampungin.integrations.open311 import selectors, serializers, services
from lampungin.integrations.open311.parsing import (
    Open311Error,
    check_jurisdiction,
    comma_list,
    date_window,
    param,
    parse_post,
)
from lampungin.integrations.open311.render import Format, render, render_error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation (endpoints, fields, behaviour) last changed; bump with it.
CHANGESET = "2026-12-04T00:00:00+07:00"
FORMATS = ["text/xml", "application/json"]

Handler = Callable[..., HttpResponse]


def open311_endpoint(*methods: str) -> Callable[[Handler], Handler]:
    """Check the format and method, and turn every error into an Open311 error answer."""

    def decorate(view: Handler) -> Handler:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            try:
                output = Format(fmt)
            except ValueError:
                message = _("Format %(fmt)s tidak dikenal: gunakan .json atau .xml.") % {"fmt": fmt}
                return render_error(Format.JSON, Open311Error(404, message))
            if request.method not in methods:
                response = render_error(
                    output, Open311Error(405, _("Metode %(m)s tidak didukung.") % {"m": request.method})
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                ratelimit.check_address(request, "open311")
                check_jurisdiction(request.GET, request.POST)
                return view(request, *args, fmt=output, **kwargs)
            except Open311Error as exc:
                return render_error(output, exc)
            except ValidationError as exc:
                return render_error(output, Open311Error(400, *exc.messages))
            except DomainError as exc:
                response = render_error(output, Open311Error(exc.status, exc.message))
                if getattr(exc, "retry_after", None):
                    response["Retry-After"] = str(exc.retry_after)
                return response

        return wrapper

    return decorate


def _base_url() -> str:
    discovery = reverse("open311:discovery", kwargs={"fmt": Format.JSON})
    return settings.SITE_URL + discovery.rsplit("/", 1)[0]


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    """Where the API is, what it speaks, and whom to ask for a key."""
    document = {
        "changeset": CHANGESET,
        "contact": _(
            "Dinas Komunikasi, Informatika dan Statistik (Diskominfotik) Provinsi Lampung — "
            "Lampung In, %(site)s"
        )
        % {"site": settings.SITE_URL},
        "key_service": _(
            "Kunci API (api_key) untuk POST requests diterbitkan oleh Diskominfotik Provinsi Lampung "
            "atas permintaan resmi instansi atau mitra; lihat %(site)s"
        )
        % {"site": settings.SITE_URL},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base_url(),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }
    return render(fmt, "discovery", document)


@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    """Every active report category as an Open311 service."""
    entries = [serializers.service_entry(c) for c in selectors.active_services()]
    return render(fmt, "services", entries)


@open311_endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: Format) -> HttpResponse:
    """The attributes (extra questions) of one service."""
    category = selectors.get_service(code)
    return render(fmt, "service_definition", serializers.service_definition(category))


@csrf_exempt  # authenticated by api_key, not by a session cookie
@open311_endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GET: public requests matching the filters. POST: file a new request (needs an api_key)."""
    if request.method == "POST":
        return _create_request(request, fmt)
    data = request.GET
    statuses = comma_list(param(data, "status").lower())
    unknown = [s for s in statuses if s not in selectors.Status.ALL]
    if unknown:
        raise Open311Error(400, _("status harus open atau closed."))
    ids = comma_list(param(data, "service_request_id"))
    start, end = (
        (None, None)
        if ids
        else date_window(param(data, "start_date"), param(data, "end_date"), now=clock.now())
    )
    query = selectors.RequestQuery(
        ids=tuple(ids),
        service_codes=tuple(comma_list(param(data, "service_code"))),
        statuses=tuple(statuses),
        start=start,
        end=end,
    )
    entries = [serializers.request_entry(case) for case in selectors.find_requests(query)]
    return render(fmt, "service_requests", entries)


def _create_request(request: HttpRequest, fmt: Format) -> HttpResponse:
    raw_key = param(request.POST, "api_key") or param(request.GET, "api_key")
    api_key = services.authenticate_key(raw_key)
    if api_key is None:
        raise Open311Error(403, _("api_key tidak ada atau tidak valid."))
    posted = parse_post(request.POST)
    submission = services.submit_request(
        api_key=api_key,
        posted=posted,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    entry = {
        "service_request_id": submission.case.tracking,
        "service_notice": serializers.service_notice(submission.case),
        "account_id": submission.account_id or None,
    }
    return render(fmt, "service_requests", [entry], status=201 if submission.created else 200)


@open311_endpoint("GET")
def service_request(request: HttpRequest, service_request_id: str, fmt: Format) -> HttpResponse:
    """One public request, as a list of one (as the spec shapes it)."""
    case = selectors.get_request(service_request_id)
    return render(fmt, "service_requests", [serializers.request_entry(case)])


@open311_endpoint("GET")
def token(request: HttpRequest, token: str, fmt: Format) -> HttpResponse:
    """Requests are created at once, so no token is ever issued: every token is unknown."""
    raise Open311Error(
        404,
        _("Token tidak ditemukan: permintaan dibuat langsung dan POST requests memberi service_request_id."),
    )
