"""Dispositions inside an agency (admin → unit → officer), pick-up, workload, templates, reply styles."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, act
from django.core.exceptions import ValidationError
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.agencies.models import Agency, Unit
from lampungin.cases import dispositions
from lampungin.cases.choices import Action, CaseState, EventKind, TemplateVisibility, Visibility
from lampungin.cases.models import ResponseTemplate
from lampungin.core.errors import NotAllowed


@pytest.fixture
def unit() -> Unit:
    return Unit.objects.filter(agency__code="binamarga").order_by("id").first()


@pytest.fixture
def unit_officer(db, unit) -> User:
    user = User.objects.create_user(email="joko@binamarga.test", password=PASSWORD, full_name="Joko")
    StaffMembership.objects.create(user=user, role=Role.OFFICER, agency=unit.agency, unit=unit)
    return user


def test_admin_disposes_to_unit_without_officer(make_case, citizen, admin_a, unit):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    event = act(case, Action.ASSIGN, staff=admin_a, assignee_id=None, unit_id=unit.pk, message="Tolong cek.")
    case.refresh_from_db()
    assert (case.state, case.unit, case.assignee) == (CaseState.ASSIGNED, unit, None)
    assert event.data == {"assignee": None, "assignee_name": "", "unit": unit.name}


def test_a_disposition_instruction_is_for_staff_only(make_case, citizen, admin_a, unit, api_as):
    """The state change is public; "what to do" between staff is an internal note beside it."""
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    event = act(
        case, Action.ASSIGN, staff=admin_a, unit_id=unit.pk, message="Tolong cek hari ini, prioritas."
    )
    assert event.message == "" and event.visibility == Visibility.PUBLIC
    note = case.events.get(seq=event.seq + 1)
    assert (note.kind, note.visibility) == (EventKind.NOTE, Visibility.INTERNAL)
    assert note.message == "Tolong cek hari ini, prioritas." and note.data == {"for_action": "assign"}

    public = Client().get(f"/laporan/{case.tracking}")
    assert public.status_code == 200 and "Tolong cek hari ini" not in public.content.decode()
    mine = api_as(citizen).get(f"/reports/{case.tracking}/timeline")
    assert mine.status_code == 200
    assert "assign" in mine.content.decode() and "Tolong cek hari ini" not in mine.content.decode()
    staff = Client()
    staff.force_login(admin_a)
    assert "Tolong cek hari ini" in staff.get(f"/kantor/laporan/{case.tracking}/").content.decode()


def test_unit_officer_picks_it_up(make_case, citizen, admin_a, unit, unit_officer):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    act(case, Action.ASSIGN, staff=admin_a, assignee_id=None, unit_id=unit.pk)
    case.refresh_from_db()
    assert dispositions.may_pick_up(actor_for(unit_officer), case)
    client = Client()
    client.force_login(unit_officer)
    assert "Ambil laporan ini" in client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert client.post(f"/kantor/laporan/{case.tracking}/ambil/").status_code == 302
    case.refresh_from_db()
    assert (case.assignee, case.unit, case.state) == (unit_officer, unit, CaseState.ASSIGNED)
    assert not dispositions.may_pick_up(actor_for(unit_officer), case)


def test_other_agency_cannot_pick_up(make_case, citizen, admin_a, unit, officer_b):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    act(case, Action.ASSIGN, staff=admin_a, assignee_id=None, unit_id=unit.pk)
    case.refresh_from_db()
    assert not dispositions.may_pick_up(actor_for(officer_b), case)
    client = Client()
    client.force_login(officer_b)
    assert client.post(f"/kantor/laporan/{case.tracking}/ambil/").status_code == 404


def test_reassignment_keeps_state_and_records(make_case, citizen, admin_a, officer_a, unit_officer):
    case = make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    event = act(case, Action.ASSIGN, staff=admin_a, assignee_id=unit_officer.pk, message="Alihkan ke Joko.")
    case.refresh_from_db()
    assert (case.state, case.assignee, case.unit) == (
        CaseState.ASSIGNED,
        unit_officer,
        unit_officer.memberships.get().unit,
    )
    assert event.from_state == event.to_state == CaseState.ASSIGNED


def test_unit_of_another_agency_refused(make_case, citizen, admin_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    other = Unit.objects.filter(agency__code="dinkes").first()
    with pytest.raises(ValidationError) as exc:
        act(case, Action.ASSIGN, staff=admin_a, assignee_id=None, unit_id=other.pk)
    assert "unit" in exc.value.message_dict


def test_workload_counts_per_officer_and_unit(make_case, citizen, admin_a, officer_a, unit):
    for _ in range(2):
        make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    case = make_case(citizen, state=CaseState.VERIFIED, staff=admin_a)
    act(case, Action.ASSIGN, staff=admin_a, assignee_id=None, unit_id=unit.pk)
    data = dispositions.workload(actor_for(admin_a), Agency.objects.get(code="binamarga"))
    by_officer = {r.label: r.open_cases for r in data.officers}
    assert by_officer["Andi Saputra"] == 2
    by_unit = {r.label: (r.open_cases, r.unassigned) for r in data.units}
    assert by_unit[unit.name] == (1, 1)


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "liaison", "analyst"])
def test_workload_is_for_agency_admins(db, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        dispositions.workload(actor_for(user), Agency.objects.get(code="binamarga"))
    client = Client()
    client.force_login(user)
    assert client.get("/kantor/beban-kerja/").status_code in (403, 404)


def test_workload_page(admin_a, client):
    client.force_login(admin_a)
    page = client.get("/kantor/beban-kerja/").content.decode()
    assert "Beban kerja" in page and "Rina Marlina" in page


def test_template_picker_prefills_without_js(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    binamarga = Agency.objects.get(code="binamarga")
    t = ResponseTemplate.objects.create(
        agency=binamarga, title="Survei lokasi", body="Tim kami akan survei lokasi."
    )
    note = ResponseTemplate.objects.create(
        agency=binamarga,
        title="Catatan anggaran",
        body="Masuk usulan anggaran.",
        visibility=TemplateVisibility.INTERNAL,
    )
    ResponseTemplate.objects.create(agency=Agency.objects.get(code="dinkes"), title="Milik Dinkes", body="x")
    client = Client()
    client.force_login(officer_a)
    page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert "Survei lokasi" in page and "Milik Dinkes" not in page
    page = client.get(f"/kantor/laporan/{case.tracking}/?templat={t.pk}").content.decode()
    assert "Tim kami akan survei lokasi.</textarea>" in page
    page = client.get(f"/kantor/laporan/{case.tracking}/?templat={note.pk}").content.decode()
    assert "Masuk usulan anggaran.</textarea>" in page
    assert 'name="internal" id="id_internal" checked' in page or (
        'name="internal"' in page and "checked" in page
    )


def test_public_reply_and_internal_note_look_different(make_case, citizen, officer_a):
    from lampungin.cases import services

    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    services.add_comment(actor=actor_for(officer_a), case=case, message="Balasan untuk warga.")
    services.add_comment(actor=actor_for(officer_a), case=case, message="Catatan rahasia.", internal=True)
    client = Client()
    client.force_login(officer_a)
    page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert "tag-public" in page and "PUBLIK" in page
    assert "tag-internal" in page and "CATATAN INTERNAL" in page and "🔒" in page
