"""The payload schema agency systems receive (docs/api/webhooks.md).

Built from the case as it is when the event is handled. It carries what an agency
system needs to find the case through the API and nothing that identifies the reporter:
no reporter field at all (whatever the report's privacy), no NIK, phone, e-mail,
description, address or coordinates.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings

from lampungin.cases.choices import Privacy, Visibility
from lampungin.cases.models import Case, CaseEvent
from lampungin.core import clock

SCHEMA_VERSION = 1
# Keys of an outbox payload that may be passed on as they are (ids and state names only).
SAFE_KEYS = ("action", "from", "to", "status", "referral_id", "transfer")


def event_id(topic: str, payload: dict[str, Any], agency_id: int | None) -> str:
    """A stable id for one outbox message: the same message redelivered gets the same id."""
    raw = json.dumps({"topic": topic, "payload": payload, "agency": agency_id}, sort_keys=True, default=str)
    return f"evt_{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "tracking": case.tracking,
        "report_type": case.report_type,
        "category": case.category.code if case.category_id else None,
        "title": case.title,
        "state": case.state,
        "privacy": case.privacy,
        "agency": case.agency.code if case.agency_id else None,
        "region": case.region_id,
        "regency": case.regency_id,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "public_url": None
        if case.privacy == Privacy.CONFIDENTIAL
        else f"{settings.SITE_URL}/laporan/{case.tracking}",
        "staff_url": f"{settings.SITE_URL}/kantor/laporan/{case.tracking}/",
    }


def event_summary(event: CaseEvent | None) -> dict[str, Any] | None:
    if event is None or event.visibility == Visibility.INTERNAL:
        return None
    return {
        "seq": event.seq,
        "kind": event.kind,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "created_at": _iso(event.created_at),
    }


def build(*, event_type: str, evt_id: str, case: Case | None, payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON document sent for one event."""
    event = None
    if payload.get("event_id") and case is not None:
        event = CaseEvent.objects.filter(pk=payload["event_id"], case=case).first()
    return {
        "schema": SCHEMA_VERSION,
        "id": evt_id,
        "type": event_type,
        "occurred_at": _iso(event.created_at if event else clock.now()),
        "case": case_summary(case) if case is not None else None,
        "event": event_summary(event),
        "data": {key: payload[key] for key in SAFE_KEYS if key in payload},
    }
