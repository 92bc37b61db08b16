"""Duplicates (decision 0010): likely duplicates before submitting, support, merge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import act

from lampungin.accounts.access import actor_for
from lampungin.cases import duplicates
from lampungin.cases.choices import Action, CaseState, EventKind, Privacy, RejectReason
from lampungin.cases.models import CaseMerge, CaseSupport
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import clock, outbox
from lampungin.core.errors import Conflict, NotAllowed, NotFound
from lampungin.notifications.models import Notification

LAT, LNG = -5.4290, 105.2610  # Bandar Lampung
TEXT = "Jalan berlubang dalam di depan pasar, motor jatuh"


def _similar(**kw):
    args = {"category_code": "jalan-provinsi-rusak", "text": TEXT, "lat": LAT, "lng": LNG}
    return duplicates.similar_reports(**{**args, **kw})


def test_text_score():
    assert duplicates.text_score("jalan berlubang di depan pasar", "Jalan berlubang depan pasar tengah") > 0.5
    assert duplicates.text_score("jalan berlubang", "antrean rumah sakit panjang") < 0.3


def test_similar_finds_a_nearby_public_report_without_personal_data(make_case, citizen, citizen2):
    near = make_case(citizen, lat=LAT + 0.001, lng=LNG)  # ~110 m
    make_case(citizen, lat=LAT + 0.01, lng=LNG)  # ~1.1 km: outside 300 m
    make_case(citizen, lat=LAT, lng=LNG, privacy=Privacy.CONFIDENTIAL)
    make_case(
        citizen,
        lat=LAT,
        lng=LNG,
        category="layanan-rsud",
        description="Antrean pasien sangat panjang di RSUD.",
    )
    found = _similar()
    assert [s.tracking for s in found] == [near.tracking]
    assert 90 <= found[0].distance_m <= 130
    assert not {"lat", "lng", "reporter", "reporter_name"} & set(vars(found[0]))
    assert _similar(exclude_reporter_id=citizen.pk) == []  # one's own reports are not offered


def test_similar_ignores_old_closed_and_unrelated_text(make_case, citizen, officer_a):
    with clock.frozen_at(clock.now() - timedelta(days=40)):
        make_case(citizen, lat=LAT, lng=LNG)
    make_case(citizen, lat=LAT, lng=LNG, state=CaseState.REJECTED, staff=officer_a)
    make_case(citizen, lat=LAT, lng=LNG, description="Pohon tumbang menutup separuh badan jalan provinsi.")
    assert _similar() == []


def test_similar_by_region_when_no_point(make_case, citizen):
    case = make_case(citizen, region_code="18.71.01")
    assert [s.tracking for s in _similar(lat=None, lng=None, region_code="18.71.01")] == [case.tracking]
    assert _similar(lat=None, lng=None, region_code="") == []


def test_support_rules(make_case, citizen, citizen2, officer_a):
    case = make_case(citizen)
    support, created = duplicates.support_case(actor=actor_for(citizen2), tracking=case.tracking)
    assert created and support.case == case
    assert duplicates.support_case(actor=actor_for(citizen2), tracking=case.tracking)[1] is False
    assert duplicates.supporter_count(case) == 1
    with pytest.raises(Conflict):
        duplicates.support_case(actor=actor_for(citizen), tracking=case.tracking)
    secret = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    with pytest.raises(NotFound):
        duplicates.support_case(actor=actor_for(citizen2), tracking=secret.tracking)
    closed = make_case(citizen, state=CaseState.CLOSED, staff=officer_a)
    with pytest.raises(Conflict):
        duplicates.support_case(actor=actor_for(citizen2), tracking=closed.tracking)
    with pytest.raises(NotAllowed):
        duplicates.support_case(actor=actor_for(None), tracking=case.tracking)


def test_supporters_are_notified_of_status_changes(make_case, citizen, citizen2, officer_a):
    case = make_case(citizen)
    duplicates.support_case(actor=actor_for(citizen2), tracking=case.tracking)
    act(case, Action.VERIFY, staff=officer_a)
    outbox.dispatch()
    titles = list(Notification.objects.filter(user=citizen2).values_list("title", flat=True))
    assert titles == [f"Laporan yang Anda dukung {case.tracking}: Terverifikasi"]


def test_merge(make_case, citizen, citizen2, officer_a, officer_b):
    target = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    source = make_case(citizen2, staff=officer_a)
    with pytest.raises(NotFound):  # another agency cannot even see them
        duplicates.merge_cases(actor=actor_for(officer_b), source=source, target=target)
    duplicates.merge_cases(actor=actor_for(officer_a), source=source, target=target)
    source.refresh_from_db()
    assert (source.state, source.reject_reason) == (CaseState.REJECTED, RejectReason.DUPLICATE)
    assert CaseMerge.objects.get(source=source).target == target
    assert CaseSupport.objects.filter(case=target, user=citizen2, via_case=source).exists()
    assert source.events.filter(kind=EventKind.MERGE, data__merged_into=target.tracking).exists()
    assert target.events.filter(kind=EventKind.MERGE, data__merged_from=source.tracking).exists()
    target.refresh_from_db()
    assert verify_case_chain(source) == [] and verify_case_chain(target) == []
    outbox.dispatch()
    assert Notification.objects.filter(user=citizen2, title__contains=target.tracking).exists()


def test_merge_refusals(make_case, citizen, citizen2, officer_a):
    target = make_case(citizen, staff=officer_a)
    in_progress = make_case(citizen2, state=CaseState.IN_PROGRESS, staff=officer_a)
    with pytest.raises(Conflict):
        duplicates.merge_cases(actor=actor_for(officer_a), source=in_progress, target=target)
    with pytest.raises(Conflict):
        duplicates.merge_cases(actor=actor_for(officer_a), source=target, target=target)


def test_api_similar_and_support(api_as, make_case, citizen, citizen2):
    case = make_case(citizen, lat=LAT, lng=LNG)
    response = api_as(citizen2).get(
        "/reports/similar", category="jalan-provinsi-rusak", lat=LAT, lng=LNG, text=TEXT
    )
    assert response.status_code == 200, response.content
    assert [s["tracking"] for s in response.json()] == [case.tracking]
    assert "lat" not in response.json()[0]
    first = api_as(citizen2).post(f"/reports/{case.tracking}/support")
    again = api_as(citizen2).post(f"/reports/{case.tracking}/support")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["supporters"] == 1


def test_lapor_page_without_js_lists_candidates_and_supports(client, make_case, citizen, citizen2):
    case = make_case(citizen, lat=LAT, lng=LNG)
    client.force_login(citizen2)
    response = client.get(
        "/lapor/",
        {"cek_serupa": "1", "category": "jalan-provinsi-rusak", "lat": LAT, "lng": LNG, "description": TEXT},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert case.tracking in body and "Dukung laporan ini" in body
    assert TEXT in body  # the form comes back filled in
    done = client.post(f"/laporan/{case.tracking}/dukung")
    assert done.status_code == 302
    assert CaseSupport.objects.filter(case=case, user=citizen2).exists()
    page = client.get(f"/laporan/{case.tracking}")
    assert "1 warga mendukung laporan ini" in page.content.decode()
