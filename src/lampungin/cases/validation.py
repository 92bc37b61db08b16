"""Resolution validation and the reporter's response window (decision 0010).

The moves themselves are rows of ``lifecycle.TRANSITIONS`` (``submit_resolution``,
``validate``, ``reject_resolution``); who validates is ``permissions.is_validator``; when a
plain ``resolve`` is refused is ``guards.check``. This module holds what runs on its own:
closing a resolved report whose reporter did not respond within the window.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.access import Actor
from lampungin.cases import services
from lampungin.cases.choices import Action, CaseState
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.models import Case
from lampungin.core import clock
from lampungin.sla.choices import ClockKind, TargetUnit

log = logging.getLogger(__name__)

# The system acting on its own (no user: events read "Sistem"). It may take staff
# actions on any case, and is used only by the scheduled close below.
SYSTEM = Actor(user=None, platform_admin=True)


def _due_windows(now, limit: int) -> list[int]:
    return list(
        CaseClock.objects.filter(
            kind=ClockKind.REPORTER_RESPONSE,
            task__isnull=True,
            stopped_at__isnull=True,
            due_at__lte=now,
            case__state=CaseState.RESOLVED,
        )
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def close_unanswered(*, limit: int = 500) -> int:
    """Close every resolved report whose reporter's response window has run out; returns how many.

    Must hold: each such report is closed exactly once, by the system, with the timeline
    event "Ditutup otomatis: …", even when several workers run this at once: each close
    happens under the case row lock after re-reading that the case is still resolved and
    its window still open and past due (the close stops the clock, so a second worker
    finds nothing to do).
    """
    closed = 0
    for clock_id in _due_windows(clock.now(), limit):
        try:
            if _close_one(clock_id):
                closed += 1
        except Exception:  # one bad case must not stop the others
            log.exception("Automatic close failed for clock %s", clock_id)
    return closed


def _close_one(clock_id: int) -> bool:
    with transaction.atomic():
        case_id = CaseClock.objects.filter(pk=clock_id).values_list("case_id", flat=True).first()
        if case_id is None:
            return False
        case = Case.objects.select_for_update().get(pk=case_id)
        now = clock.now()
        window = CaseClock.objects.filter(
            pk=clock_id, stopped_at__isnull=True, due_at__lte=now, kind=ClockKind.REPORTER_RESPONSE
        ).first()
        if window is None or case.state != CaseState.RESOLVED:
            return False
        with override("id"):  # stored and hashed: always in Bahasa Indonesia
            message = _("Ditutup otomatis: tidak ada tanggapan pelapor dalam %(n)s %(unit)s.") % {
                "n": window.target_amount,
                "unit": TargetUnit(window.target_unit).label,
            }
        services.perform_action(actor=SYSTEM, case=case, action=Action.CLOSE, message=message)
        return True
