"""Public API: Lampung's administrative regions."""

from __future__ import annotations

from ninja import Router, Schema

from lampungin.regions import selectors

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    display_name: str
    level: str
    kind: str
    parent_code: str | None
    lat: float | None = None
    lng: float | None = None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent_id


@router.get(
    "/regions", response=list[RegionOut], auth=None, summary="Kabupaten/kota, atau anak suatu wilayah"
)
def list_regions(request, parent: str = ""):
    return selectors.children_of(parent) if parent else selectors.regencies()
