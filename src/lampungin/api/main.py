"""REST API v1: composes the apps' routers and turns errors into clear JSON answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from lampungin.accounts.api import router as accounts_router
from lampungin.analytics.api import router as analytics_router
from lampungin.analytics.api_ratings import router as ratings_router
from lampungin.api.account import router as account_router
from lampungin.api.openapi import LampungInSchema
from lampungin.applications.api import public_router as public_applications_router
from lampungin.applications.api import router as applications_router
from lampungin.cases.api import public_router as public_cases_router
from lampungin.cases.api import router as cases_router
from lampungin.cases.api_joint import router as joint_router
from lampungin.cases.api_staff import router as staff_router
from lampungin.catalog.api import router as catalog_router
from lampungin.core.errors import DomainError
from lampungin.integrations.lapor.api import router as lapor_router
from lampungin.notifications.api import router as notifications_router
from lampungin.regions.api import router as regions_router


class LampungInAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return LampungInSchema(self, path_prefix)


api = LampungInAPI(
    title="Lampung In API",
    version="1",
    description="API layanan publik Provinsi Lampung: katalog layanan, wilayah, laporan warga, "
    "dan kerja petugas. Autentikasi: token pribadi (`POST /api/v1/auth/token`), token akses OIDC, "
    "atau kunci API instansi, sebagai `Authorization: Bearer <token>`; cakupan per endpoint. "
    "Panduan: docs/api/README.md.",
    urls_namespace="api-v1",
)
api.add_router("", regions_router)
api.add_router("", catalog_router)
api.add_router("", accounts_router)
api.add_router("", account_router)
api.add_router("", notifications_router)
api.add_router("", staff_router)
api.add_router("", ratings_router)
api.add_router("", analytics_router)  # before cases: /reports/service-times is not a tracking number
api.add_router("", lapor_router)
api.add_router("", joint_router)  # before cases: /reports/similar is not a tracking number
api.add_router("", cases_router)
api.add_router("", public_cases_router)
api.add_router("", applications_router)
api.add_router("", public_applications_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    response = api.create_response(request, {"detail": exc.message, "code": exc.code}, status=exc.status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(DjangoValidationError)
def validation_error(request: HttpRequest, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0] if errors else _("Data tidak valid.")
    return api.create_response(request, {"detail": first, "code": "invalid", "errors": errors}, status=400)


@api.exception_handler(NinjaValidationError)
def schema_error(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "form", "query", "path", "data")]
        field = ".".join(loc) or "__all__"
        if item.get("type") == "missing":
            message = _("Wajib diisi.")
        else:
            message = _("Nilai tidak valid: %(msg)s") % {"msg": item.get("msg", "")}
        errors.setdefault(field, []).append(message)
    fields = ", ".join(errors)
    return api.create_response(
        request,
        {
            "detail": _("Data tidak lengkap atau tidak valid (%(f)s).") % {"f": fields},
            "code": "invalid",
            "errors": errors,
        },
        status=400,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request, {"detail": _("Silakan masuk terlebih dahulu."), "code": "unauthorized"}, status=401
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": _("Tidak ditemukan."), "code": "not_found"}, status=404)
