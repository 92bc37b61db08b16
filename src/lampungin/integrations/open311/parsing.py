"""Reading Open311 parameters: an empty parameter is a missing one; problems become errors.

Every problem found in one request is reported together, as GeoReport v2's error list
allows, so a client can fix its request in one round.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lampungin.cases.choices import Privacy
from lampungin.cases.services import MAX_DESCRIPTION
from lampungin.integrations.open311.attributes import Answer

MAX_WINDOW = timedelta(days=90)
MAX_ID_LENGTH = 200
MAX_MEDIA_URL = 1000
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")
_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


class Open311Error(Exception):
    """An answer in GeoReport v2's error format: an HTTP status and one or more descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions) or [_("Permintaan tidak valid.")]


def param(data: QueryDict, name: str) -> str:
    """The stripped value of ``name``; an empty value is the same as a missing one."""
    return (data.get(name) or "").strip()


def comma_list(raw: str) -> list[str]:
    """``a, b,,c`` → ``["a", "b", "c"]``: GeoReport's multi-value parameters."""
    return [item.strip() for item in raw.split(",") if item.strip()]


def check_jurisdiction(*sources: QueryDict) -> None:
    """``jurisdiction_id`` is optional (one jurisdiction is served); when given it must be ours."""
    for data in sources:
        given = param(data, "jurisdiction_id")
        if given and given != settings.OPEN311_JURISDICTION_ID:
            raise Open311Error(
                404,
                _("jurisdiction_id %(given)s tidak dikenal; layanan ini melayani %(ours)s.")
                % {"given": given, "ours": settings.OPEN311_JURISDICTION_ID},
            )


# ---------------------------------------------------------------------------------------
# GET requests: the date window
# ---------------------------------------------------------------------------------------


def _instant(name: str, raw: str, *, end_of_day: bool) -> datetime:
    """An ISO-8601 date or date-time; without an offset it is read as WIB (Asia/Jakarta)."""
    day = parse_date_only(raw)
    if day is not None:
        value: datetime | None = datetime.combine(day, time.max if end_of_day else time.min)
    else:
        try:
            value = parse_datetime(raw)
        except ValueError:  # well formed but impossible, such as 2026-02-30T08:00
            value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s harus berupa tanggal ISO-8601, misalnya 2026-01-31T08:00:00+07:00.") % {"name": name},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def date_window(start_raw: str, end_raw: str, *, now: datetime) -> tuple[datetime, datetime]:
    """The ``start_date``–``end_date`` range, at most 90 days; by default the last 90 days."""
    start = _instant("start_date", start_raw, end_of_day=False) if start_raw else None
    end = _instant("end_date", end_raw, end_of_day=True) if end_raw else None
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None  # noqa: S101 - one of them is set here
        start = end - MAX_WINDOW
    if end is None:
        end = start + MAX_WINDOW
    if end < start:
        raise Open311Error(400, _("end_date tidak boleh sebelum start_date."))
    # An end given as a bare date covers that whole day.
    limit = MAX_WINDOW + (timedelta(days=1) if end_raw and parse_date_only(end_raw) else timedelta(0))
    if end - start > limit:
        raise Open311Error(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
    return start, end


def parse_date_only(raw: str) -> date | None:
    """``raw`` as a bare ISO date (no time part), or None."""
    try:
        return parse_date(raw)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# POST requests
# ---------------------------------------------------------------------------------------


@dataclass
class PostedRequest:
    """A ``POST requests`` body after parsing: everything typed, nothing looked up yet."""

    service_code: str
    lat: float | None = None
    lng: float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, Answer] = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""
    media_url: str = ""
    privacy: str = Privacy.PUBLIC


def parse_attributes(data: QueryDict) -> dict[str, Answer]:
    """``attribute[code]=v`` → ``{"code": "v"}``; ``attribute[code][]=a&…=b`` → ``{"code": ["a", "b"]}``."""
    answers: dict[str, Answer] = {}
    for key in data:
        match = _ATTRIBUTE.fullmatch(key)
        if not match:
            continue
        code, is_list = match.group(1).strip(), bool(match.group(2))
        values = [v.strip() for v in data.getlist(key) if v and v.strip()]
        if not code or not values:
            continue
        previous = answers.get(code)
        if is_list or len(values) > 1 or previous is not None:
            merged = [previous] if isinstance(previous, str) else list(previous or [])
            answers[code] = merged + values
        else:
            answers[code] = values[0]
    return answers


def _coordinate(name: str, raw: str, problems: list[str]) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(_("%(name)s harus berupa angka desimal (WGS84).") % {"name": name})
        return None
    return value


def parse_post(data: QueryDict) -> PostedRequest:
    """Read and check a ``POST requests`` body; raises Open311Error(400) listing every problem."""
    problems: list[str] = []
    request = PostedRequest(
        service_code=param(data, "service_code"),
        address_string=param(data, "address_string"),
        address_id=param(data, "address_id"),
        attributes=parse_attributes(data),
        email=param(data, "email").lower(),
        phone=param(data, "phone"),
        device_id=param(data, "device_id"),
        account_id=param(data, "account_id"),
        first_name=param(data, "first_name"),
        last_name=param(data, "last_name"),
        description=param(data, "description"),
        media_url=param(data, "media_url"),
        privacy=param(data, "privacy") or Privacy.PUBLIC,
    )
    if not request.service_code:
        problems.append(_("service_code wajib diisi."))
    lat_raw, lng_raw = param(data, "lat"), param(data, "long")
    if lat_raw and lng_raw:
        request.lat = _coordinate("lat", lat_raw, problems)
        request.lng = _coordinate("long", lng_raw, problems)
    elif lat_raw or lng_raw:
        problems.append(_("lat dan long harus diisi bersama."))
    elif not request.address_id:
        # A free-text address cannot be placed in a region without geocoding, and every
        # report needs a region to be routed: ask for a point or a region code instead.
        problems.append(_("lat/long atau address_id (kode wilayah Kemendagri) diperlukan."))
    if request.address_id and not _REGION_CODE.fullmatch(request.address_id):
        problems.append(_("address_id harus berupa kode wilayah Kemendagri, misalnya 18.71.01."))
    if len(request.description) > MAX_DESCRIPTION:
        problems.append(_("description terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_DESCRIPTION})
    if request.email:
        try:
            validate_email(request.email)
        except ValidationError:
            problems.append(_("email tidak valid."))
    if request.media_url:
        try:
            URLValidator(schemes=["http", "https"])(request.media_url)
        except ValidationError:
            problems.append(_("media_url harus berupa URL http(s)."))
        if len(request.media_url) > MAX_MEDIA_URL:
            problems.append(_("media_url terlalu panjang."))
    for name in ("device_id", "account_id"):
        if len(getattr(request, name)) > MAX_ID_LENGTH:
            problems.append(_("%(name)s terlalu panjang.") % {"name": name})
    if request.privacy not in Privacy.values:
        problems.append(_("privacy harus salah satu dari: public, anonymous, confidential."))
    if problems:
        raise Open311Error(400, *problems)
    return request
