"""``lampungin sla-recompute``: recompute the deadlines of every open SLA clock now.

The same work the worker does after a holiday or office-hours change; useful after
editing the calendar directly in the database, or to check that nothing is stale.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lampungin.cases.clocks import RECOMPUTE_CHUNK, recompute_open_clocks


class Command(BaseCommand):
    help = "Hitung ulang tenggat semua SLA yang masih berjalan dengan kalender kerja terbaru."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=RECOMPUTE_CHUNK)

    def handle(self, *args, **options) -> None:
        r = recompute_open_clocks(chunk_size=options["chunk_size"])
        self.stdout.write(
            f"tenggat berjalan: {r.clocks}, berubah: {r.changed}, disimpan: {r.written} "
            f"(baca {r.read_seconds:.2f} s, hitung {r.compute_seconds:.2f} s, tulis {r.write_seconds:.2f} s)"
        )
