"""Who may see and act on an application: the one scoping layer for applications.

* The applicant sees their own applications.
* Officers of an agency see the applications that have reached one of its steps (they
  keep seeing them after their step is done); only the agency of the *current* step acts.
* Analysts, auditors and platform admins read everything; nobody outside the step's
  agency decides for it (a platform admin configures, an agency decides).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lampungin.accounts.access import Actor
from lampungin.applications.choices import ApplicationState
from lampungin.applications.models import Application, ApplicationStep


def scope_applications(actor: Actor, qs: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """The applications ``actor`` may read."""
    qs = Application.objects.all() if qs is None else qs
    if not actor.is_authenticated:
        return qs.none()
    if actor.reads_everything:
        return qs
    condition = Q(applicant_id=actor.user_id)
    if actor.agency_ids:
        reached = ApplicationStep.objects.filter(
            application=OuterRef("pk"), agency_id__in=actor.agency_ids, started_at__isnull=False
        )
        condition |= Q(Exists(reached))
    return qs.filter(condition)


def is_applicant(actor: Actor, application: Application) -> bool:
    return actor.is_authenticated and application.applicant_id == actor.user_id


def works_current_step(actor: Actor, application: Application) -> bool:
    """Whether ``actor`` may approve, return or reject the application at its current step."""
    return (
        application.state == ApplicationState.IN_REVIEW
        and application.current_agency_id is not None
        and application.current_agency_id in actor.agency_ids
    )


def is_staff_reader(actor: Actor, application: Application) -> bool:
    if actor.reads_everything:
        return True
    return application.steps.filter(agency_id__in=actor.agency_ids, started_at__isnull=False).exists()
