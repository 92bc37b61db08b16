"""Sign in with an e-mail address or a mobile number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from lampungin.accounts import throttle
from lampungin.accounts.models import User
from lampungin.accounts.phone import normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        user = self._find(identifier)
        # Counted before the password is checked, so that parallel guesses count too, and
        # per account when the name found one, so that other spellings share its budget.
        user_id = user.pk if user is not None else None
        wait = throttle.count_attempt(request, identifier, user_id)
        if wait is not None:
            if request is not None:
                setattr(request, throttle.RETRY_AFTER_ATTR, wait)
            # PermissionDenied stops django.contrib.auth.authenticate() at once: the password
            # is not even checked while the account, the name or the address is blocked.
            raise PermissionDenied
        if user is None:
            User().set_password(password)  # equalise timing with a real check
        elif user.check_password(password) and self.user_can_authenticate(user):
            throttle.note_success(request, identifier, user_id)
            return user
        return None

    @staticmethod
    def _find(identifier: str) -> User | None:
        query = Q(email__iexact=identifier)
        phone = normalize_phone(identifier)
        if phone:
            query |= Q(phone=phone)
        return User.objects.filter(query).first()
