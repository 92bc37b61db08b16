"""Re-checking every case's hash chain in bulk (``lampungin verify-timeline``).

Cases are read in primary-key chunks with their events prefetched in ``seq`` order, so a
check costs two queries per chunk whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import hashchain
from lampungin.core.hashchain import ChainReport

CHUNK = 500


def check_chains(cases: QuerySet[Case] | None = None, *, chunk_size: int = CHUNK) -> Iterator[ChainReport]:
    """Check the chain of each case in ``cases`` (default: all), yielding one report per case:
    two queries per ``chunk_size`` cases, in primary-key order (``core.hashchain.check_chains``)."""
    return hashchain.check_chains(
        Case.objects.all() if cases is None else cases,
        CaseEvent.objects.all(),
        verify_case_chain,
        chunk_size=chunk_size,
    )
