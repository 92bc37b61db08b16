"""Reads of the published timeline digests (public: they hold no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from lampungin.analytics import digests, merkle
from lampungin.analytics.models import TimelineDigest


def published_digests(*, limit: int = 366, offset: int = 0) -> QuerySet[TimelineDigest]:
    """Published daily digests, newest first (public: they hold no personal data)."""
    limit = max(1, min(limit, 3660))
    offset = max(0, offset)
    return TimelineDigest.objects.order_by("-day")[offset : offset + limit]


@dataclass(frozen=True)
class DigestDetail:
    """A published day with the leaf hashes of its timeline *as it is now*.

    Recomputing the root from ``leaves`` and comparing it with the published root (or an
    outside copy) shows whether the day's history is still what was published.
    """

    digest: TimelineDigest
    leaves: list[str]
    current_root: str

    @property
    def intact(self) -> bool:
        return self.current_root == self.digest.merkle_root


def digest_detail(day: date) -> DigestDetail | None:
    digest = TimelineDigest.objects.filter(day=day).first()
    if digest is None:
        return None
    leaves = [leaf.hash for leaf in digests.day_leaves(day)]
    return DigestDetail(digest=digest, leaves=leaves, current_root=merkle.merkle_root(leaves))
