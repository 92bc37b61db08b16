"""API: the staff inbox. Transitions go through ``POST /reports/{tracking}/actions`` (cases.api)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router

from lampungin.accounts.api_auth import request_actor, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.cases import selectors
from lampungin.cases.api import CasePage, case_page
from lampungin.core.errors import NotAllowed

router = Router(tags=["petugas"])


@router.get(
    "/staff/inbox", response=CasePage, auth=scoped(ApiScope.STAFF_INBOX), summary="Kotak masuk petugas"
)
def inbox(
    request,
    state: str = "",
    agency: str = "",
    regency: str = "",
    category: str = "",
    mine: bool = False,
    created_from: date | None = None,
    created_to: date | None = None,
    q: str = "",
    cursor: str = "",
    limit: int = 20,
):
    """Cases the caller works on or reads, newest first. ``mine``: assigned to me; ``q``: a
    tracking number or words of the title/description; dates are WIB days, inclusive."""
    actor = request_actor(request)
    if not actor.is_staff_member:
        raise NotAllowed(_("Halaman ini untuk petugas."))
    qs = selectors.inbox(
        actor,
        state=state,
        mine=mine,
        query=q,
        regency=regency,
        agency=agency,
        category=category,
        created_from=created_from,
        created_to=created_to,
    )
    return case_page(qs, cursor=cursor, limit=limit)
