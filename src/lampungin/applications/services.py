"""Every write to service applications: submit, decide each step, correct, issue and revoke.

Each function validates everything before writing anything, runs in one transaction under
the application's row lock, appends to its hash-chained timeline and records side effects
in the outbox (``application.*`` topics) for higher floors to notify after commit.
Timeline texts are stored in Bahasa Indonesia (they are hashed, so they never change).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.accounts.access import Actor
from lampungin.accounts.models import CitizenProfile, User
from lampungin.applications import stepclock
from lampungin.applications.choices import (
    TRACKING_PREFIX,
    ApplicationState,
    EventKind,
    LetterStatus,
    StepAction,
    StepState,
)
from lampungin.applications.formdef import CleanFile, Upload, clean_answers
from lampungin.applications.letters import issue_letter
from lampungin.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStep,
    Letter,
    ServiceProcess,
)
from lampungin.applications.permissions import is_applicant
from lampungin.applications.timeline import record
from lampungin.core import clock, ids
from lampungin.core.errors import Conflict, NotAllowed, NotFound
from lampungin.core.hashchain import chain_hash

__all__ = [
    "Upload",
    "approve_step",
    "reject_application",
    "resubmit_application",
    "return_to_applicant",
    "revoke_letter",
    "submit_application",
    "take_step_action",
]

APPLICANT_LABEL = "Pemohon"
MAX_MESSAGE = 2000


def _answers_digest(answers: Mapping[str, str]) -> str:
    # The timeline proves *what* was submitted without keeping personal answers in an
    # append-only record (UU 27/2022: deletable data stays out of the chain).
    return chain_hash(dict(answers), "")


def _officer_label(actor: Actor, step: ApplicationStep) -> str:
    return f"Petugas {step.agency.short_name or step.agency.name}"


def _store_files(application: Application, files: Mapping[str, CleanFile], now) -> list[ApplicationFile]:
    stored: list[ApplicationFile] = []
    for f in files.values():
        row = ApplicationFile(
            application=application,
            field_key=f.field_key,
            original_name=f.original_name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            created_at=now,
        )
        row.file.save(f"{f.sha256[:16]}{row.extension}", ContentFile(f.content), save=False)
        row.save()
        stored.append(row)
    return stored


def _delete_files(rows: list) -> None:
    for row in rows:
        row.file.delete(save=False)


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("process", "service").get(pk=application.pk)


def _message(value: str, *, required: bool, what: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({"message": [what]})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"message": [_("Pesan paling banyak %(n)s karakter.") % {"n": MAX_MESSAGE}]})
    return text


def submit_application(
    *, applicant: User, service_code: str, answers: Mapping[str, str], files: Mapping[str, Upload | None]
) -> Application:
    """File an application for ``service_code``'s online process.

    Must hold: the service is published and its process active with at least one step;
    every answer meets the form's rules (else ``ValidationError`` and nothing is written);
    afterwards the application sits at step 1 with that step's clock running, its steps
    copied from the process, one ``submitted`` event, and an outbox message.
    """
    process = (
        ServiceProcess.objects.select_related("service")
        .filter(service__code=service_code, service__is_published=True, is_active=True)
        .first()
    )
    if process is None:
        raise NotFound(_("Layanan ini tidak menerima permohonan online."))
    plan = list(process.steps.select_related("agency").order_by("order"))
    if not plan:
        raise Conflict(_("Proses permohonan layanan ini belum lengkap."))
    values, clean_files = clean_answers(process.fields.all(), answers, files)
    saved: list[ApplicationFile] = []
    try:
        with transaction.atomic():
            now = clock.now()
            application = Application.objects.create(
                tracking=_unique_tracking(),
                process=process,
                service=process.service,
                applicant=applicant,
                applicant_name=applicant.full_name,
                regency_id=_domicile_regency(applicant),
                answers=values,
                created_at=now,
                updated_at=now,
            )
            steps = ApplicationStep.objects.bulk_create(
                ApplicationStep(
                    application=application,
                    order=p.order,
                    name=p.name,
                    agency=p.agency,
                    sla_working_days=p.sla_working_days,
                )
                for p in plan
            )
            first = steps[0]
            first.agency = plan[0].agency
            stepclock.start(first, now)
            first.save()
            saved = _store_files(application, clean_files, now)
            with override("id"):
                message = _("Permohonan diajukan; tahap %(step)s di %(agency)s.") % {
                    "step": first.name,
                    "agency": first.agency.short_name or first.agency.name,
                }
            _event(
                application,
                first,
                topic="application.submitted",
                kind=EventKind.SUBMITTED,
                actor=applicant,
                actor_label=APPLICANT_LABEL,
                message=message,
                data={
                    "answers_sha256": _answers_digest(values),
                    "files": {f.field_key: f.sha256 for f in saved},
                    "due_at": first.due_at.isoformat(),
                },
            )
            application.current_step = first
            application.current_agency = first.agency
            application.save()
    except Exception:
        _delete_files(saved)
        raise
    return application


def _domicile_regency(applicant: User) -> str | None:
    """The kabupaten/kota code of the applicant's domicile, from their profile (or None)."""
    profile = CitizenProfile.objects.select_related("home_region").filter(user=applicant).first()
    region = profile.home_region if profile else None
    return region.regency_code if region else None


def _unique_tracking() -> str:
    for _attempt in range(20):
        number = ids.new_tracking_number(TRACKING_PREFIX)
        if not Application.objects.filter(tracking=number).exists():
            return number
    raise RuntimeError("could not allocate a tracking number")


def _current_step_for(actor: Actor, app: Application) -> ApplicationStep:
    """The step ``actor`` may decide now, or the reason they may not."""
    if app.state != ApplicationState.IN_REVIEW:
        raise Conflict(_("Permohonan ini tidak sedang menunggu keputusan petugas."))
    step = ApplicationStep.objects.select_for_update().select_related("agency").get(pk=app.current_step_id)
    if step.agency_id not in actor.agency_ids:
        raise NotAllowed(_("Tahap ini ditangani instansi lain."))
    return step


def _event(app: Application, step: ApplicationStep | None, **fields) -> ApplicationEvent:
    return record(app, step_order=step.order if step else None, **fields)


def approve_step(*, actor: Actor, application: Application, message: str = "") -> Application:
    """Approve the current step as an officer of its agency.

    Must hold: only the current step's agency may approve, only while in review; the step
    is finished (approved) and the next one starts its clock; after the last step the
    application is approved and its letter issued in the same transaction.
    """
    note = _message(message, required=False, what="")
    letter_files: list = []
    try:
        with transaction.atomic():
            app = _locked(application)
            step = _current_step_for(actor, app)
            now = clock.now()
            stepclock.finish(step, now, StepState.APPROVED)
            step.decided_by = actor.user
            step.save()
            label = _officer_label(actor, step)
            nxt = app.steps.select_related("agency").filter(order__gt=step.order).order_by("order").first()
            data = {"late": stepclock.is_late(step, now), "due_at": step.due_at.isoformat()}
            if nxt is not None:
                stepclock.start(nxt, now)
                nxt.save()
                data["next_step"] = nxt.order
                data["next_due_at"] = nxt.due_at.isoformat()
                with override("id"):
                    text = note or _("Tahap %(step)s disetujui; diteruskan ke %(agency)s.") % {
                        "step": step.name,
                        "agency": nxt.agency.short_name or nxt.agency.name,
                    }
                _event(
                    app,
                    step,
                    topic="application.step_started",
                    kind=EventKind.APPROVED,
                    actor=actor.user,
                    actor_label=label,
                    message=text,
                    data=data,
                )
                app.current_step, app.current_agency = nxt, nxt.agency
            else:
                with override("id"):
                    text = note or _("Tahap %(step)s disetujui; permohonan selesai.") % {"step": step.name}
                    decision = note or _("Permohonan disetujui.")
                _event(
                    app,
                    step,
                    kind=EventKind.APPROVED,
                    actor=actor.user,
                    actor_label=label,
                    message=text,
                    data=data,
                )
                letter = issue_letter(application=app, agency=step.agency, decision=decision, issued_at=now)
                letter_files.append(letter)
                with override("id"):
                    issued = _("Surat %(title)s nomor %(number)s diterbitkan.") % {
                        "title": letter.title,
                        "number": letter.number,
                    }
                _event(
                    app,
                    step,
                    topic="application.letter_issued",
                    kind=EventKind.LETTER_ISSUED,
                    actor=actor.user,
                    actor_label=label,
                    message=issued,
                    data={"code_sha256": chain_hash({"code": letter.code}, ""), "pdf_sha256": letter.sha256},
                )
                app.state, app.decided_at, app.decision_note = ApplicationState.APPROVED, now, decision
                app.current_agency = None
            app.updated_at = now
            app.save()
    except Exception:
        _delete_files(letter_files)
        raise
    return app


def return_to_applicant(
    *, actor: Actor, application: Application, fields: list[str], message: str
) -> Application:
    """Send the application back to the applicant to correct ``fields``; the step's clock pauses.

    Must hold: a reason is given and every flagged field exists in the form; only the
    current step's agency may return it; the clock stops counting until the resubmission.
    """
    text = _message(message, required=True, what=_("Jelaskan apa yang harus diperbaiki pemohon."))
    with transaction.atomic():
        app = _locked(application)
        step = _current_step_for(actor, app)
        known = set(app.process.fields.values_list("key", flat=True))
        flagged = [f for f in dict.fromkeys(fields or []) if f]
        if not flagged:
            raise ValidationError({"fields": [_("Pilih isian yang harus diperbaiki.")]})
        if unknown := [f for f in flagged if f not in known]:
            raise ValidationError({"fields": [_("Isian tidak dikenal: %(f)s.") % {"f": ", ".join(unknown)}]})
        now = clock.now()
        stepclock.pause(step, now)
        step.save()
        _event(
            app,
            step,
            topic="application.returned",
            kind=EventKind.RETURNED,
            actor=actor.user,
            actor_label=_officer_label(actor, step),
            message=text,
            data={"fields": flagged, "due_at": step.due_at.isoformat(), "clock": "paused"},
        )
        app.state, app.returned_fields, app.updated_at = ApplicationState.RETURNED, flagged, now
        app.save()
    return app


def resubmit_application(
    *, actor: Actor, application: Application, answers: Mapping[str, str], files: Mapping[str, Upload | None]
) -> Application:
    """The applicant sends corrected answers for the flagged fields; the step's clock resumes.

    Must hold: only the applicant, only while returned; only flagged fields change and
    each meets its rules (else nothing is written); the deadline moves by the working time
    spent waiting; replaced files are kept (superseded), since the timeline names their hashes.
    """
    if not is_applicant(actor, application):
        raise NotAllowed(_("Hanya pemohon yang dapat memperbaiki permohonan ini."))
    if application.state != ApplicationState.RETURNED:
        raise Conflict(_("Permohonan ini tidak sedang menunggu perbaikan."))
    flagged = set(application.returned_fields)
    fields = [f for f in application.process.fields.all() if f.key in flagged]
    values, clean_files = clean_answers(fields, answers, files)
    saved: list[ApplicationFile] = []
    try:
        with transaction.atomic():
            app = _locked(application)
            if app.state != ApplicationState.RETURNED:
                raise Conflict(_("Permohonan ini tidak sedang menunggu perbaikan."))
            now = clock.now()
            app.files.filter(field_key__in=clean_files.keys(), superseded_at__isnull=True).update(
                superseded_at=now
            )
            saved = _store_files(app, clean_files, now)
            new_answers = {k: v for k, v in app.answers.items() if k not in flagged or k in clean_files}
            new_answers.update(values)
            step = (
                ApplicationStep.objects.select_for_update()
                .select_related("agency")
                .get(pk=app.current_step_id)
            )
            previous_due = step.due_at
            paused_for = stepclock.resume(step, now)
            step.save()
            with override("id"):
                text = _("Pemohon mengirim perbaikan; tenggat tahap %(step)s berjalan lagi.") % {
                    "step": step.name
                }
            _event(
                app,
                step,
                topic="application.resubmitted",
                kind=EventKind.RESUBMITTED,
                actor=actor.user,
                actor_label=APPLICANT_LABEL,
                message=text,
                data={
                    "fields": sorted(flagged),
                    "answers_sha256": _answers_digest(new_answers),
                    "files": {f.field_key: f.sha256 for f in saved},
                    "paused_working_seconds": paused_for,
                    "previous_due_at": previous_due.isoformat(),
                    "due_at": step.due_at.isoformat(),
                },
            )
            app.answers, app.returned_fields = new_answers, []
            app.state, app.updated_at = ApplicationState.IN_REVIEW, now
            app.save()
    except Exception:
        _delete_files(saved)
        raise
    return app


def reject_application(*, actor: Actor, application: Application, reason: str) -> Application:
    """Reject the application at its current step, with a reason the applicant reads.

    Must hold: a reason is given; only the current step's agency may reject; the
    application is final (no letter) and leaves every inbox.
    """
    text = _message(reason, required=True, what=_("Tuliskan alasan penolakan."))
    with transaction.atomic():
        app = _locked(application)
        step = _current_step_for(actor, app)
        now = clock.now()
        stepclock.finish(step, now, StepState.REJECTED)
        step.decided_by = actor.user
        step.save()
        _event(
            app,
            step,
            topic="application.rejected",
            kind=EventKind.REJECTED,
            actor=actor.user,
            actor_label=_officer_label(actor, step),
            message=text,
            data={"late": stepclock.is_late(step, now)},
        )
        app.state, app.decided_at, app.decision_note = ApplicationState.REJECTED, now, text
        app.current_agency, app.updated_at = None, now
        app.save()
    return app


def take_step_action(
    *, actor: Actor, application: Application, action: str, message: str = "", fields: list[str] | None = None
) -> Application:
    """Dispatch a staff decision (approve, return, reject) to its service function."""
    if action == StepAction.APPROVE:
        return approve_step(actor=actor, application=application, message=message)
    if action == StepAction.RETURN:
        return return_to_applicant(actor=actor, application=application, fields=fields or [], message=message)
    if action == StepAction.REJECT:
        return reject_application(actor=actor, application=application, reason=message)
    raise ValidationError({"action": [_("Tindakan tidak dikenal.")]})


def revoke_letter(*, actor: Actor, letter: Letter, reason: str) -> Letter:
    """Revoke an issued letter: verification then shows it as revoked (the PDF is kept).

    Must hold: only an admin of the issuing agency or a platform admin; a reason is given;
    a letter is revoked once; the application's timeline records it.
    """
    if not (actor.platform_admin or letter.issuing_agency_id in actor.admin_agency_ids):
        raise NotAllowed(_("Hanya admin instansi penerbit yang dapat mencabut surat."))
    text = _message(reason, required=True, what=_("Tuliskan alasan pencabutan."))
    with transaction.atomic():
        app = _locked(letter.application)
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status == LetterStatus.REVOKED:
            raise Conflict(_("Surat ini sudah dicabut."))
        now = clock.now()
        letter.status, letter.revoked_at, letter.revoked_reason = LetterStatus.REVOKED, now, text
        letter.save()
        _event(
            app,
            None,
            topic="application.letter_revoked",
            kind=EventKind.LETTER_REVOKED,
            actor=actor.user,
            actor_label="Admin",
            message=text,
            data={"pdf_sha256": letter.sha256},
        )
        app.updated_at = now
        app.save()
    return letter
