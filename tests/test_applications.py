"""Service applications: form validation, step flow, paused clocks, scoping, hash chain, API."""

from __future__ import annotations

from datetime import datetime

import pytest
from applications_support import PDF, approve, good_answers, make_staff, submit
from conftest import image_bytes, upload
from django.core.exceptions import ValidationError
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.applications import permissions, selectors, services
from lampungin.applications.choices import ApplicationState, StepState
from lampungin.applications.formdef import Upload
from lampungin.applications.models import Application, ApplicationEvent, ApplicationFile
from lampungin.applications.timeline import verify_chain
from lampungin.core import clock
from lampungin.core.errors import Conflict, NotAllowed, NotFound
from lampungin.core.models import OutboxMessage
from lampungin.demo.applications import SERVICE_CODE
from lampungin.sla import selectors as sla_selectors
from lampungin.sla.calendar import WIB


def _written(media_root) -> tuple:
    files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    return Application.objects.count(), ApplicationEvent.objects.count(), OutboxMessage.objects.count(), files


# -- form validation ---------------------------------------------------------------------

BAD_INPUT = [
    ("nama_badan", {"answers": {"nama_badan": "  "}}, "Nama pemohon atau badan usaha wajib diisi."),
    ("nama_badan", {"answers": {"nama_badan": "x" * 151}}, "paling banyak 150 karakter"),
    ("nib", {"answers": {"nib": "12345"}}, "NIB terdiri dari 13 angka."),
    ("panjang_m", {"answers": {"panjang_m": "dua belas"}}, "harus berupa angka"),
    ("panjang_m", {"answers": {"panjang_m": "0"}}, "paling kecil 1"),
    ("panjang_m", {"answers": {"panjang_m": "20000"}}, "paling besar 10000"),
    ("tanggal_mulai", {"answers": {"tanggal_mulai": "31/02/2026"}}, "harus berupa tanggal yang benar"),
    ("ruas_jalan", {"answers": {"ruas_jalan": "Jl. Tidak Ada"}}, "Pilih salah satu pilihan"),
    ("surat_permohonan", {"files": {"surat_permohonan": None}}, "wajib diunggah"),
    ("surat_permohonan", {"files": {"surat_permohonan": Upload("s.jpg", image_bytes())}}, "tidak diterima"),
    (
        "surat_permohonan",
        {"files": {"surat_permohonan": Upload("s.pdf", b"%PDF-1.4 terpotong")}},
        "PDF yang utuh",
    ),
    ("gambar_teknis", {"files": {"gambar_teknis": Upload("g.pdf", PDF + b"0" * 5_300_000)}}, "terlalu besar"),
    (
        "gambar_teknis",
        {"files": {"gambar_teknis": Upload("g.exe", b"MZ\x90\x00 bukan gambar")}},
        "bukan foto",
    ),
]


@pytest.mark.parametrize(
    ("field", "overrides", "message"), BAD_INPUT, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUT)]
)
def test_bad_input_gives_a_clear_message_and_writes_nothing(
    process, citizen, media_root, field, overrides, message
):
    before = _written(media_root)
    with pytest.raises(ValidationError) as exc:
        submit(citizen, **overrides)
    assert list(exc.value.message_dict) == [field]
    assert message in exc.value.message_dict[field][0]
    assert _written(media_root) == before


def test_valid_answers_are_stored_in_canonical_form_and_photos_reencoded(process, citizen, media_root):
    photo = image_bytes(gps=True)
    app = submit(
        citizen, answers={"tanggal_mulai": "20/12/2026"}, files={"gambar_teknis": Upload("g.jpg", photo)}
    )
    assert app.answers["panjang_m"] == "12.5"
    assert app.answers["tanggal_mulai"] == "2026-12-20"
    stored = ApplicationFile.objects.get(application=app, field_key="gambar_teknis")
    assert stored.content_type == "image/jpeg"
    data = stored.file.read()
    assert b"KameraUji" not in data and data != photo
    assert app.tracking.startswith("PMH-")
    assert app.state == ApplicationState.IN_REVIEW
    assert app.current_step.order == 1 and app.current_agency.code == "dpmptsp"


def test_apply_page_from_service_page_without_js(process, citizen, media_root):
    client = Client()
    assert "Ajukan permohonan online" in client.get(f"/layanan/{SERVICE_CODE}/").content.decode()
    client.force_login(citizen)
    page = client.get(f"/layanan/{SERVICE_CODE}/ajukan/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    bad = client.post(f"/layanan/{SERVICE_CODE}/ajukan/", {**good_answers(), "nib": "abc"})
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "NIB terdiri dari 13 angka." in body and "Surat permohonan bertanda tangan wajib diunggah." in body
    assert Application.objects.count() == 0
    ok = client.post(
        f"/layanan/{SERVICE_CODE}/ajukan/",
        {
            **good_answers(),
            "gambar_teknis": upload("g.jpg", image_bytes()),
            "surat_permohonan": upload("s.pdf", PDF),
        },
    )
    app = Application.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/akun/permohonan/{app.tracking}/"
    assert app.tracking in client.get("/akun/").content.decode()
    assert client.get(ok["Location"]).status_code == 200


# -- step flow ---------------------------------------------------------------------------


def test_approve_moves_to_the_next_agency(process, citizen, intake, officer_a):
    app = approve(intake, submit(citizen), "Lengkap.")
    assert app.current_step.order == 2 and app.current_agency.code == "binamarga"
    steps = list(app.steps.order_by("order"))
    assert [s.state for s in steps] == [StepState.APPROVED, StepState.ACTIVE, StepState.PENDING]
    assert steps[1].due_at is not None and steps[2].due_at is None
    assert app in selectors.inbox(actor_for(officer_a))
    assert app not in selectors.inbox(actor_for(intake))


def test_another_agency_cannot_act(process, citizen, intake, officer_a, officer_b):
    app = submit(citizen)
    for user in (officer_a, officer_b):  # step 1 belongs to DPMPTSP
        with pytest.raises(NotAllowed):
            approve(user, app)
    app = approve(intake, app)
    with pytest.raises(NotAllowed):  # step 2 belongs to Bina Marga, not DPMPTSP
        services.reject_application(actor=actor_for(intake), application=app, reason="Tidak.")
    with pytest.raises(NotAllowed):
        approve(citizen, app)


def test_reject_needs_a_reason_and_is_final(process, citizen, intake):
    app = submit(citizen)
    with pytest.raises(ValidationError):
        services.reject_application(actor=actor_for(intake), application=app, reason="  ")
    app = services.reject_application(
        actor=actor_for(intake), application=app, reason="Lokasi bukan jalan provinsi."
    )
    assert app.state == ApplicationState.REJECTED and app.decision_note == "Lokasi bukan jalan provinsi."
    assert not hasattr(app, "letter") or app.letter is None
    with pytest.raises(Conflict):
        approve(intake, app)
    assert not selectors.inbox(actor_for(intake)).exists()


def test_return_pauses_the_clock_and_resubmission_resumes_it(process, citizen, intake, officer_a):
    calendar = sla_selectors.calendar_for(None)
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)  # an ordinary working week
    with clock.frozen_at(monday):
        app = approve(intake, submit(citizen))
        step = app.current_step
        step.refresh_from_db()
        due_before = step.due_at
        assert due_before == calendar.add_working_days(monday, 5)
        clock.advance(datetime(2026, 11, 3, 9, 0, tzinfo=WIB) - monday)
        app = services.return_to_applicant(
            actor=actor_for(officer_a),
            application=app,
            fields=["gambar_teknis", "panjang_m"],
            message="Perjelas.",
        )
        step.refresh_from_db()
        assert app.state == ApplicationState.RETURNED and step.state == StepState.RETURNED
        returned_at = step.paused_at
        assert returned_at is not None
        with pytest.raises(Conflict):  # nobody decides while the citizen corrects
            approve(officer_a, app)
        # Only flagged fields are checked; a bad correction writes nothing.
        with pytest.raises(ValidationError) as exc:
            services.resubmit_application(
                actor=actor_for(citizen), application=app, answers={"panjang_m": "-3"}, files={}
            )
        assert set(exc.value.message_dict) == {"panjang_m", "gambar_teknis"}
        with pytest.raises(NotAllowed):
            services.resubmit_application(actor=actor_for(officer_a), application=app, answers={}, files={})
        clock.advance(datetime(2026, 11, 5, 14, 0, tzinfo=WIB) - clock.now())
        app = services.resubmit_application(
            actor=actor_for(citizen),
            application=app,
            answers={"panjang_m": "30", "nama_badan": "diabaikan: tidak diminta"},
            files={"gambar_teknis": Upload("g2.pdf", PDF + b"%rev\n%%EOF")},
        )
    step.refresh_from_db()
    paused = calendar.working_time_between(returned_at, datetime(2026, 11, 5, 14, 0, tzinfo=WIB))
    assert step.paused_working_seconds == int(paused.total_seconds()) > 0
    assert step.due_at == calendar.add_working_time(due_before, paused)
    assert step.state == StepState.ACTIVE and step.paused_at is None
    assert app.state == ApplicationState.IN_REVIEW and app.returned_fields == []
    assert app.answers["panjang_m"] == "30" and app.answers["nama_badan"] == "CV Tapis Jaya"
    assert ApplicationFile.objects.filter(field_key="gambar_teknis").count() == 2
    assert ApplicationFile.objects.filter(field_key="gambar_teknis", superseded_at__isnull=True).count() == 1


def test_return_needs_a_message_and_known_fields(process, citizen, intake):
    app = submit(citizen)
    with pytest.raises(ValidationError):
        services.return_to_applicant(actor=actor_for(intake), application=app, fields=["nib"], message="")
    with pytest.raises(ValidationError):
        services.return_to_applicant(
            actor=actor_for(intake), application=app, fields=["tidak_ada"], message="x"
        )
    with pytest.raises(ValidationError):
        services.return_to_applicant(actor=actor_for(intake), application=app, fields=[], message="x")


# -- who sees what -----------------------------------------------------------------------

VISIBLE_AT_STEP_2 = {
    "citizen": True,
    "citizen2": False,
    "officer_a": True,  # Bina Marga: the current step
    "admin_a": True,
    "officer_b": False,  # Dinas Kesehatan: no step
    "liaison": False,
    "analyst": True,
    "auditor": True,
    "platform_admin": True,
}


@pytest.mark.parametrize(("persona", "visible"), VISIBLE_AT_STEP_2.items())
def test_scoping_per_persona(request, process, citizen, intake, persona, visible):
    app = approve(intake, submit(citizen))
    actor = actor_for(request.getfixturevalue(persona))
    assert permissions.scope_applications(actor).filter(pk=app.pk).exists() is visible
    if not visible:
        with pytest.raises(NotFound):
            selectors.get_application(actor, app.tracking)
    may_act = persona in ("officer_a", "admin_a")
    assert permissions.works_current_step(actor, app) is may_act


def test_a_later_steps_agency_does_not_see_it_before_it_arrives(process, citizen, officer_a):
    app = submit(citizen)
    assert not permissions.scope_applications(actor_for(officer_a)).filter(pk=app.pk).exists()
    assert not selectors.inbox(actor_for(officer_a)).exists()


def test_staff_pages_inbox_and_actions(process, citizen, intake, officer_a, officer_b):
    app = submit(citizen)
    c_intake, c_b = Client(), Client()
    c_intake.force_login(intake)
    c_b.force_login(officer_b)
    assert app.tracking in c_intake.get("/kantor/permohonan/").content.decode()
    assert app.tracking not in c_b.get("/kantor/permohonan/").content.decode()
    url = f"/kantor/permohonan/{app.tracking}/"
    assert c_b.get(url).status_code == 404
    assert c_b.post(url, {"action": "approve"}).status_code == 404
    page = c_intake.get(url).content.decode()
    assert "Setujui dan teruskan" in page and "CV Tapis Jaya" in page
    assert c_intake.post(url, {"action": "approve", "message": "Lengkap."}).status_code == 302
    app.refresh_from_db()
    assert app.current_agency.code == "binamarga"
    assert "Setujui dan teruskan" not in c_intake.get(url).content.decode()  # still readable, no longer acts
    c_a = Client()
    c_a.force_login(officer_a)
    returned = c_a.post(url, {"action": "return", "fields": ["nib"], "message": "NIB tidak terbaca."})
    assert returned.status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.RETURNED and app.returned_fields == ["nib"]
    citizen_client = Client()
    citizen_client.force_login(citizen)
    mine = f"/akun/permohonan/{app.tracking}/"
    assert "NIB tidak terbaca." in citizen_client.get(mine).content.decode()
    bad = citizen_client.post(mine, {"nib": "1"})
    assert bad.status_code == 400 and "NIB terdiri dari 13 angka." in bad.content.decode()
    assert citizen_client.post(mine, {"nib": "9120009999999"}).status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.IN_REVIEW and app.answers["nib"] == "9120009999999"
    other = Client()
    other.force_login(make_staff("x@dinkes2.test", "dinkes"))
    assert other.get(mine).status_code == 404


# -- timeline ----------------------------------------------------------------------------


def test_every_change_is_a_chained_event_and_tampering_is_detected(process, citizen, intake):
    app = approve(intake, submit(citizen))
    assert list(app.events.values_list("kind", flat=True)) == ["submitted", "approved"]
    assert verify_chain(app) == []
    first = app.events.get(seq=1)
    assert "CV Tapis Jaya" not in str(first.data)  # answers are hashed, not copied into the chain
    ApplicationEvent.objects.filter(pk=first.pk).update(message="diubah")
    assert any("isi berubah" in p for p in verify_chain(app))
    ApplicationEvent.objects.filter(pk=first.pk).update(message=first.message)
    app.events.get(seq=2).delete()
    assert any("tidak ditemukan" in p for p in verify_chain(app))


# -- API ---------------------------------------------------------------------------------


def test_api_submit_list_detail_and_actions(process, citizen, citizen2, officer_b, intake, api_as):
    api = api_as(citizen)
    bad = api.post_form("/applications", {"service": SERVICE_CODE, **good_answers(), "jenis": "?"})
    assert bad.status_code == 400 and "jenis" in bad.json()["errors"]
    data = {
        "service": SERVICE_CODE,
        **good_answers(),
        "gambar_teknis": upload("g.pdf", PDF),
        "surat_permohonan": upload("s.pdf", PDF),
    }
    created = api.post_form("/applications", data)
    assert created.status_code == 201, created.content
    tracking = created.json()["tracking"]
    assert [s["order"] for s in created.json()["steps"]] == [1, 2, 3]
    assert [a["tracking"] for a in api.get("/applications").json()] == [tracking]
    assert api_as(citizen2).get(f"/applications/{tracking}").status_code == 404
    assert (
        api_as(officer_b).post(f"/applications/{tracking}/actions", {"action": "approve"}).status_code == 404
    )
    staff = api_as(intake)
    assert [a["tracking"] for a in staff.get("/applications/inbox").json()] == [tracking]
    assert staff.get(f"/applications/{tracking}").json()["allowed_actions"] == ["approve", "return", "reject"]
    moved = staff.post(f"/applications/{tracking}/actions", {"action": "approve"})
    assert moved.status_code == 200 and moved.json()["current_step"] == 2
    again = staff.post(f"/applications/{tracking}/actions", {"action": "approve"})
    assert again.status_code == 403
