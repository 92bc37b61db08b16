"""Who may see and do what with a case: the one scoping layer for cases.

Pages, API handlers, exports and dashboards all call these functions; none of them
filters cases on its own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lampungin.accounts.access import Actor
from lampungin.agencies.choices import AgencyLevel
from lampungin.cases.choices import Action, CaseState, Privacy, Visibility
from lampungin.cases.lifecycle import ACTOR_OF, ActorKind
from lampungin.cases.models import Case, CaseTask
from lampungin.catalog.choices import ResolutionValidation

# What a verifier (verification desk, decision 0009) may do with a report not yet verified.
VERIFIER_ACTIONS = frozenset({Action.VERIFY, Action.REJECT, Action.REFER, Action.TRANSFER})


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
        # Joint handling: an agency with a task on the case reads it (its public side and
        # its own task, see task_agency_ids); a validating agency reads the cases of the
        # categories it validates (decision 0010).
        condition |= Q(pk__in=CaseTask.objects.filter(agency_id__in=actor.agency_ids).values("case_id"))
        condition |= Q(
            category__resolution_validation=ResolutionValidation.AGENCY,
            category__validating_agency_id__in=actor.agency_ids,
        )
    if actor.verifier:
        # The verification desk reads every report still waiting for verification.
        condition |= Q(state=CaseState.SUBMITTED)
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


def task_agency_ids(actor: Actor, case: Case) -> set[int]:
    """The actor's agencies that hold a joint-handling task on ``case`` (one query)."""
    if not actor.agency_ids:
        return set()
    return set(
        CaseTask.objects.filter(case_id=case.pk, agency_id__in=actor.agency_ids).values_list(
            "agency_id", flat=True
        )
    )


def own_task_ids(actor: Actor, case: Case) -> set[int]:
    """Tasks on ``case`` whose internal notes ``actor`` may read as an officer of the task agency."""
    if not actor.agency_ids:
        return set()
    return set(
        CaseTask.objects.filter(case_id=case.pk, agency_id__in=actor.agency_ids).values_list("pk", flat=True)
    )


def is_validator(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` may validate or reject the resolution of ``case``.

    The category decides: officers of its validating agency, or else the reporter (an
    agency that asks for validation where none is required asks its reporter).
    """
    category = case.category
    if category.resolution_validation == ResolutionValidation.AGENCY and category.validating_agency_id:
        return actor.platform_admin or category.validating_agency_id in actor.agency_ids
    return is_reporter(actor, case)


def may_act(actor: Actor, case: Case, action: Action) -> bool:
    if ACTOR_OF[action] == ActorKind.REPORTER:
        return is_reporter(actor, case)
    if ACTOR_OF[action] == ActorKind.VALIDATOR:
        return is_validator(actor, case)
    if ACTOR_OF[action] == ActorKind.RECEIVER:
        return receives_referral(actor, case)
    if action in VERIFIER_ACTIONS and case.state == CaseState.SUBMITTED and actor.verifier:
        return True
    return handles(actor, case)


def receives_referral(actor: Actor, case: Case) -> bool:
    """The government ``case`` was referred to, speaking for itself: its staff, the liaison of
    its kabupaten/kota, or a platform admin recording what came back through SP4N-LAPOR!."""
    if actor.platform_admin:
        return True
    target = case.referred_to
    if target is None:
        return False
    return target.pk in actor.agency_ids or bool(
        target.region_id and target.region_id in actor.liaison_regions
    )


def is_staff_reader(actor: Actor, case: Case) -> bool:
    """Staff who may read internal notes of this case."""
    if actor.reads_everything or handles(actor, case):
        return True
    if actor.verifier and case.state == CaseState.SUBMITTED:
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
