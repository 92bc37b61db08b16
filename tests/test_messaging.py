"""Messaging: in-app + e-mail end to end, SMS/WhatsApp gateways, web push, preferences, languages."""

from __future__ import annotations

import base64
import json
import os

import http_ece
import pytest
from conftest import act
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django_tasks_db.models import DBTaskResult
from local_http import start

from lampungin.cases.choices import Action
from lampungin.core import outbox
from lampungin.notifications import services
from lampungin.notifications.choices import Channel, DeliveryStatus
from lampungin.notifications.models import Delivery, Notification, PushSubscription
from lampungin.notifications.tasks import send_delivery_task


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    rec, server = start()
    yield rec
    server.shutdown()
    server.server_close()


def verify_case(citizen, make_case):
    case = make_case(citizen)
    outbox.dispatch()  # the submission: the reporter's own step notifies nobody
    act(case, Action.VERIFY)
    return case


def test_citizen_gets_in_app_and_email_end_to_end(citizen, make_case, django_capture_on_commit_callbacks):
    case = verify_case(citizen, make_case)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.dispatch()
    assert Notification.objects.filter(user=citizen, title__contains=case.tracking).exists()
    email = Delivery.objects.get(user=citizen, channel=Channel.EMAIL)
    assert email.status == DeliveryStatus.QUEUED and not mail.outbox
    # What `lampungin worker` does: run the task that the dispatch queued for this delivery.
    [queued] = DBTaskResult.objects.filter(task_path=send_delivery_task.module_path, status="READY")
    assert queued.args_kwargs["args"] == [email.pk]
    queued.task.call(*queued.args_kwargs["args"])
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and email.attempts == 1
    [message] = mail.outbox
    assert message.to == [citizen.email]
    assert message.subject == f"Laporan {case.tracking}: Terverifikasi"
    assert f"/akun/laporan/{case.tracking}/" in message.body
    assert Delivery.objects.get(user=citizen, channel=Channel.INAPP).status == DeliveryStatus.SENT


def test_no_duplicate_send_when_the_task_runs_twice(citizen, make_case):
    verify_case(citizen, make_case)
    outbox.dispatch()
    outbox.dispatch()
    email = Delivery.objects.get(user=citizen, channel=Channel.EMAIL)
    assert services.send_delivery(email.pk) == DeliveryStatus.SENT
    assert services.send_delivery(email.pk) == ""
    services.queue_deliveries(
        user=citizen, kind=email.kind, dedupe_key=email.dedupe_key, context=email.context
    )
    assert services.retry_due_deliveries() == 0
    assert len(mail.outbox) == 1


def test_preferences_are_respected(citizen, make_case):
    services.set_channel_preferences(user=citizen, enabled=set())
    verify_case(citizen, make_case)
    outbox.dispatch()
    assert set(Delivery.objects.filter(user=citizen).values_list("channel", flat=True)) == {Channel.INAPP}
    assert Notification.objects.filter(user=citizen).exists()


def test_sms_and_whatsapp_need_a_phone(citizen):
    with pytest.raises(Exception, match="nomor HP"):
        services.set_channel_preferences(user=citizen, enabled={Channel.SMS})


def test_english_template_for_an_english_speaker(citizen, make_case):
    services.set_channel_preferences(user=citizen, enabled={Channel.EMAIL}, language="en")
    case = verify_case(citizen, make_case)
    outbox.dispatch()
    services.retry_due_deliveries()
    [message] = mail.outbox
    assert message.subject.startswith(f"Report {case.tracking}:")
    assert message.body.startswith("Hello Siti")


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.WHATSAPP])
def test_gateway_adapter_protocol(channel, receiver, settings, citizen2, make_case):
    prefix = channel.upper()
    setattr(settings, f"{prefix}_GATEWAY_URL", receiver.url + "/kirim")
    setattr(settings, f"{prefix}_GATEWAY_TOKEN", "rahasia-gateway")
    receiver.answers = [(200, b'{"id": "msg-77"}')]
    services.set_channel_preferences(user=citizen2, enabled={channel})
    case = verify_case(citizen2, make_case)
    outbox.dispatch()
    services.retry_due_deliveries()
    [got] = receiver.requests
    delivery = Delivery.objects.get(user=citizen2, channel=channel)
    assert got.method == "POST" and got.path == "/kirim"
    assert got.headers["Authorization"] == "Bearer rahasia-gateway"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["Idempotency-Key"] == f"lampungin-delivery-{delivery.pk}"
    body = json.loads(got.body)
    assert body["to"] == citizen2.phone
    assert case.tracking in body["text"] and body["reference"] == f"lampungin-delivery-{delivery.pk}"
    assert (delivery.status, delivery.provider_message_id) == (DeliveryStatus.SENT, "msg-77")


def test_gateway_retries_5xx_and_fails_on_4xx(receiver, settings, citizen2, make_case):
    settings.SMS_GATEWAY_URL = receiver.url
    receiver.answers = [(502, b""), (400, b'{"error": "nomor salah"}')]
    services.set_channel_preferences(user=citizen2, enabled={Channel.SMS})
    verify_case(citizen2, make_case)
    outbox.dispatch()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert services.send_delivery(sms.pk) == DeliveryStatus.QUEUED
    Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=sms.created_at)  # due again
    assert services.send_delivery(sms.pk) == DeliveryStatus.FAILED
    sms.refresh_from_db()
    assert sms.attempts == 2 and "nomor salah" in sms.last_error


def test_unconfigured_channel_is_skipped_never_sent(settings, citizen2, make_case):
    settings.WHATSAPP_GATEWAY_URL = ""
    services.set_channel_preferences(user=citizen2, enabled={Channel.WHATSAPP, Channel.EMAIL})
    verify_case(citizen2, make_case)
    outbox.dispatch()
    wa = Delivery.objects.get(channel=Channel.WHATSAPP)
    assert wa.status == DeliveryStatus.SKIPPED and "LAMPUNGIN_WHATSAPP_GATEWAY_URL" in wa.last_error
    assert services.send_delivery(wa.pk) == ""


def _browser_keys():
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = os.urandom(16)

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return private, auth, b64(public), b64(auth)


def test_web_push_is_encrypted_and_vapid_signed(receiver, settings, tmp_path, citizen, make_case):
    settings.VAR_DIR = tmp_path
    from lampungin.notifications.channels.webpush import vapid_keys

    vapid_keys.cache_clear()
    private, auth, p256dh, auth_b64 = _browser_keys()
    services.subscribe_push(user=citizen, endpoint=receiver.url + "/push/abc", p256dh=p256dh, auth=auth_b64)
    receiver.answers = [(201, b"")]
    case = verify_case(citizen, make_case)
    outbox.dispatch()
    services.retry_due_deliveries()
    [got] = receiver.requests
    assert got.path == "/push/abc"
    assert got.headers["Content-Encoding"] == "aes128gcm"
    assert got.headers["Authorization"].startswith("vapid t=")
    assert f"k={vapid_keys()[1]}" in got.headers["Authorization"]
    assert int(got.headers["TTL"]) > 0
    clear = http_ece.decrypt(got.body, private_key=private, auth_secret=auth, version="aes128gcm")
    assert case.tracking in json.loads(clear)["title"]
    assert Delivery.objects.get(channel=Channel.WEBPUSH).status == DeliveryStatus.SENT
    assert (tmp_path / "vapid-private.pem").exists()
    vapid_keys.cache_clear()


def test_gone_push_subscription_is_forgotten(receiver, settings, tmp_path, citizen):
    settings.VAR_DIR = tmp_path
    from lampungin.notifications.channels.webpush import vapid_keys

    vapid_keys.cache_clear()
    _private, _auth, p256dh, auth_b64 = _browser_keys()
    services.subscribe_push(user=citizen, endpoint=receiver.url + "/push/x", p256dh=p256dh, auth=auth_b64)
    receiver.answers = [(410, b"")]
    services.set_channel_preferences(user=citizen, enabled={Channel.WEBPUSH})
    services.queue_deliveries(user=citizen, kind="case_comment", dedupe_key="t:1", context={"tracking": "X"})
    services.retry_due_deliveries()
    assert not PushSubscription.objects.exists()
    assert Delivery.objects.get(channel=Channel.WEBPUSH).status == DeliveryStatus.FAILED
    vapid_keys.cache_clear()


def test_notification_centre_page_and_unread_badge(client, citizen, make_case):
    case = verify_case(citizen, make_case)
    outbox.dispatch()
    client.force_login(citizen)
    page = client.get("/akun/notifikasi/").content.decode()
    assert case.tracking in page and 'class="badge"' in page
    note = Notification.objects.get(user=citizen)
    assert client.post(f"/akun/notifikasi/{note.pk}/dibaca/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'class="badge"' not in client.get("/akun/notifikasi/").content.decode()


def test_preferences_form_and_push_subscribe_endpoint(client, settings, citizen2):
    client.force_login(citizen2)
    assert 'name="channels"' in client.get("/akun/").content.decode()
    client.post("/akun/notifikasi/preferensi/", {"channels": ["email", "sms"], "language": "en"})
    citizen2.refresh_from_db()
    assert citizen2.language == "en"
    assert services.enabled_channels(citizen2) == [Channel.EMAIL, Channel.SMS]
    settings.WEBHOOK_ALLOW_PRIVATE = False
    bad = {"endpoint": "http://127.0.0.1/x", "keys": {"p256dh": "a", "auth": "b"}}
    assert client.post("/akun/notifikasi/push/", bad, content_type="application/json").status_code == 400
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert client.post("/akun/notifikasi/push/", bad, content_type="application/json").status_code == 201
    assert PushSubscription.objects.filter(user=citizen2).exists()
