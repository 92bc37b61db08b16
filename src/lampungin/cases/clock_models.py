"""SLA clocks of cases (imported by ``cases.models`` so Django finds the model)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.sla.choices import ClockKind, TargetUnit


class EscalationLevel(models.IntegerChoices):
    """How far the deadline handling of a clock has gone; only ever moves up by one."""

    NONE = 0, _("Belum ada")
    AT_RISK = 1, _("Peringatan ke petugas")
    BREACHED = 2, _("Terlambat: admin instansi diberi tahu")
    ESCALATED = 3, _("Dieskalasi ke admin platform")


class CaseClock(models.Model):
    """One SLA deadline running on a case: e.g. "verify within 3 working days of submission".

    Started, paused, resumed and stopped by ``cases.clocks`` in the same transaction as
    the state change that causes it; a case has at most one open clock per kind, and a
    restarted clock (a reopened report) is a new row while the old one stays stopped.
    The target is copied from the policy when the clock starts, so editing a policy never
    moves a promise already made.

    ``due_at`` = the target added to ``started_at`` under the working calendar of the
    case's kabupaten/kota, pushed by ``paused_working_seconds`` (see ``sla.deadlines``);
    for calendar-day clocks that column holds elapsed seconds instead (one unit per clock,
    never mixed). Recomputed in bulk when holidays or office hours change. The deadline
    columns are indexed so the SLA check finds due work without scanning
    (``at_risk_at``, ``due_at``, ``escalate_at``); workers claim a clock with a conditional
    UPDATE on ``claimed_until`` and ``escalation_level``.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clocks")
    # Set on the follow-up clock of a joint-handling task (cases.joint): such a clock
    # belongs to the task, not to the case's own lifecycle (clocks.on_state_change
    # ignores it); it starts when the task opens and stops when it is done.
    task = models.ForeignKey(
        "cases.CaseTask", on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=ClockKind.choices)
    policy = models.ForeignKey(
        "sla.SlaPolicy",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("kebijakan"),
    )
    # The calendar that counts this clock: the case's kabupaten/kota (a copy: the bulk
    # recompute groups clocks by it without joining cases).
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    target_amount = models.PositiveIntegerField(_("target"))
    target_unit = models.CharField(_("satuan"), max_length=14, choices=TargetUnit.choices)
    at_risk_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    escalate_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    due_at = models.DateTimeField(_("tenggat"), db_index=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(_("berhenti"), null=True, blank=True)
    stop_state = models.CharField(max_length=20, blank=True)
    paused_at = models.DateTimeField(_("dijeda sejak"), null=True, blank=True)
    paused_working_seconds = models.PositiveIntegerField(default=0)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "started_at", "id"]
        verbose_name = _("tenggat SLA")
        verbose_name_plural = _("tenggat SLA")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(stopped_at__isnull=True, task__isnull=True),
                name="one_open_clock_per_kind",
            ),
            models.UniqueConstraint(
                fields=["task", "kind"],
                condition=models.Q(stopped_at__isnull=True, task__isnull=False),
                name="one_open_clock_per_task",
            ),
        ]
        indexes = [
            # Open clocks by deadline: the breach check and "what is due soon" lists.
            models.Index(
                fields=["due_at"], name="clock_open_due", condition=models.Q(stopped_at__isnull=True)
            ),
            # Pending at-risk warnings and escalations: small partial indexes, so the
            # once-a-minute check reads only the rows it has to act on.
            models.Index(
                fields=["at_risk_at"],
                name="clock_at_risk_pending",
                condition=models.Q(stopped_at__isnull=True, at_risk_notified_at__isnull=True),
            ),
            models.Index(
                fields=["escalate_at"],
                name="clock_escalation_pending",
                condition=models.Q(stopped_at__isnull=True, escalate_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} → {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None
