"""API: my notification centre (list with a cursor, unread count, mark read)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from lampungin.accounts.api_auth import scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.core import cursor as paging
from lampungin.core.errors import NotFound
from lampungin.notifications import selectors, services

router = Router(tags=["notifikasi"], auth=scoped(ApiScope.ACCOUNT))


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=NotificationPage, summary="Notifikasi saya")
def list_notifications(request, unread: bool = False, cursor: str = "", limit: int = 20):
    qs = selectors.for_user(request.auth.pk)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    page = paging.paginate(qs, cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/notifications/unread-count", response=UnreadOut, summary="Jumlah notifikasi belum dibaca")
def unread_count(request):
    return {"unread": selectors.for_user(request.auth.pk).filter(read_at__isnull=True).count()}


@router.post("/notifications/{notification_id}/read", response=MarkedOut, summary="Tandai notifikasi dibaca")
def mark_one_read(request, notification_id: int):
    if not selectors.for_user(request.auth.pk).filter(pk=notification_id).exists():
        raise NotFound(_("Notifikasi tidak ditemukan."))
    return {"marked": services.mark_read(user=request.auth, notification_id=notification_id)}


@router.post("/notifications/read-all", response=MarkedOut, summary="Tandai semua notifikasi dibaca")
def mark_all_read(request):
    return {"marked": services.mark_read(user=request.auth)}
