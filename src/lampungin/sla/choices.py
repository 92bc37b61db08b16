"""Names for holidays, SLA clocks and their units; labels in Bahasa Indonesia."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    REGIONAL = "regional", _("Libur daerah (kabupaten/kota)")


class ClockKind(models.TextChoices):
    """The clocks SP4N-LAPOR! and the law set on a report (see DOMAIN.md, "Complaint handling")."""

    VERIFICATION = "verification", _("Verifikasi dan penerusan")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    REPORTER_RESPONSE = "reporter_response", _("Tanggapan pelapor")
    LEGAL_DECISION = "legal_decision", _("Batas penyelesaian (UU 25/2009)")


class TargetUnit(models.TextChoices):
    """How a target is counted. One clock has one unit: working and calendar time never mix."""

    WORKING_DAYS = "working_days", _("hari kerja")
    WORKING_HOURS = "working_hours", _("jam kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")


WORKING_UNITS = frozenset({TargetUnit.WORKING_DAYS, TargetUnit.WORKING_HOURS})


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering, as ``sla.calendar`` uses it."""

    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")
