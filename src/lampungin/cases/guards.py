"""Conditions on a lifecycle move that the table alone cannot express (decision 0010).

``lifecycle.TRANSITIONS`` says which moves exist; these checks say when an existing move
must still wait: a case handled jointly resolves only when every task is done, a category
that requires validation resolves through validation, and a reporter disputes only within
their response window. ``services.perform_action`` calls ``check`` under the case row
lock, after the table and permission checks and before anything is written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lampungin.accounts.access import Actor
from lampungin.cases.choices import Action, TaskState
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.models import Case
from lampungin.catalog.choices import ResolutionValidation
from lampungin.core import clock
from lampungin.core.errors import Conflict
from lampungin.sla.choices import ClockKind

RESOLVING = frozenset({Action.RESOLVE, Action.SUBMIT_RESOLUTION})


def check(*, actor: Actor, case: Case, action: Action) -> None:
    """Raise Conflict when ``action`` may not be taken on ``case`` now; the caller holds the row lock."""
    if action in RESOLVING:
        open_tasks = list(
            case.tasks.filter(state=TaskState.OPEN).values_list("agency__short_name", flat=True)
        )
        if open_tasks:
            raise Conflict(
                ngettext(
                    "Laporan ini belum dapat diselesaikan: tugas penanganan bersama %(agencies)s "
                    "belum selesai.",
                    "Laporan ini belum dapat diselesaikan: %(n)s tugas penanganan bersama (%(agencies)s) "
                    "belum selesai.",
                    len(open_tasks),
                )
                % {"n": len(open_tasks), "agencies": ", ".join(open_tasks)},
                code="open_tasks",
            )
    if action == Action.RESOLVE and case.category.resolution_validation != ResolutionValidation.NONE:
        raise Conflict(
            _(
                "Penyelesaian laporan kategori ini harus divalidasi: gunakan tindakan "
                "“Ajukan validasi penyelesaian”."
            ),
            code="validation_required",
        )
    if action == Action.DISPUTE:
        window = (
            CaseClock.objects.filter(
                case_id=case.pk,
                task__isnull=True,
                kind=ClockKind.REPORTER_RESPONSE,
                stopped_at__isnull=True,
            )
            .order_by("-started_at")
            .first()
        )
        if window is not None and window.due_at <= clock.now():
            raise Conflict(
                _(
                    "Masa sanggah %(n)s hari kerja sudah berakhir; laporan ini akan ditutup. "
                    "Silakan kirim laporan baru bila masalahnya belum selesai."
                )
                % {"n": window.target_amount},
                code="dispute_window_over",
            )
