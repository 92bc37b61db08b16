"""The applicant hears (in the app and by e-mail) when an agency moves their application;
their own actions notify nobody."""

from __future__ import annotations

from applications_support import approve, submit
from django.core import mail

from lampungin.accounts.access import actor_for
from lampungin.applications import services
from lampungin.applications.withdrawal import withdraw_application
from lampungin.core import outbox
from lampungin.notifications import services as notifications
from lampungin.notifications.choices import Channel, DeliveryStatus
from lampungin.notifications.models import Delivery, Notification


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True))


def test_each_agency_decision_reaches_the_applicant_once(process, citizen, intake, officer_a):
    app = submit(citizen)
    outbox.dispatch()
    assert titles(citizen) == []  # their own submission

    app = services.return_to_applicant(
        actor=actor_for(intake), application=app, message="Lampirkan NIB yang terbaca.", fields=["nib"]
    )
    outbox.dispatch()
    outbox.dispatch()  # delivered twice: still one notification and one e-mail
    assert titles(citizen) == [f"Permohonan {app.tracking}: Dikembalikan untuk perbaikan"]
    note = Notification.objects.get(user=citizen)
    assert note.body == "Lampirkan NIB yang terbaca." and note.url == f"/akun/permohonan/{app.tracking}/"

    services.resubmit_application(
        actor=actor_for(citizen), application=app, answers={"nib": "9120001234567"}, files={}
    )
    app.refresh_from_db()
    for officer in (intake, officer_a, intake):
        app = approve(officer, app)
    outbox.dispatch()
    assert titles(citizen)[1:] == [
        f"Permohonan {app.tracking}: Tahap disetujui",
        f"Permohonan {app.tracking}: Tahap disetujui",
        f"Permohonan {app.tracking}: Surat diterbitkan",
    ]

    notifications.retry_due_deliveries()
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0] == f"Permohonan {app.tracking}: Dikembalikan untuk perbaikan"
    assert "tenggat tahap ini dijeda" in mail.outbox[0].body
    assert len(subjects) == 4 and all(m.to == [citizen.email] for m in mail.outbox)
    assert not Delivery.objects.filter(user=citizen, channel=Channel.EMAIL).exclude(
        status=DeliveryStatus.SENT
    )


def test_a_rejection_in_english_and_no_notice_for_a_withdrawal(process, citizen, citizen2, intake):
    notifications.set_channel_preferences(user=citizen, enabled={Channel.EMAIL}, language="en")
    app = submit(citizen)
    services.reject_application(actor=actor_for(intake), application=app, reason="Bukan jalan provinsi.")
    outbox.dispatch()
    notifications.retry_due_deliveries()
    [message] = mail.outbox
    assert message.subject == f"Application {app.tracking}: Rejected"
    assert message.body.startswith("Hello Siti") and "Bukan jalan provinsi." in message.body

    other = submit(citizen2)
    withdraw_application(actor=actor_for(citizen2), application=other)
    outbox.dispatch()
    assert titles(citizen2) == []
