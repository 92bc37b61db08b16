"""API: the reporter rates a resolved report (1–5 stars, optional comment), once."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status

from lampungin.accounts.api_auth import request_actor, scoped
from lampungin.accounts.scopes import ApiScope
from lampungin.analytics import services
from lampungin.cases import selectors

router = Router(tags=["laporan"])


class RatingIn(Schema):
    stars: int
    comment: str = ""


class RatingOut(Schema):
    stars: int
    comment: str
    created_at: datetime


@router.post(
    "/reports/{tracking}/rating",
    response={201: RatingOut},
    auth=scoped(ApiScope.REPORTS_WRITE),
    summary="Beri penilaian atas laporan yang selesai",
)
def rate(request, tracking: str, data: RatingIn):
    """Only the reporter, only when resolved or closed, only once (a second rating is 409)."""
    actor = request_actor(request)
    case = selectors.get_case(actor, tracking)
    rating = services.rate_case(actor=actor, case=case, stars=data.stars, comment=data.comment)
    return Status(201, {"stars": rating.stars, "comment": rating.comment, "created_at": rating.created_at})
