"""Names for fields, states and events of service applications; labels in Bahasa Indonesia."""

from django.db import models
from django.utils.translation import gettext_lazy as _

TRACKING_PREFIX = "PMH"  # permohonan: told apart from a report (LPG) by its number alone
VERIFICATION_CODE_LENGTH = 16  # 30^16 ≈ 2^78: not guessable, still readable from paper


class FieldKind(models.TextChoices):
    TEXT = "text", _("Teks")
    NUMBER = "number", _("Angka")
    DATE = "date", _("Tanggal")
    CHOICE = "choice", _("Pilihan")
    FILE = "file", _("Unggah berkas")


class FileType(models.TextChoices):
    PDF = "pdf", _("PDF")
    IMAGE = "image", _("Foto (JPEG, PNG, WebP)")


class ApplicationState(models.TextChoices):
    IN_REVIEW = "in_review", _("Diproses")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    APPROVED = "approved", _("Selesai, surat terbit")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik pemohon")


OPEN_STATES = frozenset({ApplicationState.IN_REVIEW, ApplicationState.RETURNED})


class StepState(models.TextChoices):
    PENDING = "pending", _("Menunggu tahap sebelumnya")
    ACTIVE = "active", _("Sedang diproses")
    RETURNED = "returned", _("Menunggu perbaikan pemohon")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik pemohon")


class StepAction(models.TextChoices):
    """What an officer of the step's agency can do with the application at that step."""

    APPROVE = "approve", _("Setujui dan teruskan")
    RETURN = "return", _("Kembalikan ke pemohon untuk perbaikan")
    REJECT = "reject", _("Tolak")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Permohonan diajukan")
    APPROVED = "approved", _("Tahap disetujui")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    RESUBMITTED = "resubmitted", _("Perbaikan dikirim")
    REJECTED = "rejected", _("Ditolak")
    LETTER_ISSUED = "letter_issued", _("Surat diterbitkan")
    LETTER_REVOKED = "letter_revoked", _("Surat dicabut")
    WITHDRAWN = "withdrawn", _("Ditarik pemohon")
    STEP_BREACHED = "step_breached", _("Tenggat tahap terlewati")
    ERASED = "erased", _("Data pribadi pemohon dihapus")


class LetterStatus(models.TextChoices):
    VALID = "valid", _("Sah")
    REVOKED = "revoked", _("Dicabut")
