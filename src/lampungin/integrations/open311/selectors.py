"""Reads for Open311: services are active report categories; requests are public cases only.

The GET endpoints are anonymous, so they see what the public status page sees and no
more: confidential cases never appear, and only public timeline events are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from lampungin.cases.choices import OPEN_STATES, AttachmentKind, CaseState, EventKind, Privacy, Visibility
from lampungin.cases.lifecycle import ACTOR_OF, ActorKind
from lampungin.cases.models import Attachment, Case, CaseClock, CaseEvent
from lampungin.catalog.models import ReportCategory
from lampungin.core.ids import normalize_tracking_number
from lampungin.integrations.open311.parsing import Open311Error
from lampungin.sla.choices import ClockKind

MAX_RESULTS = 1000


class Status:
    """GeoReport's two statuses."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = (OPEN, CLOSED)


# Every state of ours is open or closed for Open311; waiting for the reporter is open work,
# and a referral is closed here because another government now handles it.
OPEN311_STATUS: dict[str, str] = {
    state: Status.OPEN if state in OPEN_STATES else Status.CLOSED for state in CaseState.values
}


# Transitions the reporter makes (confirm, dispute, reply): their messages are the
# reporter's own words. Public replies (comments) are staff's only: a reporter's are
# "parties" events. Known by the action, so it holds after the account is deleted too.
REPORTER_ACTIONS = [action.value for action, kind in ACTOR_OF.items() if kind == ActorKind.REPORTER]


def active_services() -> QuerySet[ReportCategory]:
    return ReportCategory.objects.filter(is_active=True).select_related("group").order_by("name")


def get_service(code: str) -> ReportCategory:
    """An active category by its code, or a 404 in Open311's format."""
    category = active_services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s tidak ditemukan.") % {"code": code})
    return category


def public_requests() -> QuerySet[Case]:
    """Non-confidential cases with what an Open311 answer needs, in one query.

    ``status_notes`` is the latest public message written by staff with a state change or a
    reply (a reporter's own words may identify them, so they are left out even when public;
    deadline notes of the SLA clocks are not about the request's status). ``first_photo_id``
    is the first photo of the report that its public page would show. ``expected_at`` is
    the next deadline the government runs on the case: the earliest running SLA clock,
    leaving out the reporter's own response window.
    """
    latest_note = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"),
            visibility=Visibility.PUBLIC,
            kind__in=[EventKind.TRANSITION, EventKind.COMMENT],
        )
        .exclude(message="")
        .exclude(action__in=REPORTER_ACTIONS)
        .order_by("-seq")
        .values("message")[:1]
    )
    first_photo = (
        Attachment.objects.filter(case=OuterRef("pk"), kind=AttachmentKind.PHOTO)
        .filter(Q(event__isnull=True) | Q(event__visibility=Visibility.PUBLIC))
        .order_by("id")
        .values("id")[:1]
    )
    next_deadline = (
        CaseClock.objects.filter(case=OuterRef("pk"), stopped_at__isnull=True, paused_at__isnull=True)
        .exclude(kind=ClockKind.REPORTER_RESPONSE)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return (
        Case.objects.exclude(privacy=Privacy.CONFIDENTIAL)
        .select_related("category", "agency", "referred_to", "region", "regency")
        .annotate(
            status_notes=Subquery(latest_note),
            first_photo_id=Subquery(first_photo),
            expected_at=Subquery(next_deadline),
        )
    )


@dataclass(frozen=True)
class RequestQuery:
    """The filters of ``GET requests`` after parsing."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


def find_requests(query: RequestQuery) -> list[Case]:
    """Public cases matching ``query``, newest first, at most 1,000.

    Requested ids override every other filter, as the spec says.
    """
    qs = public_requests()
    if query.ids:
        numbers = {n for n in (normalize_tracking_number(i) for i in query.ids) if n}
        qs = qs.filter(tracking__in=numbers)
    else:
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if query.start is not None:
            qs = qs.filter(created_at__gte=query.start)
        if query.end is not None:
            qs = qs.filter(created_at__lte=query.end)
        if query.statuses and set(query.statuses) != set(Status.ALL):
            qs = qs.filter(state__in=_states_with(query.statuses))
    return list(qs.order_by("-created_at", "-pk")[:MAX_RESULTS])


def _states_with(statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return [state for state, status in OPEN311_STATUS.items() if status in wanted]


def get_request(service_request_id: str) -> Case:
    """One public case by its tracking number; unknown and confidential look the same (404)."""
    number = normalize_tracking_number(service_request_id)
    case = public_requests().filter(tracking=number).first() if number else None
    if case is None:
        message = _("service_request_id %(id)s tidak ditemukan atau bersifat rahasia.")
        raise Open311Error(404, message % {"id": service_request_id})
    return case
