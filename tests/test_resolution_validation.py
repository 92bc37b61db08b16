"""Resolution validation and the reporter's window (decision 0010)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import _staff, act
from django.core.exceptions import ValidationError

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.agencies.models import Agency
from lampungin.cases import permissions, selectors, services, validation
from lampungin.cases.choices import Action, CaseState, EventKind, Visibility
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.timeline import verify_case_chain
from lampungin.catalog.choices import ResolutionValidation
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.core.errors import Conflict, NotAllowed
from lampungin.sla import services as sla_services
from lampungin.sla.calendar import WIB
from lampungin.sla.choices import ClockKind


@pytest.fixture
def validator(db):
    """An officer of the governance bureau (Biro Organisasi), which validates road repairs here."""
    return _staff("vali@biro-organisasi.test", "Vali Validator", Role.OFFICER, agency="biro-organisasi")


@pytest.fixture
def validated_category(db):
    category = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    category.resolution_validation = ResolutionValidation.AGENCY
    category.validating_agency = Agency.objects.get(code="biro-organisasi")
    category.save()
    return category


@pytest.fixture
def proposed(make_case, citizen, officer_a, validator, validated_category):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    act(case, Action.SUBMIT_RESOLUTION, staff=officer_a, message="Lubang sudah ditambal.")
    case.refresh_from_db()
    return case


def test_resolve_is_refused_when_the_category_requires_validation(
    make_case, citizen, officer_a, validated_category
):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    with pytest.raises(Conflict) as exc:
        act(case, Action.RESOLVE, staff=officer_a)
    assert exc.value.code == "validation_required"
    assert "Ajukan validasi penyelesaian" in exc.value.message


def test_validator_rejects_then_validates(proposed, officer_a, validator, citizen):
    assert proposed.state == CaseState.AWAITING_VALIDATION
    v = actor_for(validator)
    assert permissions.is_validator(v, proposed)
    assert selectors.get_case(v, proposed.tracking) == proposed  # validators read the case
    assert not permissions.is_staff_reader(v, proposed)
    for user in (officer_a, citizen):
        with pytest.raises(NotAllowed):
            services.perform_action(actor=actor_for(user), case=proposed, action=Action.VALIDATE)
    with pytest.raises(ValidationError):
        services.perform_action(actor=v, case=proposed, action=Action.REJECT_RESOLUTION, message="")

    event = services.perform_action(
        actor=v, case=proposed, action=Action.REJECT_RESOLUTION, message="Tambalan belum rata, ulangi."
    )
    proposed.refresh_from_db()
    assert proposed.state == CaseState.IN_PROGRESS
    assert (event.visibility, event.message) == (Visibility.PUBLIC, "Tambalan belum rata, ulangi.")
    assert event.actor_label.startswith("Validator")

    act(proposed, Action.SUBMIT_RESOLUTION, staff=officer_a, message="Sudah diaspal ulang.")
    services.perform_action(actor=v, case=proposed, action=Action.VALIDATE, message="Sesuai.")
    proposed.refresh_from_db()
    assert proposed.state == CaseState.RESOLVED and proposed.resolved_at is not None
    assert verify_case_chain(proposed) == []


def test_reporter_validates_when_no_agency_is_configured(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.AWAITING_VALIDATION, staff=officer_a)
    assert permissions.is_validator(actor_for(citizen), case)
    assert not permissions.is_validator(actor_for(officer_a), case)
    event = services.perform_action(
        actor=actor_for(citizen),
        case=case,
        action=Action.REJECT_RESOLUTION,
        message="Masih berlubang di depan rumah saya.",
    )
    assert event.message == ""  # the reporter's words are for the parties only
    words = case.events.get(seq=event.seq + 1)
    assert (words.kind, words.visibility) == (EventKind.COMMENT, Visibility.PARTIES)


# -- the reporter's window -------------------------------------------------------------


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def resolved_case(make_case, citizen, officer_a):
    sla_services.load_seed_calendar()
    with clock.frozen_at(wib(2026, 12, 7, 9, 0)):
        return make_case(citizen, state=CaseState.RESOLVED, staff=officer_a)


def _window(case) -> CaseClock:
    return CaseClock.objects.get(case=case, kind=ClockKind.REPORTER_RESPONSE, stopped_at__isnull=True)


def test_dispute_within_the_window_reopens(resolved_case):
    with clock.frozen_at(_window(resolved_case).due_at - timedelta(hours=1)):
        act(resolved_case, Action.DISPUTE)
    resolved_case.refresh_from_db()
    assert resolved_case.state == CaseState.REOPENED


def test_dispute_after_the_window_is_refused(resolved_case):
    with (
        clock.frozen_at(_window(resolved_case).due_at + timedelta(minutes=1)),
        pytest.raises(Conflict) as exc,
    ):
        act(resolved_case, Action.DISPUTE)
    assert exc.value.code == "dispute_window_over"
    assert "Masa sanggah 10 hari kerja sudah berakhir" in exc.value.message


def test_the_system_closes_once_after_the_window(resolved_case):
    due = _window(resolved_case).due_at
    with clock.frozen_at(due - timedelta(minutes=1)):
        assert validation.close_unanswered() == 0
    with clock.frozen_at(due + timedelta(minutes=5)):
        clock_id = _window(resolved_case).pk
        assert validation.close_unanswered() == 1
        assert validation.close_unanswered() == 0
        assert validation._close_one(clock_id) is False  # a second worker finds nothing to do
    resolved_case.refresh_from_db()
    assert resolved_case.state == CaseState.CLOSED
    closes = list(resolved_case.events.filter(action=Action.CLOSE))
    assert len(closes) == 1
    assert closes[0].actor is None and closes[0].actor_label == "Sistem"
    assert closes[0].message == "Ditutup otomatis: tidak ada tanggapan pelapor dalam 10 hari kerja."
    assert not resolved_case.events.filter(
        kind=EventKind.SLA_BREACHED, data__clock=ClockKind.REPORTER_RESPONSE
    ).exists()
    assert verify_case_chain(resolved_case) == []


def test_periodic_task_runs_the_automatic_close(resolved_case):
    from lampungin.cases.tasks import check_sla_clocks

    with clock.frozen_at(_window(resolved_case).due_at + timedelta(minutes=5)):
        result = check_sla_clocks.call()
    assert result["auto_closed"] == 1


def test_api_validation(api_as, make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.AWAITING_VALIDATION, staff=officer_a)
    response = api_as(citizen).post(f"/reports/{case.tracking}/validation", {"decision": "validate"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == CaseState.RESOLVED
    refused = api_as(officer_a).post(f"/reports/{case.tracking}/validation", {"decision": "validate"})
    assert refused.status_code in (403, 409)
