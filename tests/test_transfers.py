"""TRANSFER between provincial agencies: same case and tracking number, scope follows the agency."""

from __future__ import annotations

import pytest
from conftest import act
from django.core.exceptions import ValidationError
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.cases import selectors, services
from lampungin.cases.choices import Action, CaseState
from lampungin.cases.timeline import verify_case_chain
from lampungin.core.errors import NotAllowed, NotFound


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (CaseState.SUBMITTED, CaseState.SUBMITTED),
        (CaseState.VERIFIED, CaseState.VERIFIED),
        (CaseState.ASSIGNED, CaseState.VERIFIED),
        (CaseState.IN_PROGRESS, CaseState.VERIFIED),
        (CaseState.REOPENED, CaseState.VERIFIED),
    ],
)
def test_transfer_keeps_case_and_moves_scope(make_case, citizen, officer_a, officer_b, state, target):
    case = make_case(citizen, state=state, staff=officer_a)
    tracking, events_before = case.tracking, case.events.count()
    event = act(case, Action.TRANSFER, staff=officer_a, message="Ini urusan layanan kesehatan.")
    case.refresh_from_db()
    assert (case.tracking, case.state, case.agency.code) == (tracking, target, "dinkes")
    assert (case.unit, case.assignee) == (None, None)
    assert event.data["from_agency"] == "binamarga" and event.data["to_agency"] == "dinkes"
    assert event.message == "Ini urusan layanan kesehatan."
    assert case.events.count() >= events_before + 1
    assert verify_case_chain(case) == []
    # The receiving agency sees it in its inbox and may act; the old one neither reads nor acts.
    assert case in selectors.inbox(actor_for(officer_b))
    assert case not in selectors.inbox(actor_for(officer_a))
    with pytest.raises(NotFound):
        selectors.get_case(actor_for(officer_a), tracking)
    with pytest.raises(NotAllowed):
        act(case, Action.TRANSFER, staff=officer_a, agency_code="psda", message="Kembali.")


def test_transfer_tells_the_sla_clocks(make_case, citizen, officer_a, monkeypatch):
    from lampungin.cases import clocks

    calls = []
    monkeypatch.setattr(clocks, "on_transfer", lambda case, a, b: calls.append((a.code, b.code)))
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    act(case, Action.TRANSFER, staff=officer_a, message="Salah instansi.")
    assert calls == [("binamarga", "dinkes")]


@pytest.mark.parametrize(
    ("code", "error"),
    [("", "Pilih instansi penerima."), ("binamarga", "Laporan sudah berada di instansi tersebut.")],
)
def test_transfer_needs_another_agency(make_case, citizen, officer_a, code, error):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.TRANSFER, staff=officer_a, agency_code=code, message="Alasan.")
    assert exc.value.message_dict == {"agency": [error]}


def test_transfer_to_a_regency_is_a_referral_not_a_transfer(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.TRANSFER, staff=officer_a, agency_code="pemkab-1871", message="Alasan.")
    assert "agency" in exc.value.message_dict


def test_transfer_needs_a_reason(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError):
        act(case, Action.TRANSFER, staff=officer_a, message="")


@pytest.mark.parametrize("persona", ["officer_b", "liaison", "analyst", "auditor", "citizen2"])
def test_only_handlers_transfer(make_case, citizen, officer_a, persona, request):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    user = request.getfixturevalue(persona)
    with pytest.raises((NotAllowed, ValidationError)):
        services.perform_action(
            actor=actor_for(user), case=case, action=Action.TRANSFER, agency_code="dinkes", message="x"
        )
    case.refresh_from_db()
    assert case.agency.code == "binamarga"


def test_transfer_from_case_page(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    client = Client()
    client.force_login(officer_a)
    page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert 'name="agency"' in page
    response = client.post(
        f"/kantor/laporan/{case.tracking}/",
        {"form": "action", "action": "transfer", "agency": "dinkes", "message": "Urusan kesehatan."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.agency.code == "dinkes"
    assert client.get(f"/kantor/laporan/{case.tracking}/").status_code == 404
