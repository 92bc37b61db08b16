"""A citizen pins services to the account page and unpins them; plain forms, no JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from lampungin.catalog.models import Service
from lampungin.web.models import FavouriteService
from lampungin.web.services import set_favourite


@pytest.fixture
def service(db) -> Service:
    return Service.objects.filter(is_published=True).order_by("code").first()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitor_is_invited_to_sign_in(service) -> None:
    page = Client().get(f"/layanan/{service.code}/")
    assert "Masuk untuk menyimpan layanan ini" in page.text
    assert Client().post(f"/layanan/{service.code}/favorit/", {"favourite": "1"}).status_code == 302
    assert not FavouriteService.objects.exists()


def test_citizen_pins_and_unpins_a_service(citizen, service) -> None:
    client = signed_in(citizen)
    assert "Belum ada. Buka sebuah layanan" in client.get("/akun/").text

    response = client.post(f"/layanan/{service.code}/favorit/", {"favourite": "1"})
    assert response.status_code == 302 and response["Location"] == f"/layanan/{service.code}/"
    assert "Tersimpan di akun Anda" in client.get(f"/layanan/{service.code}/").text
    account = client.get("/akun/").text
    assert f'href="/layanan/{service.code}/">{service.name}</a>' in account

    client.post(f"/layanan/{service.code}/favorit/", {"favourite": "1"})  # a double tap
    assert FavouriteService.objects.filter(user=citizen).count() == 1

    client.post(f"/layanan/{service.code}/favorit/", {"favourite": "0", "next": "/akun/"})
    assert not FavouriteService.objects.filter(user=citizen).exists()


def test_favourites_are_personal(citizen, citizen2, service) -> None:
    set_favourite(user=citizen, service_code=service.code, favourite=True)
    assert service.name not in signed_in(citizen2).get("/akun/").text


def test_unpublished_or_unknown_service_cannot_be_pinned(citizen, service) -> None:
    client = signed_in(citizen)
    assert client.post("/layanan/tidak-ada/favorit/", {"favourite": "1"}).status_code == 404
    Service.objects.filter(pk=service.pk).update(is_published=False)
    assert client.post(f"/layanan/{service.code}/favorit/", {"favourite": "1"}).status_code == 404


def test_a_service_withdrawn_later_leaves_the_list(citizen, service) -> None:
    set_favourite(user=citizen, service_code=service.code, favourite=True)
    Service.objects.filter(pk=service.pk).update(is_published=False)
    assert service.name not in signed_in(citizen).get("/akun/").text


def test_redirect_stays_on_this_site(citizen, service) -> None:
    response = signed_in(citizen).post(
        f"/layanan/{service.code}/favorit/", {"favourite": "1", "next": "https://contoh.invalid/"}
    )
    assert response["Location"] == f"/layanan/{service.code}/"


def test_pin_needs_a_post(citizen, service) -> None:
    assert signed_in(citizen).get(f"/layanan/{service.code}/favorit/").status_code == 405
