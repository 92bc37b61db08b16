"""End to end: a three-agency application ends in a PDF letter anyone can verify."""

from __future__ import annotations

import base64
import hashlib
import re
import zlib

import pytest
from applications_support import PDF, good_answers, make_staff
from conftest import image_bytes, upload
from django.test import Client

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.applications import services
from lampungin.applications.choices import ApplicationState, LetterStatus
from lampungin.applications.models import Application
from lampungin.applications.timeline import verify_chain
from lampungin.core.errors import NotAllowed
from lampungin.core.ids import ALPHABET
from lampungin.demo.applications import SERVICE_CODE


def _pdf_text(content: bytes) -> bytes:
    """The page streams of a ReportLab PDF, decoded (ASCII85 + Flate), where the text operators are."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data.removeprefix(b"<~")[:-2])
        try:
            out.append(zlib.decompress(data))
        except zlib.error:
            out.append(data)
    return b"\n".join(out)


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def issued(process, citizen, intake, officer_a) -> Application:
    """Walked through the pages by each party: apply, intake, technical review with one return, issue."""
    mine = _client(citizen)
    files = {"gambar_teknis": upload("g.jpg", image_bytes()), "surat_permohonan": upload("s.pdf", PDF)}
    assert mine.post(f"/layanan/{SERVICE_CODE}/ajukan/", {**good_answers(), **files}).status_code == 302
    app = Application.objects.get()
    work = f"/kantor/permohonan/{app.tracking}/"
    assert _client(intake).post(work, {"action": "approve", "message": "Berkas lengkap."}).status_code == 302
    review = _client(officer_a)
    assert (
        review.post(work, {"action": "return", "fields": ["gambar_teknis"], "message": "Skala?"}).status_code
        == 302
    )
    fixed = mine.post(f"/akun/permohonan/{app.tracking}/", {"gambar_teknis": upload("g2.pdf", PDF)})
    assert fixed.status_code == 302
    assert review.post(work, {"action": "approve", "message": "Layak teknis."}).status_code == 302
    assert _client(intake).post(work, {"action": "approve", "message": "Disetujui."}).status_code == 302
    app.refresh_from_db()
    return app


def test_three_agencies_end_with_a_verifiable_letter(issued, citizen):
    app = issued
    letter = app.letter
    assert app.state == ApplicationState.APPROVED and app.current_agency is None
    assert [s.agency.code for s in app.steps.order_by("order")] == ["dpmptsp", "binamarga", "dpmptsp"]
    assert list(app.events.values_list("kind", flat=True)) == [
        "submitted", "approved", "returned", "resubmitted", "approved", "approved", "letter_issued",
    ]  # fmt: skip
    assert verify_chain(app) == []
    assert len(letter.code) == 16 and set(letter.code) <= set(ALPHABET)
    assert letter.issuing_agency.code == "dpmptsp"

    pdf = _client(citizen).get(f"/akun/permohonan/{app.tracking}/surat.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    text = _pdf_text(content)
    for expected in (
        b"Siti Rahmawati",
        b"DINAS PENANAMAN MODAL",
        b"Disetujui.",
        f"/verifikasi/{letter.code}".encode(),
    ):
        assert expected in text, expected

    page = _client().get(f"/verifikasi/{letter.code}")
    body = page.content.decode()
    assert page.status_code == 200
    assert letter.sha256 in body and "Surat ini sah" in body
    assert "Rekomendasi teknis pemanfaatan ruang milik jalan provinsi" in body
    assert "Dinas Penanaman Modal" in body
    assert "S*** R********" in body and "Siti" not in body and "Rahmawati" not in body
    assert "9120001234567" not in body and "Tapis" not in body
    grouped = "-".join(re.findall("....", letter.code)).lower()
    assert _client().get(f"/verifikasi/{grouped}").status_code == 200  # as typed from paper

    api = _client().get(f"/api/v1/letters/{letter.code}")
    assert (
        api.status_code == 200
        and api.json()["sha256"] == letter.sha256
        and api.json()["holder"] == "S*** R********"
    )


def test_forged_or_mistyped_codes_404(issued):
    code = issued.letter.code
    forged = ("2" if code[0] != "2" else "3") + code[1:]
    for candidate in (forged, code[:-1], "SEMBARANG", issued.tracking):
        assert _client().get(f"/verifikasi/{candidate}").status_code == 404, candidate
    assert _client().get(f"/api/v1/letters/{forged}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("citizen", 200), ("citizen2", 404), ("officer_a", 200), ("officer_b", 404), ("auditor", 200)],
)
def test_the_pdf_is_served_only_to_the_applicant_and_staff(request, issued, persona, status):
    response = _client(request.getfixturevalue(persona)).get(f"/akun/permohonan/{issued.tracking}/surat.pdf")
    assert response.status_code == status


def test_anonymous_cannot_download_the_pdf_or_files(issued):
    assert _client().get(f"/akun/permohonan/{issued.tracking}/surat.pdf").status_code == 302
    first = issued.files.first()
    assert _client().get(f"/berkas-permohonan/{first.pk}").status_code == 302


def test_revoked_letter_shows_as_revoked(issued, intake):
    letter = issued.letter
    with pytest.raises(NotAllowed):  # an officer is not the agency admin
        services.revoke_letter(actor=actor_for(intake), letter=letter, reason="Salah objek.")
    admin = make_staff("kepala@dpmptsp.test", "dpmptsp", role=Role.AGENCY_ADMIN)
    services.revoke_letter(actor=actor_for(admin), letter=letter, reason="Salah objek.")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REVOKED
    body = _client().get(f"/verifikasi/{letter.code}").content.decode()
    assert "Surat ini telah dicabut" in body and "Salah objek" not in body
    issued.refresh_from_db()
    assert issued.events.last().kind == "letter_revoked" and verify_chain(issued) == []
