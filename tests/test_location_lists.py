"""Location down to desa/kelurahan on /lapor/: the no-JavaScript "Pilih desa" step and its validation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lampungin.cases.models import Case
from lampungin.regions.choices import Kind, Level
from lampungin.regions.models import Region

DESCRIPTION = "Lampu jalan mati sepanjang satu kilometer sejak dua minggu yang lalu."


@pytest.fixture
def villages(db):
    """Two desa in two kecamatan of Kota Bandar Lampung (the test database loads no desa)."""
    first, second = Region.objects.filter(level=Level.DISTRICT, parent_id="18.71").order_by("code")[:2]
    return (
        Region.objects.create(
            code=f"{first.code}.1001",
            name="Desa Satu",
            level=Level.VILLAGE,
            kind=Kind.KELURAHAN,
            parent=first,
        ),
        Region.objects.create(
            code=f"{second.code}.1001",
            name="Desa Dua",
            level=Level.VILLAGE,
            kind=Kind.KELURAHAN,
            parent=second,
        ),
    )


def _post(client, **fields):
    data = {
        "report_type": "pengaduan",
        "category": "jalan-provinsi-rusak",
        "description": DESCRIPTION,
        "privacy": "public",
        "regency": "18.71",
        "address": "Jl. Teuku Umar depan pasar",
        "idempotency_key": "kunci-lokasi-1",
        **fields,
    }
    return client.post(reverse("web:report_new"), data)


def test_pilih_desa_lists_the_kecamatan_desa_and_keeps_the_form(client, citizen, villages):
    client.force_login(citizen)
    one, two = villages
    response = _post(client, district=one.parent_id, pilih_desa="1")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()  # nothing filed by the step
    assert f'value="{one.code}"' in page and "Desa Satu" in page
    assert f'value="{two.code}"' not in page  # only this kecamatan's desa
    assert DESCRIPTION in page and "Jl. Teuku Umar depan pasar" in page  # typed data kept
    assert 'value="kunci-lokasi-1"' in page  # the same report keeps its idempotency key
    assert "foto harus dipilih ulang" in page
    assert 'role="alert"' not in page  # a step, not an error


def test_report_filed_with_desa(client, citizen, villages):
    client.force_login(citizen)
    one, _two = villages
    response = _post(client, district=one.parent_id, village=one.code)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.region_id == one.code and case.regency_id == "18.71"


def test_desa_of_another_kecamatan_is_refused(client, citizen, villages):
    client.force_login(citizen)
    one, two = villages
    response = _post(client, district=one.parent_id, village=two.code)
    assert response.status_code == 400
    assert "Desa/kelurahan tidak berada di kecamatan yang dipilih." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(("district", "village"), [("", "one"), ("one", "18.71.99.9999")])
def test_desa_without_kecamatan_or_unknown(client, citizen, villages, district, village):
    client.force_login(citizen)
    one, _two = villages
    response = _post(
        client,
        district=one.parent_id if district == "one" else district,
        village=one.code if village == "one" else village,
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_regions_api_lists_desa_of_a_kecamatan(client, villages):
    one, _two = villages
    rows = client.get("/api/v1/regions", {"parent": one.parent_id}).json()
    assert [r["code"] for r in rows] == [one.code]
