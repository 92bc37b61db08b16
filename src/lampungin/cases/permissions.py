"""Who may see and do what with a case: the one scoping layer for cases.

Pages, API handlers, exports and dashboards all call these functions; none of them
filters cases on its own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lampungin.accounts.access import Actor
from lampungin.agencies.choices import AgencyLevel
from lampungin.cases.choices import Action, Privacy, Visibility
from lampungin.cases.lifecycle import ACTOR_OF, ActorKind
from lampungin.cases.models import Case


def scope_cases(actor: Actor, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases ``actor`` may read."""
    qs = Case.objects.all() if qs is None else qs
    if not actor.is_authenticated:
        return qs.none()
    if actor.reads_everything:
        return qs
    condition = Q(reporter_id=actor.user_id)
    if actor.agency_ids:
        condition |= Q(agency_id__in=actor.agency_ids)
    if actor.liaison_regions:
        condition |= Q(regency_id__in=actor.liaison_regions) | Q(
            referred_to__region_id__in=actor.liaison_regions
        )
    return qs.filter(condition)


def handles(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` works this case for its responsible agency."""
    if actor.platform_admin:
        return True
    if case.agency_id in actor.agency_ids:
        return True
    # A liaison acts for their kabupaten/kota government when a case is its to handle.
    return bool(
        actor.liaison_regions
        and case.agency.level == AgencyLevel.REGENCY
        and case.agency.region_id in actor.liaison_regions
    )


def is_reporter(actor: Actor, case: Case) -> bool:
    return actor.is_authenticated and case.reporter_id == actor.user_id


def may_act(actor: Actor, case: Case, action: Action) -> bool:
    if ACTOR_OF[action] == ActorKind.REPORTER:
        return is_reporter(actor, case)
    return handles(actor, case)


def is_staff_reader(actor: Actor, case: Case) -> bool:
    """Staff who may read internal notes of this case."""
    if actor.reads_everything or handles(actor, case):
        return True
    return bool(actor.liaison_regions and case.regency_id in actor.liaison_regions)


def may_see_reporter(actor: Actor, case: Case) -> bool:
    """Reporter identity: never for anonymous reports (except to the reporter), never publicly."""
    if is_reporter(actor, case):
        return True
    if case.privacy == Privacy.ANONYMOUS:
        return False
    return handles(actor, case) or actor.platform_admin or actor.auditor


def visible_event_levels(actor: Actor, case: Case) -> set[str]:
    if is_staff_reader(actor, case):
        return {Visibility.PUBLIC, Visibility.PARTIES, Visibility.INTERNAL}
    if is_reporter(actor, case):
        return {Visibility.PUBLIC, Visibility.PARTIES}
    return {Visibility.PUBLIC}
