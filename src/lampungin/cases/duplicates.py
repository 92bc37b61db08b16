"""Duplicate reports: find likely ones before submitting, support one, merge them (decision 0010).

Similarity is deliberately simple and local (no outside service): same category, within
the category's radius (``ReportCategory.duplicate_radius_m``) or the same region when no
point is known, filed in the last ``RECENT_DAYS`` days, still open, not confidential, and
text that shares enough words (token overlap, with ``difflib`` as a second opinion).
Candidates carry no personal data: no reporter, no coordinates, a distance rounded to
tens of metres.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.access import Actor
from lampungin.cases import permissions, services
from lampungin.cases.choices import (
    OPEN_STATES,
    Action,
    CaseState,
    EventKind,
    Privacy,
    RejectReason,
    Visibility,
)
from lampungin.cases.models import Case, CaseEvent, CaseMerge, CaseSupport
from lampungin.cases.timeline import append_event
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock, outbox
from lampungin.core.errors import Conflict, NotAllowed, NotFound

RECENT_DAYS = 30
MIN_SCORE = 0.3
MAX_CANDIDATES = 5
_EARTH_M = 6_371_000
_WORD = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about what happened (Indonesian function words).
_STOP = frozenset(
    [
        "yang",
        "di",
        "ke",
        "dari",
        "dan",
        "atau",
        "ini",
        "itu",
        "ada",
        "sudah",
        "belum",
        "tidak",
        "untuk",
        "dengan",
        "pada",
        "sejak",
        "saat",
        "juga",
        "karena",
        "akan",
        "oleh",
        "dalam",
        "sangat",
        "lebih",
        "kami",
        "saya",
        "kita",
        "mohon",
        "tolong",
        "agar",
        "bisa",
        "telah",
        "sekitar",
        "setiap",
        "masih",
        "hanya",
    ]
)


def tokens(text: str) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if len(w) > 2 and w not in _STOP}


def text_score(a: str, b: str) -> float:
    """0..1: how much two texts say the same (overlap of their words; difflib on the word lists)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    overlap = len(ta & tb) / min(len(ta), len(tb))
    jaccard = len(ta & tb) / len(ta | tb)
    # On whole words, not characters: "jalan" and "antrean" share letters, not meaning.
    ratio = difflib.SequenceMatcher(None, sorted(ta), sorted(tb), autojunk=False).ratio()
    return round(max(jaccard, ratio, overlap * 0.8), 3)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_M * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class SimilarReport:
    """A likely duplicate as a citizen may see it: public content only."""

    tracking: str
    title: str
    excerpt: str
    state: str
    state_label: str
    regency: str
    created_at: datetime
    supporters: int
    distance_m: int | None
    score: float


def similar_reports(
    *,
    category_code: str,
    text: str = "",
    lat: float | None = None,
    lng: float | None = None,
    region_code: str = "",
    exclude_reporter_id: int | None = None,
    limit: int = MAX_CANDIDATES,
) -> list[SimilarReport]:
    """Recent, open, non-confidential reports that look like the one being written, best first.

    Needs a category and a place (a point or a region); with no text yet, nearness alone
    ranks them. A reporter's own reports are left out (they are not "someone else's").
    """
    category = ReportCategory.objects.filter(code=category_code, is_active=True).first()
    if category is None or ((lat is None or lng is None) and not region_code):
        return []
    qs = Case.objects.filter(
        category=category,
        state__in=OPEN_STATES,
        created_at__gte=clock.now() - timedelta(days=RECENT_DAYS),
    ).exclude(privacy=Privacy.CONFIDENTIAL)
    if exclude_reporter_id:
        qs = qs.exclude(reporter_id=exclude_reporter_id)
    radius = category.duplicate_radius_m
    place = Q()
    if lat is not None and lng is not None:
        # A bounding box the database can use; the exact distance is checked below.
        dlat = radius / 111_320
        dlng = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        place |= Q(lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng))
    if region_code:
        place |= Q(lat__isnull=True) & (Q(region_id=region_code) | Q(regency_id=region_code))
    rows = (
        qs.filter(place)
        .select_related("regency")
        .annotate(n_supporters=Count("supports"))
        .order_by("-created_at")[:200]
    )
    found: list[SimilarReport] = []
    for case in rows:
        dist = None
        if lat is not None and lng is not None and case.lat is not None and case.lng is not None:
            dist = distance_m(lat, lng, case.lat, case.lng)
            if dist > radius:
                continue
        if text.strip():
            score = text_score(text, f"{case.title} {case.description}")
            if score < MIN_SCORE:
                continue
        else:
            score = 0.0 if dist is None else round(1 - dist / max(radius, 1), 3)
        found.append(
            SimilarReport(
                tracking=case.tracking,
                title=case.title,
                excerpt=case.description[:200] + ("…" if len(case.description) > 200 else ""),
                state=case.state,
                state_label=str(CaseState(case.state).label),
                regency=case.regency.display_name,
                created_at=case.created_at,
                supporters=case.n_supporters,
                distance_m=None if dist is None else int(round(dist, -1)),
                score=score,
            )
        )
    found.sort(key=lambda s: (-s.score, s.distance_m if s.distance_m is not None else 10**9))
    return found[:limit]


def supporter_count(case: Case) -> int:
    return case.supports.count()


def is_supporter(actor: Actor, case: Case) -> bool:
    return actor.is_authenticated and case.supports.filter(user_id=actor.user_id).exists()


def support_case(*, actor: Actor, tracking: str) -> tuple[CaseSupport, bool]:
    """Add ``actor`` as a supporter of someone else's open public report; (support, created).

    Must hold: only signed-in citizens; never a confidential report (NotFound, as if it did
    not exist); never one's own report; only open reports; once per person (a repeat
    returns the existing support).
    """
    if not actor.is_authenticated:
        raise NotAllowed(_("Masuk ke akun Anda untuk mendukung laporan."))
    case = (
        Case.objects.exclude(privacy=Privacy.CONFIDENTIAL)
        .filter(tracking=(tracking or "").strip().upper())
        .first()
    )
    if case is None:
        raise NotFound(_("Laporan tidak ditemukan atau bersifat rahasia."))
    if case.reporter_id == actor.user_id:
        raise Conflict(_("Ini laporan Anda sendiri."), code="own_report")
    if case.state not in OPEN_STATES:
        raise Conflict(_("Laporan ini sudah tidak dapat didukung."), code="not_open")
    existing = CaseSupport.objects.filter(case=case, user_id=actor.user_id).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            support = CaseSupport.objects.create(case=case, user=actor.user, created_at=clock.now())
    except IntegrityError:  # a double click raced
        return CaseSupport.objects.get(case=case, user_id=actor.user_id), False
    return support, True


def merge_cases(*, actor: Actor, source: Case, target: Case, message: str = "") -> CaseEvent:
    """Merge duplicate ``source`` into ``target``; returns the source's rejection event.

    Must hold: the actor works ``source`` (may reject it) and may read ``target``; the two
    differ; ``target`` is open and not itself merged; ``source`` goes to ``rejected`` with
    reason duplicate through the lifecycle (so only from the states the table allows);
    its supporters and its reporter become supporters of ``target`` (not the target's own
    reporter); both timelines record the merge; the people moved are notified (outbox).
    """
    if source.pk == target.pk:
        raise Conflict(_("Laporan tidak dapat digabung ke dirinya sendiri."), code="merge_self")
    if not permissions.scope_cases(actor).filter(pk=target.pk).exists():
        raise NotFound(_("Laporan tujuan tidak ditemukan."))
    with transaction.atomic():
        # Lock both rows in id order, so two merges of the same pair cannot deadlock.
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
        }
        source, target = locked[source.pk], locked[target.pk]
        if target.state not in OPEN_STATES and target.state != CaseState.RESOLVED:
            raise Conflict(_("Laporan tujuan sudah ditutup atau ditolak."), code="merge_target_closed")
        if CaseMerge.objects.filter(source=target).exists():
            raise Conflict(
                _("Laporan tujuan sendiri sudah digabung ke laporan lain."), code="merge_target_merged"
            )
        with override("id"):
            text = (message or "").strip() or _(
                "Laporan ini sama dengan laporan %(t)s dan digabungkan ke sana; perkembangannya dapat "
                "diikuti di laporan tersebut."
            ) % {"t": target.tracking}
        event = services.perform_action(
            actor=actor, case=source, action=Action.REJECT, reject_reason=RejectReason.DUPLICATE, message=text
        )
        source.refresh_from_db()
        now = clock.now()
        CaseMerge.objects.create(source=source, target=target, merged_by=actor.user, created_at=now)
        with override("id"):
            to_target = _("Digabung ke laporan %(t)s.") % {"t": target.tracking}
            from_source = _("Laporan serupa %(t)s digabungkan ke laporan ini.") % {"t": source.tracking}
        append_event(
            source,
            kind=EventKind.MERGE,
            actor=actor.user,
            actor_label=event.actor_label,
            visibility=Visibility.PUBLIC,
            message=to_target,
            data={"merged_into": target.tracking},
        )
        source.save(update_fields=["last_event_seq", "last_event_hash"])
        target_event = append_event(
            target,
            kind=EventKind.MERGE,
            actor=actor.user,
            actor_label=event.actor_label,
            visibility=Visibility.PUBLIC,
            message=from_source,
            data={"merged_from": source.tracking},
        )
        target.updated_at = now
        target.save(update_fields=["updated_at", "last_event_seq", "last_event_hash"])
        moved = set(source.supports.values_list("user_id", flat=True))
        if source.reporter_id:
            moved.add(source.reporter_id)
        moved.discard(target.reporter_id)
        moved -= set(target.supports.values_list("user_id", flat=True))
        CaseSupport.objects.bulk_create(
            [CaseSupport(case=target, user_id=uid, created_at=now, via_case=source) for uid in sorted(moved)],
            ignore_conflicts=True,
        )
        outbox.emit(
            "case.merged",
            {
                "source_id": source.pk,
                "target_id": target.pk,
                "event_id": target_event.pk,
                "user_ids": sorted(moved),
            },
        )
    return event
