"""Names for the states, actions and kinds of a case; labels in Bahasa Indonesia."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Baru")
    VERIFIED = "verified", _("Terverifikasi")
    ASSIGNED = "assigned", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Diproses")
    AWAITING_VALIDATION = "awaiting_validation", _("Menunggu validasi")
    WAITING_REPORTER = "waiting_reporter", _("Menunggu tanggapan pelapor")
    RESOLVED = "resolved", _("Selesai")
    REOPENED = "reopened", _("Dibuka kembali")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")
    REFERRED = "referred", _("Dirujuk")


OPEN_STATES = frozenset(
    {
        CaseState.SUBMITTED,
        CaseState.VERIFIED,
        CaseState.ASSIGNED,
        CaseState.IN_PROGRESS,
        CaseState.AWAITING_VALIDATION,
        CaseState.WAITING_REPORTER,
        CaseState.REOPENED,
    }
)
FINAL_STATES = frozenset({CaseState.CLOSED, CaseState.REJECTED})


class ReportType(models.TextChoices):
    ASPIRATION = "aspirasi", _("Aspirasi")
    COMPLAINT = "pengaduan", _("Pengaduan")
    INFORMATION = "informasi", _("Permintaan informasi")


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Publik")
    ANONYMOUS = "anonymous", _("Anonim")
    CONFIDENTIAL = "confidential", _("Rahasia")


PRIVACY_HELP = {
    Privacy.PUBLIC: _("Isi laporan tampil di halaman publik; nama Anda tidak pernah ditampilkan."),
    Privacy.ANONYMOUS: _(
        "Isi laporan tampil di halaman publik; identitas Anda disembunyikan juga dari petugas."
    ),
    Privacy.CONFIDENTIAL: _(
        "Laporan tidak tampil di halaman publik; hanya Anda dan petugas yang dapat melihatnya."
    ),
}


class Action(models.TextChoices):
    VERIFY = "verify", _("Verifikasi")
    REJECT = "reject", _("Tolak")
    REFER = "refer", _("Rujuk (bukan wewenang)")
    ASSIGN = "assign", _("Disposisikan")
    START = "start", _("Mulai proses")
    REQUEST_INFO = "request_info", _("Minta tanggapan pelapor")
    REPORTER_REPLY = "reporter_reply", _("Tanggapan pelapor")
    RESOLVE = "resolve", _("Selesaikan")
    SUBMIT_RESOLUTION = "submit_resolution", _("Ajukan validasi penyelesaian")
    VALIDATE = "validate", _("Validasi penyelesaian")
    REJECT_RESOLUTION = "reject_resolution", _("Tolak penyelesaian")
    CONFIRM = "confirm", _("Konfirmasi selesai")
    DISPUTE = "dispute", _("Sanggah penyelesaian")
    CLOSE = "close", _("Tutup")
    TRANSFER = "transfer", _("Alihkan ke instansi lain")
    RETURN_REFERRAL = "return_referral", _("Kembalikan rujukan (bukan wewenang kami)")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    NOT_COMPLAINT = "not_complaint", _("Bukan pengaduan")
    DUPLICATE = "duplicate", _("Duplikat")
    OUT_OF_SCOPE = "out_of_scope", _("Di luar lingkup (hukum, pidana, korupsi: dirujuk ke lembaga berwenang)")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Laporan diterima")
    TRANSITION = "transition", _("Perubahan status")
    COMMENT = "comment", _("Tanggapan")
    NOTE = "note", _("Catatan internal")
    CLOCK = "clock", _("Tenggat dijeda/berjalan lagi")
    SLA_BREACHED = "sla_breached", _("Tenggat terlewati")
    TASK = "task", _("Penanganan bersama")
    MERGE = "merge", _("Laporan digabung")
    REFERRAL_UPDATE = "ref_update", _("Kabar dari instansi rujukan")
    REFERRAL_SENT = "ref_sent", _("Rujukan terkirim")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")  # anyone who may see the case, incl. its public page
    PARTIES = "parties", _("Pelapor dan petugas")
    INTERNAL = "internal", _("Internal petugas")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API/aplikasi")
    DEMO = "demo", _("Data demo")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Foto laporan")
    EVIDENCE = "evidence", _("Bukti penyelesaian")


class RuleAuthority(models.TextChoices):
    """Whose authority a routing rule says a report falls under (same values as catalog.Authority)."""

    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    NATIONAL = "national", _("Nasional")


class RoutedBy(models.TextChoices):
    """How a new report found its agency (``data["routed_by"]`` of its submitted event)."""

    RULE = "rule", _("Aturan penyaluran")
    CATEGORY_DEFAULT = "category_default", _("Instansi bawaan kategori")
    VERIFIER_QUEUE = "verifier_queue", _("Antrean verifikator")


class ReferralChannel(models.TextChoices):
    PLATFORM = "platform", _("Di platform Lampung In")
    EMAIL = "email", _("E-mail")
    LAPOR = "lapor", _("SP4N-LAPOR!")


class ReferralStatus(models.TextChoices):
    """Status of a referred report at the receiving government (docs/api/lapor-exchange.md)."""

    RECEIVED = "diterima", _("Diterima instansi rujukan")
    IN_PROGRESS = "diproses", _("Diproses instansi rujukan")
    DONE = "selesai", _("Diselesaikan instansi rujukan")
    RETURNED = "dikembalikan", _("Dikembalikan instansi rujukan")


class TemplateVisibility(models.TextChoices):
    PUBLIC = "public", _("Tanggapan publik")
    INTERNAL = "internal", _("Catatan internal")


class TaskState(models.TextChoices):
    """A joint-handling task of one agency on a case (cases.joint)."""

    OPEN = "open", _("Dikerjakan")
    DONE = "done", _("Selesai")
