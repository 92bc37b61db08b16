"""Kernel pieces: tracking numbers, NIK, log redaction, outbox, phone numbers, reference data."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from lampungin.accounts.phone import mask_phone, normalize_phone
from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency, Unit
from lampungin.agencies.services import load_seed_agencies
from lampungin.catalog.models import ReportCategory, Service, ServiceGroup
from lampungin.catalog.services import load_seed_catalog
from lampungin.core import clock, ids, outbox
from lampungin.core.logging import RedactPersonalData, redact
from lampungin.core.models import OutboxMessage
from lampungin.core.nik import mask_nik, parse_nik
from lampungin.regions.choices import Kind, Level
from lampungin.regions.models import Region
from lampungin.regions.services import load_lampung_regions

# --- tracking numbers ------------------------------------------------------------------

TRACKING_RE = re.compile(r"^LPG-[A-Z2-9]{4}-[A-Z2-9]{2}$")


def _many_numbers(n: int = 2000) -> list[str]:
    return [ids.new_tracking_number() for _ in range(n)]


def test_tracking_number_format():
    for number in _many_numbers():
        assert TRACKING_RE.match(number), number
        assert ids.is_valid_tracking_number(number)


def test_tracking_alphabet_has_no_lookalikes():
    assert set("0O1I") & set(ids.ALPHABET) == set()
    assert len(set(ids.ALPHABET)) == len(ids.ALPHABET) == 30
    used = {ch for number in _many_numbers() for ch in number[4:].replace("-", "")}
    assert used <= set(ids.ALPHABET)
    assert used & set("0O1I") == set()


def test_tracking_numbers_are_random():
    numbers = _many_numbers(500)
    assert len(set(numbers)) == 500


@pytest.mark.parametrize("position", range(6))
def test_check_symbol_rejects_every_one_symbol_typo(position):
    """Every substitution of one symbol, at every position, is refused (not only most of them)."""
    for number in _many_numbers(40):
        symbols = number[4:].replace("-", "")
        for replacement in ids.ALPHABET:
            if replacement == symbols[position]:
                continue
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            typed = f"LPG-{typo[:4]}-{typo[4:]}"
            assert ids.normalize_tracking_number(typed) is None, (number, typed)
            assert not ids.is_valid_tracking_number(typed)


def test_normalize_forgives_case_spaces_and_missing_dashes():
    number = ids.new_tracking_number()
    body = number[4:].replace("-", "")
    for typed in (number.lower(), f"lpg{body.lower()}", body, f" {number} ", f"LPG {body[:4]} {body[4:]}"):
        assert ids.normalize_tracking_number(typed) == number, typed


@pytest.mark.parametrize("typed", ["", "LPG-", "LPG-ABCD", "LPG-ABCD-EFG", "XYZ-ABCD-EF", "LPG-0O1I-23"])
def test_normalize_refuses_non_numbers(typed):
    assert ids.normalize_tracking_number(typed) is None


def test_normalize_does_not_guess_lookalikes():
    number = ids.new_tracking_number()
    # A person reading "O" for a zero-less alphabet must be refused, never mapped to a guess.
    body = number[4:].replace("-", "")
    assert ids.normalize_tracking_number("LPG-O" + body[1:4] + "-" + body[4:]) is None


# --- NIK --------------------------------------------------------------------------------


def test_parse_nik_male():
    info = parse_nik("1871011503900001", today=dt.date(2026, 1, 1))
    assert (info.province, info.regency, info.district) == ("18", "71", "01")
    assert info.birth_date == dt.date(1990, 3, 15)
    assert info.female is False


def test_parse_nik_female_day_plus_40():
    info = parse_nik("1801025506050002", today=dt.date(2026, 1, 1))
    assert info.birth_date == dt.date(2005, 6, 15)
    assert info.female is True


def test_parse_nik_accepts_spaces():
    assert parse_nik("1871 0115 0390 0001", today=dt.date(2026, 1, 1)).birth_date == dt.date(1990, 3, 15)


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("1871013202900001", "Tanggal lahir dalam NIK tidak valid."),  # 32 February
        ("1871011513900001", "Tanggal lahir dalam NIK tidak valid."),  # month 13
        ("1871017202900001", "Tanggal lahir dalam NIK tidak valid."),  # female, day 32
        ("187101150390001", "NIK harus 16 digit angka."),  # 15 digits
        ("18710115039000011", "NIK harus 16 digit angka."),  # 17 digits
        ("18710115039A0001", "NIK harus 16 digit angka."),
        ("1871011503900000", "Nomor urut NIK tidak boleh 0000."),
        ("0071011503900001", "Kode wilayah dalam NIK tidak valid."),
    ],
)
def test_parse_nik_refuses(nik, message):
    with pytest.raises(ValidationError) as exc:
        parse_nik(nik, today=dt.date(2026, 1, 1))
    assert exc.value.messages == [message]


def test_mask_nik():
    assert mask_nik("1871011503900001") == "1871**********01"
    assert mask_nik("123") == "*" * 16


# --- log redaction ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("NIK pelapor 1871011503900001 terdaftar", "1871011503900001"),
        ("hubungi 081234567890 segera", "081234567890"),
        ("hubungi +6281234567890 segera", "+6281234567890"),
        ("hubungi 6281234567890 segera", "6281234567890"),
    ],
)
def test_redact_masks_nik_and_phone(raw, secret):
    cleaned = redact(raw)
    assert secret not in cleaned
    assert cleaned.split()[0] == raw.split()[0]  # the rest of the message stays readable


def test_redact_keeps_nik_recognisable():
    assert redact("NIK 1871011503900001") == "NIK 1871**********01"


def test_redact_leaves_other_numbers():
    assert redact("laporan 42 dari 2026, kode 18.71") == "laporan 42 dari 2026, kode 18.71"


def test_log_filter_redacts_arguments_before_any_handler_writes():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger("lampungin.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("pendaftaran NIK %s telepon %s", "1871011503900001", "0812-3456-7890".replace("-", ""))
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "1871011503900001" not in written
    assert "081234567890" not in written
    assert "1871**********01" in written
    assert "[telepon disamarkan]" in written


def test_console_log_handler_uses_the_redaction_filter():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["pii"]
    assert settings.LOGGING["filters"]["pii"]["()"] == "lampungin.core.logging.RedactPersonalData"


# --- outbox -----------------------------------------------------------------------------


@pytest.fixture
def handled(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setitem(outbox._handlers, "test.ok", [calls.append])
    return calls


def test_dispatch_calls_handler_once(db, handled):
    message = outbox.emit("test.ok", {"n": 1})
    assert outbox.dispatch() >= 1
    assert handled == [{"n": 1}]
    message.refresh_from_db()
    assert message.processed_at is not None
    assert message.attempts == 1


def test_second_dispatch_does_not_handle_again(db, handled):
    outbox.emit("test.ok", {"n": 1})
    outbox.emit("test.ok", {"n": 2})
    outbox.dispatch()
    assert outbox.dispatch() == 0
    assert handled == [{"n": 1}, {"n": 2}]


def test_claimed_message_is_skipped_by_another_worker(db, handled):
    message = outbox.emit("test.ok", {"n": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=clock.now() + timedelta(minutes=5))
    assert outbox.dispatch() == 0
    assert handled == []


def test_failing_handler_is_retried_later(db, monkeypatch):
    attempts: list[dict] = []

    def flaky(payload: dict) -> None:
        attempts.append(payload)
        if len(attempts) == 1:
            raise RuntimeError("layanan SMS tidak menjawab")

    monkeypatch.setitem(outbox._handlers, "test.flaky", [flaky])
    start = clock.now()
    with clock.frozen_at(start):
        message = outbox.emit("test.flaky", {"n": 1})
        outbox.dispatch()
    message.refresh_from_db()
    assert message.processed_at is None
    assert message.attempts == 1
    assert "RuntimeError: layanan SMS tidak menjawab" in message.last_error
    assert message.available_at > start
    assert message.claimed_until is None

    with clock.frozen_at(start + timedelta(seconds=1)):
        outbox.dispatch()  # not due yet
    assert len(attempts) == 1

    with clock.frozen_at(message.available_at + timedelta(seconds=1)):
        outbox.dispatch()
    message.refresh_from_db()
    assert len(attempts) == 2
    assert message.processed_at is not None
    assert message.attempts == 2


def test_emit_only_records_until_commit(db, handled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        outbox.emit("test.ok", {"n": 1})
    assert handled == []  # nothing is performed inside the transaction
    assert len(callbacks) == 1


# --- phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-789", "+628123456789"),
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0812) 345.678.90", "+6281234567890"),
        ("0721-123456", None),  # landline in Bandar Lampung
        ("08123", None),
        ("081234567890123456", None),
        ("", None),
        ("nomor saya", None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_mask_phone():
    assert mask_phone("+6281234567890") == "+6281****890"


# --- reference data -----------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "groups": ServiceGroup.objects.count(),
        "services": Service.objects.count(),
        "categories": ReportCategory.objects.count(),
    }


def test_seeding_is_idempotent(db):
    before = _counts()
    assert all(before.values()), before
    load_lampung_regions(include_villages=False)
    load_seed_agencies()
    load_seed_catalog()
    assert _counts() == before


def test_seeding_keeps_admin_edits(db):
    Agency.objects.filter(code="binamarga").update(short_name="Bina Marga (diubah admin)")
    load_seed_agencies()
    assert Agency.objects.get(code="binamarga").short_name == "Bina Marga (diubah admin)"


def test_lampung_regions(db):
    assert Region.objects.get(code="18").name == "Lampung"
    regencies = Region.objects.filter(level=Level.REGENCY)
    assert regencies.count() == 15
    assert regencies.filter(kind=Kind.KOTA).count() == 2  # Bandar Lampung, Metro
    assert Region.objects.filter(level=Level.DISTRICT).count() == 229
    assert Region.objects.get(code="18.08.15").name == "Umpu Semenguk"
    assert Region.objects.get(code="18.08.15").parent_id == "18.08"
    assert Region.objects.get(code="18.01").display_name == "Kab. Lampung Selatan"
    assert Region.objects.get(code="18.71").display_name == "Kota Bandar Lampung"
    assert not Region.objects.filter(level=Level.VILLAGE).exists()  # tests load without desa


def test_every_regency_has_a_government_agency(db):
    governments = Agency.objects.filter(level=AgencyLevel.REGENCY)
    assert governments.count() == 15
    assert set(governments.values_list("region_id", flat=True)) == set(
        Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True)
    )
