"""Everything the platform holds about a person, in one place: the export and the erasure.

``export(user)`` answers a data-access request (UU 27/2022 hak akses) with the person's
account, reports (with the timeline events they may see), ratings, supports, service
applications, notifications, consents, favourites and tokens; the NIK only masked.
``ERASERS`` remove or detach the same data when the account is deleted
(``accounts.erasure.delete_account``). ``COVERED`` names every relation to ``User`` and
what happens to it, and a test fails when a new model points at ``User`` without being
listed here, so personal data cannot be added silently.

This module sits on the top floor because it reads every app.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from lampungin.accounts.access import actor_for
from lampungin.accounts.erasure import register_eraser
from lampungin.accounts.models import ApiToken, CitizenProfile, User
from lampungin.analytics.models import CaseRating, SkmResponse
from lampungin.applications.models import Application as ServiceApplication
from lampungin.applications.withdrawal import erase_applicant
from lampungin.cases import selectors as case_selectors
from lampungin.cases.choices import CaseState
from lampungin.cases.joint_models import CaseSupport
from lampungin.cases.models import Attachment, Case
from lampungin.integrations.oidc.models import Consent, Subject
from lampungin.notifications.models import ChannelPreference, Delivery, Notification, PushSubscription
from lampungin.web.models import FavouriteService

# "<app_label>.<Model>.<field>" -> what deletion does with it.
COVERED: dict[str, str] = {
    "accounts.CitizenProfile.user": "deleted (NIK, home region)",
    "accounts.StaffMembership.user": "deleted (staff must be removed by an admin first)",
    "accounts.ApiToken.user": "deleted",
    "cases.Case.reporter": "set to null: the report stays, without its reporter",
    "cases.Case.assignee": "kept: only staff are assignees, and staff cannot delete themselves",
    "cases.CaseEvent.actor": "kept: hash-chained; points at the emptied account row",
    "cases.Attachment.uploaded_by": "set to null",
    "cases.CaseSupport.user": "deleted",
    "cases.CaseMerge.merged_by": "kept: staff only",
    "cases.CaseTask.assignee": "kept: staff only",
    "cases.CaseTask.created_by": "kept: staff only",
    "analytics.SkmResponse.respondent": "set to null: the survey is published as aggregates",
    "applications.Application.applicant": (
        "set to null; open applications withdrawn; answers, uploaded documents and the name erased"
    ),
    "applications.ApplicationStep.decided_by": "kept: staff only",
    "applications.ApplicationEvent.actor": "kept: staff or the emptied account row",
    "notifications.Notification.user": "deleted",
    "notifications.ChannelPreference.user": "deleted",
    "notifications.Delivery.user": "deleted",
    "notifications.PushSubscription.user": "deleted",
    "web.FavouriteService.user": "deleted",
    "oidc.Consent.user": "deleted (and every token and grant of the person)",
    "oidc.Subject.user": "deleted: the apps' pairwise identifiers can no longer be derived",
    "oauth2_provider.AccessToken.user": "deleted",
    "oauth2_provider.RefreshToken.user": "deleted",
    "oauth2_provider.Grant.user": "deleted",
    "oauth2_provider.IDToken.user": "deleted",
    "oauth2_provider.DeviceGrant.user": "deleted",
    "oidc.Application.user": "kept: apps are registered by platform admins (staff)",
    "accounts.User_groups.user": "cleared",
    "accounts.User_user_permissions.user": "cleared",
    "integrations.ApiKey.account": "kept: an application's own account, not a person",
}


def _erase_cases(user: User) -> None:
    Case.objects.filter(reporter=user).update(reporter=None)
    Attachment.objects.filter(uploaded_by=user).update(uploaded_by=None)
    CaseSupport.objects.filter(user=user).delete()


def _erase_surveys(user: User) -> None:
    SkmResponse.objects.filter(respondent=user).update(respondent=None)


def _erase_applications(user: User) -> None:
    erase_applicant(user)


def _erase_notifications(user: User) -> None:
    for model in (Notification, ChannelPreference, Delivery, PushSubscription):
        model.objects.filter(user=user).delete()
    FavouriteService.objects.filter(user=user).delete()


def _erase_sso(user: User) -> None:
    for model in (
        get_access_token_model(),
        get_refresh_token_model(),
        get_id_token_model(),
        get_grant_model(),
    ):
        model.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    Subject.objects.filter(user=user).delete()


ERASERS = {
    "cases": _erase_cases,
    "analytics": _erase_surveys,
    "applications": _erase_applications,
    "notifications": _erase_notifications,
    "sso": _erase_sso,
}


def register() -> None:
    for name, eraser in ERASERS.items():
        register_eraser(name, eraser)


def export(user: User) -> dict[str, Any]:
    """The person's data as JSON-ready dicts: theirs only, NIK masked, staff notes excluded."""
    actor = actor_for(user)
    profile = CitizenProfile.objects.select_related("home_region").filter(user=user).first()
    reports = []
    cases = case_selectors.my_reports(actor).prefetch_related(
        Prefetch("rating", queryset=CaseRating.objects.all())
    )
    for case in cases:
        events = case_selectors.timeline(actor, case)
        rating = getattr(case, "rating", None)
        reports.append(
            {
                "tracking": case.tracking,
                "report_type": case.report_type,
                "category": case.category.code,
                "title": case.title,
                "description": case.description,
                "privacy": case.privacy,
                "state": case.state,
                "state_label": str(CaseState(case.state).label),
                "region": case.region_id,
                "address": case.address,
                "lat": case.lat,
                "lng": case.lng,
                "created_at": case.created_at,
                "timeline": [
                    {
                        "seq": e.seq,
                        "kind": e.kind,
                        "to_state": e.to_state,
                        "actor_label": e.actor_label,
                        "message": e.message,
                        "created_at": e.created_at,
                    }
                    for e in events
                ],
                "rating": {"stars": rating.stars, "comment": rating.comment} if rating else None,
            }
        )
    return {
        "account": {
            "id": user.pk,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "nik_masked": profile.nik_masked if profile else "",
            "home_region": profile.home_region_id if profile else None,
            "date_joined": user.date_joined,
        },
        "reports": reports,
        "supported_reports": list(
            CaseSupport.objects.filter(user=user)
            .values("case__tracking", "created_at")
            .order_by("created_at")
        ),
        "service_applications": list(
            ServiceApplication.objects.filter(applicant=user).values(
                "tracking", "state", "applicant_name", "regency_id"
            )
        ),
        "notifications": list(
            Notification.objects.filter(user=user).values("title", "body", "url", "created_at", "read_at")
        ),
        "notification_channels": list(
            ChannelPreference.objects.filter(user=user).values("channel", "enabled")
        ),
        "consents": [
            {
                "application": c.application.name,
                "scopes": c.scopes.split(),
                "granted_at": c.granted_at,
                "revoked_at": c.revoked_at,
            }
            for c in Consent.objects.filter(user=user).select_related("application")
        ],
        "favourite_services": list(
            FavouriteService.objects.filter(user=user).values("service__code", "service__name", "created_at")
        ),
        "api_tokens": list(
            ApiToken.objects.filter(user=user).values("name", "created_at", "last_used_at", "revoked_at")
        ),
    }
