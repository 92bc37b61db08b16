"""Webhooks: signed deliveries to a real local receiver, retries, replay, scoping, refusal."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from conftest import act
from django.core.exceptions import ValidationError
from local_http import start

from lampungin.agencies.models import Agency
from lampungin.cases.choices import Action, Privacy
from lampungin.core import clock, outbox
from lampungin.integrations.webhooks import services
from lampungin.integrations.webhooks.choices import DeliveryStatus, EventType
from lampungin.integrations.webhooks.models import WebhookDelivery

ALL_TYPES = [EventType.CASE_SUBMITTED, EventType.CASE_TRANSITION, EventType.CASE_ASSIGNED]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    rec, server = start()
    yield rec
    server.shutdown()
    server.server_close()


def verify(secret: str, headers, raw: bytes) -> bool:
    """What an agency's receiver does (docs/api/webhooks.md), written independently of the app."""
    timestamp = headers["X-LampungIn-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-LampungIn-Signature"], f"sha256={expected}")


def subscribe(agency: Agency, url: str, types=ALL_TYPES):
    return services.create_subscription(
        agency=agency, name=f"Sistem {agency.code}", target_url=url, event_types=types
    )


def test_signed_delivery_reaches_the_agency_without_reporter_identity(receiver, citizen, make_case):
    case = make_case(citizen, privacy=Privacy.ANONYMOUS)
    subscription = subscribe(case.agency, receiver.url + "/hook")
    act(case, Action.VERIFY)
    outbox.dispatch()
    assert services.deliver_due() >= 1

    assert receiver.requests, "no request reached the receiver"
    got = receiver.requests[0]
    assert got.method == "POST" and got.path == "/hook"
    assert got.headers["Content-Type"] == "application/json"
    assert verify(subscription.secret, got.headers, got.body)
    assert not verify("whsec_wrong", got.headers, got.body)
    assert not verify(subscription.secret, got.headers, got.body + b" ")
    document = json.loads(got.body)
    delivery = WebhookDelivery.objects.get(uuid=got.headers["X-LampungIn-Delivery"])
    assert got.headers["X-LampungIn-Event"] == document["type"] == delivery.event_type
    assert document["id"] == delivery.event_id
    assert document["case"]["tracking"] == case.tracking
    assert document["case"]["privacy"] == Privacy.ANONYMOUS
    text = got.body.decode()
    for secret_bit in ("reporter", citizen.email, citizen.full_name, "nik", "phone"):
        assert secret_bit not in text
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.response_code == 200 and delivery.delivered_at is not None


def test_assign_also_sends_case_assigned(receiver, citizen, make_case, officer_a):
    case = make_case(citizen, state="verified", staff=officer_a)
    outbox.dispatch()  # what happened before the subscription is not sent
    subscribe(case.agency, receiver.url)
    act(case, Action.ASSIGN, staff=officer_a)
    outbox.dispatch()
    services.deliver_due()
    events = sorted(r.headers["X-LampungIn-Event"] for r in receiver.requests)
    assert events == [EventType.CASE_ASSIGNED, EventType.CASE_TRANSITION]


def test_retries_with_backoff_after_a_server_error(receiver, citizen, make_case):
    receiver.answers = [(500, b"sibuk"), (200, b"ok")]
    case = make_case(citizen)
    subscribe(case.agency, receiver.url, [EventType.CASE_TRANSITION])
    act(case, Action.VERIFY)
    outbox.dispatch()
    start_at = clock.now()
    with clock.frozen_at(start_at):
        services.deliver_due()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert (delivery.attempts, delivery.response_code, delivery.response_excerpt) == (1, 500, "sibuk")
        assert delivery.next_attempt_at == start_at + timedelta(seconds=30)
        assert services.deliver_due() == 0  # not due yet
        clock.advance(timedelta(seconds=31))
        assert services.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert len(receiver.requests) == 2
    assert (
        receiver.requests[0].headers["X-LampungIn-Delivery"]
        == receiver.requests[1].headers["X-LampungIn-Delivery"]
    )


def test_gives_up_after_max_attempts(receiver, citizen, make_case):
    receiver.answers = [(503, b"")]
    case = make_case(citizen)
    subscribe(case.agency, receiver.url, [EventType.CASE_TRANSITION])
    act(case, Action.VERIFY)
    outbox.dispatch()
    with clock.frozen_at(clock.now()):
        for _ in range(services.MAX_ATTEMPTS):
            services.deliver_due()
            clock.advance(timedelta(days=1))
        assert services.deliver_due() == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == services.MAX_ATTEMPTS


def test_replay_from_admin_creates_a_new_delivery(receiver, citizen, make_case, client, django_user_model):
    case = make_case(citizen)
    subscription = subscribe(case.agency, receiver.url, [EventType.CASE_TRANSITION])
    act(case, Action.VERIFY)
    outbox.dispatch()
    services.deliver_due()
    original = WebhookDelivery.objects.get()
    admin = django_user_model.objects.create_superuser(
        email="root@lampungprov.test", password="x", full_name="Root"
    )
    client.force_login(admin)
    response = client.post(
        "/admin/webhooks/webhookdelivery/", {"action": "replay", "_selected_action": [original.pk]}
    )
    assert response.status_code == 302
    replay = WebhookDelivery.objects.get(replay_of=original)
    assert replay.event_id == original.event_id and replay.uuid != original.uuid
    services.deliver_due()
    assert len(receiver.requests) == 2
    first, second = receiver.requests
    assert first.body == second.body
    assert second.headers["X-LampungIn-Delivery"] == str(replay.uuid)
    assert verify(subscription.secret, second.headers, second.body)


def test_an_agency_never_receives_another_agencys_cases(receiver, citizen, make_case):
    case = make_case(citizen)
    other = Agency.objects.exclude(pk=case.agency_id).get(code="dinkes")
    subscribe(other, receiver.url + "/b")
    own = subscribe(case.agency, receiver.url + "/a")
    act(case, Action.VERIFY)
    outbox.dispatch()
    services.deliver_due()
    assert receiver.requests and all(r.path == "/a" for r in receiver.requests)
    assert not WebhookDelivery.objects.exclude(subscription=own).exists()


def test_outbox_redelivery_sends_once(receiver, citizen, make_case):
    case = make_case(citizen)
    subscribe(case.agency, receiver.url, [EventType.CASE_TRANSITION])
    payload = {"case_id": case.pk, "event_id": case.events.last().pk, "action": "verify"}
    services.queue_event(topic=EventType.CASE_TRANSITION, payload=payload)
    services.queue_event(topic=EventType.CASE_TRANSITION, payload=payload)
    assert WebhookDelivery.objects.count() == 1


def test_refuses_non_http_and_private_targets(settings, citizen, make_case):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    agency = Agency.objects.get(code="binamarga")
    for url in ("ftp://example.org/x", "file:///etc/passwd", "http://127.0.0.1:9/x", "http://10.1.2.3/x"):
        with pytest.raises(ValidationError):
            subscribe(agency, url)
    with pytest.raises(ValidationError):
        services.create_subscription(
            agency=agency, name="x", target_url="https://example.org", event_types=["nope"]
        )

    # A subscription made while private targets were allowed is refused at send time.
    settings.WEBHOOK_ALLOW_PRIVATE = True
    case = make_case(citizen)
    subscribe(case.agency, "http://127.0.0.1:9/x", [EventType.CASE_TRANSITION])
    act(case, Action.VERIFY)
    outbox.dispatch()
    settings.WEBHOOK_ALLOW_PRIVATE = False
    services.deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "publik" in delivery.last_error
