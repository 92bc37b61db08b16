"""Reads of the satisfaction survey: the IKM per agency or per service, as aggregates only.

Sums are taken by the database (one grouped query); the exact formula is applied to the sums
in :mod:`lampungin.analytics.skm`. Public pages hide groups with fewer than
``MIN_PUBLIC_RESPONDENTS`` answers: with one or two respondents an "aggregate" is a person's
answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from lampungin.accounts.access import Actor
from lampungin.analytics.models import SkmResponse
from lampungin.analytics.skm import ELEMENT_CODES, IkmResult, ikm_from_totals

MIN_PUBLIC_RESPONDENTS = 5
GROUPINGS = {
    "agency": ("agency_id", "agency__name"),
    "service": ("service_id", "service__name"),
}


@dataclass(frozen=True)
class IkmRow:
    key: int | None
    label: str
    result: IkmResult


def scope_responses(actor: Actor) -> QuerySet[SkmResponse]:
    """The answers a staff member may aggregate: everything for analysts, else their agencies'."""
    if actor.reads_everything:
        return SkmResponse.objects.all()
    return SkmResponse.objects.filter(agency_id__in=actor.agency_ids)


def ikm_summary(
    qs: QuerySet[SkmResponse], *, group_by: str = "agency", min_respondents: int = 1
) -> list[IkmRow]:
    """One row per agency (or service) with its IKM, best first; groups below ``min_respondents`` left out."""
    key, label = GROUPINGS[group_by]
    if group_by == "service":
        qs = qs.filter(service__isnull=False)
    sums = {f"s_{code}": Sum(code) for code in ELEMENT_CODES}
    rows = []
    for row in qs.order_by().values(key, label).annotate(n=Count("id"), **sums):
        if row["n"] < min_respondents:
            continue
        result = ikm_from_totals(row["n"], [row[f"s_{code}"] for code in ELEMENT_CODES])
        rows.append(IkmRow(row[key], row[label] or "—", result))
    rows.sort(key=lambda r: (-(r.result.score or 0), r.label))
    return rows


def public_ikm_summary(*, group_by: str = "agency") -> list[IkmRow]:
    """The IKM per agency for everyone: aggregates of at least ``MIN_PUBLIC_RESPONDENTS`` answers."""
    return ikm_summary(SkmResponse.objects.all(), group_by=group_by, min_respondents=MIN_PUBLIC_RESPONDENTS)
