"""``POST /api/v1/integrations/lapor/status``: status updates about referred reports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Body, Router, Schema

from lampungin.accounts.api_auth import request_actor, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.core.errors import NotAllowed
from lampungin.integrations.lapor import exchange

router = Router(tags=["integrasi"])


class ImportOut(Schema):
    recorded: int
    duplicates: int
    errors: list[dict[str, str]]


@router.post(
    "/integrations/lapor/status",
    response=ImportOut,
    auth=scoped(ApiScope.STAFF_ACT),
    summary="Kabar status laporan rujukan (format pertukaran SP4N-LAPOR!)",
)
def lapor_status(request, payload: dict[str, Any] = Body(...)):  # noqa: B008 - ninja's idiom
    """One update (an object with ``tracking``) or a document with ``updates``; see
    docs/api/lapor-exchange.md. Staff only: platform admins, or the receiving government's
    own staff, liaison or API key. Repeated update ids are counted as duplicates."""
    actor = request_actor(request)
    if not actor.is_staff_member:
        raise NotAllowed(_("Hanya petugas yang dapat mencatat kabar rujukan."))
    result = exchange.import_updates(actor=actor, items=exchange.updates_of(payload), source="api")
    return {"recorded": result.recorded, "duplicates": result.duplicates, "errors": result.errors}
