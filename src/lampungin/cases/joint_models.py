"""Inter-agency work on a case: joint-handling tasks, citizen support, merged duplicates.

Imported by ``cases.models`` so Django finds the models. Decision 0010.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.cases.choices import TaskState


class CaseTask(models.Model):
    """One agency's share of a case handled jointly (penanganan bersama).

    A flood may need Dinas PU to clear the drain and BPBD to evacuate: the responsible
    agency keeps the case and opens one task per agency involved. The task agency's
    officers read the case's public side and their own task's notes, and act on their
    task only; the case can be resolved once every task is done. Each task has its own
    follow-up SLA clock (a ``CaseClock`` with ``task`` set).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="case_tasks", verbose_name=_("instansi")
    )
    unit = models.ForeignKey(
        "agencies.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit kerja")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name=_("petugas"),
    )
    description = models.TextField(_("uraian tugas"), max_length=2000)
    state = models.CharField(_("status"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    result = models.TextField(_("hasil"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"))
    updated_at = models.DateTimeField(_("diperbarui"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("tugas penanganan bersama")
        verbose_name_plural = _("tugas penanganan bersama")
        constraints = [
            # One open task per agency and case: a second piece of work is a new task
            # once the first is done, never two open ones that could be confused.
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=models.Q(state=TaskState.OPEN),
                name="one_open_task_per_agency",
            )
        ]
        indexes = [models.Index(fields=["agency", "state"], name="task_agency_state")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.agency_id} ({self.state})"


class CaseSupport(models.Model):
    """A citizen saying "this happens to me too" on someone else's public report.

    Supporters are shown as a count only (never by name) and are notified of the
    report's status changes. A merged duplicate's reporter becomes a supporter too.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField()
    # The duplicate this support came from when it was moved by a merge (empty otherwise).
    via_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("dukungan laporan")
        verbose_name_plural = _("dukungan laporan")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_support")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.case_id}"


class CaseMerge(models.Model):
    """A duplicate report merged into another: the source was rejected as a duplicate of the target."""

    source = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="merged_into")
    target = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="merged_from")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("penggabungan laporan")
        verbose_name_plural = _("penggabungan laporan")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
