"""The /kantor/ case page's forms for joint handling, validation and merging (decision 0010)."""

from __future__ import annotations

import pytest
from conftest import _staff
from django.test import Client

from lampungin.accounts.choices import Role
from lampungin.agencies.models import Agency
from lampungin.cases.choices import CaseState, EventKind, RejectReason, TaskState, Visibility
from lampungin.cases.models import CaseMerge, CaseTask
from lampungin.catalog.choices import ResolutionValidation
from lampungin.catalog.models import ReportCategory
from lampungin.sla import services as sla_services


@pytest.fixture(autouse=True)
def _policy(db):
    sla_services.ensure_default_policy()


@pytest.fixture
def officer_c(db):
    """An officer of BPBD: neither responsible, nor holding a task, nor validating."""
    return _staff("citra@bpbd.test", "Citra Dewi", Role.OFFICER, agency="bpbd")


@pytest.fixture
def validator(db):
    return _staff("vali@biro-organisasi.test", "Vali Validator", Role.OFFICER, agency="biro-organisasi")


@pytest.fixture
def validated_category(db):
    category = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    category.resolution_validation = ResolutionValidation.AGENCY
    category.validating_agency = Agency.objects.get(code="biro-organisasi")
    category.save()
    return category


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(case) -> str:
    return f"/kantor/laporan/{case.tracking}/"


def post_ok(client: Client, url: str, case, data: dict) -> list[str]:
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(page(case), 302)], response.content.decode()[:2000]
    return [str(m) for m in response.context["messages"]]


def test_joint_task_from_the_page_then_resolve_and_validate(
    make_case, citizen, officer_a, officer_b, validator, validated_category
):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    a, b, v = signed_in(officer_a), signed_in(officer_b), signed_in(validator)

    # A opens a task for B from the case page.
    html = a.get(page(case)).content.decode()
    assert f'action="/kantor/laporan/{case.tracking}/tugas/"' in html
    assert 'value="dinkes"' in html
    msgs = post_ok(
        a, f"{page(case)}tugas/", case, {"agency": "dinkes", "description": "Periksa sumur warga tercemar."}
    )
    assert msgs == ["Tugas penanganan bersama dibuat."]
    task = CaseTask.objects.get(case=case)
    assert (task.agency.code, task.state) == ("dinkes", TaskState.OPEN)
    # Opening it twice is refused with a message, not an error page.
    again = post_ok(a, f"{page(case)}tugas/", case, {"agency": "dinkes", "description": "Lagi."})
    assert again == ["Instansi tersebut masih memiliki tugas terbuka pada laporan ini."]

    # B sees the case in its inbox and reaches the page through the task.
    assert f'href="{page(case)}"' in b.get("/kantor/").content.decode()
    html = b.get(page(case)).content.decode()
    assert "tugas Anda" in html
    assert f"/tugas/{task.pk}/selesai/" in html
    assert f"/tugas/{task.pk}/catatan/" in html
    assert "Minta instansi lain ikut menangani" not in html  # B does not open tasks
    assert 'name="form" value="action"' not in html  # nor act on the lifecycle
    assert "Anda hanya dapat membaca laporan ini." not in html

    # B writes a task note and completes the task from the page.
    assert post_ok(b, f"{page(case)}tugas/{task.pk}/catatan/", case, {"message": "Tim berangkat besok."}) == [
        "Catatan tugas disimpan."
    ]
    note = case.events.get(kind=EventKind.NOTE, message="Tim berangkat besok.")
    assert (note.visibility, note.data["task_id"]) == (Visibility.INTERNAL, task.pk)
    assert post_ok(b, f"{page(case)}tugas/{task.pk}/selesai/", case, {"message": ""}) == [
        "Tuliskan hasil penanganan."
    ]
    assert post_ok(b, f"{page(case)}tugas/{task.pk}/selesai/", case, {"message": "Air sudah jernih."}) == [
        "Tugas ditandai selesai."
    ]
    task.refresh_from_db()
    assert (task.state, task.result) == (TaskState.DONE, "Air sudah jernih.")
    assert f"/tugas/{task.pk}/selesai/" not in b.get(page(case)).content.decode()

    # A submits the resolution (this category requires validation).
    assert 'value="submit_resolution"' in a.get(page(case)).content.decode()
    post_ok(a, page(case), case, {"form": "action", "action": "submit_resolution", "message": "Sudah."})
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_VALIDATION

    # The validator sees exactly VALIDATE and REJECT_RESOLUTION, and no reply form.
    html = v.get(page(case)).content.decode()
    actions = {
        x for x in ("validate", "reject_resolution", "resolve", "close", "assign") if f'value="{x}"' in html
    }
    assert actions == {"validate", "reject_resolution"}
    assert 'value="comment"' not in html
    assert "/gabung/" not in html
    # A does not see the validator's buttons.
    html_a = a.get(page(case)).content.decode()
    assert 'value="validate"' not in html_a and 'value="reject_resolution"' not in html_a

    post_ok(v, page(case), case, {"form": "action", "action": "reject_resolution", "message": "Belum rapi."})
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    post_ok(a, page(case), case, {"form": "action", "action": "submit_resolution", "message": "Sudah rapi."})
    post_ok(v, page(case), case, {"form": "action", "action": "validate", "message": ""})
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED


def test_resolve_from_the_page_after_the_task_is_done(make_case, citizen, officer_a, officer_b):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    a, b = signed_in(officer_a), signed_in(officer_b)
    post_ok(a, f"{page(case)}tugas/", case, {"agency": "dinkes", "description": "Bantu."})
    task = CaseTask.objects.get(case=case)
    refused = a.post(page(case), {"form": "action", "action": "resolve", "message": "Selesai."})
    assert refused.status_code == 409
    assert "belum selesai" in refused.content.decode()
    post_ok(b, f"{page(case)}tugas/{task.pk}/selesai/", case, {"message": "Beres."})
    post_ok(a, page(case), case, {"form": "action", "action": "resolve", "message": "Selesai."})
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED


def test_task_officer_cannot_complete_another_agencys_task(make_case, citizen, officer_a, officer_b):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    a = signed_in(officer_a)
    post_ok(a, f"{page(case)}tugas/", case, {"agency": "dinkes", "description": "Bantu."})
    task = CaseTask.objects.get(case=case)
    # The responsible agency writes notes on the task but does not complete it.
    html = a.get(page(case)).content.decode()
    assert f"/tugas/{task.pk}/catatan/" in html and f"/tugas/{task.pk}/selesai/" not in html
    msgs = post_ok(a, f"{page(case)}tugas/{task.pk}/selesai/", case, {"message": "Sudah."})
    assert msgs == ["Hanya petugas instansi yang mendapat tugas yang dapat menyelesaikannya."]
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    # A task id of another case is not found through this case.
    other = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    assert (
        signed_in(officer_b).post(f"{page(other)}tugas/{task.pk}/selesai/", {"message": "x"}).status_code
        == 404
    )


def test_merge_from_the_page(make_case, citizen, citizen2, officer_a):
    target = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    source = make_case(citizen2, staff=officer_a)
    a = signed_in(officer_a)
    html = a.get(page(source)).content.decode()
    assert "Gabungkan ke laporan (nomor pelacakan)" in html
    assert post_ok(a, f"{page(source)}gabung/", source, {"target": ""}) == [
        "Isi nomor pelacakan laporan tujuan."
    ]
    assert post_ok(a, f"{page(source)}gabung/", source, {"target": "LPG-0000-000000"}) == [
        "Laporan tujuan LPG-0000-000000 tidak ditemukan atau tidak dapat Anda akses."
    ]
    closed = make_case(citizen, state=CaseState.REJECTED, staff=officer_a)
    assert post_ok(a, f"{page(source)}gabung/", source, {"target": closed.tracking}) == [
        "Laporan tujuan sudah ditutup atau ditolak."
    ]
    source.refresh_from_db()
    assert source.state == CaseState.SUBMITTED

    assert post_ok(a, f"{page(source)}gabung/", source, {"target": target.tracking.lower()}) == [
        "Laporan digabungkan sebagai duplikat."
    ]
    source.refresh_from_db()
    assert (source.state, source.reject_reason) == (CaseState.REJECTED, RejectReason.DUPLICATE)
    assert CaseMerge.objects.get(source=source).target == target
    # A case in progress cannot be merged: no field shown.
    busy = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    assert "/gabung/" not in a.get(page(busy)).content.decode()


def test_outsiders_are_refused(make_case, citizen, citizen2, officer_a, officer_b, officer_c):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    post_ok(signed_in(officer_a), f"{page(case)}tugas/", case, {"agency": "dinkes", "description": "Bantu."})
    task = CaseTask.objects.get(case=case)
    target = make_case(citizen2, state=CaseState.VERIFIED, staff=officer_a)
    posts = [
        (f"{page(case)}tugas/", {"agency": "bpbd", "description": "Ikut."}),
        (f"{page(case)}tugas/{task.pk}/selesai/", {"message": "Selesai."}),
        (f"{page(case)}tugas/{task.pk}/catatan/", {"message": "Catatan."}),
        (f"{page(case)}gabung/", {"target": target.tracking}),
    ]
    for user, status in ((citizen, 403), (citizen2, 403), (officer_c, 404)):
        client = signed_in(user)
        for url, data in posts:
            assert client.post(url, data).status_code == status, (user, url)
    # The task agency may not open tasks nor merge: refused by the services, with a message.
    b = signed_in(officer_b)
    assert post_ok(b, f"{page(case)}tugas/", case, {"agency": "bpbd", "description": "Ikut."}) == [
        "Hanya instansi penanggung jawab yang dapat membagi tugas penanganan."
    ]
    assert Client().post(f"{page(case)}gabung/", {"target": target.tracking}).status_code == 302  # to login
    task.refresh_from_db()
    case.refresh_from_db()
    assert task.state == TaskState.OPEN and case.state == CaseState.IN_PROGRESS
    assert CaseTask.objects.filter(case=case).count() == 1
    assert not CaseMerge.objects.exists()
    # GET on a form endpoint is not allowed.
    assert signed_in(officer_a).get(f"{page(case)}tugas/").status_code == 405
