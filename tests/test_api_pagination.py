"""Cursor pagination and filters on API lists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lampungin.cases.models import Case
from lampungin.core import clock
from lampungin.notifications.models import Notification


def _walk(client, path: str, **params) -> list[str]:
    seen: list[str] = []
    cursor = ""
    while True:
        page = client.get(path, cursor=cursor, **params).json()
        seen += [item.get("tracking") or item.get("id") for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return seen


def test_pages_cover_every_report_once_while_new_ones_arrive(citizen, make_case, api_as):
    cases = [make_case(citizen) for _ in range(7)]
    # Two reports share a creation time: the id breaks the tie.
    Case.objects.filter(pk=cases[3].pk).update(created_at=cases[4].created_at)
    client = api_as(citizen)
    first = client.get("/reports/mine", limit=3).json()
    make_case(citizen)  # arrives between pages: newer than every cursor, so it is not in this walk
    cursor = first["next_cursor"]
    seen = [item["tracking"] for item in first["items"]]
    while cursor:
        page = client.get("/reports/mine", limit=3, cursor=cursor).json()
        seen += [item["tracking"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == {c.tracking for c in cases}


def test_cursor_is_stable_and_opaque(citizen, make_case, api_as):
    for _ in range(3):
        make_case(citizen)
    client = api_as(citizen)
    cursor = client.get("/reports/mine", limit=1).json()["next_cursor"]
    assert (
        client.get("/reports/mine", limit=1, cursor=cursor).json()
        == client.get("/reports/mine", limit=1, cursor=cursor).json()
    )
    forged = client.get("/reports/mine", cursor=cursor[:-2] + "xx")
    assert forged.status_code == 400
    assert forged.json()["code"] == "invalid"
    assert "cursor" in forged.json()["errors"]


def test_inbox_filters(citizen, officer_a, platform_admin, make_case, api_as):
    road = make_case(citizen)
    assigned = make_case(citizen, state="assigned", staff=officer_a, region_code="18.01")
    health = make_case(citizen, category="layanan-kesehatan")
    old = make_case(citizen)
    Case.objects.filter(pk=old.pk).update(created_at=clock.now() - timedelta(days=40))
    staff = api_as(officer_a)
    assert _walk(staff, "/staff/inbox", mine=True) == [assigned.tracking]
    assert _walk(staff, "/staff/inbox", state="assigned") == [assigned.tracking]
    assert _walk(staff, "/staff/inbox", regency="18.01") == [assigned.tracking]
    today = timezone.localdate(clock.now())
    assert set(_walk(staff, "/staff/inbox", created_from=str(today - timedelta(days=2)))) == {
        road.tracking,
        assigned.tracking,
    }
    assert _walk(staff, "/staff/inbox", created_to=str(today - timedelta(days=30))) == [old.tracking]
    admin = api_as(platform_admin)
    assert _walk(admin, "/staff/inbox", category="layanan-kesehatan") == [health.tracking]
    assert _walk(admin, "/staff/inbox", agency=health.agency.code) == [health.tracking]
    assert _walk(admin, "/staff/inbox", q=road.tracking) == [road.tracking]


def test_notifications_cursor_unread_and_mark_read(citizen, citizen2, api_as):
    now = clock.now()
    for i in range(5):
        Notification.objects.create(user=citizen, title=f"Kabar {i}", created_at=now - timedelta(minutes=i))
    other = Notification.objects.create(user=citizen2, title="Bukan untuk Siti", created_at=now)
    client = api_as(citizen)
    ids = _walk(client, "/notifications", limit=2)
    assert len(ids) == len(set(ids)) == 5
    assert other.pk not in ids
    assert client.get("/notifications/unread-count").json() == {"unread": 5}
    assert client.post(f"/notifications/{ids[0]}/read").json() == {"marked": 1}
    assert client.post(f"/notifications/{other.pk}/read").status_code == 404
    assert len(_walk(client, "/notifications", unread=True)) == 4
    assert client.post("/notifications/read-all").json() == {"marked": 4}
    assert client.get("/notifications/unread-count").json() == {"unread": 0}
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_list_query_counts_do_not_grow(citizen, officer_a, make_case, api_as, django_assert_max_num_queries):
    for _ in range(6):
        make_case(citizen, state="assigned", staff=officer_a)
    now = clock.now()
    for i in range(6):
        Notification.objects.create(user=citizen, title=f"Kabar {i}", created_at=now - timedelta(minutes=i))
    citizen_client, staff_client = api_as(citizen), api_as(officer_a)
    cursor = citizen_client.get("/reports/mine", limit=2).json()["next_cursor"]
    # token lookup, token touch, memberships, count, page
    with django_assert_max_num_queries(5):
        assert len(citizen_client.get("/reports/mine", limit=2, cursor=cursor).json()["items"]) == 2
    with django_assert_max_num_queries(5):
        staff_client.get("/staff/inbox", state="assigned", category="jalan-provinsi-rusak")
    # token lookup, token touch, page
    with django_assert_max_num_queries(3):
        assert len(citizen_client.get("/notifications", limit=4).json()["items"]) == 4
