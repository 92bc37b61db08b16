"""Deleting an account (UU 27/2022 hak penghapusan): erase the person, keep the public record.

The ``User`` row itself stays, emptied of everything personal and unable to sign in: case
timelines are hash-chained over the id of whoever acted (``CaseEvent.actor``), so deleting
the row would null those ids and break every chain the person ever touched. What the other
apps hold about the person (reports' reporter, notifications, favourites, SSO consents and
tokens…) is erased by *erasers* those apps' floors cannot be imported from here, so they
register them at start-up (``register_eraser``); ``lampungin.api.personal_data`` lists them
all next to the data export, and a test checks that every relation to ``User`` is covered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from lampungin.accounts.models import ApiToken, CitizenProfile, StaffMembership, User
from lampungin.core.errors import Conflict

DELETED_NAME = "Akun dihapus"
DELETED_DOMAIN = "dihapus.invalid"  # RFC 2606: never deliverable

Eraser = Callable[[User], None]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str, eraser: Eraser) -> None:
    """Run ``eraser(user)`` inside every account deletion (idempotent registration by name)."""
    _ERASERS[name] = eraser


def registered_erasers() -> list[str]:
    return sorted(_ERASERS)


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Irreversibly anonymise ``user``: personal fields emptied, credentials and memberships gone,
    the other apps' personal data erased; reports stay, with no reporter. Staff must first be
    removed from their agency by its admin (their work stays attributed to the role)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if StaffMembership.objects.filter(user=user, is_active=True).exists():
        raise Conflict(
            _("Akun petugas tidak dapat dihapus sendiri; minta admin instansi mencabut peran Anda dahulu."),
            code="staff_account",
        )
    for eraser in _ERASERS.values():
        eraser(user)
    CitizenProfile.objects.filter(user=user).delete()
    StaffMembership.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    # A random address: nothing of the old one survives, and the row still satisfies the
    # "e-mail or phone" constraint and the uniqueness of e-mail.
    user.email = f"{uuid.uuid4().hex}@{DELETED_DOMAIN}"
    user.phone = None
    user.full_name = DELETED_NAME
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
