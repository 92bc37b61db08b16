"""Daily timeline digests: publish one Merkle root per WIB day and prove events against it.

Each case's hash chain (``cases.timeline``) shows when one case's history was edited; a
chain can still be *rewritten* whole by someone with database access, and a deleted case
takes its chain with it. The daily digest closes both gaps: once a day the root over every
event hash of the previous WIB day is published, and copies kept outside the platform pin
that day's history for good. See ``docs/timeline-integrity.md``.

Call these functions outside a transaction: a tamper alarm is recorded before the
exception is raised, and an enclosing rollback would discard it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lampungin.analytics import merkle
from lampungin.analytics.models import TimelineDigest, TimelineDigestAlarm
from lampungin.analytics.wib import day_bounds, day_of, today_wib
from lampungin.cases.models import CaseEvent
from lampungin.cases.timeline import canonical_content, compute_hash
from lampungin.core import clock

log = logging.getLogger(__name__)


class TimelineTampered(Exception):
    """A day's timeline no longer matches its published digest (or its own hashes)."""

    def __init__(self, alarm: TimelineDigestAlarm) -> None:
        super().__init__(alarm.detail)
        self.alarm = alarm
        self.day = alarm.day


@dataclass(frozen=True)
class DayLeaf:
    """One event of a day, in digest order, with the result of re-hashing its content."""

    event_id: int
    hash: str
    tracking: str
    seq: int
    content_ok: bool


def day_leaves(day: date) -> list[DayLeaf]:
    """The events recorded on WIB day ``day``, ordered by (created_at, case tracking, seq).

    One query. Each event is re-hashed from its content so that an edit that left the
    stored hash in place is caught here too.
    """
    start, end = day_bounds(day)
    events = (
        CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(tracking=F("case__tracking"))
        .order_by("created_at", "case__tracking", "seq")
    )
    return [
        DayLeaf(
            event_id=e.pk,
            hash=e.hash,
            tracking=e.tracking,
            seq=e.seq,
            content_ok=compute_hash(e, e.tracking, e.prev_hash) == e.hash,
        )
        for e in events
    ]


def compute_digest(day: date) -> TimelineDigest:
    """Publish the digest of WIB day ``day``, or return the one already published.

    Must hold: ``day`` is over (before today, WIB); a published row is never changed.
    Recomputing a published day whose events are unchanged returns the same row. When the
    day's events no longer give the published root, or an event no longer matches its own
    hash, a :class:`TimelineDigestAlarm` is recorded and :class:`TimelineTampered` raised —
    a day in that state is never published.
    """
    if day >= today_wib():
        raise ValueError(f"{day} is not over yet (WIB); only past days get a digest")
    leaves = day_leaves(day)
    root = merkle.merkle_root([leaf.hash for leaf in leaves])
    broken = [leaf for leaf in leaves if not leaf.content_ok]
    published = TimelineDigest.objects.filter(day=day).first()
    if published is not None:
        if published.merkle_root == root and published.event_count == len(leaves) and not broken:
            return published
        raise TimelineTampered(_record_alarm(day, published, root, len(leaves), broken))
    if broken:
        raise TimelineTampered(_record_alarm(day, None, root, len(leaves), broken))
    try:
        with transaction.atomic():
            return TimelineDigest.objects.create(
                day=day,
                event_count=len(leaves),
                merkle_root=root,
                first_event_id=leaves[0].event_id if leaves else None,
                last_event_id=leaves[-1].event_id if leaves else None,
                computed_at=clock.now(),
            )
    except IntegrityError:
        # Another worker published the day first: compare ours with theirs.
        published = TimelineDigest.objects.get(day=day)
        if published.merkle_root != root or published.event_count != len(leaves):
            raise TimelineTampered(_record_alarm(day, published, root, len(leaves), broken)) from None
        return published


def _record_alarm(
    day: date, published: TimelineDigest | None, root: str, count: int, broken: list[DayLeaf]
) -> TimelineDigestAlarm:
    problems = []
    if published is not None and (published.merkle_root != root or published.event_count != count):
        problems.append(
            _(
                "Akar Merkle tanggal %(day)s berbeda dari yang diterbitkan "
                "(%(old)s peristiwa → %(new)s peristiwa sekarang)."
            )
            % {"day": day.isoformat(), "old": published.event_count, "new": count}
        )
    if broken:
        names = ", ".join(f"{leaf.tracking}#{leaf.seq}" for leaf in broken[:20])
        problems.append(
            _("Isi peristiwa tidak cocok dengan hash-nya: %(events)s.") % {"events": names}
            + (_(" (dan %(n)s lainnya)") % {"n": len(broken) - 20} if len(broken) > 20 else "")
        )
    detail = " ".join(problems)
    now = clock.now()
    with transaction.atomic():
        alarm, created = TimelineDigestAlarm.objects.get_or_create(
            day=day,
            recomputed_root=root,
            defaults={
                "published_root": published.merkle_root if published else "",
                "published_count": published.event_count if published else None,
                "recomputed_count": count,
                "detail": detail,
                "detected_at": now,
                "last_detected_at": now,
            },
        )
        if not created:
            TimelineDigestAlarm.objects.filter(pk=alarm.pk).update(last_detected_at=now, detail=detail)
            alarm.last_detected_at, alarm.detail = now, detail
    log.error("timeline tamper alarm for %s: %s", day, detail)
    return alarm


@dataclass
class DigestRun:
    """What one run of publishing or re-checking did."""

    published: list[TimelineDigest] = field(default_factory=list)
    unchanged: int = 0
    alarms: list[TimelineDigestAlarm] = field(default_factory=list)


def publish_missing_digests(until: date | None = None) -> DigestRun:
    """Publish every day from the first recorded event up to ``until`` (default: yesterday) that has none.

    Days without events are published too (root of the empty list), so that the series has
    no gaps in which events could later be slipped in. A day that raises a tamper alarm is
    skipped (and reported); the others are still published.
    """
    run = DigestRun()
    yesterday = today_wib() - timedelta(days=1)
    until = min(until or yesterday, yesterday)
    first = CaseEvent.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return run
    start = day_of(first)
    done = set(TimelineDigest.objects.filter(day__gte=start, day__lte=until).values_list("day", flat=True))
    day = start
    while day <= until:
        if day not in done:
            try:
                run.published.append(compute_digest(day))
            except TimelineTampered as exc:
                run.alarms.append(exc.alarm)
        day += timedelta(days=1)
    return run


def recheck_published_digests(days: list[date] | None = None) -> DigestRun:
    """Recompute published days (all, or ``days``) and raise an alarm for each that changed."""
    run = DigestRun()
    published = TimelineDigest.objects.order_by("day").values_list("day", flat=True)
    if days is not None:
        published = published.filter(day__in=days)
    for day in published:
        try:
            compute_digest(day)
            run.unchanged += 1
        except TimelineTampered as exc:
            run.alarms.append(exc.alarm)
    return run


# -- inclusion proofs --------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionProof:
    """Everything an outside party needs to check that one event is in a day's digest.

    ``sha256(canonical + prev_hash) == leaf`` proves the content; ``path`` leads from
    ``leaf`` to the day's root, to be compared with the verifier's own copy of that root.
    """

    construction: str
    day: date
    tracking: str
    seq: int
    index: int
    event_count: int
    canonical: str
    prev_hash: str
    leaf: str
    path: tuple[merkle.PathStep, ...]
    published_root: str | None  # None while the day is not published yet

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["path"] = [{"side": s.side, "hash": s.hash} for s in self.path]
        return data


def inclusion_proof(event: CaseEvent) -> InclusionProof:
    """The Merkle path of ``event`` within its WIB day, over the day's current timeline.

    Must hold for an untouched day: ``verify_inclusion(proof, <published root>)``.
    """
    day = day_of(event.created_at)
    leaves = day_leaves(day)
    index = next((i for i, leaf in enumerate(leaves) if leaf.event_id == event.pk), None)
    if index is None:
        raise ValueError(f"event {event.pk} is not among the events of {day}")
    tracking = leaves[index].tracking
    published = TimelineDigest.objects.filter(day=day).values_list("merkle_root", flat=True).first()
    return InclusionProof(
        construction=merkle.CONSTRUCTION,
        day=day,
        tracking=tracking,
        seq=event.seq,
        index=index,
        event_count=len(leaves),
        canonical=canonical_content(event, tracking),
        prev_hash=event.prev_hash,
        leaf=leaves[index].hash,
        path=tuple(merkle.merkle_path([leaf.hash for leaf in leaves], index)),
        published_root=published,
    )


def verify_inclusion(proof: InclusionProof, root: str) -> bool:
    """Whether ``proof`` shows its event, with exactly its content, under ``root``.

    ``root`` is the verifier's own copy of the day's published root, not the one in the
    proof: a proof must never be trusted to say what it should be checked against.
    """
    content_hash = hashlib.sha256((proof.canonical + proof.prev_hash).encode()).hexdigest()
    return content_hash == proof.leaf and merkle.verify_path(proof.leaf, proof.path, root)
