"""SLA policies as data: the default SP4N-LAPOR! targets, scope and specificity, validation of states."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lampungin.agencies.models import Agency
from lampungin.catalog.models import ReportCategory
from lampungin.sla import selectors, services
from lampungin.sla.choices import ClockKind, TargetUnit
from lampungin.sla.models import SlaPolicy, SlaTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_policy() -> SlaPolicy:
    return services.ensure_default_policy()


def _policy(
    code: str, *, category=None, agency=None, priority=0, amount=2, kind=ClockKind.FOLLOW_UP
) -> SlaPolicy:
    policy = SlaPolicy.objects.create(
        code=code, name=code, category=category, agency=agency, priority=priority
    )
    SlaTarget.objects.create(
        policy=policy,
        kind=kind,
        amount=amount,
        unit=TargetUnit.WORKING_DAYS,
        start_states=["verified"],
        stop_states=["resolved"],
    )
    return policy


def test_default_targets_follow_sp4n_lapor(default_policy):
    targets = {t.kind: t for t in default_policy.targets.all()}
    v, f, r, legal = (targets[k] for k in ClockKind)
    assert (v.amount, v.unit, v.start_states, v.stop_states) == (
        3,
        TargetUnit.WORKING_DAYS,
        ["submitted"],
        ["verified", "rejected", "referred"],
    )
    assert (f.amount, f.unit, f.pause_states) == (5, TargetUnit.WORKING_DAYS, ["waiting_reporter"])
    assert {"verified", "assigned", "reopened"} == set(f.start_states) and "resolved" in f.stop_states
    assert (r.amount, r.start_states, r.at_risk_percent) == (10, ["resolved"], None)
    assert {"closed", "reopened"} == set(r.stop_states)
    assert (legal.amount, legal.unit) == (60, TargetUnit.CALENDAR_DAYS)
    assert v.at_risk_percent == 80


def test_ensure_default_policy_is_idempotent(default_policy):
    assert services.ensure_default_policy() == default_policy
    assert SlaTarget.objects.filter(policy=default_policy).count() == 4


def test_most_specific_policy_wins_per_kind(default_policy):
    road = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    bridge = ReportCategory.objects.get(code="jembatan-rusak")
    binamarga = Agency.objects.get(code="binamarga")
    _policy("agency", agency=binamarga, amount=4)
    _policy("category", category=road, amount=3)
    _policy("category-agency", category=road, agency=binamarga, amount=1)

    def follow_up(category, agency) -> int:
        return selectors.targets_for(category_id=category.pk, agency_id=agency.pk)[ClockKind.FOLLOW_UP].amount

    assert follow_up(road, binamarga) == 1  # category + agency
    assert follow_up(road, Agency.objects.get(code="dinkes")) == 3  # category
    assert follow_up(bridge, binamarga) == 4  # agency
    assert follow_up(bridge, Agency.objects.get(code="dinkes")) == 5  # default
    # Kinds the specific policy does not set still come from the default.
    targets = selectors.targets_for(category_id=road.pk, agency_id=binamarga.pk)
    assert targets[ClockKind.VERIFICATION].policy == default_policy


def test_priority_breaks_ties_and_inactive_policies_do_not_count(default_policy):
    road = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    _policy("low", category=road, amount=7, priority=0)
    high = _policy("high", category=road, amount=2, priority=5)
    targets = selectors.targets_for(category_id=road.pk, agency_id=None)
    assert targets[ClockKind.FOLLOW_UP].amount == 2
    SlaPolicy.objects.filter(pk=high.pk).update(is_active=False)
    assert selectors.targets_for(category_id=road.pk, agency_id=None)[ClockKind.FOLLOW_UP].amount == 7


def test_no_policy_no_targets():
    assert selectors.targets_for(category_id=None, agency_id=None) == {}


@pytest.mark.parametrize(
    ("states", "message"),
    [
        ({"start_states": ["submited"]}, "tidak dikenal"),
        ({"start_states": "submitted"}, "daftar"),
        ({"stop_states": []}, "status mulai dan status berhenti"),
        ({"pause_states": ["verified"]}, "sekaligus"),
    ],
)
def test_target_states_are_validated_against_case_states(default_policy, states, message):
    target = SlaTarget(
        policy=default_policy,
        kind=ClockKind.FOLLOW_UP,
        amount=5,
        unit=TargetUnit.WORKING_DAYS,
        start_states=["verified"],
        stop_states=["resolved"],
    )
    for field, value in states.items():
        setattr(target, field, value)
    with pytest.raises(ValidationError, match=message):
        target.clean()
