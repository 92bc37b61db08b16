"""An application leaving its process without a decision, and what deleting an account does to
the person's applications (UU 27/2022: deletion must really delete personal fields).

The timeline holds only digests of answers and files (``services._answers_digest``), so the
answers and documents themselves can be erased without touching the hash chain; an issued
letter stays, as the government's record of its decision (its public page shows the holder
masked, and after erasure only "Akun dihapus").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.access import Actor
from lampungin.accounts.erasure import DELETED_NAME
from lampungin.accounts.models import User
from lampungin.applications import stepclock
from lampungin.applications.choices import OPEN_STATES, ApplicationState, EventKind, StepState
from lampungin.applications.models import Application
from lampungin.applications.permissions import is_applicant
from lampungin.applications.timeline import record
from lampungin.core import clock
from lampungin.core.errors import Conflict, NotAllowed

APPLICANT_LABEL = "Pemohon"
SYSTEM_LABEL = "Sistem"
MAX_REASON = 500


def withdraw_application(*, actor: Actor, application: Application, reason: str = "") -> Application:
    """The applicant takes back an application that is still open.

    Must hold: only the applicant may; only while it is in review or returned for correction
    (a decided application stays decided); afterwards the current step's clock is stopped, the
    application is in no agency's inbox, the optional reason is the decision note, and the
    timeline has one ``withdrawn`` event.
    """
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": [_("Alasan paling banyak %(n)s karakter.") % {"n": MAX_REASON}]})
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if not is_applicant(actor, app):
            raise NotAllowed(_("Hanya pemohon yang dapat menarik permohonan ini."))
        if app.state not in OPEN_STATES:
            raise Conflict(
                _("Permohonan ini sudah diputus (%(state)s) dan tidak dapat ditarik.")
                % {"state": app.get_state_display()},
                code="decided",
            )
        with override("id"):
            message = _("Permohonan ditarik oleh pemohon.")
        # The applicant's own words stay out of the chain (they could not be erased from it):
        # they are the decision note, which account deletion clears.
        _withdraw(app, user=actor.user, message=message, note=text or message)
    return app


def _withdraw(app: Application, *, user: User | None, message: str, note: str = "") -> None:
    """Close ``app`` as withdrawn (the caller holds its row lock); ``message`` goes on the
    timeline, ``note`` (default: the message) is what the applicant's page shows."""
    now = clock.now()
    step = app.current_step
    data = {}
    if step is not None and step.state in (StepState.ACTIVE, StepState.RETURNED):
        data["late"] = stepclock.is_late(step, now)
        stepclock.finish(step, now, StepState.WITHDRAWN)
        step.save()
    record(
        app,
        topic="application.withdrawn",
        kind=EventKind.WITHDRAWN,
        step_order=step.order if step else None,
        actor=user,
        actor_label=APPLICANT_LABEL,
        message=message,
        data=data,
    )
    app.state, app.decided_at, app.decision_note = ApplicationState.WITHDRAWN, now, note or message
    app.current_agency, app.returned_fields, app.updated_at = None, [], now
    app.save()


def erase_applicant(user: User) -> None:
    """Account deletion: open applications are withdrawn, then every application of ``user``
    loses its answers, its uploaded documents, the applicant's name and domicile; each gets an
    ``erased`` event. Files leave the storage only once the deletion has committed."""
    stored: list = []
    for app in Application.objects.select_for_update().filter(applicant=user).order_by("pk"):
        with override("id"):
            if app.state in OPEN_STATES:
                _withdraw(app, user=user, message=_("Permohonan ditarik: pemohon menghapus akunnya."))
            message = _("Jawaban, berkas, dan nama pemohon dihapus atas permintaan pemohon.")
            withdrawn_note = _("Permohonan ditarik oleh pemohon.")
        files = list(app.files.all())
        stored.extend(f.file for f in files)
        app.files.all().delete()
        record(
            app,
            kind=EventKind.ERASED,
            step_order=None,
            actor=None,
            actor_label=SYSTEM_LABEL,
            message=message,
            data={"answers": len(app.answers), "files": len(files)},
        )
        app.answers, app.returned_fields = {}, []
        if app.state == ApplicationState.WITHDRAWN:
            app.decision_note = withdrawn_note  # it held the applicant's own reason, if they gave one
        app.applicant, app.applicant_name, app.regency = None, DELETED_NAME, None
        app.updated_at = clock.now()
        app.save()
    if stored:
        transaction.on_commit(lambda: [f.delete(save=False) for f in stored])
