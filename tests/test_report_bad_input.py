"""Bad reports are refused with a clear message in Bahasa Indonesia and leave nothing behind.

Each case is sent through the API and through the /lapor/ page; afterwards no case, event,
attachment, outbox row or file may exist.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from conftest import DESCRIPTION, footprint, image_bytes, upload
from django.core.exceptions import ValidationError
from PIL import Image

from lampungin.cases.choices import Privacy
from lampungin.cases.images import MAX_SIDE, process_photo
from lampungin.cases.models import Case

SMALL_LIMIT = 4096  # bytes; a noisy 160×160 JPEG is far above it, a plain 64×48 one far below


@dataclass(frozen=True)
class Bad:
    """One bad submission: what is changed, and the message that must name the problem."""

    changes: dict
    api_message: str
    page_message: str
    photos: tuple = field(default=())


def _photos(kind: str) -> list:
    if kind == "big":
        return [upload("besar.jpg", image_bytes(size=(160, 160), noise=True))]
    if kind == "fake":
        return [upload("palsu.jpg", b"Ini bukan gambar, hanya teks biasa. " * 40)]
    if kind == "six":
        return [upload(f"foto{i}.jpg", image_bytes()) for i in range(6)]
    return []


BAD = {
    "oversized_photo": Bad(
        {},
        "Foto besar.jpg terlalu besar (maksimal 4,0\xa0KB).",
        "Foto besar.jpg terlalu besar (maksimal 4,0\xa0KB).",
        ("big",),
    ),
    "not_an_image": Bad(
        {},
        "Berkas palsu.jpg bukan foto yang valid atau rusak.",
        "Berkas palsu.jpg bukan foto yang valid atau rusak.",
        ("fake",),
    ),
    "six_photos": Bad({}, "Maksimal 5 foto per laporan.", "Maksimal 5 foto per laporan.", ("six",)),
    "missing_description": Bad(
        {"description": None},
        "Data tidak lengkap atau tidak valid (description).",
        "Uraian laporan: Bidang ini tidak boleh kosong.",
    ),
    "short_description": Bad(
        {"description": "Jalan rusak"},
        "Uraikan laporan Anda (minimal 15 karakter).",
        "Uraikan laporan Anda (minimal 15 karakter).",
    ),
    "missing_category": Bad(
        {"category": None},
        "Data tidak lengkap atau tidak valid (category).",
        "Kategori: Bidang ini tidak boleh kosong.",
    ),
    "missing_type": Bad(
        {"report_type": None},
        "Data tidak lengkap atau tidak valid (report_type).",
        "Jenis laporan: Bidang ini tidak boleh kosong.",
    ),
    "unknown_type": Bad(
        {"report_type": "gosip"},
        "Pilih jenis laporan: aspirasi, pengaduan, atau permintaan informasi.",
        "Jenis laporan: Masukkan pilihan yang valid. gosip bukan salah satu",
    ),
    "unknown_category": Bad(
        {"category": "ufo-mendarat"},
        "Kategori laporan tidak dikenal.",
        "Kategori: Masukkan pilihan yang valid. ufo-mendarat bukan salah satu",
    ),
    "coordinates_in_jakarta": Bad(
        {"region": None, "lat": "-6.2", "lng": "106.8"},
        "Titik lokasi berada di luar Provinsi Lampung.",
        "Titik lokasi berada di luar Provinsi Lampung.",
    ),
    "region_outside_lampung": Bad(
        {"region": "31.71"},
        "Wilayah tidak dikenal.",
        "Kabupaten/kota: Masukkan pilihan yang valid. 31.71 bukan salah satu",
    ),
    "lat_without_lng": Bad(
        {"region": None, "lat": "-5.4"},
        "Koordinat harus berisi lintang dan bujur.",
        "Koordinat harus berisi lintang dan bujur.",
    ),
    "no_location": Bad(
        {"region": None},
        "Tentukan lokasi: tandai titik di peta atau pilih kabupaten/kota.",
        "Tentukan lokasi: tandai titik di peta atau pilih kabupaten/kota.",
    ),
}


def api_data(bad: Bad) -> dict:
    data = {
        "report_type": "pengaduan",
        "category": "jalan-provinsi-rusak",
        "description": DESCRIPTION,
        "privacy": Privacy.PUBLIC,
        "region": "18.71.01",
    }
    data.update(bad.changes)
    data = {k: v for k, v in data.items() if v is not None}
    photos = [f for kind in bad.photos for f in _photos(kind)]
    if photos:
        data["photos"] = photos
    return data


def page_data(bad: Bad) -> dict:
    """The same submission as the /lapor/ form sends it (region split into regency/district)."""
    data = api_data(bad)
    region = data.pop("region", "")
    if region:
        data["regency"] = region[:5]
        if region.count(".") == 2:
            data["district"] = region
    data["idempotency_key"] = "formulir-1"
    return data


@pytest.fixture
def small_photo_limit(settings):
    settings.MAX_PHOTO_BYTES = SMALL_LIMIT


@pytest.mark.parametrize("name", BAD)
def test_api_refuses_and_leaves_nothing(name, citizen, api_as, media_root, small_photo_limit):
    bad = BAD[name]
    client = api_as(citizen)
    before = footprint(media_root)
    response = client.post_form("/reports", api_data(bad))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == bad.api_message
    assert footprint(media_root) == before
    assert before["files"] == []


@pytest.mark.parametrize("name", BAD)
def test_page_refuses_and_leaves_nothing(name, citizen, client, media_root, small_photo_limit):
    bad = BAD[name]
    client.force_login(citizen)
    before = footprint(media_root)
    response = client.post("/lapor/", page_data(bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Periksa kembali isian Anda:" in html
    assert bad.page_message in html
    assert footprint(media_root) == before
    assert before["files"] == []
    # The form comes back with the same idempotency key, so a corrected resubmission files once.
    assert 'value="formulir-1"' in html


def test_page_district_outside_chosen_regency(citizen, client, media_root):
    client.force_login(citizen)
    before = footprint(media_root)
    data = page_data(BAD["no_location"])
    data.update(regency="18.71", district="18.01.04")
    response = client.post("/lapor/", data)
    assert response.status_code == 400
    assert "Kecamatan tidak berada di kabupaten/kota yang dipilih." in response.content.decode()
    assert footprint(media_root) == before


def test_several_problems_reported_together(citizen, api_as, media_root):
    response = api_as(citizen).post_form(
        "/reports",
        {"report_type": "pengaduan", "category": "ufo", "description": "pendek", "region": "31.71"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "description", "region"}
    assert footprint(media_root)["cases"] == 0


# --- what is kept of a valid photo ------------------------------------------------------------


def _exif_of(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif(), image.size, image.format


def test_test_photo_really_has_gps():
    exif, _size, _fmt = _exif_of(image_bytes(gps=True))
    assert exif.get_ifd(0x8825)  # GPSInfo
    assert exif[0x010F] == "KameraUji"


def test_process_photo_strips_exif_and_downscales():
    original = image_bytes(size=(2400, 1800), gps=True)
    processed = process_photo(original, name="jalan.jpg")
    exif, size, fmt = _exif_of(processed.content)
    assert fmt == "JPEG"
    assert len(exif) == 0
    assert max(size) == MAX_SIDE == 1600
    assert size == (1600, 1200) == (processed.width, processed.height)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_other_formats_become_jpeg(fmt):
    processed = process_photo(image_bytes(fmt), name=f"foto.{fmt.lower()}")
    assert _exif_of(processed.content)[2] == "JPEG"


def test_small_photo_not_upscaled():
    assert (process_photo(image_bytes(size=(640, 480))).width, 480) == (640, 480)


def test_unsupported_image_format_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError) as exc:
        process_photo(out.getvalue(), name="gambar.bmp")
    assert exc.value.messages == ["Berkas gambar.bmp bukan foto yang didukung (JPEG, PNG, WebP)."]


def test_truncated_jpeg_refused():
    data = image_bytes(size=(200, 200), noise=True)
    with pytest.raises(ValidationError, match="bukan foto yang valid atau rusak"):
        process_photo(data[: len(data) // 2], name="potong.jpg")


def _stored(case: Case):
    attachment = case.attachments.get()
    with attachment.file.open("rb") as handle:
        return _exif_of(handle.read()), attachment


def test_api_upload_stores_clean_downscaled_photo(citizen, api_as):
    data = api_data(Bad({}, "", ""))
    data["photos"] = [upload("jalan.jpg", image_bytes(size=(2400, 1800), gps=True))]
    response = api_as(citizen).post_form("/reports", data)
    assert response.status_code == 201, response.content
    assert response.json()["photos"][0]["width"] == 1600
    (exif, size, fmt), attachment = _stored(Case.objects.get())
    assert (len(exif), size, fmt) == (0, (1600, 1200), "JPEG")
    assert (attachment.width, attachment.height) == (1600, 1200)
    assert attachment.size == attachment.file.size


def test_page_upload_stores_clean_downscaled_photo(citizen, client):
    client.force_login(citizen)
    data = page_data(Bad({}, "", ""))
    data["photos"] = [upload("jalan.jpg", image_bytes(size=(1800, 2400), gps=True))]
    response = client.post("/lapor/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (exif, size, fmt), _attachment = _stored(Case.objects.get())
    assert (len(exif), size, fmt) == (0, (1200, 1600), "JPEG")
