"""Routing rules, the category default, the verifier queue and the verification step (decision 0009)."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, act
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.agencies.models import Agency, Unit
from lampungin.cases import routing, services
from lampungin.cases.choices import Action, CaseState, RejectReason, RoutedBy, RuleAuthority
from lampungin.cases.models import RoutingRule
from lampungin.cases.timeline import verify_case_chain
from lampungin.catalog.models import ReportCategory
from lampungin.core.errors import NotAllowed
from lampungin.regions.models import Region


@pytest.fixture
def verifier(db) -> User:
    """An officer of Diskominfotik, the verification desk."""
    user = User.objects.create_user(email="vera@diskominfotik.test", password=PASSWORD, full_name="Vera")
    StaffMembership.objects.create(
        user=user, role=Role.OFFICER, agency=Agency.objects.get(code="diskominfotik")
    )
    return user


def rule(**fields) -> RoutingRule:
    fields.setdefault("name", "Aturan uji")
    return RoutingRule.objects.create(**fields)


def test_diskominfotik_is_the_seeded_verification_desk(db):
    assert routing.verification_desk().code == "diskominfotik"


def test_no_rule_and_provincial_category_goes_to_category_default(make_case, citizen):
    case = make_case(citizen)
    assert case.agency.code == "binamarga"
    data = case.events.get(seq=1).data
    assert data["routed_by"] == RoutedBy.CATEGORY_DEFAULT
    assert "rule" not in data


def test_matching_rule_routes_and_is_recorded(make_case, citizen):
    dishub = Agency.objects.get(code="dishub")
    unit = Unit.objects.filter(agency=dishub).first()
    r = rule(
        name="Jalan di Bandar Lampung ke Dishub",
        category=ReportCategory.objects.get(code="jalan-provinsi-rusak"),
        regency=Region.objects.get(code="18.71"),
        agency=dishub,
        unit=unit,
    )
    case = make_case(citizen)
    assert (case.agency, case.unit) == (dishub, unit)
    data = case.events.get(seq=1).data
    assert (data["routed_by"], data["rule"], data["rule_name"]) == ("rule", r.pk, r.name)
    assert verify_case_chain(case) == []


def test_priority_then_specificity_then_oldest(make_case, citizen):
    cat = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    rule(name="umum", category=cat, agency=Agency.objects.get(code="dishub"))
    rule(
        name="kecamatan",
        category=cat,
        district=Region.objects.get(code="18.71.01"),
        agency=Agency.objects.get(code="psda"),
    )
    assert make_case(citizen).agency.code == "psda"  # more specific wins at equal priority
    rule(name="prioritas", category=cat, agency=Agency.objects.get(code="dinkes"), priority=5)
    assert make_case(citizen).agency.code == "dinkes"


def test_rule_for_another_region_or_inactive_does_not_match(make_case, citizen):
    cat = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    rule(category=cat, regency=Region.objects.get(code="18.01"), agency=Agency.objects.get(code="dishub"))
    rule(category=cat, agency=Agency.objects.get(code="dinkes"), is_active=False)
    assert make_case(citizen).agency.code == "binamarga"


def test_keywords_match_title_or_description(make_case, citizen):
    cat = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    rule(category=cat, keywords="jembatan, gorong-gorong", agency=Agency.objects.get(code="dishub"))
    assert make_case(citizen).agency.code == "binamarga"
    assert (
        make_case(citizen, description="Gorong-gorong di bawah jalan ambles dan berbahaya.").agency.code
        == "dishub"
    )


def test_regency_authority_rule_queues_with_suggested_referral(make_case, citizen):
    rule(
        name="Jalan kabupaten",
        category=ReportCategory.objects.get(code="jalan-provinsi-rusak"),
        keywords="jalan kabupaten",
        authority=RuleAuthority.REGENCY,
    )
    district = Region.objects.filter(code__startswith="18.01.", level="district").first()
    case = make_case(
        citizen, region_code=district.code, description="Jalan kabupaten rusak parah di desa kami."
    )
    assert case.agency.code == "diskominfotik"
    data = case.events.get(seq=1).data
    assert data["routed_by"] == RoutedBy.VERIFIER_QUEUE
    assert data["suggested_referral"] == "pemkab-1801"


def test_no_rule_and_regency_category_waits_in_verifier_queue(make_case, citizen, verifier, officer_a):
    case = make_case(citizen, category="sampah")  # authority: kabupaten/kota
    assert case.agency.code == "diskominfotik"
    assert case.state == CaseState.SUBMITTED
    assert case.events.get(seq=1).data["routed_by"] == RoutedBy.VERIFIER_QUEUE
    queue = list(routing.verifier_queue(actor_for(verifier)))
    assert queue[0] == case and queue[0].unrouted == 1
    assert list(routing.verifier_queue(actor_for(officer_a))) == []


def test_category_without_verification_starts_verified(make_case, citizen):
    ReportCategory.objects.filter(code="jalan-provinsi-rusak").update(requires_verification=False)
    case = make_case(citizen)
    assert case.state == CaseState.VERIFIED
    event = case.events.get(seq=2)
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "verify",
        "submitted",
        "verified",
        None,
    )
    assert verify_case_chain(case) == []


def test_queued_report_is_not_auto_verified(make_case, citizen):
    ReportCategory.objects.filter(code="sampah").update(requires_verification=False)
    assert make_case(citizen, category="sampah").state == CaseState.SUBMITTED


def test_verifier_forwards_from_the_queue(make_case, citizen, verifier, officer_a):
    case = make_case(citizen, category="sampah")
    event = act(case, Action.VERIFY, staff=verifier, agency_code="dlh")
    case.refresh_from_db()
    assert (case.state, case.agency.code) == (CaseState.VERIFIED, "dlh")
    assert event.data["from_agency"] == "diskominfotik" and event.data["to_agency"] == "dlh"
    assert verify_case_chain(case) == []


@pytest.mark.parametrize("action", [Action.REJECT, Action.REFER])
def test_verifier_rejects_or_refers_any_agency_report(make_case, citizen, verifier, action):
    case = make_case(citizen)  # at Bina Marga, not the verifier's agency
    act(case, action, staff=verifier, reject_reason=RejectReason.DUPLICATE)
    case.refresh_from_db()
    assert case.state in (CaseState.REJECTED, CaseState.REFERRED)


def test_verifier_cannot_act_after_verification(make_case, citizen, verifier):
    case = make_case(citizen, state=CaseState.VERIFIED)
    with pytest.raises(NotAllowed):
        act(case, Action.TRANSFER, staff=verifier, agency_code="dinkes")


def test_other_agency_officer_cannot_verify(make_case, citizen, officer_b):
    case = make_case(citizen)
    with pytest.raises(NotAllowed):
        services.perform_action(actor=actor_for(officer_b), case=case, action=Action.VERIFY)


def test_queue_and_case_page_show_the_rule(make_case, citizen, verifier):
    r = rule(
        name="Semua sampah di Bandar Lampung",
        category=ReportCategory.objects.get(code="sampah"),
        authority=RuleAuthority.REGENCY,
    )
    case = make_case(citizen, category="sampah")
    client = Client()
    client.force_login(verifier)
    page = client.get("/kantor/verifikasi/").content.decode()
    assert case.tracking in page
    page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert f"#{r.pk}" in page and r.name in page
    assert 'value="pemkab-1871" selected' in page


def test_queue_is_for_verifiers_only(officer_a, client):
    client.force_login(officer_a)
    assert client.get("/kantor/verifikasi/").status_code == 404
