"""The SP4N-LAPOR! exchange format (docs/api/lapor-exchange.md): referred reports out,
status updates in. Pure shaping and parsing; the writes are ``cases.referrals`` services."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.cases import referrals
from lampungin.cases.models import CaseEvent
from lampungin.core import clock
from lampungin.core.errors import DomainError

FORMAT = "lampungin.lapor-exchange"
VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def report_record(event: CaseEvent) -> dict[str, Any]:
    """One referred report as LAPOR! receives it. Never the reporter's identity or contact
    (UU 27/2022): the receiving government answers through the tracking number."""
    case = event.case
    return {
        "tracking": case.tracking,
        "report_type": case.report_type,
        "category": {"code": case.category.code, "name": case.category.name},
        "title": case.title,
        "description": case.description,
        "confidential": not case.is_public,
        "location": {
            "region_code": case.region_id,
            "region": case.region.display_name,
            "regency_code": case.regency_id,
            "regency": case.regency.display_name,
            "address": case.address,
        },
        "submitted_at": _iso(case.created_at),
        "referred_at": _iso(event.created_at),
        "referred_to": {
            "code": case.referred_to.code if case.referred_to else "",
            "name": case.referred_to.name if case.referred_to else "",
            "email": case.referred_to.email if case.referred_to else "",
        },
        "reason": event.message,
    }


def export_document(*, since: datetime | None = None) -> dict[str, Any]:
    """The export file: every referral to a government not on the platform (since ``since``)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _iso(clock.now()),
        "since": _iso(since),
        "reports": [report_record(e) for e in referrals.referred_for_export(since=since)],
    }


def parse_update(item: Any) -> referrals.StatusUpdate:
    if not isinstance(item, dict):
        raise ValidationError({"updates": [_("Setiap kabar harus berupa objek JSON.")]})
    occurred = item.get("occurred_at")
    occurred_at = parse_datetime(occurred) if isinstance(occurred, str) else None
    if occurred and occurred_at is None:
        raise ValidationError({"occurred_at": [_("Waktu tidak valid: %(v)s.") % {"v": occurred}]})
    return referrals.StatusUpdate(
        update_id=str(item.get("id", "")),
        tracking=str(item.get("tracking", "")),
        status=str(item.get("status", "")),
        message=str(item.get("message", "") or ""),
        agency=str(item.get("agency", "") or ""),
        occurred_at=occurred_at,
    )


def updates_of(document: Any) -> list[Any]:
    """The list of updates in an import document (the file, or the API body)."""
    if isinstance(document, dict) and document.get("format", FORMAT) != FORMAT:
        raise ValidationError({"format": [_("Format berkas bukan %(f)s.") % {"f": FORMAT}]})
    if isinstance(document, dict) and isinstance(document.get("updates"), list):
        return document["updates"]
    if isinstance(document, dict) and "tracking" in document:
        return [document]
    raise ValidationError({"updates": [_("Berkas tidak berisi daftar “updates”.")]})


@dataclass
class ImportResult:
    recorded: int = 0
    duplicates: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)


def import_updates(*, actor: Actor, items: Iterable[Any], source: str) -> ImportResult:
    """Record each update (each in its own transaction); bad ones are reported, not fatal."""
    result = ImportResult()
    for index, item in enumerate(items):
        try:
            event = referrals.record_status_update(actor=actor, update=parse_update(item), source=source)
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            text = "; ".join(m for ms in messages.values() for m in ms)
            result.errors.append({"index": str(index), "id": str(_get(item, "id")), "error": text})
            continue
        except DomainError as exc:
            result.errors.append({"index": str(index), "id": str(_get(item, "id")), "error": exc.message})
            continue
        if event is None:
            result.duplicates += 1
        else:
            result.recorded += 1
    return result


def _get(item: Any, key: str) -> Any:
    return item.get(key, "") if isinstance(item, dict) else ""


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
