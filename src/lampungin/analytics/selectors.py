"""Reads of analytics: the service-time report (Kepatuhan Waktu Layanan) and published digests.

How a service time is measured (shown to readers on the pages, see ``docs/timeline-integrity.md``):

* the clock runs from the submission of a report to its **first** resolution (a resolution
  reopened later still counts at its first instant — the service the citizen got);
* it counts **working time in WIB** only, with the calendar the SLA clocks use
  (``sla.selectors.calendars``: ASN hours per Perpres 21/2023, Ramadan hours, without
  weekends, national holidays, cuti bersama and the regency's own holidays);
* it **stops while the case waits for the reporter** (the pause states of the standard);
* it is read from the hash-chained timeline (``CaseEvent``), never from mutable case fields;
* durations are shown in working hours and in working days of ``HOURS_PER_WORKING_DAY``;
* a case is **within the standard** when its net working time from *verification* to first
  resolution is at most what the follow-up standard allows from that instant: for a target
  in working days, up to the end of the n-th working day after the verification date (the
  SP4N-LAPOR! rule: the day of verification does not count).

A report period selects cases whose first resolution falls on those WIB dates. Percentiles
use linear interpolation between order statistics (numpy's default, the same as
``statistics.quantiles(method="inclusive")``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.analytics.choices import GroupBy
from lampungin.analytics.wib import day_bounds, today_wib
from lampungin.applications.choices import ApplicationState
from lampungin.applications.choices import EventKind as AppEvent
from lampungin.applications.models import Application, ApplicationEvent
from lampungin.applications.permissions import scope_applications
from lampungin.cases import permissions
from lampungin.cases.choices import Action, CaseState, EventKind
from lampungin.cases.models import Case, CaseEvent
from lampungin.catalog.choices import TimeUnit
from lampungin.regions.models import Region
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.calendar import WorkingCalendar, default_weekly, weekly_hours
from lampungin.sla.choices import WORKING_UNITS, ClockKind, TargetUnit
from lampungin.sla.deadlines import Target, deadline

HOURS_PER_WORKING_DAY = weekly_hours(default_weekly()) / 5  # 7.5 h (37.5 h over 5 days)
DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 731


# -- working calendar and standard ------------------------------------------------------

CalendarSource = Callable[[str | None], WorkingCalendar]


def calendar_source() -> CalendarSource:
    """Where a report finds the working calendar of a kabupaten/kota; called once per report.

    The calendars the SLA clocks use, so that the report and the deadlines in the inbox
    agree. One query (the calendar token) while the process cache is current.
    """
    return sla_selectors.calendars().for_regency


@dataclass(frozen=True)
class Standard:
    """The follow-up standard a case is compared with: an amount of working time from verification."""

    amount: int
    unit: str  # TargetUnit.WORKING_DAYS or WORKING_HOURS
    pause_states: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.amount} {TargetUnit(self.unit).label}"

    def allowance(self, calendar: WorkingCalendar, start: datetime) -> timedelta:
        """Working time allowed from ``start``: for days, up to the end of the n-th working day after."""
        if self.unit == TargetUnit.WORKING_HOURS:
            return timedelta(hours=self.amount)
        return calendar.working_time_between(start, calendar.add_working_days(start, self.amount))


# SP4N-LAPOR! (PermenPANRB 62/2018, the national complaint system): a complaint is followed
# up within 5 working days after it has been verified; the clock stops while waiting for
# the reporter. Used when no default SLA policy with a working-time follow-up target exists.
LAPOR_STANDARD = Standard(5, TargetUnit.WORKING_DAYS, frozenset({CaseState.WAITING_REPORTER}))


def follow_up_standard() -> Standard:
    """The default SLA policy's follow-up target (one query), else ``LAPOR_STANDARD``.

    Calendar-day targets are not comparable with working time and fall back too. Policies
    scoped to a category or agency are not applied per case yet: the report states one
    standard for all its rows.
    """
    target = sla_selectors.targets_for(category_id=None, agency_id=None).get(ClockKind.FOLLOW_UP)
    if target is None or target.unit not in WORKING_UNITS:
        return LAPOR_STANDARD
    return Standard(target.amount, target.unit, frozenset(target.pause_states))


# -- measuring one case ------------------------------------------------------------------

Transition = tuple[str, str, str, datetime]  # action, from_state, to_state, created_at


@dataclass(frozen=True)
class CaseTiming:
    """The service time of one case up to its first resolution, pauses removed."""

    working: timedelta  # submission -> first resolution
    follow_up: timedelta  # verification -> first resolution
    paused: timedelta
    within_standard: bool


def measure_case(
    calendar: WorkingCalendar, submitted_at: datetime, transitions: Iterable[Transition], standard: Standard
) -> CaseTiming | None:
    """Time one case from its transitions in ``seq`` order; None when it was never resolved.

    Must hold: only transitions up to the first ``resolve`` count; time spent in the
    standard's pause states is removed from both durations.
    """
    paused_states = standard.pause_states
    verified_at: datetime | None = None
    pause_started: datetime | None = None
    paused = timedelta(0)
    resolved_at: datetime | None = None
    for action, from_state, to_state, at in transitions:
        if action == Action.VERIFY and verified_at is None:
            verified_at = at
        if from_state in paused_states and pause_started is not None and to_state not in paused_states:
            paused += calendar.working_time_between(pause_started, at)
            pause_started = None
        elif to_state in paused_states and pause_started is None:
            pause_started = at
        if action == Action.RESOLVE:
            resolved_at = at
            break
    if resolved_at is None:
        return None
    clock_start = verified_at or submitted_at
    follow_up = calendar.working_time_between(clock_start, resolved_at) - paused
    return CaseTiming(
        working=calendar.working_time_between(submitted_at, resolved_at) - paused,
        follow_up=follow_up,
        paused=paused,
        within_standard=follow_up <= standard.allowance(calendar, clock_start),
    )


# -- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTimeRow:
    """Aggregates of one group; no case, reporter or officer can be read from it."""

    code: str
    label: str
    resolved: int
    median_hours: float | None
    p90_hours: float | None
    within_standard: int
    # Per-service rows (``group_by=service``) only: the service's own standard, its agency,
    # the rejected applications (counted apart, not timed) and how many timed applications
    # had a standard to compare with (the share's denominator).
    standard_label: str = ""
    agency_label: str = ""
    rejected: int | None = None
    with_standard: int | None = None

    @property
    def median_days(self) -> float | None:
        return None if self.median_hours is None else round(self.median_hours / HOURS_PER_WORKING_DAY, 2)

    @property
    def p90_days(self) -> float | None:
        return None if self.p90_hours is None else round(self.p90_hours / HOURS_PER_WORKING_DAY, 2)

    @property
    def within_standard_share(self) -> float | None:
        compared = self.resolved if self.with_standard is None else self.with_standard
        return round(self.within_standard / compared, 4) if compared else None

    @property
    def within_standard_percent(self) -> float | None:
        share = self.within_standard_share
        return None if share is None else round(share * 100, 1)


@dataclass(frozen=True)
class ServiceTimeReport:
    date_from: date
    date_to: date
    group_by: str
    standard: Standard | None  # None per service: each row states its service's standard
    hours_per_working_day: float
    rows: list[ServiceTimeRow]
    total: ServiceTimeRow

    @property
    def group_label(self) -> str:
        return str(GroupBy(self.group_by).label)


_Label = Callable[[dict], str]


def _regency_label(row: dict) -> str:
    return Region(code=row["regency_id"], name=row["regency__name"], kind=row["regency__kind"]).display_name


# Group key -> (the values() field holding the code, how to label it).
GROUPINGS: dict[str, tuple[str, _Label]] = {
    GroupBy.CATEGORY: ("category__code", lambda row: row["category__name"]),
    GroupBy.AGENCY: ("agency__code", lambda row: row["agency__short_name"]),
    GroupBy.REGENCY: ("regency_id", _regency_label),
}
_CASE_FIELDS = (
    "pk",
    "created_at",
    "category__code",
    "category__name",
    "agency__code",
    "agency__short_name",
    "regency_id",
    "regency__name",
    "regency__kind",
)


def report_period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The WIB dates a report covers: default the last ``DEFAULT_PERIOD_DAYS`` days up to today."""
    date_to = date_to or today_wib()
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if date_from > date_to:
        raise ValidationError({"from": [_("Tanggal awal harus sebelum tanggal akhir.")]})
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"from": [_("Periode paling panjang %(n)s hari.") % {"n": MAX_PERIOD_DAYS}]})
    return date_from, date_to


def service_time_report(
    actor: Actor,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    group_by: str = GroupBy.CATEGORY,
    agency: str = "",
    regency: str = "",
) -> ServiceTimeReport:
    """Service times of the cases ``actor`` may read (``cases.permissions.scope_cases``);
    per service, of the applications ``actor`` may read (``applications.permissions``)."""
    if group_by == GroupBy.SERVICE:
        return _service_report(
            scope_applications(actor), date_from=date_from, date_to=date_to, agency=agency, regency=regency
        )
    return _report(
        permissions.scope_cases(actor),
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        agency=agency,
        regency=regency,
    )


def public_service_time_report(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    group_by: str = GroupBy.CATEGORY,
    agency: str = "",
    regency: str = "",
) -> ServiceTimeReport:
    """Service times over every case, for everyone: aggregates only (counts, durations, shares).

    Confidential reports count too: a duration or a count per category reveals nothing
    about a reporter, and leaving them out would flatter agencies. Per service, every
    decided application counts the same way; no applicant data leaves the selector.
    """
    if group_by == GroupBy.SERVICE:
        return _service_report(
            Application.objects.all(), date_from=date_from, date_to=date_to, agency=agency, regency=regency
        )
    return _report(
        Case.objects.all(),
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        agency=agency,
        regency=regency,
    )


def _report(
    cases: QuerySet[Case],
    *,
    date_from: date | None,
    date_to: date | None,
    group_by: str,
    agency: str,
    regency: str,
) -> ServiceTimeReport:
    """Must hold: a fixed number of queries whatever the number of cases — the cases, their
    transitions, the calendar token and the standard (plus the calendar itself when an edit
    made the process cache stale)."""
    if group_by not in GROUPINGS:
        raise ValidationError(
            {"group_by": [_("Pilih pengelompokan: kategori, instansi, kabupaten/kota, atau layanan.")]}
        )
    date_from, date_to = report_period(date_from, date_to)
    start, end = day_bounds(date_from)[0], day_bounds(date_to)[1]
    first_resolution = (
        CaseEvent.objects.filter(case=OuterRef("pk"), action=Action.RESOLVE)
        .order_by("seq")
        .values("created_at")[:1]
    )
    cases = (
        cases.annotate(first_resolved_at=Subquery(first_resolution))
        .filter(first_resolved_at__gte=start, first_resolved_at__lt=end)
        .order_by()
    )
    if agency:
        cases = cases.filter(agency__code=agency)
    if regency:
        cases = cases.filter(regency_id=regency)
    rows = list(cases.values(*_CASE_FIELDS))
    transitions: dict[int, list[Transition]] = defaultdict(list)
    if rows:
        events = (
            # The same filter as a subquery, not a list of ids: no parameter limit to hit.
            CaseEvent.objects.filter(
                case__in=cases.values("pk"), kind=EventKind.TRANSITION, created_at__lt=end
            )
            .order_by("case_id", "seq")
            .values_list("case_id", "action", "from_state", "to_state", "created_at")
        )
        for case_id, *transition in events:
            transitions[case_id].append(tuple(transition))  # type: ignore[arg-type]

    standard = follow_up_standard()
    code_field, label_of = GROUPINGS[group_by]
    calendar_for = calendar_source()
    labels: dict[str, str] = {}
    groups: dict[str, list[CaseTiming]] = defaultdict(list)
    for row in rows:
        timing = measure_case(
            calendar_for(row["regency_id"]), row["created_at"], transitions[row["pk"]], standard
        )
        if timing is None:  # pragma: no cover - the query only returns resolved cases
            continue
        code = row[code_field]
        labels[code] = label_of(row)
        groups[code].append(timing)
    result = sorted(
        (_row(code, labels[code], timings) for code, timings in groups.items()), key=lambda r: r.label
    )
    everything = [t for timings in groups.values() for t in timings]
    return ServiceTimeReport(
        date_from=date_from,
        date_to=date_to,
        group_by=group_by,
        standard=standard,
        hours_per_working_day=HOURS_PER_WORKING_DAY,
        rows=result,
        total=_row("", _("Semua"), everything),
    )


def _row(code: str, label: str, timings: list[CaseTiming], **extra) -> ServiceTimeRow:
    hours = [t.working.total_seconds() / 3600 for t in timings]
    median = p90 = None
    if hours:
        median, p90 = (round(float(v), 2) for v in np.percentile(hours, [50, 90]))
    return ServiceTimeRow(
        code=code,
        label=label,
        resolved=len(timings),
        median_hours=median,
        p90_hours=p90,
        within_standard=sum(bool(t.within_standard) for t in timings),
        **extra,
    )


# -- per catalog service: service applications (permohonan) ------------------------------


@dataclass(frozen=True)
class ApplicationTiming:
    """The service time of one application approved with a letter, returns removed."""

    working: timedelta  # submission -> letter, minus working time returned to the applicant
    paused: timedelta
    within_standard: bool | None  # None when the service publishes no service time


def service_standard_label(days: int | None, unit: str) -> str:
    if days is None:
        return _("tanpa standar")
    return f"{days} {TimeUnit(unit).label}"


def measure_application(
    calendar: WorkingCalendar,
    events: Iterable[tuple[str, datetime]],
    standard_days: int | None,
    standard_unit: str,
) -> ApplicationTiming | None:
    """Time one application from its timeline events (kind, created_at) in ``seq`` order.

    None unless it ended with a letter. Must hold: only ``returned`` → ``resubmitted``
    spans are removed; working days are compared like the step clocks
    (``add_working_days`` from submission, pushed by the working time returned); calendar
    days as plain elapsed time minus the (calendar) time returned.
    """
    submitted_at = returned_at = decided_at = None
    paused = paused_calendar = timedelta(0)
    for kind, at in events:
        if kind == AppEvent.SUBMITTED and submitted_at is None:
            submitted_at = at
        elif kind == AppEvent.RETURNED and returned_at is None:
            returned_at = at
        elif kind == AppEvent.RESUBMITTED and returned_at is not None:
            paused += calendar.working_time_between(returned_at, at)
            paused_calendar += at - returned_at
            returned_at = None
        elif kind == AppEvent.LETTER_ISSUED:
            decided_at = at
            break
    if submitted_at is None or decided_at is None:
        return None
    within: bool | None = None
    if standard_days is not None:
        if standard_unit == TimeUnit.CALENDAR:
            within = decided_at - submitted_at - paused_calendar <= timedelta(days=standard_days)
        else:
            target = Target(amount=standard_days, unit=TargetUnit.WORKING_DAYS, at_risk_percent=None)
            due = deadline(calendar, submitted_at, target, int(paused.total_seconds())).due_at
            within = decided_at <= due
    return ApplicationTiming(
        working=calendar.working_time_between(submitted_at, decided_at) - paused,
        paused=paused,
        within_standard=within,
    )


_APPLICATION_FIELDS = (
    "pk",
    "state",
    "service__code",
    "service__name",
    "service__agency__short_name",
    "service__service_time_days",
    "service__service_time_unit",
)


def _service_report(
    applications: QuerySet[Application],
    *,
    date_from: date | None,
    date_to: date | None,
    agency: str,
    regency: str,
) -> ServiceTimeReport:
    """Decided applications per catalog service, the decision falling in the period.

    Approved (letter issued) applications are timed; rejected ones are only counted
    (``rejected``): a refusal is not the service the standard promises. The kabupaten/kota
    filter is the applicant's domicile when they applied (``Application.regency``). Must
    hold: a fixed number of queries (applications, their events, the calendar token).
    """
    date_from, date_to = report_period(date_from, date_to)
    start, end = day_bounds(date_from)[0], day_bounds(date_to)[1]
    applications = applications.filter(
        state__in=[ApplicationState.APPROVED, ApplicationState.REJECTED],
        decided_at__gte=start,
        decided_at__lt=end,
    ).order_by()
    if agency:
        applications = applications.filter(service__agency__code=agency)
    if regency:
        # The applicant's domicile when they applied; applications without one are left out.
        applications = applications.filter(regency_id=regency)
    rows = list(applications.values(*_APPLICATION_FIELDS))
    events: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    if any(row["state"] == ApplicationState.APPROVED for row in rows):
        timed = ApplicationEvent.objects.filter(
            application__in=applications.filter(state=ApplicationState.APPROVED).values("pk"),
            kind__in=[AppEvent.SUBMITTED, AppEvent.RETURNED, AppEvent.RESUBMITTED, AppEvent.LETTER_ISSUED],
        ).order_by("application_id", "seq")
        for application_id, kind, at in timed.values_list("application_id", "kind", "created_at"):
            events[application_id].append((kind, at))

    # The provincial agencies work on the national calendar, wherever the applicant lives.
    calendar = calendar_source()(None)
    info: dict[str, dict] = {}
    groups: dict[str, list[ApplicationTiming]] = defaultdict(list)
    rejected: dict[str, int] = defaultdict(int)
    for row in rows:
        code = row["service__code"]
        days, unit = row["service__service_time_days"], row["service__service_time_unit"]
        info.setdefault(
            code,
            {
                "label": row["service__name"],
                "agency_label": row["service__agency__short_name"],
                "standard_label": service_standard_label(days, unit),
            },
        )
        if row["state"] == ApplicationState.REJECTED:
            rejected[code] += 1
            continue
        timing = measure_application(calendar, events[row["pk"]], days, unit)
        if timing is not None:
            groups[code].append(timing)

    def build(
        code: str, label: str, timings: list[ApplicationTiming], n_rejected: int, **extra
    ) -> ServiceTimeRow:
        return _row(
            code,
            label,
            timings,  # type: ignore[arg-type]
            rejected=n_rejected,
            with_standard=sum(t.within_standard is not None for t in timings),
            **extra,
        )

    result = sorted(
        (
            build(
                code,
                meta["label"],
                groups.get(code, []),
                rejected.get(code, 0),
                **{k: v for k, v in meta.items() if k != "label"},
            )
            for code, meta in info.items()
        ),
        key=lambda r: r.label,
    )
    everything = [t for timings in groups.values() for t in timings]
    return ServiceTimeReport(
        date_from=date_from,
        date_to=date_to,
        group_by=GroupBy.SERVICE,
        standard=None,
        hours_per_working_day=HOURS_PER_WORKING_DAY,
        rows=result,
        total=build("", _("Semua"), everything, sum(rejected.values())),
    )
