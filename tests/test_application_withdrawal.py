"""An applicant withdrawing an open application, and what deleting the account does to the
person's applications: answers, documents and name erased, the chain and any letter kept."""

from __future__ import annotations

import os

import pytest
from applications_support import approve, submit
from conftest import ApiClient
from django.core.exceptions import ValidationError
from django.test import Client
from test_api_auth import oidc_token

from lampungin.accounts import erasure
from lampungin.accounts.access import actor_for
from lampungin.accounts.erasure import DELETED_NAME, delete_account
from lampungin.accounts.models import CitizenProfile
from lampungin.applications import selectors, services
from lampungin.applications.choices import ApplicationState, EventKind, StepState
from lampungin.applications.models import Application, ApplicationEvent, ApplicationFile
from lampungin.applications.timeline import verify_chain
from lampungin.applications.withdrawal import withdraw_application
from lampungin.core.errors import Conflict, NotAllowed
from lampungin.core.models import OutboxMessage


def withdraw(user, app, reason: str = "") -> Application:
    return withdraw_application(actor=actor_for(user), application=app, reason=reason)


def test_withdrawing_stops_the_step_and_leaves_every_inbox(process, citizen, intake):
    app = submit(citizen)
    assert app in selectors.inbox(actor_for(intake))
    app = withdraw(citizen, app, "Sudah tidak diperlukan.")
    assert app.state == ApplicationState.WITHDRAWN and app.decision_note == "Sudah tidak diperlukan."
    assert app.current_agency is None and app.decided_at is not None
    step = app.steps.get(order=1)
    assert step.state == StepState.WITHDRAWN and step.finished_at == app.decided_at
    assert not selectors.inbox(actor_for(intake)).exists()
    last = app.events.order_by("-seq").first()
    assert last.kind == EventKind.WITHDRAWN and last.actor_id == citizen.pk
    # The applicant's own words stay out of the chain, where they could never be erased.
    assert last.message == "Permohonan ditarik oleh pemohon." and "tidak diperlukan" not in str(last.data)
    assert verify_chain(app) == []
    assert OutboxMessage.objects.filter(topic="application.withdrawn").count() == 1
    with pytest.raises(Conflict):
        approve(intake, app)


def test_a_returned_application_can_be_withdrawn(process, citizen, intake):
    app = submit(citizen)
    services.return_to_applicant(
        actor=actor_for(intake), application=app, message="NIB tidak terbaca.", fields=["nib"]
    )
    app = withdraw(citizen, app)
    assert app.state == ApplicationState.WITHDRAWN
    assert app.decision_note == "Permohonan ditarik oleh pemohon." and app.returned_fields == []
    assert app.steps.get(order=1).state == StepState.WITHDRAWN


def test_only_the_applicant_and_only_while_open(process, citizen, citizen2, intake):
    app = submit(citizen)
    events = ApplicationEvent.objects.count()
    with pytest.raises(NotAllowed):
        withdraw(citizen2, app)
    with pytest.raises(NotAllowed):
        withdraw(intake, app)
    with pytest.raises(ValidationError, match="paling banyak 500"):
        withdraw(citizen, app, "x" * 501)
    assert ApplicationEvent.objects.count() == events
    services.reject_application(actor=actor_for(intake), application=app, reason="Bukan jalan provinsi.")
    with pytest.raises(Conflict, match="sudah diputus"):
        withdraw(citizen, app)
    app.refresh_from_db()
    assert app.state == ApplicationState.REJECTED


def test_withdraw_from_the_page(process, citizen, citizen2):
    app = submit(citizen)
    client = Client()
    client.force_login(citizen)
    page = client.get(f"/akun/permohonan/{app.tracking}/").content.decode()
    assert "Tarik permohonan" in page
    other = Client()
    other.force_login(citizen2)
    assert other.post(f"/akun/permohonan/{app.tracking}/tarik/").status_code == 404
    assert client.get(f"/akun/permohonan/{app.tracking}/tarik/").status_code == 405
    response = client.post(
        f"/akun/permohonan/{app.tracking}/tarik/", {"reason": "Salah layanan."}, follow=True
    )
    text = response.content.decode()
    assert "Permohonan ditarik" in text and "Salah layanan." in text
    assert "Ya, tarik permohonan ini" not in text  # no second withdrawal offered
    again = client.post(f"/akun/permohonan/{app.tracking}/tarik/", follow=True)
    assert "sudah diputus" in again.content.decode()


def test_withdraw_through_the_api(process, citizen, api_as):
    app = submit(citizen)
    api = api_as(citizen)
    response = api.post(f"/applications/{app.tracking}/withdraw", {"reason": "Dobel."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == ApplicationState.WITHDRAWN
    again = api.post(f"/applications/{app.tracking}/withdraw", {})
    assert again.status_code == 409 and again.json()["code"] == "decided"


def test_deleting_the_account_erases_answers_files_and_name(
    process, citizen, intake, officer_a, media_root, django_capture_on_commit_callbacks
):
    CitizenProfile.objects.update_or_create(user=citizen, defaults={"home_region_id": "18.71"})
    open_app = submit(citizen)
    assert open_app.regency_id == "18.71"
    withdrawn = withdraw(citizen, submit(citizen), "Saya pindah ke Metro, alamat baru di Jl. Sudirman 5.")
    done = submit(citizen)
    for user in (intake, officer_a, intake):
        done = approve(user, done)
    assert done.state == ApplicationState.APPROVED
    letter = done.letter
    uploaded = [f.file.path for f in ApplicationFile.objects.all()]
    assert len(uploaded) == 6 and all(os.path.exists(p) for p in uploaded)
    masked_before = selectors.mask_name(citizen.full_name)
    assert masked_before in Client().get(f"/verifikasi/{letter.code}").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=citizen)

    for app in (open_app, withdrawn, done):
        app.refresh_from_db()
        assert app.applicant_id is None and app.applicant_name == DELETED_NAME and app.regency_id is None
        assert app.answers == {} and not app.files.exists()
        kinds = list(app.events.order_by("seq").values_list("kind", flat=True))
        assert kinds[-1] == EventKind.ERASED
        assert verify_chain(app) == []
    assert open_app.state == ApplicationState.WITHDRAWN
    assert "Metro" not in withdrawn.decision_note  # the applicant's own reason is gone too
    assert EventKind.WITHDRAWN in open_app.events.values_list("kind", flat=True)
    assert done.state == ApplicationState.APPROVED
    letter.refresh_from_db()
    assert os.path.exists(letter.file.path)  # the government's record of its decision
    assert not any(os.path.exists(p) for p in uploaded)
    assert not selectors.inbox(actor_for(intake)).exists()

    verify = Client().get(f"/verifikasi/{letter.code}").content.decode()
    assert masked_before not in verify and selectors.mask_name(DELETED_NAME) in verify


def test_files_stay_when_the_deletion_rolls_back(
    process, citizen, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    submit(citizen)
    uploaded = [f.file.path for f in ApplicationFile.objects.all()]

    def fail(user):
        raise RuntimeError("gagal di tengah jalan")

    # An eraser registered after the applications' one fails: the whole deletion rolls back,
    # and the after-commit callbacks that would delete the files never run.
    monkeypatch.setitem(erasure._ERASERS, "zz-fails-last", fail)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        delete_account(user=citizen)
    assert callbacks == []
    assert all(os.path.exists(p) for p in uploaded)
    app = Application.objects.get()
    assert app.applicant_id == citizen.pk and app.answers and app.state == ApplicationState.IN_REVIEW


def test_an_app_needs_the_applications_scopes(process, citizen, intake):
    """An app the citizen signed in to reads or changes their applications only with the
    scopes the citizen consented to; ``openid profile`` opens none of it."""
    app = submit(citizen)
    plain = ApiClient(oidc_token(citizen, "openid profile", raw="token-polos"))
    assert plain.get("/applications").status_code == 403
    assert plain.get(f"/applications/{app.tracking}").status_code == 403
    refused = plain.post(f"/applications/{app.tracking}/withdraw", {})
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    reader = ApiClient(oidc_token(citizen, "openid applications:read", raw="token-baca"))
    assert reader.get(f"/applications/{app.tracking}").json()["tracking"] == app.tracking
    assert reader.post(f"/applications/{app.tracking}/withdraw", {}).status_code == 403
    app.refresh_from_db()
    assert app.state == ApplicationState.IN_REVIEW
    writer = ApiClient(oidc_token(citizen, "applications:write", raw="token-tulis"))
    assert writer.post(f"/applications/{app.tracking}/withdraw", {}).status_code == 200
