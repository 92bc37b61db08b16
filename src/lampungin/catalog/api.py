"""Public API: the service catalog and report categories."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from lampungin.catalog import selectors
from lampungin.catalog.models import Service

router = Router(tags=["katalog"])


class CategoryOut(Schema):
    code: str
    name: str
    hint: str
    authority: str
    agency: str

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.default_agency.short_name


class ServiceOut(Schema):
    code: str
    name: str
    kind: str
    url: str
    summary: str
    group: str
    agency: str
    service_time_days: int | None
    service_time_unit: str
    is_sample: bool

    @staticmethod
    def resolve_group(obj) -> str:
        return obj.group.code

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.short_name


class ServiceDetailOut(ServiceOut):
    requirements: str
    procedure: str
    service_time_text: str
    fee: str
    product: str
    complaint_channel: str
    legal_basis: str
    facilities: str
    staff_competence: str
    internal_supervision: str
    staffing: str
    service_guarantee: str
    safety_guarantee: str
    performance_evaluation: str


@router.get("/catalog/categories", response=list[CategoryOut], auth=None, summary="Kategori laporan")
def list_categories(request):
    return selectors.active_categories()


@router.get("/catalog/services", response=list[ServiceOut], auth=None, summary="Layanan dan aplikasi")
def list_services(request, q: str = "", group: str = ""):
    return selectors.published_services(q, group)


@router.get("/catalog/services/{code}", response=ServiceDetailOut, auth=None, summary="Standar pelayanan")
def get_service(request, code: str):
    return get_object_or_404(Service.objects.select_related("agency", "group"), code=code, is_published=True)
