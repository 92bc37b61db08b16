"""Reads of cases, always scoped by who asks (see permissions.scope_cases)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.cases import permissions
from lampungin.cases.choices import OPEN_STATES, CaseState, Privacy, Visibility
from lampungin.cases.models import Attachment, Case, CaseEvent
from lampungin.core.errors import NotFound
from lampungin.core.ids import normalize_tracking_number

_LIST_RELATED = ("category", "agency", "regency", "region", "assignee")


def get_case(actor: Actor, tracking: str) -> Case:
    """Load a case the actor may read, or raise NotFound (also when it exists but is hidden)."""
    number = normalize_tracking_number(tracking)
    case = None
    if number:
        case = (
            permissions.scope_cases(actor)
            .select_related(*_LIST_RELATED, "reporter", "unit", "referred_to")
            .filter(tracking=number)
            .first()
        )
    if case is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return case


def get_public_case(tracking: str) -> Case:
    """A non-confidential case for the public status page, or NotFound."""
    number = normalize_tracking_number(tracking)
    case = None
    if number:
        case = (
            Case.objects.select_related("category", "agency", "regency", "region", "referred_to")
            .exclude(privacy=Privacy.CONFIDENTIAL)
            .filter(tracking=number)
            .first()
        )
    if case is None:
        raise NotFound(_("Laporan tidak ditemukan atau bersifat rahasia."))
    return case


def timeline(actor: Actor, case: Case) -> QuerySet[CaseEvent]:
    levels = permissions.visible_event_levels(actor, case)
    visible = Q(visibility__in=levels)
    if Visibility.INTERNAL not in levels:
        # An officer of a joint-handling task agency also reads its own task's notes.
        task_ids = permissions.own_task_ids(actor, case)
        if task_ids:
            visible |= Q(visibility=Visibility.INTERNAL, data__task_id__in=sorted(task_ids))
    return (
        case.events.filter(visible)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("seq")
    )


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    return timeline(Actor(user=None), case)


def my_reports(actor: Actor) -> QuerySet[Case]:
    if not actor.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(reporter_id=actor.user_id).select_related(*_LIST_RELATED).order_by("-created_at")
    )


def inbox(
    actor: Actor,
    *,
    state: str = "",
    mine: bool = False,
    query: str = "",
    regency: str = "",
    open_only: bool = False,
    agency: str = "",
    category: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
) -> QuerySet[Case]:
    """Cases a staff member works on or reads, newest first, with optional filters
    (``agency``/``category`` are codes; the date range is inclusive, in WIB days)."""
    qs = permissions.scope_cases(actor).select_related(*_LIST_RELATED)
    if not actor.reads_everything:
        # The inbox is for work: a staff member's own reports as a citizen do not belong here.
        qs = qs.exclude(
            Q(reporter_id=actor.user_id)
            & ~Q(agency_id__in=actor.agency_ids)
            & ~Q(regency_id__in=actor.liaison_regions)
        )
    if state in CaseState.values:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if mine and actor.user_id:
        qs = qs.filter(assignee_id=actor.user_id)
    if regency:
        qs = qs.filter(regency_id=regency)
    if agency:
        qs = qs.filter(agency__code=agency)
    if category:
        qs = qs.filter(category__code=category)
    if created_from:
        qs = qs.filter(created_at__gte=_wib_midnight(created_from))
    if created_to:
        qs = qs.filter(created_at__lt=_wib_midnight(created_to + timedelta(days=1)))
    if query:
        number = normalize_tracking_number(query)
        qs = (
            qs.filter(tracking=number)
            if number
            else qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
        )
    return qs.order_by("-created_at")


def _wib_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Asia/Jakarta"))


def photos(case: Case) -> QuerySet[Attachment]:
    return case.attachments.order_by("id")
