"""API: published timeline digests and service-time (kepatuhan) reports.

Public endpoints carry no personal data: digests are hashes, reports are aggregates.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from lampungin.accounts.api_auth import AUTH, request_actor
from lampungin.analytics import digest_selectors, selectors
from lampungin.analytics.choices import GroupBy
from lampungin.core.errors import NotAllowed

router = Router(tags=["integritas dan kepatuhan"])


class DigestOut(Schema):
    day: date
    event_count: int
    merkle_root: str
    construction: str
    computed_at: datetime


class DigestDetailOut(DigestOut):
    first_event_id: int | None
    last_event_id: int | None
    leaves: list[str]
    current_root: str
    intact: bool


@router.get(
    "/timeline-digests/",
    response=list[DigestOut],
    auth=None,
    summary="Digest harian riwayat laporan (akar Merkle per hari WIB), terbaru dahulu",
)
def list_digests(request: HttpRequest, limit: int = 366, offset: int = 0):
    """Keep a copy: a later recomputation that differs proves that history was rewritten."""
    return list(digest_selectors.published_digests(limit=limit, offset=offset))


@router.get(
    "/timeline-digests/{day}",
    response=DigestDetailOut,
    auth=None,
    summary="Satu hari: akar yang diterbitkan dan hash daun riwayat saat ini, berurutan",
)
def get_digest(request: HttpRequest, day: date):
    """``leaves`` are the event hashes of the day as the timeline holds them now, in digest order."""
    detail = digest_selectors.digest_detail(day)
    if detail is None:
        raise Http404
    digest = detail.digest
    return {
        "day": digest.day,
        "event_count": digest.event_count,
        "merkle_root": digest.merkle_root,
        "construction": digest.construction,
        "computed_at": digest.computed_at,
        "first_event_id": digest.first_event_id,
        "last_event_id": digest.last_event_id,
        "leaves": detail.leaves,
        "current_root": detail.current_root,
        "intact": detail.intact,
    }


class ServiceTimeRowOut(Schema):
    code: str
    label: str
    resolved: int
    median_working_days: float | None
    p90_working_days: float | None
    median_working_hours: float | None
    p90_working_hours: float | None
    within_standard: int
    within_standard_share: float | None
    # group_by=service only: the service's own standard and agency; rejected applications
    # (counted, not timed); how many timed applications had a standard to compare with.
    standard_label: str = ""
    agency_label: str = ""
    rejected: int | None = None
    with_standard: int | None = None


class StandardOut(Schema):
    amount: int
    unit: str  # working_days | working_hours
    label: str


class ServiceTimeReportOut(Schema):
    date_from: date
    date_to: date
    group_by: str
    standard: StandardOut | None  # None per service: each row has its own standard_label
    hours_per_working_day: float
    rows: list[ServiceTimeRowOut]
    total: ServiceTimeRowOut


def _row(row: selectors.ServiceTimeRow) -> dict:
    return {
        "code": row.code,
        "label": row.label,
        "resolved": row.resolved,
        "median_working_days": row.median_days,
        "p90_working_days": row.p90_days,
        "median_working_hours": row.median_hours,
        "p90_working_hours": row.p90_hours,
        "within_standard": row.within_standard,
        "within_standard_share": row.within_standard_share,
        "standard_label": row.standard_label,
        "agency_label": row.agency_label,
        "rejected": row.rejected,
        "with_standard": row.with_standard,
    }


def _report(report: selectors.ServiceTimeReport) -> dict:
    return {
        "date_from": report.date_from,
        "date_to": report.date_to,
        "group_by": report.group_by,
        "standard": None
        if report.standard is None
        else {
            "amount": report.standard.amount,
            "unit": report.standard.unit,
            "label": report.standard.label,
        },
        "hours_per_working_day": report.hours_per_working_day,
        "rows": [_row(r) for r in report.rows],
        "total": _row(report.total),
    }


class PeriodQuery(Schema):
    # ``from``/``to`` are what people type; Python cannot name an attribute ``from``.
    from_: date | None = Field(None, alias="from", description="tanggal awal (WIB), YYYY-MM-DD")
    to: date | None = Field(None, description="tanggal akhir (WIB), YYYY-MM-DD; bawaan: hari ini")
    group_by: str = Field(GroupBy.CATEGORY, description="category | agency | regency | service")
    agency: str = Field("", description="kode instansi, mis. binamarga")
    regency: str = Field("", description="kode Kemendagri kabupaten/kota, mis. 18.71")


@router.get(
    "/reports/service-times",
    response=ServiceTimeReportOut,
    auth=None,
    summary="Kepatuhan waktu layanan (publik, agregat tanpa data pribadi)",
)
def public_service_times(request: HttpRequest, filters: Query[PeriodQuery]):
    """Resolved reports per group in a WIB period (default: the last 90 days).

    Working time from submission to first resolution (WIB working hours, without holidays
    and cuti bersama, paused while waiting for the reporter); within-standard share against
    the follow-up standard of the default SLA policy (SP4N-LAPOR!: 5 working days after
    verification). ``group_by=service``: service applications decided in the period, per
    catalog service, against each service's published service time; rejections counted
    apart; ``regency`` is the applicant's domicile when they applied.
    """
    report = selectors.public_service_time_report(
        date_from=filters.from_,
        date_to=filters.to,
        group_by=filters.group_by,
        agency=filters.agency,
        regency=filters.regency,
    )
    return _report(report)


@router.get(
    "/staff/reports/service-times",
    response=ServiceTimeReportOut,
    auth=AUTH,
    summary="Kepatuhan waktu layanan atas laporan dalam wewenang petugas",
)
def staff_service_times(request: HttpRequest, filters: Query[PeriodQuery]):
    actor = request_actor(request)
    if not actor.is_staff_member:
        raise NotAllowed(_("Halaman ini untuk petugas."))
    report = selectors.service_time_report(
        actor,
        date_from=filters.from_,
        date_to=filters.to,
        group_by=filters.group_by,
        agency=filters.agency,
        regency=filters.regency,
    )
    return _report(report)
