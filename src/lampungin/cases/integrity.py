"""Re-checking every case's hash chain in bulk (``lampungin verify-timeline``).

Cases are read in primary-key chunks with their events prefetched in ``seq`` order, so a
check costs two queries per chunk whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import verify_case_chain
from lampungin.core.hashchain import one_snapshot

CHUNK = 500


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking one case: its tracking number, event count and problems."""

    tracking: str
    events: int
    problems: list[str]


def check_chains(cases: QuerySet[Case] | None = None, *, chunk_size: int = CHUNK) -> Iterator[ChainReport]:
    """Check the chain of each case in ``cases`` (default: all), yielding one report per case.

    Must hold: two queries per ``chunk_size`` cases (cases, then their events); cases are
    visited in primary-key order, so the run is stable while new cases arrive.
    """
    base = (Case.objects.all() if cases is None else cases).only(
        "pk", "tracking", "last_event_seq", "last_event_hash"
    )
    events = Prefetch("events", queryset=CaseEvent.objects.order_by("seq"), to_attr="chain")
    last_pk = 0
    while True:
        with one_snapshot():  # the cases and their events as of one instant
            chunk = list(base.filter(pk__gt=last_pk).order_by("pk").prefetch_related(events)[:chunk_size])
        if not chunk:
            return
        for case in chunk:
            yield ChainReport(case.tracking, len(case.chain), verify_case_chain(case, case.chain))
        if len(chunk) < chunk_size:
            return
        last_pk = chunk[-1].pk
