"""``lampungin scheduler``: every minute, queue the periodic background tasks.

Queues the SLA deadline check and an outbox sweep (which also picks up messages whose
immediate dispatch was lost) for ``lampungin worker`` processes to run. Run one scheduler
per deployment. Running several is safe, not wasteful: a task is queued only when none
of its kind is already waiting, and the tasks claim their rows, so an occasional
duplicate run costs a query, never a duplicate notification.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from lampungin.cases.tasks import check_sla_clocks, enqueue_unless_queued
from lampungin.core.tasks import dispatch_outbox_task


class Command(BaseCommand):
    help = "Antrekan tugas berkala (pemeriksaan tenggat SLA, outbox) setiap menit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="queue once and exit")

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        while True:
            queued = [t.name for t in (check_sla_clocks, dispatch_outbox_task) if enqueue_unless_queued(t)]
            if options["verbosity"] > 1:
                self.stdout.write(f"queued: {', '.join(queued) or '-'}")
            if options["once"] or stop.wait(options["interval"]):
                return
