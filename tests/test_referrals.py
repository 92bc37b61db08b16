"""Referral (bukan wewenang): on the platform, by e-mail after commit, the LAPOR! exchange both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import get_token
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.agencies.models import Agency
from lampungin.cases import referrals, selectors, services
from lampungin.cases.choices import Action, CaseState, EventKind, ReferralChannel
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import outbox
from lampungin.core.errors import NotAllowed
from lampungin.integrations.lapor import exchange
from lampungin.sla.choices import ClockKind
from lampungin.sla.services import ensure_default_policy

DATA = Path(__file__).parent / "data" / "lapor"


@pytest.fixture
def offline_regency(db) -> Agency:
    """Kota Bandar Lampung's government, not yet on the platform, reachable by e-mail."""
    agency = Agency.objects.get(code="pemkab-1871")
    agency.onboarded = False
    agency.email = "pengaduan@bandarlampungkota.test"
    agency.save()
    return agency


@pytest.fixture
def referred(make_case, citizen, officer_a, offline_regency):
    return make_case(citizen, state=CaseState.REFERRED, staff=officer_a)


def sample(name: str, tracking: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    path.write_text((DATA / name).read_text().replace("{TRACKING}", tracking))
    return path


def test_channel_for():
    assert referrals.channel_for(Agency(onboarded=True)) == ReferralChannel.PLATFORM
    assert referrals.channel_for(Agency(onboarded=False, email="a@b.test")) == ReferralChannel.EMAIL
    assert referrals.channel_for(Agency(onboarded=False)) == ReferralChannel.LAPOR


def test_onboarded_government_sees_it_through_its_liaison(make_case, citizen, officer_a, liaison):
    case = make_case(citizen, state=CaseState.REFERRED, staff=officer_a)
    assert case.referred_to.onboarded
    assert selectors.get_case(actor_for(liaison), case.tracking) == case
    outbox.dispatch()
    assert mail.outbox == []  # on the platform: no e-mail


def test_referral_mail_sent_after_commit_once(referred, offline_regency):
    assert mail.outbox == []  # never in the request
    outbox.dispatch()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [offline_regency.email]
    assert referred.tracking in message.subject and referred.description in message.body
    assert "Siti" not in message.body  # never the reporter's identity
    sent = referred.events.get(kind=EventKind.REFERRAL_SENT)
    assert sent.data["channel"] == "email" and sent.visibility == "public"
    # Delivered at least once: a second run of the handler does not send again.
    from lampungin.integrations.lapor.mail import send_referral_mail

    refer = referred.events.get(action=Action.REFER)
    send_referral_mail({"action": "refer", "event_id": refer.pk})
    assert len(mail.outbox) == 1
    referred.refresh_from_db()
    assert verify_case_chain(referred) == []


def test_export_lists_offline_referrals_without_identity(referred, make_case, citizen, officer_a, tmp_path):
    onboarded = make_case(citizen, state=CaseState.REFERRED, staff=officer_a, region_code="18.72.01")
    out = tmp_path / "lapor.json"
    call_command("lapor", "export", "--output", str(out))
    document = json.loads(out.read_text())
    assert (document["format"], document["version"]) == ("lampungin.lapor-exchange", 1)
    trackings = [r["tracking"] for r in document["reports"]]
    assert referred.tracking in trackings and onboarded.tracking not in trackings
    record = document["reports"][0]
    assert record["referred_to"]["code"] == "pemkab-1871"
    assert record["reason"]
    assert "Siti" not in out.read_text() and "siti@" not in out.read_text()
    call_command("lapor", "export", "--since", "2999-01-01", "--output", str(out))
    assert json.loads(out.read_text())["reports"] == []


def test_import_records_updates_once(referred, tmp_path, capsys):
    path = sample("status_updates.json", referred.tracking, tmp_path)
    call_command("lapor", "import", str(path))
    news = referrals.news(referred)
    assert [e.data["status"] for e in news] == ["diterima", "selesai"]
    assert news[1].visibility == "public" and "ditambal" in news[1].message
    assert news[0].actor_label == "Pemerintah Kabupaten Lampung Selatan"
    call_command("lapor", "import", str(path))  # again: nothing new
    assert len(referrals.news(referred)) == 2
    assert "sudah ada: 2" in capsys.readouterr().out
    referred.refresh_from_db()
    assert verify_case_chain(referred) == []


def test_import_reports_bad_updates(referred, tmp_path):
    path = sample("bad_updates.json", referred.tracking, tmp_path)
    with pytest.raises(CommandError):
        call_command("lapor", "import", str(path))
    assert referrals.news(referred) == []


def test_citizen_sees_the_status_coming_back(referred, citizen, tmp_path):
    call_command("lapor", "import", str(sample("status_updates.json", referred.tracking, tmp_path)))
    public = Client().get(f"/laporan/{referred.tracking}").content.decode()
    assert "Dirujuk" in public and "Jalan telah ditambal" in public
    assert "Kabar dari instansi rujukan" in public


def test_api_status_endpoint(referred, platform_admin, officer_b, client):
    update = {"id": "API-1", "tracking": referred.tracking, "status": "diproses", "message": "Sedang dicek."}
    headers = {"Authorization": f"Bearer {get_token(platform_admin)}"}
    url = "/api/v1/integrations/lapor/status"
    response = client.post(url, update, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json() == {"recorded": 1, "duplicates": 0, "errors": []}
    response = client.post(url, {"updates": [update]}, content_type="application/json", headers=headers)
    assert response.json()["duplicates"] == 1
    other = {"Authorization": f"Bearer {get_token(officer_b)}"}
    response = client.post(url, {**update, "id": "API-2"}, content_type="application/json", headers=other)
    assert response.json()["errors"] and response.json()["recorded"] == 0
    assert client.post(url, update, content_type="application/json").status_code == 401


def test_liaison_of_receiving_region_may_report(make_case, citizen, officer_a, liaison, officer_b):
    case = make_case(citizen, state=CaseState.REFERRED, staff=officer_a)
    update = referrals.StatusUpdate(update_id="L-1", tracking=case.tracking, status="diterima")
    assert referrals.record_status_update(actor=actor_for(liaison), update=update, source="web") is not None
    with pytest.raises(NotAllowed):
        referrals.record_status_update(
            actor=actor_for(officer_b),
            update=referrals.StatusUpdate("L-2", case.tracking, "diterima"),
            source="web",
        )


def test_export_document_shape_is_documented():
    doc = (Path(__file__).parents[1] / "docs" / "api" / "lapor-exchange.md").read_text()
    for key in (
        "tracking",
        "referred_to",
        "updates",
        "occurred_at",
        "diterima",
        "dikembalikan",
        exchange.FORMAT,
    ):
        assert key in doc


def test_a_returned_referral_comes_back_to_the_agency_that_referred_it(referred, officer_a, tmp_path):
    ensure_default_policy()
    agency = referred.agency
    call_command("lapor", "import", str(sample("returned_update.json", referred.tracking, tmp_path)))
    referred.refresh_from_db()
    assert referred.state == CaseState.VERIFIED and referred.referred_to is None
    assert referred.agency == agency
    update, back = list(referred.events.order_by("-seq")[:2])[::-1]
    assert update.kind == EventKind.REFERRAL_UPDATE and update.data["status"] == "dikembalikan"
    assert (back.kind, back.action, back.from_state, back.to_state) == (
        EventKind.TRANSITION,
        Action.RETURN_REFERRAL,
        CaseState.REFERRED,
        CaseState.VERIFIED,
    )
    assert back.actor_label == "Pemerintah Kota Bandar Lampung"
    assert "bukan kewenangan kota" in back.message and back.visibility == "public"
    assert back.data["returned_by"] == "pemkab-1871"
    assert referred.clocks.filter(kind=ClockKind.FOLLOW_UP, stopped_at__isnull=True).count() == 1
    assert referred in selectors.inbox(actor_for(officer_a))
    assert verify_case_chain(referred) == []
    # Importing the same file again changes nothing.
    call_command("lapor", "import", str(sample("returned_update.json", referred.tracking, tmp_path)))
    referred.refresh_from_db()
    assert referred.state == CaseState.VERIFIED and referred.last_event_seq == back.seq


def test_an_onboarded_government_returns_it_from_the_office(make_case, citizen, officer_a, liaison):
    case = make_case(citizen, state=CaseState.REFERRED, staff=officer_a)
    client = Client()
    client.force_login(liaison)
    page = client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    assert "Kembalikan rujukan" in page
    response = client.post(
        f"/kantor/laporan/{case.tracking}/",
        {"action": Action.RETURN_REFERRAL, "message": "Bukan jalan kota; ini jalan provinsi."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == CaseState.VERIFIED and case.referred_to is None
    assert "Kembalikan rujukan" not in client.get(f"/kantor/laporan/{case.tracking}/").content.decode()
    # Only the receiving government returns a referral; the referring agency cannot.
    other = make_case(citizen, state=CaseState.REFERRED, staff=officer_a)
    with pytest.raises(NotAllowed):
        services.perform_action(
            actor=actor_for(officer_a), case=other, action=Action.RETURN_REFERRAL, message="Bukan kami."
        )
    other.refresh_from_db()
    assert other.state == CaseState.REFERRED
