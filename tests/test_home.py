"""The home page: current announcements and the most-used services, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lampungin.catalog.models import Service
from lampungin.web.models import Announcement
from lampungin.web.selectors import FAVOURITE_WEIGHT, current_announcements, popular_services
from lampungin.web.services import set_favourite


def announce(title: str, *, days_ago: float, ends_in: float | None = None, published: bool = True):
    now = timezone.now()
    return Announcement.objects.create(
        title=title,
        body=f"Isi {title}.",
        starts_at=now - timedelta(days=days_ago),
        ends_at=None if ends_in is None else now + timedelta(days=ends_in),
        is_published=published,
    )


@pytest.fixture
def services(db) -> list[Service]:
    return list(Service.objects.filter(is_published=True).order_by("code")[:4])


def test_home_shows_current_announcements_newest_first(db, client):
    announce("Lama tanpa batas", days_ago=10)
    announce("Sedang berlaku", days_ago=2, ends_in=3)
    announce("Terbaru", days_ago=1)
    announce("Sudah berakhir", days_ago=5, ends_in=-1)
    announce("Belum terbit", days_ago=1, published=False)
    announce("Belum mulai", days_ago=-1)

    assert [a.title for a in current_announcements()] == ["Terbaru", "Sedang berlaku", "Lama tanpa batas"]
    html = client.get("/").content.decode()
    assert "Pengumuman" in html
    assert html.index("Terbaru") < html.index("Sedang berlaku") < html.index("Lama tanpa batas")
    for hidden in ("Sudah berakhir", "Belum terbit", "Belum mulai"):
        assert hidden not in html


def test_home_shows_at_most_three_announcements(db, client):
    for day in range(1, 6):
        announce(f"Pengumuman hari ke-{day}", days_ago=day)
    html = client.get("/").content.decode()
    assert [f"Pengumuman hari ke-{d}" in html for d in range(1, 6)] == [True, True, True, False, False]


def test_no_announcement_section_without_announcements(db, client):
    announce("Sudah berakhir", days_ago=5, ends_in=-1)
    assert 'id="pengumuman"' not in client.get("/").content.decode()


def test_viewing_a_service_page_counts_once_per_view(services, client):
    service = services[0]
    for _ in range(3):
        assert client.get(f"/layanan/{service.code}/").status_code == 200
    service.refresh_from_db()
    assert service.view_count == 3


def test_popular_services_rank_views_plus_weighted_favourites(services, citizen, citizen2, client):
    viewed, pinned, both, unused = services
    Service.objects.filter(pk=viewed.pk).update(view_count=FAVOURITE_WEIGHT + 5)
    set_favourite(user=citizen, service_code=pinned.code, favourite=True)  # one favourite = 20 views
    Service.objects.filter(pk=both.pk).update(view_count=10)
    set_favourite(user=citizen, service_code=both.code, favourite=True)
    set_favourite(user=citizen2, service_code=both.code, favourite=True)

    assert [s.code for s in popular_services()] == [both.code, viewed.code, pinned.code]

    html = client.get("/").content.decode()
    section = html[html.index('id="terpopuler"') : html.index("Cari layanan")]
    positions = [section.index(f'href="/layanan/{s.code}/"') for s in (both, viewed, pinned)]
    assert positions == sorted(positions)
    assert f'href="/layanan/{unused.code}/"' not in section


def test_unpublished_services_are_never_popular(services):
    service = services[0]
    Service.objects.filter(pk=service.pk).update(view_count=1000, is_published=False)
    assert service.code not in [s.code for s in popular_services()]


def test_popular_list_is_hidden_while_searching(services, client):
    Service.objects.filter(pk=services[0].pk).update(view_count=5)
    assert 'id="terpopuler"' in client.get("/").content.decode()
    assert 'id="terpopuler"' not in client.get("/", {"q": "pajak"}).content.decode()


def test_home_page_query_count_is_fixed(services, citizen, citizen2, django_assert_max_num_queries):
    for day in range(1, 5):
        announce(f"Pengumuman {day}", days_ago=day)
    for service in services:
        Service.objects.filter(pk=service.pk).update(view_count=3)
        set_favourite(user=citizen, service_code=service.code, favourite=True)
    client = Client()
    client.get("/")  # warm-up: nothing cached that a visitor would not also have
    # Anonymous visitor: groups, services, announcements, popular services (no session: none was sent).
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200
    client.force_login(citizen2)
    # Signed in: plus session, user and the unread-notification badge.
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200
