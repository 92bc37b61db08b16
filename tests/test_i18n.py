"""Bahasa Indonesia by default, English on request: complete catalogs, a working switch, WIB dates."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from lampungin.web.templatetags.wib import wib, wib_date

polib = pytest.importorskip("polib", reason="the catalog checks need the 'test' extra")

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "lampungin"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("id", "en")
HOW_TO_UPDATE = "run `.venv/bin/lampungin translations` (needs GNU gettext), translate en, commit .po and .mo"


@pytest.fixture(autouse=True)
def _back_to_indonesian():
    """A request through the test client leaves its language active in this thread: reset it."""
    yield
    translation.activate("id")


def catalog(language: str):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def entries(language: str):
    return [e for e in catalog(language) if not e.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_with_no_fuzzy_entry(language: str) -> None:
    missing = [e.msgid for e in entries(language) if not e.translated()]
    fuzzy = [e.msgid for e in entries(language) if "fuzzy" in e.flags]
    assert not missing, f"{language}: {len(missing)} untranslated: {missing[:10]} — {HOW_TO_UPDATE}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]} — {HOW_TO_UPDATE}"


def test_both_catalogs_hold_the_same_strings() -> None:
    ids = {(e.msgctxt, e.msgid) for e in entries("id")}
    ens = {(e.msgctxt, e.msgid) for e in entries("en")}
    assert ids == ens, f"only in id: {sorted(ids - ens)[:5]}, only in en: {sorted(ens - ids)[:5]}"


def test_english_keeps_the_placeholders() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f|\{\w*\}")
    for e in entries("en"):
        if "fuzzy" in e.flags:
            continue  # not used by Django; the completeness test reports it
        translations = [e.msgstr] if not e.msgid_plural else list(e.msgstr_plural.values())
        for text in filter(None, translations):  # untranslated: the completeness test says so
            assert sorted(placeholder.findall(text)) == sorted(set(placeholder.findall(e.msgid))) or (
                e.msgid_plural and set(placeholder.findall(text)) <= set(placeholder.findall(e.msgid_plural))
            ), (e.msgid, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language: str) -> None:
    """The committed .mo (what Django reads) says what the .po says: nobody forgot to compile."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries(language):
        if e.msgid_plural:
            for n, text in e.msgstr_plural.items():
                count = 1 if n == 0 else 2
                key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
                got = compiled.ngettext(key, e.msgid_plural, count)
                if got != text and language != "id":
                    stale.append(e.msgid)
        else:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            if got != e.msgstr:
                stale.append(e.msgid)
    assert not stale, f"{language}: .mo is stale for {stale[:10]} — {HOW_TO_UPDATE}"


@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("LAMPUNGIN_REQUIRE_BROWSER"),
    reason="extracting strings needs GNU gettext (xgettext)",
)
def test_catalogs_hold_every_string_of_the_code(tmp_path: Path) -> None:
    """Extract the strings again into a scratch copy and compare: new text must be translated."""
    copy = tmp_path / "lampungin"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "data", "migrations", "static", "__pycache__", "*.json"),
    )
    (copy / "locale").mkdir()
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'lampungin.settings'; django.setup()\n"
        "from django.conf import settings; from django.core.management import call_command\n"
        "from lampungin.web.management.commands.translations import IGNORE\n"
        f"settings.LOCALE_PATHS = [{str(copy / 'locale')!r}]; os.chdir({str(copy)!r})\n"
        "call_command('makemessages', locale=['en'], ignore_patterns=IGNORE, verbosity=0)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=120)  # noqa: S603
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in entries("en")}
    missing = sorted(m for _, m in extracted - committed)
    assert not missing, f"{len(missing)} strings are not in the catalogs: {missing[:10]} — {HOW_TO_UPDATE}"


def test_indonesian_is_the_default_even_for_an_english_browser(db) -> None:
    page = Client().get("/akun/masuk/", headers={"accept-language": "en-US,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="id">' in page.text
    assert "<h1>Masuk</h1>" in page.text


def test_switching_language_changes_the_page(db) -> None:
    client = Client()
    assert "Lacak laporan" in client.get("/").text

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/"
    page = client.get("/akun/masuk/")
    assert '<html lang="en">' in page.text
    assert "<h1>Sign in</h1>" in page.text and "E-mail or phone number" in page.text
    assert "Track a report" in client.get("/").text

    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Lacak laporan" in client.get("/").text


def test_every_page_offers_the_other_language(db) -> None:
    client = Client()
    page = client.get("/")
    assert 'action="/i18n/setlang/"' in page.text
    assert 'name="language" value="en" lang="en">English</button>' in page.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'value="id" lang="id">Bahasa Indonesia</button>' in client.get("/").text


def test_times_are_shown_in_wib_the_way_each_language_writes_them() -> None:
    instant = datetime(2026, 12, 4, 7, 5, tzinfo=UTC)  # 14.05 in Jakarta
    with translation.override("id"):
        assert wib(instant) == "4 Des 2026, 14.05 WIB"
        assert wib_date(datetime(2026, 8, 31, 18, 0, tzinfo=UTC)) == "1 Sep 2026"  # already 1 Sep in WIB
    with translation.override("en"):
        assert wib(instant) == "4 Dec 2026, 14:05 WIB"
    assert wib(None) == ""
