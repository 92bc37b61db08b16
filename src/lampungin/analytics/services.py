"""Writes of analytics: the reporter's rating and satisfaction survey (SKM) after a report is resolved."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.analytics.models import CaseRating, SkmResponse
from lampungin.analytics.skm import ELEMENT_CODES, SCORE_MAX, SCORE_MIN
from lampungin.cases import permissions
from lampungin.cases.choices import CaseState
from lampungin.cases.models import Case
from lampungin.core import clock
from lampungin.core.errors import Conflict, NotAllowed

# A survey is about a finished service: the report must have been resolved (or closed after it).
RATEABLE_STATES = frozenset({CaseState.RESOLVED, CaseState.CLOSED})


def clean_skm_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """The nine scores as integers 1–4; raises ValidationError naming each bad or missing element."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, int] = {}
    for code in ELEMENT_CODES:
        raw = scores.get(code)
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            value = 0
        if not SCORE_MIN <= value <= SCORE_MAX:
            errors[code] = [_("Pilih nilai 1 sampai 4.")]
        else:
            cleaned[code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


MAX_COMMENT = 1000


def _check_rateable(actor: Actor, case: Case) -> None:
    if not permissions.is_reporter(actor, case):
        raise NotAllowed(_("Hanya pelapor yang dapat menilai laporan ini."))
    if case.state not in RATEABLE_STATES:
        raise Conflict(_("Laporan dapat dinilai setelah selesai ditangani."))


def may_rate(actor: Actor, case: Case) -> bool:
    """Whether the page should offer ``actor`` the rating form for ``case`` now."""
    return (
        permissions.is_reporter(actor, case)
        and case.state in RATEABLE_STATES
        and not CaseRating.objects.filter(case=case).exists()
    )


def rate_case(*, actor: Actor, case: Case, stars: object, comment: str = "") -> CaseRating:
    """Record the reporter's 1–5 stars (and comment) for ``case``: only its reporter, once resolved, once."""
    _check_rateable(actor, case)
    try:
        value = int(str(stars))
    except (TypeError, ValueError):
        value = 0
    errors: dict[str, list[str]] = {}
    if not 1 <= value <= 5:
        errors["stars"] = [_("Pilih 1 sampai 5 bintang.")]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("Komentar terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_COMMENT}]
    if errors:
        raise ValidationError(errors)
    if CaseRating.objects.filter(case=case).exists():
        raise Conflict(_("Laporan ini sudah Anda nilai."))
    try:
        with transaction.atomic():
            return CaseRating.objects.create(
                case=case, agency_id=case.agency_id, stars=value, comment=comment, created_at=clock.now()
            )
    except IntegrityError as exc:
        raise Conflict(_("Laporan ini sudah Anda nilai.")) from exc


def rate_resolved_case(
    *, actor: Actor, case: Case, stars: object, comment: str = "", skm: Mapping[str, object] | None = None
) -> CaseRating:
    """Stars and, when any of U1…U9 was answered, the whole SKM survey — both or neither are saved."""
    answered = {code: v for code, v in (skm or {}).items() if code in ELEMENT_CODES and str(v or "").strip()}
    with transaction.atomic():
        rating = rate_case(actor=actor, case=case, stars=stars, comment=comment)
        if answered:
            submit_case_survey(actor=actor, case=case, scores=answered)
    return rating


def skm_answered(case: Case) -> bool:
    return SkmResponse.objects.filter(case=case).exists()


def submit_case_survey(*, actor: Actor, case: Case, scores: Mapping[str, object]) -> SkmResponse:
    """Record the reporter's SKM answers about ``case``: only its reporter, only once resolved, only once."""
    _check_rateable(actor, case)
    cleaned = clean_skm_scores(scores)
    if skm_answered(case):
        raise Conflict(_("Survei kepuasan untuk laporan ini sudah diisi."))
    try:
        with transaction.atomic():
            return SkmResponse.objects.create(
                case=case,
                # Cases name a catalog service once service applications carry one (issue 4).
                service_id=getattr(case, "service_id", None),
                agency_id=case.agency_id,
                respondent=actor.user,
                created_at=clock.now(),
                **cleaned,
            )
    except IntegrityError as exc:  # a double tap raced past the check above
        raise Conflict(_("Survei kepuasan untuk laporan ini sudah diisi.")) from exc
