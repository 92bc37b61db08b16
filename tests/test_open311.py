"""Open311 GeoReport v2 at /open311/v2/: every endpoint in JSON and XML, the API key, the
mapping of our cases to Open311 requests, privacy of the public output, and real third-party
clients against a running server: ``georeport`` (Python 3, reads) and ``three`` (Python 2.7,
reads and creates)."""

from __future__ import annotations

import gc
import json
import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import DESCRIPTION, act, photo
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lampungin.accounts.models import User
from lampungin.cases.choices import Action, CaseState, Channel, Privacy
from lampungin.cases.models import Case
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.integrations.open311 import attributes as attrs
from lampungin.integrations.open311.models import ApiKey, Open311Request
from lampungin.integrations.open311.services import create_api_key, revoke_api_key
from lampungin.sla.choices import ClockKind
from lampungin.sla.services import ensure_default_policy

BASE = "/open311/v2"
FORMATS = ("json", "xml")
# Titik di Bandar Lampung (Tugu Adipura), dan titik di Jakarta (di luar Lampung).
LAT, LNG = -5.429_214, 105.261_711
JAKARTA = (-6.175_392, 106.827_153)

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def xml_root(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def as_dict(element: ET.Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in element}


def decode(response, fmt: str) -> list[dict] | dict:
    """The body as Python values; XML lists of flat items become lists of dicts of text."""
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    return [as_dict(item) for item in xml_root(response)]


def errors_of(response, fmt: str) -> list[dict]:
    """The GeoReport error list, checked for its shape in either format."""
    if fmt == "json":
        body = json.loads(response.content)
        assert all(set(e) == {"code", "description"} for e in body)
        return body
    root = xml_root(response)
    assert root.tag == "errors"
    assert all(e.tag == "error" and tags(e) == ["code", "description"] for e in root)
    return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root]


def assert_error(response, fmt: str, status: int, fragment: str = "") -> None:
    assert response.status_code == status, response.content
    found = errors_of(response, fmt)
    assert found and all(e["code"] == status for e in found)
    if fragment:
        assert any(fragment in e["description"] for e in found), found


@pytest.fixture
def api_key(db) -> str:
    _key, raw = create_api_key(name="Aplikasi Uji")
    return raw


@pytest.fixture
def post(client: Client, api_key: str):
    """``post(fmt, **fields)``: POST requests as a form, with a valid api_key unless given."""

    def send(fmt: str = "json", headers: dict | None = None, **fields):
        data = {"api_key": api_key, "service_code": "jalan-provinsi-rusak", **fields}
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{BASE}/requests.{fmt}", data, headers=headers or {})

    return send


def point(lat: float = LAT, lng: float = LNG) -> dict:
    return {"lat": str(lat), "long": str(lng)}


# ---------------------------------------------------------------------------------------
# Discovery and services
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, db, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        doc = response.json()
        endpoint = doc["endpoints"][0]
        formats = endpoint["formats"]
    else:
        root = xml_root(response)
        assert root.tag == "discovery"
        assert tags(root) == ["changeset", "contact", "key_service", "endpoints"]
        endpoints = root.find("endpoints")
        assert tags(endpoints) == ["endpoint"]
        node = endpoints.find("endpoint")
        assert tags(node) == ["specification", "url", "changeset", "type", "formats"]
        assert tags(node.find("formats")) == ["format", "format"]
        formats = [f.text for f in node.find("formats")]
        endpoint = as_dict(node)
        doc = as_dict(root)
    assert doc["changeset"] and doc["contact"] and doc["key_service"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == settings.SITE_URL + "/open311/v2"
    assert endpoint["type"] == "production"
    assert formats == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_every_active_category(client, db, fmt):
    ReportCategory.objects.filter(code="jembatan-rusak").update(is_active=False)
    response = client.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 200
    if fmt == "xml":
        root = xml_root(response)
        assert root.tag == "services"
        assert {child.tag for child in root} == {"service"}
        assert all(tags(service) == SERVICE_FIELDS for service in root)
    services = decode(response, fmt)
    active = ReportCategory.objects.filter(is_active=True)
    assert sorted(s["service_code"] for s in services) == sorted(active.values_list("code", flat=True))
    road = next(s for s in services if s["service_code"] == "jalan-provinsi-rusak")
    category = ReportCategory.objects.select_related("group").get(code="jalan-provinsi-rusak")
    assert road["service_name"] == category.name
    assert road["description"] == category.hint
    assert road["keywords"] == category.keywords and "," in road["keywords"]
    assert road["group"] == category.group.name
    assert road["type"] == "realtime"
    assert road["metadata"] in (False, "false")


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_without_attributes(client, db, fmt):
    response = client.get(f"{BASE}/services/jalan-provinsi-rusak.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.json() == {"service_code": "jalan-provinsi-rusak", "attributes": []}
    else:
        root = xml_root(response)
        assert root.tag == "service_definition"
        assert tags(root) == ["service_code", "attributes"]
        assert root.findtext("service_code") == "jalan-provinsi-rusak"
        assert list(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_is_404(client, db, fmt):
    assert_error(client.get(f"{BASE}/services/tidak-ada.{fmt}"), fmt, 404, "tidak-ada")


SIZE = attrs.Attribute(
    code="ukuran",
    description="Seberapa besar lubangnya?",
    datatype=attrs.Datatype.SINGLEVALUELIST,
    required=True,
    order=1,
    values=(attrs.AttributeValue("kecil", "Kecil"), attrs.AttributeValue("besar", "Besar")),
)
HAZARDS = attrs.Attribute(
    code="bahaya",
    description="Bahaya apa saja?",
    datatype=attrs.Datatype.MULTIVALUELIST,
    order=2,
    values=(attrs.AttributeValue("motor", "Motor jatuh"), attrs.AttributeValue("banjir", "Genangan")),
)
NOTE = attrs.Attribute(code="catatan", description="Foto membantu petugas.", variable=False, order=0)


@pytest.fixture
def with_attributes(monkeypatch):
    """Give every category three attributes, as form definitions will (issue 4)."""
    for module in ("attributes", "serializers", "services"):
        monkeypatch.setattr(
            f"lampungin.integrations.open311.{module}.attributes_for", lambda category: [HAZARDS, SIZE, NOTE]
        )


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_renders_attributes(client, db, with_attributes, fmt):
    response = client.get(f"{BASE}/services/jalan-provinsi-rusak.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        attributes = response.json()["attributes"]
        assert [a["code"] for a in attributes] == ["catatan", "ukuran", "bahaya"]
        assert all(list(a) == ATTRIBUTE_FIELDS for a in attributes)
        size = attributes[1]
        assert size["datatype"] == "singlevaluelist" and size["required"] is True and size["variable"] is True
        assert size["values"] == [{"key": "kecil", "name": "Kecil"}, {"key": "besar", "name": "Besar"}]
        assert attributes[0]["variable"] is False
    else:
        root = xml_root(response)
        attributes = root.find("attributes")
        assert tags(attributes) == ["attribute"] * 3
        size = attributes[1]
        assert tags(size) == ATTRIBUTE_FIELDS
        assert size.findtext("required") == "true" and size.findtext("order") == "1"
        assert tags(size.find("values")) == ["value", "value"]
        assert [tags(v) for v in size.find("values")] == [["key", "name"]] * 2
        assert size.find("values")[1].findtext("name") == "Besar"
    services = decode(client.get(f"{BASE}/services.{fmt}"), fmt)
    assert all(s["metadata"] in (True, "true") for s in services)


def test_attribute_answers_are_checked_against_the_definition(db, with_attributes, post):
    assert_error(post(**point()), "json", 400, "ukuran")
    assert_error(post(**point(), **{"attribute[ukuran]": "raksasa"}), "json", 400, "raksasa")
    assert_error(post(**point(), **{"attribute[ukuran][]": ["kecil", "besar"]}), "json", 400, "satu nilai")
    response = post(**point(), **{"attribute[ukuran]": "besar", "attribute[bahaya][]": ["motor", "banjir"]})
    assert response.status_code == 201, response.content
    stored = Open311Request.objects.get()
    assert stored.attributes == {"ukuran": "besar", "bahaya": ["motor", "banjir"]}


# ---------------------------------------------------------------------------------------
# POST requests
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_public_case_visible_through_get(client, post, fmt):
    response = post(
        fmt,
        **point(),
        description=DESCRIPTION,
        email="Warga.Baru@Contoh.test",
        first_name="Rudi",
        last_name="Hartono",
        phone="0812-3456-7890",
        device_id="perangkat-42",
        account_id="akun-7",
        address_string="Jl. Teuku Umar depan ruko",
        media_url="https://contoh.test/foto/lubang.jpg",
        **{"attribute[kedalaman]": "30 cm", "attribute[sisi][]": ["kiri", "kanan"]},
    )
    assert response.status_code == 201, response.content
    if fmt == "xml":
        root = xml_root(response)
        assert root.tag == "service_requests"
        assert tags(root) == ["request"]
        assert tags(root[0]) == ["service_request_id", "service_notice", "account_id"]
    (answer,) = decode(response, fmt)
    case = Case.objects.select_related("reporter").get(tracking=answer["service_request_id"])
    assert answer["account_id"] == "akun-7"
    assert case.tracking in answer["service_notice"]
    assert case.channel == Channel.API
    assert case.privacy == Privacy.PUBLIC
    assert case.category.code == "jalan-provinsi-rusak"
    assert case.regency_id == "18.71"
    assert case.description == DESCRIPTION
    assert case.address == "Jl. Teuku Umar depan ruko"
    reporter = case.reporter
    assert reporter.email == "warga.baru@contoh.test"
    assert reporter.phone == "+6281234567890"
    assert reporter.full_name == "Rudi Hartono"
    assert not reporter.has_usable_password()
    extra = case.open311
    assert extra.api_key.name == "Aplikasi Uji"
    assert extra.device_id == "perangkat-42" and extra.account_id == "akun-7"
    assert extra.media_url == "https://contoh.test/foto/lubang.jpg"
    assert extra.attributes == {"kedalaman": "30 cm", "sisi": ["kiri", "kanan"]}

    (shown,) = decode(client.get(f"{BASE}/requests/{case.tracking}.{fmt}"), fmt)
    assert shown["service_request_id"] == case.tracking
    assert shown["status"] == "open"
    assert shown["service_code"] == "jalan-provinsi-rusak"
    assert shown["description"] == DESCRIPTION
    listed = decode(client.get(f"{BASE}/requests.{fmt}"), fmt)
    assert [r["service_request_id"] for r in listed] == [case.tracking]


def test_post_reuses_the_account_with_that_email_or_phone(post, citizen, citizen2):
    by_email = post(**point(), description=DESCRIPTION, email="SITI@warga.test")
    by_phone = post(**point(), description=DESCRIPTION, phone="+62 812 7000 1234", first_name="Nama Lain")
    assert by_email.status_code == by_phone.status_code == 201
    assert Case.objects.get(tracking=by_email.json()[0]["service_request_id"]).reporter == citizen
    assert Case.objects.get(tracking=by_phone.json()[0]["service_request_id"]).reporter == citizen2
    citizen2.refresh_from_db()
    assert citizen2.full_name == "Budi Santoso"  # an existing account is never changed


def test_post_without_contact_is_filed_by_the_application_account(post):
    first = post(**point(), description=DESCRIPTION, email="", phone="")
    second = post(address_id="18.72", description=DESCRIPTION)
    assert first.status_code == second.status_code == 201, second.content
    reporters = {c.reporter for c in Case.objects.select_related("reporter")}
    (account,) = reporters
    assert account == ApiKey.objects.get().account
    assert account.email.endswith(".invalid") and not account.has_usable_password()
    assert account.full_name == "Aplikasi Uji (Open311)"


def test_post_short_or_missing_description_is_completed_with_the_service_name(post):
    short = post(**point(), description="Berlubang")
    missing = post(**point())
    assert short.status_code == missing.status_code == 201
    texts = dict(Case.objects.values_list("tracking", "description"))
    assert texts[short.json()[0]["service_request_id"]] == "Jalan provinsi rusak: Berlubang"
    assert texts[missing.json()[0]["service_request_id"]].startswith("Jalan provinsi rusak")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "o311_salah", "revoked"])
def test_post_needs_a_valid_api_key(client, db, fmt, key):
    if key == "revoked":
        _row, key = create_api_key(name="Lama")
        revoke_api_key(name="Lama")
    data = {"service_code": "jalan-provinsi-rusak", **point(), "description": DESCRIPTION}
    if key is not None:
        data["api_key"] = key
    assert_error(client.post(f"{BASE}/requests.{fmt}", data), fmt, 403, "api_key")
    assert not Case.objects.exists()
    assert not User.objects.exists()


def test_api_key_in_the_query_string_is_accepted(client, api_key):
    # The open311 package (2011) sends api_key and jurisdiction_id in the URL of its POST.
    response = client.post(
        f"{BASE}/requests.json?api_key={api_key}&jurisdiction_id=",
        {"service_code": "jalan-provinsi-rusak", **point(), "description": DESCRIPTION},
    )
    assert response.status_code == 201, response.content
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_service_code_is_400(post, fmt):
    assert_error(post(fmt, service_code="", **point()), fmt, 400, "service_code")


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_unknown_service_code_is_400(post, fmt):
    assert_error(post(fmt, service_code="tidak-ada", **point()), fmt, 400, "tidak-ada")


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_outside_lampung_is_400(post, fmt):
    assert_error(post(fmt, **point(*JAKARTA), description=DESCRIPTION), fmt, 400, "di luar Provinsi Lampung")
    assert not Case.objects.exists()
    assert not User.objects.filter(email__isnull=False).exclude(email__endswith=".invalid").exists()


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"address_string": "Jl. Kartini No. 5, Tanjung Karang"}, "lat/long atau address_id"),
        ({}, "lat/long atau address_id"),
        ({"lat": str(LAT)}, "lat dan long"),
        ({"lat": "lima", "long": str(LNG)}, "lat harus berupa angka"),
        ({"address_id": "Bandar Lampung"}, "kode wilayah Kemendagri"),
        ({"address_id": "31.71"}, "Wilayah tidak dikenal"),
        ({"address_id": "18"}, "Wilayah tidak dikenal"),
        ({**point(), "description": "x" * 4001}, "4000"),
        ({**point(), "email": "bukan-email"}, "email"),
        ({**point(), "phone": "12345"}, "phone"),
        ({**point(), "media_url": "ftp://contoh.test/a.jpg"}, "media_url"),
        ({**point(), "privacy": "semua"}, "privacy"),
    ],
)
def test_post_rejects_bad_fields(post, fields, fragment):
    assert_error(post(**fields), "json", 400, fragment)
    assert not Case.objects.exists()


def test_post_with_a_region_code_only(client, post):
    response = post(address_id="18.71.01", address_string="Pasar Bawah", description=DESCRIPTION)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.region_id, case.regency_id, case.lat, case.lng) == ("18.71.01", "18.71", None, None)
    (shown,) = client.get(f"{BASE}/requests/{case.tracking}.json").json()
    assert shown["lat"] is None and shown["long"] is None
    assert shown["address_id"] == "18.71.01"


def test_empty_parameters_count_as_missing(post):
    response = post(**point(), address_id="", description=DESCRIPTION, email="", media_url="", privacy="")
    assert response.status_code == 201, response.content
    assert Case.objects.get().privacy == Privacy.PUBLIC


def test_post_may_ask_for_confidentiality(client, post):
    response = post(**point(), description=DESCRIPTION, privacy="confidential")
    tracking = response.json()[0]["service_request_id"]
    assert Case.objects.get(tracking=tracking).privacy == Privacy.CONFIDENTIAL
    assert client.get(f"{BASE}/requests/{tracking}.json").status_code == 404


def test_idempotency_key_returns_the_first_request(post):
    fields = {**point(), "description": DESCRIPTION, "email": "ulang@contoh.test"}
    first = post(**fields, headers={"Idempotency-Key": "kirim-1"})
    again = post(**fields, headers={"Idempotency-Key": "kirim-1"})
    # Even with different contact data, the same key from the same application is the same request.
    other_reporter = post(**point(), description=DESCRIPTION, headers={"Idempotency-Key": "kirim-1"})
    other_key = post(**fields, headers={"Idempotency-Key": "kirim-2"})
    without_key = post(**fields)
    assert first.status_code == 201 and again.status_code == 200 and other_reporter.status_code == 200
    ids = [r.json()[0]["service_request_id"] for r in (first, again, other_reporter, other_key, without_key)]
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids)) == 3
    assert Case.objects.count() == 3


def test_same_idempotency_key_from_another_application_is_another_request(client, post):
    _row, other = create_api_key(name="Aplikasi Lain")
    first = post(**point(), description=DESCRIPTION, headers={"Idempotency-Key": "k"})
    second = client.post(
        f"{BASE}/requests.json",
        {"api_key": other, "service_code": "jalan-provinsi-rusak", **point(), "description": DESCRIPTION},
        headers={"Idempotency-Key": "k"},
    )
    assert first.status_code == second.status_code == 201
    assert first.json()[0]["service_request_id"] != second.json()[0]["service_request_id"]


def test_post_is_not_subject_to_csrf(api_key, db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key, "service_code": "jalan-provinsi-rusak", **point(), "description": DESCRIPTION},
    )
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------------------------------
# GET requests
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_fields_and_xml_shape(client, make_case, citizen, officer_a, fmt):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, lat=LAT, lng=LNG, photos=[photo()])
    response = client.get(f"{BASE}/requests/{case.tracking}.{fmt}")
    assert response.status_code == 200
    if fmt == "xml":
        root = xml_root(response)
        assert root.tag == "service_requests" and tags(root) == ["request"]
        assert tags(root[0]) == REQUEST_FIELDS
    else:
        assert list(response.json()[0]) == REQUEST_FIELDS
    (shown,) = decode(response, fmt)
    assert shown["status"] == "open"
    assert shown["service_name"] == "Jalan provinsi rusak"
    assert shown["agency_responsible"] == case.agency.name
    assert shown["address"] == f"{case.region.display_name}, {case.regency.display_name}"
    assert shown["address_id"] == "18.71.01"
    assert shown["zipcode"] == ""
    assert float(shown["lat"]) == -5.429 and float(shown["long"]) == 105.262
    assert shown["expected_datetime"] in (None, "")
    assert shown["requested_datetime"].endswith("+07:00")
    assert shown["updated_datetime"] >= shown["requested_datetime"]
    # The status note is the latest public message of staff (START's message here).
    assert shown["status_notes"] == f"Keterangan untuk tindakan {Action.START.label}."
    attachment = case.attachments.get()
    assert shown["media_url"] == f"{settings.SITE_URL}/lampiran/{attachment.pk}"
    assert Client().get(f"/lampiran/{attachment.pk}").status_code == 200


def test_status_notes_never_quote_the_reporter(client, make_case, citizen):
    case = make_case(citizen, state=CaseState.RESOLVED)
    act(case, Action.DISPUTE, message="Saya Siti dari RT 03, lubangnya masih ada.")
    (shown,) = client.get(f"{BASE}/requests/{case.tracking}.json").json()
    assert shown["status"] == "open"
    assert shown["status_notes"] == f"Keterangan untuk tindakan {Action.RESOLVE.label}."
    citizen.delete()  # the reporter's account is gone: their words still are not staff's
    (shown,) = client.get(f"{BASE}/requests/{case.tracking}.json").json()
    assert shown["status_notes"] == f"Keterangan untuk tindakan {Action.RESOLVE.label}."


def test_expected_datetime_is_the_next_running_government_deadline(client, make_case, citizen):
    ensure_default_policy()

    def expected(case: Case) -> str | None:
        (shown,) = client.get(f"{BASE}/requests/{case.tracking}.json").json()
        return shown["expected_datetime"]

    def next_deadline(case: Case) -> str | None:
        running = (
            case.clocks.filter(stopped_at__isnull=True, paused_at__isnull=True)
            .exclude(kind=ClockKind.REPORTER_RESPONSE)
            .order_by("due_at")
            .first()
        )
        return timezone.localtime(running.due_at).isoformat(timespec="seconds") if running else None

    submitted = make_case(citizen)
    assert submitted.clocks.exists()
    assert expected(submitted) == next_deadline(submitted) is not None
    assert expected(submitted).endswith("+07:00")
    working = make_case(citizen, state=CaseState.IN_PROGRESS)
    assert expected(working) == next_deadline(working) is not None
    closed = make_case(citizen, state=CaseState.CLOSED)
    assert expected(closed) is None  # every clock stopped
    resolved = make_case(citizen, state=CaseState.RESOLVED)
    assert expected(resolved) is None  # only the reporter's response window runs


STATUS_OF = {
    CaseState.SUBMITTED: "open",
    CaseState.VERIFIED: "open",
    CaseState.ASSIGNED: "open",
    CaseState.IN_PROGRESS: "open",
    CaseState.WAITING_REPORTER: "open",
    CaseState.REOPENED: "open",
    CaseState.RESOLVED: "closed",
    CaseState.CLOSED: "closed",
    CaseState.REJECTED: "closed",
    CaseState.REFERRED: "closed",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_mapping_and_filter(client, make_case, citizen, fmt):
    cases = {state: make_case(citizen, state=state) for state in STATUS_OF}
    listed = decode(client.get(f"{BASE}/requests.{fmt}"), fmt)
    assert {r["service_request_id"]: r["status"] for r in listed} == {
        cases[state].tracking: status for state, status in STATUS_OF.items()
    }
    for status in ("open", "closed"):
        found = decode(client.get(f"{BASE}/requests.{fmt}", {"status": status}), fmt)
        expected = {cases[s].tracking for s, st in STATUS_OF.items() if st == status}
        assert {r["service_request_id"] for r in found} == expected
    both = decode(client.get(f"{BASE}/requests.{fmt}", {"status": "open,closed"}), fmt)
    assert len(both) == len(STATUS_OF)
    assert_error(client.get(f"{BASE}/requests.{fmt}", {"status": "pending"}), fmt, 400, "status")


def test_referred_case_names_the_government_it_went_to(client, make_case, citizen):
    case = make_case(citizen, state=CaseState.REFERRED)
    (shown,) = client.get(f"{BASE}/requests/{case.tracking}.json").json()
    assert shown["agency_responsible"] == case.referred_to.name != case.agency.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_confidential_cases_are_never_shown(client, make_case, citizen, fmt):
    public = make_case(citizen)
    anonymous = make_case(citizen, privacy=Privacy.ANONYMOUS)
    secret = make_case(citizen, privacy=Privacy.CONFIDENTIAL)
    listed = decode(client.get(f"{BASE}/requests.{fmt}"), fmt)
    assert {r["service_request_id"] for r in listed} == {public.tracking, anonymous.tracking}
    by_id = decode(client.get(f"{BASE}/requests.{fmt}", {"service_request_id": secret.tracking}), fmt)
    assert by_id == []
    assert_error(client.get(f"{BASE}/requests/{secret.tracking}.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_is_404(client, db, fmt):
    assert_error(client.get(f"{BASE}/requests/LPG-2222-22.{fmt}"), fmt, 404)
    assert_error(client.get(f"{BASE}/requests/bukan-nomor.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_personal_data_in_any_get_output(client, make_case, fmt):
    reporter = User.objects.create_user(
        email="rahasia.pribadi@contoh.test",
        phone="+6281299998888",
        password=None,
        full_name="Zulkarnain Pribadi",
    )
    precise = (-5.412_345_6, 105.254_321_9)
    case = make_case(
        reporter,
        lat=precise[0],
        lng=precise[1],
        address="Rumah Zulkarnain, Gang Mawar No. 7",
        state=CaseState.IN_PROGRESS,
    )
    bodies = [
        client.get(f"{BASE}/requests.{fmt}").content,
        client.get(f"{BASE}/requests/{case.tracking}.{fmt}").content,
        client.get(f"{BASE}/requests.{fmt}", {"service_request_id": case.tracking}).content,
    ]
    assert all(case.tracking.encode() in body for body in bodies)
    for body in bodies:
        text = body.decode()
        for secret in (
            "Zulkarnain",
            "rahasia.pribadi",
            "contoh.test",
            "8129999",
            "Gang Mawar",
            "5.41234",
            "105.25432",
        ):
            assert secret not in text, secret


def test_service_request_id_list_overrides_other_filters(client, make_case, citizen):
    with clock.frozen_at(clock.now() - timedelta(days=200)):
        old = make_case(citizen, category="jembatan-rusak")
    new = make_case(citizen)
    response = client.get(
        f"{BASE}/requests.json",
        {
            "service_request_id": f"{old.tracking}, {new.tracking.lower()},LPG-2222-22",
            "service_code": "penerangan-jalan",
            "status": "closed",
        },
    )
    assert {r["service_request_id"] for r in response.json()} == {old.tracking, new.tracking}


def test_service_code_filter(client, make_case, citizen):
    road = make_case(citizen)
    bridge = make_case(citizen, category="jembatan-rusak")
    make_case(citizen, category="jalan-nasional-rusak")
    found = client.get(
        f"{BASE}/requests.json", {"service_code": "jalan-provinsi-rusak,jembatan-rusak"}
    ).json()
    assert {r["service_request_id"] for r in found} == {road.tracking, bridge.tracking}


def test_date_window(client, make_case, citizen):
    now = clock.now()
    with clock.frozen_at(now - timedelta(days=120)):
        old = make_case(citizen)
    with clock.frozen_at(now - timedelta(days=30)):
        recent = make_case(citizen)

    def ids(**params) -> set[str]:
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids() == {recent.tracking}  # default: the last 90 days
    # Date-only parameters are WIB calendar days: take the date in WIB, not in UTC (they
    # differ between 17:00 and 24:00 UTC).
    day = timezone.localtime(now - timedelta(days=120)).date()
    assert ids(start_date=day.isoformat(), end_date=(day + timedelta(days=60)).isoformat()) == {old.tracking}
    assert ids(start_date=day.isoformat(), end_date=(day + timedelta(days=90)).isoformat()) == {
        old.tracking,
        recent.tracking,
    }
    assert ids(start_date=(now - timedelta(days=150)).isoformat()) == {old.tracking}
    assert ids(end_date=(now - timedelta(days=100)).isoformat()) == {old.tracking}
    assert ids(start_date=(now - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")) == {recent.tracking}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-04-02T00:00:00+07:00"},
        {"start_date": "2026-01-01", "end_date": "2026-04-02"},
        {"start_date": "2026-03-01", "end_date": "2026-02-01"},
        {"start_date": "kemarin"},
        {"end_date": "2026-02-30"},
    ],
)
def test_bad_date_window_is_400(client, db, fmt, params):
    assert_error(client.get(f"{BASE}/requests.{fmt}", params), fmt, 400)


def test_at_most_the_limit_is_returned(client, make_case, citizen, monkeypatch):
    monkeypatch.setattr("lampungin.integrations.open311.selectors.MAX_RESULTS", 2)
    cases = [make_case(citizen) for _ in range(3)]
    found = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in found] == [cases[2].tracking, cases[1].tracking]


def test_request_list_query_count_does_not_grow(client, make_case, citizen, django_assert_num_queries):
    for _ in range(2):
        make_case(citizen, state=CaseState.IN_PROGRESS, photos=[photo()])
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}/requests.json").json()) == 2
    for _ in range(3):
        make_case(citizen, state=CaseState.VERIFIED, photos=[photo()])
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}/requests.json").json()) == 5


# ---------------------------------------------------------------------------------------
# Tokens, jurisdiction, formats, methods
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens_are_never_issued(client, db, fmt):
    assert_error(client.get(f"{BASE}/tokens/12345.{fmt}"), fmt, 404, "Token")


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id(client, post, fmt):
    ours = {"jurisdiction_id": "lampungprov.go.id"}
    assert client.get(f"{BASE}/services.{fmt}", ours).status_code == 200
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": ""}).status_code == 200
    assert_error(client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "sfgov.org"}), fmt, 404, "sfgov")
    assert_error(post(fmt, **point(), jurisdiction_id="sfgov.org"), fmt, 404, "jurisdiction_id")
    assert post(fmt, **point(), **ours).status_code == 201


@pytest.mark.parametrize(
    "path", ["discovery.html", "services.csv", "services/jalan-provinsi-rusak.yaml", "requests.JSONP"]
)
def test_unknown_format_is_404(client, db, path):
    assert_error(client.get(f"{BASE}/{path}"), "json", 404, "Format")


def test_unsupported_method_is_refused(client, db):
    response = client.put(f"{BASE}/services.json")
    assert_error(response, "json", 405)
    assert response["Allow"] == "GET"
    assert client.delete(f"{BASE}/requests.xml")["Allow"] == "GET, POST"


# ---------------------------------------------------------------------------------------
# API keys: command and admin
# ---------------------------------------------------------------------------------------


def test_apikey_command_prints_the_key_once_and_stores_its_hash(db, capsys, client):
    call_command("apikey", "create", "Kota Metro 311", "--agency", "diskominfotik")
    raw = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(name="Kota Metro 311")
    assert raw.startswith("o311_") and len(raw) > 40
    assert key.key_hash == ApiKey.hash(raw) and raw not in (key.key_hash, key.key_prefix)
    assert key.agency.code == "diskominfotik"
    call_command("apikey", "list")
    listing = capsys.readouterr().out
    assert "Kota Metro 311" in listing and raw not in listing
    data = {"api_key": raw, "service_code": "jalan-provinsi-rusak", **point(), "description": DESCRIPTION}
    assert client.post(f"{BASE}/requests.json", data).status_code == 201
    call_command("apikey", "revoke", "Kota Metro 311")
    assert client.post(f"{BASE}/requests.json", data).status_code == 403
    with pytest.raises(Exception, match="Sudah ada"):
        call_command("apikey", "create", "Kota Metro 311")


def test_admin_creates_a_key_and_shows_it_once(db, client):
    admin = User.objects.create_superuser("root@diskominfotik.test", "Sandi-Admin-2026!", full_name="Root")
    client.force_login(admin)
    response = client.post(
        "/admin/integrations/apikey/add/", {"name": "Mitra Uji", "agency": ""}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Mitra Uji")
    shown = [str(m) for m in response.context["messages"] if "salin sekarang" in str(m)]
    assert len(shown) == 1
    raw = shown[0].split(": ", 1)[1].split(" ", 1)[0]
    assert ApiKey.hash(raw) == key.key_hash
    page = client.get(f"/admin/integrations/apikey/{key.pk}/change/")
    assert page.status_code == 200 and raw.encode() not in page.content


# ---------------------------------------------------------------------------------------
# A third-party client against a running server
# ---------------------------------------------------------------------------------------


@pytest.fixture
def server(live_server) -> Iterator[str]:
    """A running server with reference data (a transactional test starts from what the
    previous one left, and each one empties the database when it ends)."""
    from lampungin.agencies.services import load_seed_agencies
    from lampungin.catalog.services import load_seed_catalog
    from lampungin.regions.services import load_lampung_regions

    load_lampung_regions(include_villages=False)
    load_seed_agencies()
    load_seed_catalog()
    yield live_server.url + BASE
    # The server answers each connection in a daemon thread that closes its database
    # connection when the client hangs up. A client's socket can outlive the call in a
    # reference cycle until the garbage collector runs: collect, then let those threads
    # finish before the database is emptied and the server stops sharing SQLite's
    # in-memory connection with them.
    gc.collect()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


@pytest.mark.parametrize("fmt", FORMATS)
def test_georeport_client_reads_and_follows_a_request(server, fmt):
    """The ``georeport`` package (PyPI, 2025), unchanged: it only reads, so the request it
    follows is filed the way the ``open311`` package (2011) posts: a form body, with
    api_key and jurisdiction_id in the query string."""
    import requests
    from georeport import GeoReport

    _key, raw = create_api_key(name=f"Klien {fmt}")
    client = GeoReport(server, jurisdiction="lampungprov.go.id", output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert (
        "jalan-provinsi-rusak" in codes
        and len(codes) == ReportCategory.objects.filter(is_active=True).count()
    )
    definition = client.get_service_definition("jalan-provinsi-rusak")
    assert definition["service_code"] == "jalan-provinsi-rusak"

    response = requests.post(
        f"{server}/requests.{fmt}",
        params={"jurisdiction_id": "lampungprov.go.id", "api_key": raw},
        data={
            "service_code": "jalan-provinsi-rusak",
            **point(),
            "description": DESCRIPTION,
            "email": f"klien.{fmt}@contoh.test",
            "first_name": "Klien",
            "media_url": "https://contoh.test/foto.jpg",
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    if fmt == "json":
        tracking = response.json()[0]["service_request_id"]
    else:
        tracking = ET.fromstring(response.content).findtext("request/service_request_id")  # noqa: S314

    one = client.get_service_request(tracking)
    assert one["service_request_id"] == tracking
    assert one["status"] == "open"
    assert one["service_code"] == "jalan-provinsi-rusak"
    found = client.get_service_requests(service_request_id=tracking)
    found = [found] if isinstance(found, dict) else found  # xmltodict gives a lone item as a dict
    assert [r["service_request_id"] for r in found] == [tracking]
    listed = client.get_service_requests(service_code="jalan-provinsi-rusak", status="open")
    listed = [listed] if isinstance(listed, dict) else listed
    assert tracking in [r["service_request_id"] for r in listed]
    assert "Klien" not in json.dumps(listed)


def test_georeport_client_sees_errors_as_http_errors(server):
    import requests
    from georeport import GeoReport

    client = GeoReport(server, output_format="xml")
    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_definition("tidak-ada")
    assert caught.value.response.status_code == 404
    root = ET.fromstring(caught.value.response.content)  # noqa: S314
    assert root.tag == "errors" and root.find("error/code").text == "404"


CLIENTS = Path(__file__).parent / "clients"


@pytest.fixture(scope="module")
def python27_clients():
    """``three`` 0.8.0 and ``open311`` 1.1 on CPython 2.7, installed by pip (tests/python27.py
    says why and from where)."""
    from python27 import Unavailable, ensure_clients

    try:
        return ensure_clients()
    except Unavailable as error:
        message = f"the Python 2.7 Open311 clients need Debian's Python 2.7 and PyPI: {error}"
        if os.environ.get("LAMPUNGIN_REQUIRE_PYTHON27"):
            # CI can fetch them: there a missing client is a failure, never a silent skip.
            pytest.fail(message)
        pytest.skip(message)


def run_client(clients, script: str, *args: str) -> dict:
    run = clients.run(CLIENTS / script, *args)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def assert_filed_and_readable(out: dict, *, key: str, email: str, name: str, description: str) -> Case:
    """What a client filed became a public case sent by ``key``'s application, and what the
    client read back is that case, its deadline, and nothing about the reporter."""
    active = ReportCategory.objects.filter(is_active=True).values_list("code", flat=True)
    assert sorted(out["service_codes"]) == sorted(active)
    assert out["definition_code"] == "jalan-provinsi-rusak"

    case = Case.objects.select_related("reporter", "open311__api_key").get(tracking=out["created_id"])
    assert case.channel == Channel.API and case.privacy == Privacy.PUBLIC
    assert case.category.code == "jalan-provinsi-rusak"
    assert case.description == description
    assert case.reporter.email == email and case.reporter.full_name == name
    assert case.open311.api_key.name == key
    assert case.tracking in out["service_notice"]

    one = out["request"]
    assert one["service_request_id"] == case.tracking and one["status"] == "open"
    assert one["service_code"] == "jalan-provinsi-rusak"
    first_due = case.clocks.exclude(kind=ClockKind.REPORTER_RESPONSE).order_by("due_at").first().due_at
    assert one["expected_datetime"] == timezone.localtime(first_due).isoformat(timespec="seconds")
    assert case.tracking in out["listed_ids"]
    assert name.split()[0] not in out["listed_text"] and email not in out["listed_text"]

    assert out["token_status"] == 404
    assert out["wrong_key_status"] == 403
    assert Case.objects.filter(open311__isnull=False).count() == 1  # the wrong key filed nothing
    return case


@pytest.mark.parametrize("fmt", FORMATS)
def test_three_client_creates_and_reads_a_request(server, python27_clients, fmt):
    """Code for America's ``three`` (PyPI 0.8.0), unchanged, on the Python it was written
    for: it posts the way its README shows (form body with api_key, ``name`` split into
    first and last name) and reads through discovery, services, requests and tokens."""
    ensure_default_policy()
    _key, raw = create_api_key(name=f"Three {fmt}")
    email = f"tiga.{fmt}@contoh.test"

    out = run_client(python27_clients, "three_open311.py", server + "/", fmt, raw, email)

    assert out["post_status"] == 201
    assert out["discovery_urls"] == [settings.SITE_URL + BASE]
    case = assert_filed_and_readable(
        out,
        key=f"Three {fmt}",
        email=email,
        name="Klien Tiga",
        description="Jalan provinsi berlubang besar di depan Tugu Adipura, dua motor sudah jatuh pekan ini.",
    )
    assert case.address == "Tugu Adipura, Enggal"
    assert str(out["token_error"]["code"]) == "404"
    assert "api_key" in out["wrong_key_error"]["description"]


def test_open311_package_creates_and_reads_a_request(server, python27_clients):
    """The ``open311`` package (PyPI 1.1), unchanged: XML only, api_key in the query string
    of its POST, and service definitions asked for at ``service/{code}``."""
    ensure_default_policy()
    _key, raw = create_api_key(name="Paket open311")

    out = run_client(python27_clients, "open311_package.py", server, raw, "lama@contoh.test")

    case = assert_filed_and_readable(
        out,
        key="Paket open311",
        email="lama@contoh.test",
        name="Klien Lama",
        description="Lampu jalan provinsi padam sepanjang dua ratus meter, jalan gelap dan rawan begal.",
    )
    assert case.address == "Jl. Raden Intan"
