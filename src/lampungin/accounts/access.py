"""Who is asking: the roles of a user, computed once per request.

Every selector that scopes data takes an :class:`Actor`; this is the one place that
turns memberships into the sets that scoping uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from lampungin.accounts.choices import Role
from lampungin.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    agency_ids: frozenset[int] = field(default_factory=frozenset)  # officer or admin there
    admin_agency_ids: frozenset[int] = field(default_factory=frozenset)
    liaison_regions: frozenset[str] = field(default_factory=frozenset)  # kabupaten/kota codes
    platform_admin: bool = False
    # A member of a verification-desk agency (or a platform admin): verifies new reports of
    # every agency and routes the ones no rule matched (decision 0009).
    verifier: bool = False
    analyst: bool = False
    auditor: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def is_staff_member(self) -> bool:
        return bool(
            self.agency_ids or self.liaison_regions or self.platform_admin or self.analyst or self.auditor
        )

    @property
    def reads_everything(self) -> bool:
        return self.platform_admin or self.analyst or self.auditor


ANONYMOUS = Actor(user=None)


def actor_for(user: User | AnonymousUser | None) -> Actor:
    """Build the actor for ``user``; cached on the user object for the request's lifetime."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_lampungin_actor", None)
    if cached is not None:
        return cached
    agency_ids: set[int] = set()
    admin_ids: set[int] = set()
    regions: set[str] = set()
    flags = {"platform_admin": user.is_superuser, "verifier": False, "analyst": False, "auditor": False}
    rows = user.memberships.filter(is_active=True).values_list(
        "role", "agency_id", "region_id", "agency__is_verification_desk"
    )
    for role, agency_id, region_id, desk in rows:
        if role in (Role.OFFICER, Role.AGENCY_ADMIN) and agency_id:
            agency_ids.add(agency_id)
            if role == Role.AGENCY_ADMIN:
                admin_ids.add(agency_id)
            if desk:
                flags["verifier"] = True
        elif role == Role.REGIONAL_LIAISON and region_id:
            regions.add(region_id)
        elif role == Role.PLATFORM_ADMIN:
            flags["platform_admin"] = True
        elif role == Role.ANALYST:
            flags["analyst"] = True
        elif role == Role.AUDITOR:
            flags["auditor"] = True
    flags["verifier"] = flags["verifier"] or flags["platform_admin"]
    actor = Actor(
        user=user,
        agency_ids=frozenset(agency_ids),
        admin_agency_ids=frozenset(admin_ids),
        liaison_regions=frozenset(regions),
        **flags,
    )
    user._lampungin_actor = actor  # type: ignore[union-attr]
    return actor
