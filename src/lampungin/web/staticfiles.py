"""Static file URLs that carry the file's content hash, with or without ``collectstatic``.

``{% static 'lampungin/app.css' %}`` becomes ``/static/lampungin/app.css?v=3f9c0a1b2c4d``, so
browsers may keep static files for a year (``WHITENOISE_MAX_AGE``) and still fetch the new
file the moment it changes. WhiteNoise's manifest storage does the same with hashed file
names but needs ``collectstatic`` first; the demo and the tests serve straight from the apps'
``static/`` folders (``WHITENOISE_USE_FINDERS``), where this works too.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedStaticFilesStorage


@lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def content_version(name: str) -> str:
    """A short hash of static file ``name``'s content, or "" when no such file is found.

    Files do not change under a running server except in development (``DEBUG``), so the
    lookup is remembered per process; in development every render looks again.
    """
    return _lookup(name) if settings.DEBUG else _remembered(name)


@lru_cache(maxsize=1024)
def _remembered(name: str) -> str:
    return _lookup(name)


def _lookup(name: str) -> str:
    found = finders.find(name)
    path = Path(found) if isinstance(found, str) else None
    if path is None or not path.is_file():
        return ""
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


class VersionedStaticFilesStorage(CompressedStaticFilesStorage):
    def url(self, name: str | None) -> str:
        url = super().url(name)
        version = content_version(name) if name else ""
        return f"{url}?v={version}" if version else url
