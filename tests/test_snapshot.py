"""``core.hashchain.one_snapshot``: outside any transaction, on PostgreSQL, verify-timeline's
two reads per chunk share one REPEATABLE READ snapshot; elsewhere it leaves things as they are."""

from __future__ import annotations

import pytest
from django.db import connection

from lampungin.agencies.services import load_seed_agencies
from lampungin.catalog.services import load_seed_catalog
from lampungin.core.hashchain import one_snapshot
from lampungin.regions.services import load_lampung_regions


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker):
    """A transactional test empties the database when it ends: put the reference data back
    for the modules that follow."""
    yield
    with django_db_blocker.unblock():
        load_lampung_regions(include_villages=False)
        load_seed_agencies()
        load_seed_catalog()


@pytest.mark.django_db(transaction=True)
def test_one_snapshot_outside_a_transaction():
    assert not connection.in_atomic_block
    with one_snapshot():
        if connection.vendor == "postgresql":
            assert connection.in_atomic_block
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "repeatable read"
        else:  # SQLite: no transaction (it would start IMMEDIATE and hold the write lock)
            assert not connection.in_atomic_block
    assert not connection.in_atomic_block


@pytest.mark.django_db
def test_one_snapshot_inside_a_transaction_leaves_it_alone():
    assert connection.in_atomic_block
    with one_snapshot():
        assert connection.in_atomic_block
