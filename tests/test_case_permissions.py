"""Who may read a case, act on it, and see who reported it — parametrized over personas.

The case in these tables is a road report (Dinas Bina Marga, agency A) filed by ``citizen``
in Kedaton, Kota Bandar Lampung (the liaison's region), unless a test says otherwise.
"""

from __future__ import annotations

import pytest
from conftest import ALL_PERSONAS, ApiClient, act, photo
from django.core.exceptions import ValidationError

from lampungin.accounts.access import ANONYMOUS, actor_for
from lampungin.agencies.models import Agency
from lampungin.cases import permissions, selectors, services
from lampungin.cases.choices import Action, CaseState, Privacy, Visibility
from lampungin.cases.lifecycle import TRANSITIONS
from lampungin.core.errors import NotAllowed, NotFound

READS_CASE_IN_BANDAR_LAMPUNG = {
    "citizen": True,  # the reporter
    "citizen2": False,
    "officer_a": True,
    "admin_a": True,
    "officer_b": False,
    "liaison": True,  # the case lies in the liaison's kabupaten/kota
    "analyst": True,
    "auditor": True,
    "platform_admin": True,
}

READS_CASE_IN_LAMPUNG_SELATAN = {**READS_CASE_IN_BANDAR_LAMPUNG, "liaison": False}

# Staff actions on the agency's case: only its officers and admins, and the platform admin.
TAKES_STAFF_ACTIONS = {
    "citizen": False,  # even the reporter cannot verify their own report
    "citizen2": False,
    "officer_a": True,
    "admin_a": True,
    "officer_b": False,
    "liaison": False,  # a provincial agency's case: reads, does not act
    "analyst": False,
    "auditor": False,
    "platform_admin": True,
}

SEES_REPORTER = {
    Privacy.PUBLIC: {
        "citizen": True,
        "citizen2": False,
        "officer_a": True,
        "admin_a": True,
        "officer_b": False,
        "liaison": False,
        "analyst": False,
        "auditor": True,
        "platform_admin": True,
    },
    Privacy.CONFIDENTIAL: {
        "citizen": True,
        "citizen2": False,
        "officer_a": True,
        "admin_a": True,
        "officer_b": False,
        "liaison": False,
        "analyst": False,
        "auditor": True,
        "platform_admin": True,
    },
    # Anonymous: nobody but the reporter, not even the officer working it.
    Privacy.ANONYMOUS: {name: name == "citizen" for name in ALL_PERSONAS},
}

SEES_INTERNAL_NOTES = {
    "citizen": False,
    "officer_a": True,
    "admin_a": True,
    "liaison": True,
    "analyst": True,
    "auditor": True,
    "platform_admin": True,
}


@pytest.fixture
def personas(request):
    """``personas("officer_a")`` → that persona's user (created on demand)."""
    return request.getfixturevalue


# --- reading --------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), READS_CASE_IN_BANDAR_LAMPUNG.items())
@pytest.mark.parametrize("privacy", list(Privacy))
def test_who_reads_a_case(make_case, citizen, personas, persona, expected, privacy):
    case = make_case(citizen, privacy=privacy)
    actor = actor_for(personas(persona))
    assert permissions.scope_cases(actor).filter(pk=case.pk).exists() is expected
    try:
        found = selectors.get_case(actor, case.tracking.lower()).pk
    except NotFound as exc:
        found = exc.message
    assert found == (case.pk if expected else "Laporan tidak ditemukan.")


@pytest.mark.parametrize(("persona", "expected"), READS_CASE_IN_LAMPUNG_SELATAN.items())
def test_who_reads_a_case_outside_the_liaisons_region(make_case, citizen, personas, persona, expected):
    case = make_case(citizen, region_code="18.01.04", privacy=Privacy.CONFIDENTIAL)
    actor = actor_for(personas(persona))
    assert permissions.scope_cases(actor).filter(pk=case.pk).exists() is expected


def test_nobody_signed_out_reads_cases(make_case, citizen):
    case = make_case(citizen, privacy=Privacy.PUBLIC)
    assert not permissions.scope_cases(ANONYMOUS).exists()
    with pytest.raises(NotFound):
        selectors.get_case(ANONYMOUS, case.tracking)


@pytest.mark.parametrize(("persona", "expected"), READS_CASE_IN_BANDAR_LAMPUNG.items())
def test_api_detail_read(make_case, citizen, api_as, personas, persona, expected):
    case = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    response = api_as(personas(persona)).get(f"/reports/{case.tracking}")
    assert response.status_code == (200 if expected else 404)
    assert response.json().get("tracking") == (case.tracking if expected else None)
    assert response.json().get("detail") == (None if expected else "Laporan tidak ditemukan.")


def test_liaison_reads_a_case_referred_to_their_government(make_case, citizen, liaison, officer_a):
    case = make_case(citizen, region_code="18.01.04", state=CaseState.VERIFIED, staff=officer_a)
    actor = actor_for(liaison)
    assert not permissions.scope_cases(actor).filter(pk=case.pk).exists()
    act(case, Action.REFER, staff=officer_a, referred_to_code="pemkab-1871")
    assert permissions.scope_cases(actor).filter(pk=case.pk).exists()


# --- acting -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p, ok in TAKES_STAFF_ACTIONS.items() if ok])
def test_staff_of_the_agency_acts(make_case, citizen, officer_a, personas, persona):
    case = make_case(citizen, staff=officer_a)
    actor = actor_for(personas(persona))
    assert permissions.may_act(actor, case, Action.VERIFY)
    services.perform_action(actor=actor, case=case, action=Action.VERIFY)
    case.refresh_from_db()
    assert case.state == CaseState.VERIFIED


@pytest.mark.parametrize("persona", [p for p, ok in TAKES_STAFF_ACTIONS.items() if not ok])
def test_others_may_not_act(make_case, citizen, officer_a, personas, persona):
    case = make_case(citizen, staff=officer_a)
    actor = actor_for(personas(persona))
    assert not permissions.may_act(actor, case, Action.VERIFY)
    with pytest.raises(NotAllowed) as exc:
        services.perform_action(actor=actor, case=case, action=Action.VERIFY)
    assert exc.value.message == "Anda tidak berwenang melakukan tindakan ini pada laporan ini."
    assert exc.value.status == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.events.count() == 1


@pytest.mark.parametrize("action", [Action.CONFIRM, Action.DISPUTE])
def test_the_reporter_confirms_or_disputes(make_case, citizen, officer_a, action):
    case = make_case(citizen, state=CaseState.RESOLVED, staff=officer_a)
    services.perform_action(actor=actor_for(citizen), case=case, action=action, message="Belum beres.")
    case.refresh_from_db()
    assert case.state == TRANSITIONS[action][CaseState.RESOLVED]


@pytest.mark.parametrize("persona", [p for p in ALL_PERSONAS if p != "citizen"])
@pytest.mark.parametrize("action", [Action.CONFIRM, Action.DISPUTE])
def test_nobody_else_confirms_or_disputes(make_case, citizen, officer_a, personas, persona, action):
    case = make_case(citizen, state=CaseState.RESOLVED, staff=officer_a)
    with pytest.raises(NotAllowed):
        services.perform_action(
            actor=actor_for(personas(persona)), case=case, action=action, message="Belum beres."
        )
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED


def test_liaison_acts_for_their_regency_government(make_case, citizen, liaison):
    """A report routed to a kabupaten/kota government is worked by that region's liaison."""
    case = make_case(citizen, category="sampah", region_code="18.71.01")
    # Transfers are not built yet: route the case to the city government directly.
    case.agency = Agency.objects.get(code="pemkab-1871")
    case.save(update_fields=["agency"])
    actor = actor_for(liaison)
    assert permissions.handles(actor, case)
    services.perform_action(actor=actor, case=case, action=Action.VERIFY)
    case.refresh_from_db()
    assert case.state == CaseState.VERIFIED


@pytest.mark.parametrize("persona", ["analyst", "auditor"])
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_read_only_roles_cannot_act(make_case, citizen, officer_a, personas, persona, action):
    state = next(iter(TRANSITIONS[action]))
    case = make_case(citizen, state=state, staff=officer_a)
    actor = actor_for(personas(persona))
    assert selectors.get_case(actor, case.tracking).pk == case.pk  # reads it …
    with pytest.raises(NotAllowed):  # … but never acts
        services.perform_action(
            actor=actor, case=case, action=action, message="Keterangan.", assignee_id=officer_a.pk
        )
    case.refresh_from_db()
    assert case.state == state


@pytest.mark.parametrize("persona", ["analyst", "auditor"])
@pytest.mark.parametrize("internal", [False, True])
def test_read_only_roles_cannot_comment(make_case, citizen, personas, persona, internal):
    case = make_case(citizen)
    with pytest.raises(NotAllowed, match="tidak berwenang"):
        services.add_comment(
            actor=actor_for(personas(persona)), case=case, message="Catatan", internal=internal
        )
    assert case.events.count() == 1


@pytest.mark.parametrize("persona", ["analyst", "auditor"])
def test_read_only_roles_refused_by_the_api(make_case, citizen, officer_a, api_as, personas, persona):
    case = make_case(citizen, staff=officer_a)
    client = api_as(personas(persona))
    assert client.get(f"/reports/{case.tracking}").status_code == 200
    assert client.get(f"/reports/{case.tracking}").json()["allowed_actions"] == []
    response = client.post(f"/reports/{case.tracking}/actions", {"action": "verify"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    response = client.post(f"/reports/{case.tracking}/comments", {"message": "Catatan", "internal": True})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.events.count() == 1


def test_citizen_cannot_comment_internally(make_case, citizen):
    case = make_case(citizen)
    with pytest.raises(NotAllowed):
        services.add_comment(actor=actor_for(citizen), case=case, message="Catatan", internal=True)


def test_empty_comment_refused(make_case, citizen):
    case = make_case(citizen)
    with pytest.raises(ValidationError) as exc:
        services.add_comment(actor=actor_for(citizen), case=case, message="  ")
    assert exc.value.message_dict == {"message": ["Pesan tidak boleh kosong."]}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_opens_the_staff_inbox(db, api_as, personas, persona):
    response = api_as(personas(persona)).get("/staff/inbox")
    assert response.status_code == (403 if persona.startswith("citizen") else 200)


# --- agency B ---------------------------------------------------------------------------


def test_officer_of_other_agency_cannot_see_or_act(make_case, citizen, officer_a, officer_b, api_as):
    case = make_case(citizen, privacy=Privacy.PUBLIC, staff=officer_a)
    actor = actor_for(officer_b)
    with pytest.raises(NotFound):
        selectors.get_case(actor, case.tracking)
    with pytest.raises(NotAllowed):
        services.perform_action(actor=actor, case=case, action=Action.VERIFY)
    with pytest.raises(NotAllowed):
        services.add_comment(actor=actor, case=case, message="Bukan urusan saya.")

    client = api_as(officer_b)
    assert client.get(f"/reports/{case.tracking}").status_code == 404
    assert client.get(f"/reports/{case.tracking}/timeline").status_code == 404
    assert client.post(f"/reports/{case.tracking}/actions", {"action": "verify"}).status_code == 404
    assert client.post(f"/reports/{case.tracking}/comments", {"message": "Halo"}).status_code == 404
    inbox = client.get("/staff/inbox").json()
    assert case.tracking not in [item["tracking"] for item in inbox["items"]]
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.events.count() == 1


def test_officer_of_other_agency_gets_404_on_staff_page(make_case, citizen, officer_b, client):
    case = make_case(citizen)
    client.force_login(officer_b)
    assert client.get(f"/kantor/laporan/{case.tracking}/").status_code == 404
    response = client.post(f"/kantor/laporan/{case.tracking}/", {"form": "action", "action": "verify"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


# --- the reporter's identity --------------------------------------------------------------


@pytest.mark.parametrize("privacy", list(Privacy))
@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_sees_the_reporter(make_case, citizen, personas, persona, privacy):
    case = make_case(citizen, privacy=privacy)
    actor = actor_for(personas(persona))
    assert permissions.may_see_reporter(actor, case) is SEES_REPORTER[privacy][persona]
    assert permissions.may_see_reporter(ANONYMOUS, case) is False


@pytest.mark.parametrize(
    ("persona", "privacy", "expected"),
    [
        ("officer_a", Privacy.PUBLIC, "Siti Rahmawati"),
        ("officer_a", Privacy.CONFIDENTIAL, "Siti Rahmawati"),
        ("officer_a", Privacy.ANONYMOUS, None),
        ("admin_a", Privacy.ANONYMOUS, None),
        ("platform_admin", Privacy.ANONYMOUS, None),
        ("auditor", Privacy.ANONYMOUS, None),
        ("analyst", Privacy.PUBLIC, None),
        ("liaison", Privacy.PUBLIC, None),
        ("citizen", Privacy.ANONYMOUS, "Siti Rahmawati"),  # the reporter sees their own name
    ],
)
def test_api_reporter_name(make_case, citizen, api_as, personas, persona, privacy, expected):
    case = make_case(citizen, privacy=privacy)
    response = api_as(personas(persona)).get(f"/reports/{case.tracking}")
    assert response.status_code == 200
    assert response.json()["reporter_name"] == expected


def test_anonymous_report_hidden_on_staff_page(make_case, citizen, officer_a, client):
    case = make_case(citizen, privacy=Privacy.ANONYMOUS)
    client.force_login(officer_a)
    response = client.get(f"/kantor/laporan/{case.tracking}/")
    assert response.status_code == 200
    assert "Siti Rahmawati" not in response.content.decode()
    assert "Anonim (identitas disembunyikan)" in response.content.decode()


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.ANONYMOUS])
def test_reporter_never_on_public_page_or_api(make_case, citizen, officer_a, client, privacy):
    case = make_case(
        citizen, privacy=privacy, state=CaseState.IN_PROGRESS, staff=officer_a, lat=-5.43, lng=105.26
    )
    services.add_comment(actor=actor_for(citizen), case=case, message="Saya Siti, rumah saya di ujung gang.")

    page = client.get(f"/laporan/{case.tracking}")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.title in html
    for secret in ("Siti Rahmawati", "siti@warga.test", "rumah saya di ujung gang", "-5.43", "105.26"):
        assert secret not in html

    response = ApiClient().get(f"/public/reports/{case.tracking}")
    assert response.status_code == 200
    body = response.json()
    assert {"reporter_name", "lat", "lng", "address", "assignee_name"}.isdisjoint(body)
    text = response.content.decode()
    for secret in ("Siti Rahmawati", "siti@warga.test", "rumah saya di ujung gang", "-5.43", "105.26"):
        assert secret not in text


@pytest.mark.parametrize("action", [Action.DISPUTE, Action.REPORTER_REPLY])
def test_reporters_own_words_never_public(make_case, citizen, officer_a, client, action):
    state = CaseState.RESOLVED if action == Action.DISPUTE else CaseState.WAITING_REPORTER
    case = make_case(citizen, privacy=Privacy.PUBLIC, state=state, staff=officer_a)
    services.perform_action(
        actor=actor_for(citizen), case=case, action=action, message="Rumah saya Jl. Kenanga 5, HP 0812..."
    )
    assert "Jl. Kenanga 5" not in client.get(f"/laporan/{case.tracking}").content.decode()
    assert "Jl. Kenanga 5" not in ApiClient().get(f"/public/reports/{case.tracking}").content.decode()
    # ...but the officers working the case do read them, in the same timeline.
    staff_view = selectors.timeline(actor_for(officer_a), case)
    assert any("Jl. Kenanga 5" in e.message for e in staff_view)


def test_another_citizen_cannot_read_a_confidential_report(make_case, citizen, citizen2, api_as):
    case = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    actor = actor_for(citizen2)
    with pytest.raises(NotFound):
        selectors.get_case(actor, case.tracking)
    assert permissions.may_see_reporter(actor, case) is False
    client = api_as(citizen2)
    assert client.get(f"/reports/{case.tracking}").status_code == 404
    assert client.get(f"/reports/{case.tracking}/timeline").status_code == 404
    assert case.tracking not in [c["tracking"] for c in client.get("/reports/mine").json()["items"]]
    assert ApiClient().get(f"/public/reports/{case.tracking}").status_code == 404


def test_another_citizen_sees_a_public_report_only_publicly(make_case, citizen, citizen2, api_as):
    case = make_case(citizen, privacy=Privacy.PUBLIC)
    client = api_as(citizen2)
    assert client.get(f"/reports/{case.tracking}").status_code == 404
    public = client.get(f"/public/reports/{case.tracking}")
    assert public.status_code == 200
    assert "reporter_name" not in public.json()
    assert "Siti Rahmawati" not in public.content.decode()


# --- internal notes -----------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), SEES_INTERNAL_NOTES.items())
def test_who_sees_internal_notes(make_case, citizen, officer_a, api_as, personas, persona, expected):
    case = make_case(citizen, privacy=Privacy.PUBLIC, state=CaseState.ASSIGNED, staff=officer_a)
    services.add_comment(
        actor=actor_for(officer_a), case=case, message="Catatan rahasia petugas.", internal=True
    )
    actor = actor_for(personas(persona))
    levels = permissions.visible_event_levels(actor, case)
    assert (Visibility.INTERNAL in levels) is expected
    messages = [e.message for e in selectors.timeline(actor, case)]
    assert ("Catatan rahasia petugas." in messages) is expected
    response = api_as(personas(persona)).get(f"/reports/{case.tracking}/timeline")
    assert response.status_code == 200
    assert ("Catatan rahasia petugas." in response.content.decode()) is expected


def test_internal_notes_never_public(make_case, citizen, officer_a, client):
    case = make_case(citizen, privacy=Privacy.PUBLIC, state=CaseState.ASSIGNED, staff=officer_a)
    services.add_comment(
        actor=actor_for(officer_a), case=case, message="Catatan rahasia petugas.", internal=True
    )
    services.add_comment(actor=actor_for(officer_a), case=case, message="Tanggapan untuk publik.")
    assert "Catatan rahasia petugas." not in [e.message for e in selectors.public_timeline(case)]
    html = client.get(f"/laporan/{case.tracking}").content.decode()
    assert "Tanggapan untuk publik." in html
    assert "Catatan rahasia petugas." not in html
    text = ApiClient().get(f"/public/reports/{case.tracking}").content.decode()
    assert "Tanggapan untuk publik." in text
    assert "Catatan rahasia petugas." not in text


def test_internal_notes_invisible_to_the_reporter_page(make_case, citizen, officer_a, client):
    case = make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    services.add_comment(
        actor=actor_for(officer_a), case=case, message="Catatan rahasia petugas.", internal=True
    )
    client.force_login(citizen)
    html = client.get(f"/akun/laporan/{case.tracking}/").content.decode()
    assert "Catatan rahasia petugas." not in html
    assert "Didisposisikan" in html


# --- confidential reports in public --------------------------------------------------------


def test_confidential_report_is_404_publicly(make_case, citizen, client):
    case = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    page = client.get(f"/laporan/{case.tracking}")
    assert page.status_code == 404
    assert case.title not in page.content.decode()
    response = ApiClient().get(f"/public/reports/{case.tracking}")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Laporan tidak ditemukan atau bersifat rahasia.",
        "code": "not_found",
    }


def test_confidential_report_404_even_for_its_reporter_publicly(make_case, citizen, client):
    case = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    client.force_login(citizen)
    assert client.get(f"/laporan/{case.tracking}").status_code == 404
    assert client.get(f"/akun/laporan/{case.tracking}/").status_code == 200


def test_photos_of_confidential_report_are_not_served_publicly(make_case, citizen, officer_a, client):
    case = make_case(citizen, privacy=Privacy.CONFIDENTIAL, photos=[photo()])
    attachment = case.attachments.get()
    assert client.get(f"/lampiran/{attachment.pk}").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/lampiran/{attachment.pk}").status_code == 200
    client.force_login(officer_a)
    assert client.get(f"/lampiran/{attachment.pk}").status_code == 200


def test_photos_of_public_report_are_served_publicly(make_case, citizen, client):
    case = make_case(citizen, privacy=Privacy.PUBLIC, photos=[photo()])
    response = client.get(f"/lampiran/{case.attachments.get().pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
