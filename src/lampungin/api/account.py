"""API: my data — the export of everything held about me (deletion: ``DELETE /me``, accounts.api)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from lampungin.accounts.api_auth import scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.api import personal_data

router = Router(tags=["akun"], auth=scoped(ApiScope.ACCOUNT))


class ExportOut(Schema):
    account: dict[str, Any]
    reports: list[dict[str, Any]]
    supported_reports: list[dict[str, Any]]
    service_applications: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    notification_channels: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    favourite_services: list[dict[str, Any]]
    api_tokens: list[dict[str, Any]]


@router.get("/me/export", response=ExportOut, summary="Unduh semua data saya (JSON)")
def export_my_data(request):
    """Everything the platform holds about me (UU 27/2022 hak akses); the NIK is masked."""
    return personal_data.export(request.auth)
