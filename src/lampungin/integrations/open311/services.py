"""Writes for Open311: API keys, and turning a ``POST requests`` into a citizen report.

A request becomes a case through ``cases.services.submit_report`` like any other report,
so every rule of a report (category, location in Lampung, description, routing, timeline,
outbox) applies unchanged; this module only decides who the reporter is and keeps what
Open311 sends beside the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lampungin.accounts.models import CitizenProfile, User
from lampungin.accounts.phone import normalize_phone
from lampungin.accounts.scopes import API_SCOPES, STAFF_SCOPES
from lampungin.agencies.models import Agency
from lampungin.cases.choices import Channel, ReportType
from lampungin.cases.models import Case
from lampungin.cases.services import MIN_DESCRIPTION, check_report_rate, submit_report
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.core.errors import NotFound
from lampungin.integrations.open311.attributes import attributes_for, check_answers
from lampungin.integrations.open311.models import ApiKey, Open311Request
from lampungin.integrations.open311.parsing import PostedRequest

CLIENT_ACCOUNT_DOMAIN = "apikey.lampungin.invalid"  # .invalid: never deliverable (RFC 2606)


# ---------------------------------------------------------------------------------------
# API keys
# ---------------------------------------------------------------------------------------


def create_api_key(*, name: str, agency_code: str = "", scopes: str = "") -> tuple[ApiKey, str]:
    """Make a key for the application ``name`` (unique); returns the row and the key itself,
    which is not stored anywhere and must be handed over now. ``scopes`` (space-separated API
    scopes) opens the REST API v1 too; staff scopes need an agency, for which the key acts."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    scope_set = frozenset(scopes.split())
    if scope_set - API_SCOPES:
        errors.setdefault("scopes", []).append(
            _("Cakupan tidak dikenal: %(s)s") % {"s": ", ".join(sorted(scope_set - API_SCOPES))}
        )
    if scope_set & STAFF_SCOPES and not agency_code:
        errors.setdefault("scopes", []).append(_("Cakupan petugas memerlukan instansi pemilik."))
    if not name or len(name) > 80:
        errors.setdefault("name", []).append(_("Nama aplikasi wajib diisi (maksimal 80 karakter)."))
    elif ApiKey.objects.filter(name=name).exists():
        errors.setdefault("name", []).append(_("Sudah ada kunci dengan nama ini."))
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            errors.setdefault("agency", []).append(_("Instansi tidak dikenal."))
    if errors:
        raise ValidationError(errors)
    key = ApiKey(name=name, agency=agency, scopes=" ".join(sorted(scope_set)))
    raw = issue_key(key)
    key.save()
    return key, raw


def issue_key(key: ApiKey) -> str:
    """Give ``key`` (saved or not) a fresh secret and return it; only its hash is kept."""
    raw = ApiKey.generate()
    key.key_hash = ApiKey.hash(raw)
    key.key_prefix = raw[:9]
    if key.created_at is None:
        key.created_at = clock.now()
    return raw


def revoke_api_key(*, name: str) -> ApiKey:
    """Stop the key of the application ``name`` from working; its reports keep their origin."""
    key = ApiKey.objects.filter(name=name.strip()).first()
    if key is None:
        raise NotFound(_("Kunci API tidak ditemukan."))
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
    return key


def authenticate_key(raw: str) -> ApiKey | None:
    """The active key whose secret is ``raw``, or None; records when it was last used."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=ApiKey.hash(raw), revoked_at__isnull=True).first()
    if key is not None:
        key.last_used_at = clock.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=key.last_used_at)
    return key


# ---------------------------------------------------------------------------------------
# POST requests
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """What ``POST requests`` answers: the case, whether it is new, and the client's account id."""

    case: Case
    created: bool
    account_id: str


def submit_request(*, api_key: ApiKey, posted: PostedRequest, idempotency_key: str = "") -> Submission:
    """File ``posted`` as a citizen report sent by the application of ``api_key``.

    A repeated ``Idempotency-Key`` from the same application returns the first case. The
    reporter is the account with the given e-mail (or phone), created if there is none;
    without contact data it is the application's own account. Nothing is written when any
    check fails, not even a new account.
    """
    key = idempotency_key.strip()[:80] or None
    if key:
        earlier = _earlier(api_key, key)
        if earlier is not None:
            return earlier
    category = ReportCategory.objects.filter(code=posted.service_code, is_active=True).first()
    if category is None:
        raise ValidationError(
            {"service_code": [_("service_code %(code)s tidak dikenal.") % {"code": posted.service_code}]}
        )
    problems = check_answers(attributes_for(category), posted.attributes)
    if problems:
        raise ValidationError({"attribute": problems})
    try:
        with transaction.atomic():
            reporter = _reporter(api_key, posted)
            if reporter.pk != api_key.account_id:
                check_report_rate(reporter)
            result = submit_report(
                reporter=reporter,
                report_type=ReportType.COMPLAINT,
                category_code=category.code,
                description=_description(category, posted.description),
                privacy=posted.privacy,
                region_code=posted.address_id,
                lat=posted.lat,
                lng=posted.lng,
                address=posted.address_string,
                # submit_report scopes its key by reporter; ours is scoped by application.
                idempotency_key=_case_key(api_key, key) if key else "",
                channel=Channel.API,
            )
            if result.created:
                Open311Request.objects.create(
                    case=result.case,
                    api_key=api_key,
                    idempotency_key=key,
                    device_id=posted.device_id,
                    account_id=posted.account_id,
                    attributes=posted.attributes,
                    media_url=posted.media_url,
                    created_at=result.case.created_at,
                )
    except IntegrityError:
        # The same Idempotency-Key raced in twice from different reporters; the other won.
        earlier = _earlier(api_key, key) if key else None
        if earlier is None:
            raise
        return earlier
    return Submission(result.case, result.created, posted.account_id)


def _earlier(api_key: ApiKey, key: str) -> Submission | None:
    row = (
        Open311Request.objects.filter(api_key=api_key, idempotency_key=key)
        .select_related("case", "case__category", "case__agency")
        .first()
    )
    return Submission(row.case, False, row.account_id) if row else None


def _case_key(api_key: ApiKey, key: str) -> str:
    return "o311:" + hashlib.sha256(f"{api_key.pk}:{key}".encode()).hexdigest()[:40]


def _description(category: ReportCategory, text: str) -> str:
    """The report's text. Open311 makes description optional; our reports need a few words,
    so a missing or very short one is completed with the service's name."""
    if not text:
        return _("%(service)s (dilaporkan melalui Open311 tanpa uraian).") % {"service": category.name}
    if len(text) < MIN_DESCRIPTION:
        return f"{category.name}: {text}"
    return text


def _reporter(api_key: ApiKey, posted: PostedRequest) -> User:
    phone = normalize_phone(posted.phone) if posted.phone else None
    if posted.phone and phone is None:
        raise ValidationError({"phone": [_("phone harus nomor HP Indonesia, misalnya 0812xxxxxxxx.")]})
    name = f"{posted.first_name} {posted.last_name}".strip()[:150]
    if posted.email:
        user = User.objects.filter(email__iexact=posted.email).first()
        if user is not None:
            return user
        if phone and User.objects.filter(phone=phone).exists():
            phone = None  # someone else's number: the new account gets the e-mail only
        return _new_citizen(email=posted.email, phone=phone, name=name)
    if phone:
        return User.objects.filter(phone=phone).first() or _new_citizen(email=None, phone=phone, name=name)
    return client_account(api_key)


def _new_citizen(*, email: str | None, phone: str | None, name: str) -> User:
    """A citizen account without a password: the person can claim it by resetting one."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=None, phone=phone, full_name=name or _("Warga (Open311)")
            )
            CitizenProfile.objects.create(user=user)
            return user
    except IntegrityError:
        # Created by a concurrent request a moment ago.
        lookup = {"email__iexact": email} if email else {"phone": phone}
        user = User.objects.filter(**lookup).first()
        if user is None:
            raise
        return user


def client_account(api_key: ApiKey) -> User:
    """The application's own account: reporter of requests that carry no contact data, and
    the user behind the key's REST API calls."""
    if api_key.account_id:
        return api_key.account  # type: ignore[return-value]
    user, _created = User.objects.get_or_create(
        email=f"open311-{api_key.pk}@{CLIENT_ACCOUNT_DOMAIN}",
        defaults={"full_name": f"{api_key.name} (Open311)"[:150], "password": make_password(None)},
    )
    ApiKey.objects.filter(pk=api_key.pk, account__isnull=True).update(account=user)
    api_key.account = user
    return user
