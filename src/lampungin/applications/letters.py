"""The product of an approved application: a PDF letter that anyone can verify.

The letter states the applicant's name, the service, the decision, the date (WIB), the
issuing agency, and a verification code with its public URL (also as a QR code). The
stored bytes are hashed; ``/verifikasi/<code>`` shows the hash so a copy can be compared.
PDFs are built with ``invariant`` on, so the same content always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from lampungin.agencies.models import Agency
from lampungin.applications.choices import VERIFICATION_CODE_LENGTH
from lampungin.applications.models import Application, Letter
from lampungin.core.ids import random_code
from lampungin.sla.calendar import WIB

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def date_wib(instant: datetime) -> str:
    """``4 Desember 2026`` in WIB, as Indonesian official letters write dates."""
    local = instant.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/verifikasi/{code}"


def grouped(code: str) -> str:
    """``7K3MQ9…`` → ``7K3M-Q9AB-…``: easier to read out and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def render_pdf(
    *, title: str, number: str, applicant_name: str, service_name: str, decision: str,
    agency_name: str, issued_at: datetime, code: str,
) -> bytes:  # fmt: skip
    """The letter as PDF bytes (deterministic for the same arguments)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author=agency_name,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
    )
    styles = getSampleStyleSheet()
    head = ParagraphStyle("head", parent=styles["Title"], fontSize=13, leading=16, spaceAfter=2)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=11, leading=15)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12)
    url = verification_url(code)
    qr = QrCodeWidget(url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 3.2 * cm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    rows = [
        ("Nama pemohon", applicant_name),
        ("Layanan", service_name),
        ("Keputusan", decision),
        ("Tanggal", f"{date_wib(issued_at)} (WIB)"),
        ("Diterbitkan oleh", agency_name),
    ]
    story = [
        Paragraph("PEMERINTAH PROVINSI LAMPUNG", head),
        Paragraph(escape(agency_name.upper()), head),
        Spacer(1, 0.6 * cm),
        Paragraph(f"<b>{escape(title.upper())}</b>", ParagraphStyle("t", parent=body, alignment=1)),
        Paragraph(f"Nomor: {escape(number)}", ParagraphStyle("n", parent=body, alignment=1)),
        Spacer(1, 0.6 * cm),
        Table(
            [[Paragraph(f"<b>{escape(k)}</b>", body), Paragraph(escape(v), body)] for k, v in rows],
            colWidths=[4.5 * cm, 11.5 * cm],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
        ),
        Spacer(1, 1 * cm),
        Table(
            [
                [
                    drawing,
                    Paragraph(
                        "Dokumen ini diterbitkan secara elektronik melalui Lampung In. "
                        f"Periksa keasliannya di <b>{escape(url)}</b> "
                        f"dengan kode verifikasi <b>{grouped(code)}</b>.",
                        small,
                    ),
                ]
            ],
            colWidths=[3.8 * cm, 12.2 * cm],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        ),
    ]
    doc.build(story)
    return out.getvalue()


def _unique_code() -> str:
    for _attempt in range(10):
        code = random_code(VERIFICATION_CODE_LENGTH)
        if not Letter.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not allocate a verification code")


def issue_letter(*, application: Application, agency: Agency, decision: str, issued_at: datetime) -> Letter:
    """Create the letter of an approved application and store its PDF.

    Runs inside the approving transaction (the caller holds the application lock); the
    caller deletes the stored file if that transaction fails.
    """
    code = _unique_code()
    number = f"{application.tracking}/{agency.code.upper()}/{issued_at.astimezone(WIB).year}"
    title = application.process.letter_title
    pdf = render_pdf(
        title=title,
        number=number,
        applicant_name=application.applicant_name,
        service_name=application.service.name,
        decision=decision,
        agency_name=agency.name,
        issued_at=issued_at,
        code=code,
    )
    letter = Letter(
        application=application,
        code=code,
        number=number,
        title=title,
        issuing_agency=agency,
        issued_at=issued_at,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    letter.file.save(f"{code}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter
