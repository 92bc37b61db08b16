"""The location lists and the map pin with JavaScript, and the rating form, in Chromium."""

from __future__ import annotations

import pytest

from lampungin.analytics.models import CaseRating
from lampungin.cases import services
from lampungin.cases.choices import CaseState, Privacy, ReportType
from lampungin.cases.models import Case
from lampungin.regions.choices import Kind, Level
from lampungin.regions.models import Region

pytestmark = pytest.mark.browser


def check(page, axe) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def desa(reference_data):
    district = Region.objects.filter(level=Level.DISTRICT, parent_id="18.71").order_by("code").first()
    return Region.objects.create(
        code=f"{district.code}.1001",
        name="Desa Uji",
        level=Level.VILLAGE,
        kind=Kind.KELURAHAN,
        parent=district,
    )


def test_dependent_lists_fill_from_the_api(page, server, signed_in, desa):
    page.goto(server + "/lapor/")
    assert page.locator("button[name=pilih_desa]").is_hidden()  # the no-JS step is not needed
    page.select_option("#id_regency", "18.71")
    page.wait_for_function("document.querySelectorAll('#id_district option').length > 1")
    page.select_option("#id_district", desa.parent_id)
    page.wait_for_function("document.querySelectorAll('#id_village option').length > 1")
    assert page.locator("#id_village option").nth(1).get_attribute("value") == desa.code


def test_map_loads_only_on_demand(context, page, server, signed_in, axe):
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/lapor/", wait_until="load")
    assert not [u for u in requested if "leaflet" in u or "tile" in u]
    check(page, axe)
    page.get_by_role("button", name="Tandai di peta").click()
    page.locator(".leaflet-container").wait_for()
    assert [u for u in requested if "js_lib_leaflet/leaflet.js" in u]
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('id_lat').value !== ''")
    assert -7 < float(page.input_value("#id_lat")) < -3
    assert 103 < float(page.input_value("#id_lng")) < 107


def test_rating_form_is_accessible(page, server, signed_in, axe):
    case = services.submit_report(
        reporter=signed_in,
        report_type=ReportType.COMPLAINT,
        category_code="jalan-provinsi-rusak",
        description="Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini.",
        privacy=Privacy.PUBLIC,
        region_code="18.71.01",
    ).case
    # Only the state matters to the rating form; the lifecycle itself is tested elsewhere.
    Case.objects.filter(pk=case.pk).update(state=CaseState.RESOLVED)
    page.goto(server + f"/akun/laporan/{case.tracking}/")
    page.get_by_text("Survei kepuasan masyarakat").click()
    check(page, axe)
    page.get_by_label("5 bintang — sangat puas").check()
    page.get_by_role("button", name="Kirim penilaian").click()
    page.get_by_role("heading", name="Penilaian Anda").wait_for()
    assert CaseRating.objects.get(case=case).stars == 5
