"""``lampungin scheduler``: every tick, queue the periodic jobs that are due.

The jobs are registered by their apps in ``AppConfig.ready`` (``core.periodic``): the SLA
check and the outbox sweep (cases, core), messaging and webhook retries, the daily
timeline digest. ``lampungin worker`` processes run them. One scheduler per deployment is
enough; several are safe: each due run is claimed by a conditional UPDATE of its
``PeriodicJobState`` row, so only one scheduler queues it.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from lampungin.core import periodic


class Command(BaseCommand):
    help = "Antrekan tugas berkala yang sudah jatuh tempo (tenggat SLA, outbox, pengiriman ulang, digest)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="queue once and exit")

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        while True:
            queued = periodic.tick()
            if options["verbosity"] > 1:
                self.stdout.write(f"queued: {', '.join(queued) or '-'}")
            if options["once"] or stop.wait(options["interval"]):
                return
