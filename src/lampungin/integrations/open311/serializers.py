"""Our objects as GeoReport v2 fields.

What a request shows is what the public status page shows: never a reporter's name,
e-mail, phone, the free-text address they typed, or a precise point — coordinates are
rounded to 3 decimals (about 100 m) so that a report filed at home does not pinpoint it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lampungin.cases.models import Case
from lampungin.catalog.models import ReportCategory
from lampungin.integrations.open311.attributes import attributes_for
from lampungin.integrations.open311.selectors import OPEN311_STATUS

COORDINATE_DECIMALS = 3
SERVICE_TYPE = "realtime"  # a request becomes a case at once; no batch processing


def iso(value: datetime | None) -> str | None:
    """ISO-8601 with the WIB offset (``2026-01-31T08:00:00+07:00``), or None."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_entry(category: ReportCategory) -> dict:
    """One item of ``GET services``."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.hint,
        "metadata": bool(attributes_for(category)),
        "type": SERVICE_TYPE,
        "keywords": category.keywords,
        "group": category.group.name if category.group else "",
    }


def service_definition(category: ReportCategory) -> dict:
    """``GET services/{code}``: the service's attributes in their order."""
    attributes = sorted(attributes_for(category), key=lambda a: (a.order, a.code))
    return {"service_code": category.code, "attributes": [a.as_dict() for a in attributes]}


def public_status_url(case: Case) -> str:
    return settings.SITE_URL + reverse("web:public_report", args=[case.tracking])


def service_notice(case: Case) -> str:
    return _("Pantau perkembangan laporan %(tracking)s di %(url)s") % {
        "tracking": case.tracking,
        "url": public_status_url(case),
    }


def request_entry(case: Case) -> dict:
    """One item of ``GET requests``; ``case`` comes from ``selectors.public_requests``, which
    annotates ``status_notes``, ``first_photo_id`` and ``expected_at``."""
    photo_id = case.first_photo_id  # type: ignore[attr-defined]
    responsible = case.referred_to if case.referred_to_id else case.agency
    places = [case.region.display_name]
    if case.regency_id != case.region_id:
        places.append(case.regency.display_name)
    return {
        "service_request_id": case.tracking,
        "status": OPEN311_STATUS[case.state],
        "status_notes": case.status_notes or "",  # type: ignore[attr-defined]
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": responsible.name,
        "service_notice": service_notice(case),
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.expected_at),  # type: ignore[attr-defined]
        "address": ", ".join(places),
        "address_id": case.region_id,
        "zipcode": "",
        "lat": round(case.lat, COORDINATE_DECIMALS) if case.lat is not None else None,
        "long": round(case.lng, COORDINATE_DECIMALS) if case.lng is not None else None,
        "media_url": settings.SITE_URL + reverse("web:attachment", args=[photo_id]) if photo_id else "",
    }
