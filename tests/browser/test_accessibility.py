"""Every citizen page passes axe-core with no violation, and its controls are big enough to tap."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lampungin.cases import services
from lampungin.cases.choices import Privacy, ReportType
from lampungin.catalog.models import Service
from lampungin.web.models import Announcement
from lampungin.web.services import set_favourite

pytestmark = pytest.mark.browser

# Controls a thumb must hit: at least 44 × 44 CSS px (WCAG 2.5.5, Android's 48 dp guidance).
# Links inside running text are exempt, as WCAG exempts them.
SMALL_TARGETS = """() => {
  const seen = [];
  const controls = document.querySelectorAll(
    "button, select, textarea, summary, input:not([type=hidden]), a.btn, header a, nav a");
  for (const el of controls) {
    const target = (el.type === "radio" || el.type === "checkbox") ? el.closest("label") : el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (box.height < 44 || box.width < 44) {
      seen.push(`${target.outerHTML.slice(0, 80)} is ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return seen;
}"""


def check(page, axe) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{page.url}: targets smaller than 44×44 px:\n" + "\n".join(small)


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def public_case(signed_in):
    return services.submit_report(
        reporter=signed_in,
        report_type=ReportType.COMPLAINT,
        category_code="jalan-provinsi-rusak",
        description="Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini.",
        privacy=Privacy.PUBLIC,
        region_code="18.71.01",
    ).case


def test_pages_for_everyone(page, server, axe, reference_data):
    service = Service.objects.filter(is_published=True).order_by("code").first()
    # The home page with its optional sections: an announcement and "Layanan terpopuler".
    Announcement.objects.create(
        title="Samsat keliling pekan ini", body="Bawa KTP dan STNK asli.", starts_at=timezone.now()
    )
    Service.objects.filter(pk=service.pk).update(view_count=5)
    for path in ("/", f"/layanan/{service.code}/", "/akun/masuk/", "/akun/daftar/", "/luring/"):
        page.goto(server + path)
        check(page, axe)


def test_pages_of_a_signed_in_citizen(page, server, axe, public_case):
    app = Service.objects.filter(is_published=True, kind="app").exclude(url="").order_by("code").first()
    set_favourite(user=public_case.reporter, service_code=app.code, favourite=True)
    for path in (
        f"/layanan/{app.code}/",
        "/lapor/",
        f"/lapor/terkirim/{public_case.tracking}/",
        f"/laporan/{public_case.tracking}",
        f"/akun/laporan/{public_case.tracking}/",
        "/akun/",
        "/akun/hapus/",
    ):
        page.goto(server + path)
        check(page, axe)


def test_report_form_with_errors_and_in_english(page, server, axe, signed_in):
    page.goto(server + "/lapor/")
    page.evaluate("document.getElementById('report-form').submit()")  # empty: the server refuses
    page.locator("[role=alert]").first.wait_for()
    check(page, axe)
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/lapor/")
    assert page.locator("html").get_attribute("lang") == "en"
    check(page, axe)
