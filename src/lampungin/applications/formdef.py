"""Validate answers to a process's form definition: one path for pages and the API.

Every problem is collected per field (``ValidationError`` keyed by the field's key, in
Bahasa Indonesia) before anything is written. Uploaded photos are decoded and re-encoded
(``cases.images.process_photo``: EXIF/GPS dropped); PDFs are recognised by their magic
bytes and end marker, never by the name or the type the browser claims.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lampungin.applications.choices import FieldKind, FileType
from lampungin.applications.models import FormField
from lampungin.cases.images import process_photo

MAX_TEXT = 2000  # a text answer without its own limit
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass(frozen=True)
class Upload:
    """A file as received from a form or the API, before validation."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CleanFile:
    field_key: str
    original_name: str
    content: bytes
    content_type: str
    sha256: str


def clean_answers(
    fields: Iterable[FormField],
    answers: Mapping[str, str],
    files: Mapping[str, Upload | None],
) -> tuple[dict[str, str], dict[str, CleanFile]]:
    """The answers to ``fields`` in canonical text form, and the accepted files.

    Must hold: every required field has an answer; every answer meets its field's rules;
    otherwise ``ValidationError`` with one message per field and nothing returned.
    """
    values: dict[str, str] = {}
    clean_files: dict[str, CleanFile] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        try:
            if field.kind == FieldKind.FILE:
                upload = files.get(field.key)
                if upload is None or not upload.data:
                    if field.required:
                        raise ValidationError(_("%(label)s wajib diunggah.") % {"label": field.label})
                    continue
                clean_files[field.key] = _clean_file(field, upload)
                continue
            raw = (answers.get(field.key) or "").strip()
            if not raw:
                if field.required:
                    raise ValidationError(_("%(label)s wajib diisi.") % {"label": field.label})
                continue
            values[field.key] = _CLEANERS[field.kind](field, raw)
        except ValidationError as exc:
            errors[field.key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return values, clean_files


def _clean_text(field: FormField, raw: str) -> str:
    limit = field.max_length or MAX_TEXT
    if len(raw) > limit:
        raise ValidationError(
            _("%(label)s paling banyak %(n)s karakter (Anda menulis %(m)s).")
            % {"label": field.label, "n": limit, "m": len(raw)}
        )
    if field.pattern and not re.fullmatch(field.pattern, raw):
        raise ValidationError(
            field.pattern_message or _("%(label)s tidak sesuai format yang diminta.") % {"label": field.label}
        )
    return raw


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _clean_number(field: FormField, raw: str) -> str:
    text = raw.replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Indonesian decimal comma: 12,5
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(_("%(label)s harus berupa angka.") % {"label": field.label})
    if field.min_value is not None and value < field.min_value:
        raise ValidationError(
            _("%(label)s paling kecil %(n)s.") % {"label": field.label, "n": _number_text(field.min_value)}
        )
    if field.max_value is not None and value > field.max_value:
        raise ValidationError(
            _("%(label)s paling besar %(n)s.") % {"label": field.label, "n": _number_text(field.max_value)}
        )
    return _number_text(value)


def _clean_date(field: FormField, raw: str) -> str:
    for fmt in DATE_FORMATS:
        try:
            day: date = datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        return day.isoformat()
    raise ValidationError(
        _("%(label)s harus berupa tanggal yang benar, misalnya 17/08/2026.") % {"label": field.label}
    )


def _clean_choice(field: FormField, raw: str) -> str:
    if raw not in field.choice_list:
        raise ValidationError(_("Pilih salah satu pilihan %(label)s yang tersedia.") % {"label": field.label})
    return raw


_CLEANERS = {
    FieldKind.TEXT: _clean_text,
    FieldKind.NUMBER: _clean_number,
    FieldKind.DATE: _clean_date,
    FieldKind.CHOICE: _clean_choice,
}


def _type_names(types: list[str]) -> str:
    return ", ".join(str(FileType(t).label) for t in types if t in FileType.values)


def _clean_file(field: FormField, upload: Upload) -> CleanFile:
    types = field.file_type_list
    limit = field.max_size_kb * 1024
    data = upload.data
    is_pdf = data[:5] == b"%PDF-"
    wrong_type = ValidationError(
        _("Jenis berkas %(label)s tidak diterima (hanya %(types)s).")
        % {"label": field.label, "types": _type_names(types)}
    )
    if len(data) > limit:
        raise ValidationError(
            _("Berkas %(label)s terlalu besar (maksimal %(limit)s).")
            % {"label": field.label, "limit": filesizeformat(limit)}
        )
    if is_pdf:
        if FileType.PDF not in types:
            raise wrong_type
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("Berkas %(label)s bukan PDF yang utuh.") % {"label": field.label})
        return CleanFile(
            field.key, upload.name[:150], data, "application/pdf", hashlib.sha256(data).hexdigest()
        )
    if FileType.IMAGE not in types:
        raise wrong_type
    photo = process_photo(data, name=field.label)
    return CleanFile(field.key, upload.name[:150], photo.content, "image/jpeg", photo.sha256)
