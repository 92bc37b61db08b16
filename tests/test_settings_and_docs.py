"""The README documents every setting, and bad settings stop the process loudly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _settings_in_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "lampungin").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\bLAMPUNGIN_[A-Z_]+[A-Z]\b", text))
        names |= {f"LAMPUNGIN_{n}" for n in re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", text)}
    return {n for n in names if not n.endswith("_FILE")}


def test_readme_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(LAMPUNGIN_[A-Z_]+)`", readme, flags=re.M))
    missing = _settings_in_code() - documented
    assert not missing, f"settings missing from the README table: {sorted(missing)}"


def test_readme_quick_start_has_two_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "lampungin demo" in lines[0]
    assert "pytest" in lines[1]


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAMPUNGIN_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import lampungin.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_bad_integer_setting_fails_loudly() -> None:
    result = _import_settings(LAMPUNGIN_MAX_PHOTO_BYTES="banyak")
    assert result.returncode != 0
    assert "LAMPUNGIN_MAX_PHOTO_BYTES must be an integer" in result.stderr


def test_bad_database_scheme_fails_loudly() -> None:
    result = _import_settings(LAMPUNGIN_DATABASE_URL="mysql://x@y/z")
    assert result.returncode != 0
    assert "LAMPUNGIN_DATABASE_URL" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file-" + "x" * 40)
    result = subprocess.run(
        [sys.executable, "-c", "import lampungin.settings as s; print(s.SECRET_KEY)"],
        env={**os.environ, "LAMPUNGIN_SECRET_KEY_FILE": str(secret)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "from-a-file-" + "x" * 40
