"""Working time and SLA targets as data: holidays, office hours, policies.

Platform admins edit all of it in /admin/. Changes go through ``sla.services`` (the
admin calls them too), which bump :class:`CalendarVersion` so every process rebuilds its
cached calendars and open SLA clocks are recomputed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lampungin.regions.choices import Level
from lampungin.sla.calendar import Weekly, weekly_schedule
from lampungin.sla.choices import ClockKind, HolidayKind, TargetUnit, Weekday
from lampungin.sla.states import case_states


class Holiday(models.Model):
    """A day on which government offices are closed.

    National holidays and cuti bersama (joint leave, decreed yearly) close every office;
    a regional holiday closes the offices of one kabupaten/kota and counts only for cases
    located there. Islamic dates of future years are estimates until the government
    decrees them, hence ``is_estimate``.
    """

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=14, choices=HolidayKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Level.REGENCY},
        verbose_name=_("kabupaten/kota"),
        help_text=_("Hanya untuk libur daerah: kabupaten/kota yang libur."),
    )
    is_estimate = models.BooleanField(
        _("perkiraan"), default=False, help_text=_("Tanggal belum ditetapkan pemerintah (perkiraan).")
    )
    is_active = models.BooleanField(
        _("berlaku"),
        default=True,
        help_text=_(
            "Libur bawaan yang dihapus admin tetap tercatat sebagai tidak berlaku, "
            "agar seed tidak menambahkannya lagi."
        ),
    )
    # Identifies a holiday loaded by the seed (e.g. "ID:2027-03-10:national") even after an
    # admin moved it, so that running the seed again never re-adds it at its old date.
    seed_key = models.CharField(max_length=60, null=True, blank=True, unique=True, editable=False)
    source = models.CharField(_("sumber"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        ordering = ["date", "kind"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [
            # Two constraints because NULL regions never collide in a unique index.
            models.UniqueConstraint(
                fields=["date", "kind"],
                condition=models.Q(region__isnull=True, is_active=True),
                name="unique_holiday",
            ),
            models.UniqueConstraint(
                fields=["date", "kind", "region"],
                condition=models.Q(region__isnull=False, is_active=True),
                name="unique_regional_holiday",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=HolidayKind.REGIONAL, region__isnull=False)
                | (~models.Q(kind=HolidayKind.REGIONAL) & models.Q(region__isnull=True)),
                name="holiday_region_iff_regional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self) -> None:
        if self.kind == HolidayKind.REGIONAL:
            if self.region is None:
                raise ValidationError({"region": _("Libur daerah harus menyebut kabupaten/kota.")})
            if self.region.level != Level.REGENCY:
                raise ValidationError({"region": _("Pilih kabupaten/kota, bukan wilayah lain.")})
        elif self.region_id is not None:
            raise ValidationError({"region": _("Hanya libur daerah yang menyebut kabupaten/kota.")})


class WorkingSchedule(models.Model):
    """A week of office hours: the default week, or a dated override such as Ramadan.

    Exactly one schedule is the default (no dates); overrides cover ``date_from`` ..
    ``date_to`` inclusive and the earliest-starting one wins where two overlap.
    """

    name = models.CharField(_("nama"), max_length=120)
    is_default = models.BooleanField(_("jadwal baku"), default=False)
    date_from = models.DateField(_("berlaku dari"), null=True, blank=True)
    date_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    is_estimate = models.BooleanField(
        _("perkiraan"), default=False, help_text=_("Tanggal belum ditetapkan pemerintah (perkiraan).")
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-is_default", "date_from", "id"]
        verbose_name = _("jadwal jam kerja")
        verbose_name_plural = _("jadwal jam kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_schedule"
            ),
            models.CheckConstraint(
                condition=models.Q(is_default=True, date_from__isnull=True, date_to__isnull=True)
                | models.Q(
                    is_default=False,
                    date_from__isnull=False,
                    date_to__isnull=False,
                    date_from__lte=models.F("date_to"),
                ),
                name="schedule_default_or_dated",
            ),
        ]

    def __str__(self) -> str:
        if self.is_default:
            return self.name
        return f"{self.name} ({self.date_from} – {self.date_to})"

    def clean(self) -> None:
        if self.is_default and (self.date_from or self.date_to):
            raise ValidationError(_("Jadwal baku tidak memiliki tanggal berlaku."))
        if not self.is_default:
            if not (self.date_from and self.date_to):
                raise ValidationError(_("Jadwal khusus harus memiliki tanggal mulai dan selesai."))
            if self.date_from > self.date_to:
                raise ValidationError({"date_to": _("Tanggal selesai sebelum tanggal mulai.")})

    def weekly(self, intervals: list[WorkingInterval] | None = None) -> Weekly:
        """The schedule as ``sla.calendar`` reads it (raises ValueError when intervals overlap)."""
        days: dict[int, list] = {}
        for iv in sorted(intervals if intervals is not None else self.intervals.all(), key=_interval_key):
            days.setdefault(iv.weekday, []).append((iv.start, iv.end))
        return weekly_schedule(days)


def _interval_key(iv: WorkingInterval) -> tuple:
    return (iv.weekday, iv.start)


class WorkingInterval(models.Model):
    """One block of office hours on a weekday of a schedule (e.g. Monday 07:30–12:00)."""

    schedule = models.ForeignKey(WorkingSchedule, on_delete=models.CASCADE, related_name="intervals")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))

    class Meta:
        ordering = ["schedule", "weekday", "start"]
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="interval_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("Jam selesai harus setelah jam mulai.")})
        for t in (self.start, self.end):
            if t and t.microsecond:
                raise ValidationError(_("Jam kerja dicatat dalam detik utuh."))


class CalendarVersion(models.Model):
    """The version of the working-time calendar: one row whose token changes with every edit.

    Each process caches the calendars it builds under this token; reading the token (one
    indexed row) tells it whether holidays or schedules changed anywhere, on any host.
    A random token, not a counter: a rolled-back change must never be mistaken for a
    committed one that reused the same number.
    """

    token = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("versi kalender kerja")
        verbose_name_plural = _("versi kalender kerja")

    def __str__(self) -> str:
        return self.token or "-"


class SlaPolicy(models.Model):
    """A set of SLA targets and the cases it applies to.

    A policy with no scope is the default. For each clock kind the most specific active
    policy with a target of that kind wins: service > category + agency > category >
    agency > default (``specificity``), then the higher ``priority``, then the newest.
    Running clocks keep the targets they started with (a copy is on each clock), so an
    edit here applies to clocks started afterwards.
    """

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    category = models.ForeignKey(
        "catalog.ReportCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori laporan"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layanan"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi"),
    )
    priority = models.SmallIntegerField(
        _("prioritas"),
        default=0,
        help_text=_("Di antara kebijakan yang sama spesifiknya, yang lebih tinggi menang."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.TextField(_("dasar hukum / catatan"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kebijakan SLA")
        verbose_name_plural = _("kebijakan SLA")

    def __str__(self) -> str:
        return self.name

    @property
    def specificity(self) -> int:
        """service (4) + category (2) + agency (1): category+agency > category > agency > default."""
        return 4 * bool(self.service_id) + 2 * bool(self.category_id) + bool(self.agency_id)


def _state_list_errors(value: object, field: str) -> list[str]:
    known = case_states()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [f"{field}: " + str(_("harus berupa daftar status."))]
    unknown = [v for v in value if known and v not in known]
    if unknown:
        return [f"{field}: " + str(_("status tidak dikenal: %(s)s")) % {"s": ", ".join(unknown)}]
    return []


class SlaTarget(models.Model):
    """One clock of a policy: how long, in which unit, and which case states start, stop and pause it.

    The clock starts when a case enters a state in ``start_states`` (unless one of the
    same kind is already running), stops on entering a state in ``stop_states``, and is
    paused while the case is in a state of ``pause_states`` (resuming pushes its deadline
    by the paused time). States are ``CaseState`` values, checked by ``clean``.
    """

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("jenis tenggat"), max_length=20, choices=ClockKind.choices)
    amount = models.PositiveIntegerField(_("jumlah"))
    unit = models.CharField(_("satuan"), max_length=14, choices=TargetUnit.choices)
    at_risk_percent = models.PositiveSmallIntegerField(
        _("peringatan pada (% waktu terpakai)"),
        null=True,
        blank=True,
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Kosongkan bila tidak perlu peringatan sebelum tenggat."),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("eskalasi ke admin platform setelah (hari kerja)"),
        null=True,
        blank=True,
        default=1,
        help_text=_("Hari kerja setelah tenggat terlewati; kosongkan bila tidak dieskalasi."),
    )
    start_states = models.JSONField(_("dimulai pada status"), default=list)
    stop_states = models.JSONField(_("berhenti pada status"), default=list)
    pause_states = models.JSONField(_("dijeda pada status"), default=list, blank=True)

    class Meta:
        ordering = ["policy", "kind"]
        verbose_name = _("target SLA")
        verbose_name_plural = _("target SLA")
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="unique_policy_clock_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.get_unit_display()}"

    def clean(self) -> None:
        errors = []
        for field in ("start_states", "stop_states", "pause_states"):
            errors += _state_list_errors(getattr(self, field), field)
        if not errors:
            if not self.start_states or not self.stop_states:
                errors.append(str(_("Tenggat harus memiliki status mulai dan status berhenti.")))
            clash = set(self.start_states) & set(self.stop_states)
            clash |= set(self.pause_states) & (set(self.start_states) | set(self.stop_states))
            if clash:
                errors.append(
                    str(_("Status tidak boleh sekaligus memulai, menghentikan atau menjeda: %(s)s"))
                    % {"s": ", ".join(sorted(clash))}
                )
        if errors:
            raise ValidationError(errors)
