"""``lampungin translations``: refresh the gettext catalogs of ``id`` and ``en`` and compile them.

The source strings are Indonesian, so the ``id`` catalog copies each msgid into its msgstr
(a complete catalog that a proofreader may still reword) and the ``en`` catalog is where the
translations live. The compiled ``.mo`` files are committed beside the ``.po`` files: a fresh
machine with only Python has no ``msgfmt`` and still serves both languages. Extracting and
compiling need GNU gettext (``apt-get install gettext``) — only to change the catalogs.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

SOURCE_LANGUAGE = "id"
# Directories that hold no user-facing strings (or only data files).
IGNORE = ["data/*", "migrations/*", "static/*", "locale/*"]


def catalog_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def fill_source_catalog(path: Path) -> int:
    """Make every entry of the source-language catalog translate to itself; returns entries changed.

    Handles the .po text directly (not through polib, a test-only dependency): an entry's
    msgstr lines follow its msgid lines, and ``fuzzy`` flags from msgmerge are dropped since
    the source string is by definition its own correct translation.
    """
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    changed = 0
    out = []
    for block in blocks:
        new = _fill_block(block)
        if new != block:
            changed += 1
        out.append(new)
    path.write_text("\n\n".join(out), encoding="utf-8")
    return changed


_FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) (".*")$')


def _fill_block(block: str) -> str:
    lines = block.split("\n")
    fields: dict[str, list[str]] = {}
    order: list[str] = []
    prefix: list[str] = []
    current = None
    for line in lines:
        match = _FIELD.match(line)
        if match:
            current = match.group(1)
            fields[current] = [match.group(2)]
            order.append(current)
        elif line.startswith('"') and current:
            fields[current].append(line)
        elif current is None:
            prefix.append(line)
        else:
            return block  # an obsolete (#~) or unusual entry: leave it alone
    if "msgid" not in fields or fields["msgid"] == ['""']:
        return block
    prefix = [
        re.sub(r",\s*fuzzy\b|\bfuzzy,\s*", "", p) if p.startswith("#,") else p
        for p in prefix
        if p.strip() != "#, fuzzy" and not p.startswith("#|")
    ]
    result = list(prefix)
    for key in order:
        if key == "msgstr":
            values = fields["msgid"]
        elif key.startswith("msgstr["):
            values = fields["msgid_plural"] if "msgid_plural" in fields else fields["msgid"]
        else:
            values = fields[key]
        result.append(f"{key} {values[0]}")
        result.extend(values[1:])
    return "\n".join(result)


def untranslated(path: Path) -> list[str]:
    """msgids of ``path`` whose msgstr is empty or marked fuzzy (rough .po reading, for the report)."""
    missing = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, flags=re.M)
        if not msgid or block.lstrip().startswith("#~"):
            continue
        if msgid.group(1) == "" and not re.search(r'^msgid ""\n"', block, flags=re.M):
            continue  # header
        fuzzy = re.search(r"^#,.*\bfuzzy\b", block, flags=re.M)
        empty = re.search(r'^msgstr(\[\d+\])? ""$(?!\n")', block, flags=re.M)
        if fuzzy or empty:
            missing.append(msgid.group(1) or block.split("\n", 3)[-1][:60])
    return missing


class Command(BaseCommand):
    help = (
        "Perbarui katalog terjemahan (id, en): ekstrak teks, salin teks sumber ke katalog id, "
        "kompilasi .mo, dan sebutkan teks bahasa Inggris yang belum diterjemahkan. Perlu GNU gettext."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-extract", action="store_true", help="hanya isi katalog id dan kompilasi")

    def handle(self, *args, **options) -> None:
        if not shutil.which("msgfmt"):
            raise CommandError("GNU gettext tidak ditemukan (apt-get install gettext).")
        locale_dir = Path(settings.LOCALE_PATHS[0])
        package_dir = locale_dir.parent
        languages = [code for code, _name in settings.LANGUAGES]
        cwd = os.getcwd()
        try:
            os.chdir(package_dir)  # makemessages walks the working directory
            if not options["no_extract"]:
                call_command(
                    "makemessages", locale=languages, ignore_patterns=IGNORE, add_location="file", verbosity=0
                )
            fill_source_catalog(catalog_path(locale_dir, SOURCE_LANGUAGE))
            call_command("compilemessages", locale=languages, verbosity=0)
        finally:
            os.chdir(cwd)
        for language in languages:
            if language == SOURCE_LANGUAGE:
                continue
            missing = untranslated(catalog_path(locale_dir, language))
            if missing:
                self.stdout.write(
                    self.style.WARNING(f"{language}: {len(missing)} teks belum diterjemahkan atau fuzzy:")
                )
                for msgid in missing:
                    self.stdout.write(f"  {msgid}")
            else:
                self.stdout.write(self.style.SUCCESS(f"{language}: lengkap"))
