"""A Python 2.7 interpreter with the Open311 clients ``three`` and ``open311`` installed.

Why: the Open311 client libraries that can *create* a request (``three`` from Code for America
and ``open311``, both on PyPI) were written for Python 2 and fail on import under Python 3
(``itertools.ifilter``, implicit relative imports); the Python 3 one (``georeport``) only
reads, and Node's ``open311`` depends on a git repository that is not on npm. To show that a
third-party client works against our server *without changes on its side*, the tests run
``three`` 0.8.0 and ``open311`` 1.1 as their users did: on CPython 2.7, installed by pip.

Where from: CPython 2.7.18 as Debian 11 (bullseye) built it, with the two libraries of that
release that Debian 12 no longer ships (OpenSSL 1.1, libffi 7); the packages' other libraries
are the host's. The two clients, their dependencies, pip, setuptools and wheel come from PyPI at the
last versions that support Python 2.7. Every file is pinned by SHA-256 and downloaded once
into ``var/test-clients/`` (ignored by git); nothing is installed on the system.

Needs Linux on x86_64 and the network the first time; :func:`ensure_clients`
raises :class:`Unavailable` otherwise, and the tests skip (or fail, under
``LAMPUNGIN_REQUIRE_PYTHON27``).
"""

from __future__ import annotations

import hashlib
import io
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "test-clients" / "python27-open311"
CLIENTS = ("three==0.8.0", "open311==1.1")

DEBIAN = "http://deb.debian.org/debian/pool/main/"
# (path under the pool, SHA-256) from bullseye's main/binary-amd64/Packages.
DEBS = [
    (
        "p/python2.7/python2.7-minimal_2.7.18-8+deb11u1_amd64.deb",
        "44f0cdc1a343303d31c55fcb3a6402cfe326adf749ec30e375e6e0c0c5f7c1f7",
    ),
    (
        "p/python2.7/libpython2.7-minimal_2.7.18-8+deb11u1_amd64.deb",
        "85833c92314011b89bbead6f9a5a7a360b5ee4f9b95e001225afead4ebf9f7d3",
    ),
    (
        "p/python2.7/libpython2.7-stdlib_2.7.18-8+deb11u1_amd64.deb",
        "3e627d6d8992b853e000b8a4c09dda613fb767cdb711a2eac20ebc9f867b593c",
    ),
    (
        "o/openssl/libssl1.1_1.1.1w-0+deb11u1_amd64.deb",
        "aadf8b4b197335645b230c2839b4517aa444fd2e8f434e5438c48a18857988f7",
    ),
    (
        "libf/libffi/libffi7_3.3-6_amd64.deb",
        "30ca89bfddae5fa6e0a2a044f22b6e50cd17c4bc6bc850c579819aeab7101f0f",
    ),
]

PYPI = "https://files.pythonhosted.org/packages/"
# (path under /packages/, SHA-256) as PyPI lists them.
DISTRIBUTIONS = [
    (
        "27/79/8a850fe3496446ff0d584327ae44e7500daf6764ca1a382d2d02789accf7/pip-20.3.4-py2.py3-none-any.whl",
        "217ae5161a0e08c0fb873858806e3478c9775caffce5168b50ec885e358c199d",
    ),
    (
        "e1/b7/182161210a13158cd3ccc41ee19aadef54496b74f2817cc147006ec932b4/setuptools-44.1.1-py2.py3-none-any.whl",
        "27a714c09253134e60a6fa68130f78c7037e5562c4f21f8f318f2ae900d152d5",
    ),
    (
        "27/d6/003e593296a85fd6ed616ed962795b2f87709c3eee2bca4f6d0fe55c6d00/wheel-0.37.1-py2.py3-none-any.whl",
        "4bdcd7d840138086126cd09254dc6195fb4fc6f01c050a1d7236f2630db1d22a",
    ),
    (
        "06/7b/656f2cef71bfd9320a0718d4a4d57a87abeaf49d6a66483ec6a5ad522785/three-0.8.0.tar.gz",
        "a398a453bec04014cbc68c05b79fd535663b158ca06e13fc0deb98b629dbc84c",
    ),
    (
        "1e/56/065d92bc8ee693b968c1420bd3e4efb0ed89fa1963aa173852e99ed5b80b/open311-1.1.tar.gz",
        "91ba5a4dba7bbcbd672919991ea9c69e1e5aeb7f4e44c420e20ad0cb8cc83e8a",
    ),
    (
        "5e/5b/1d731b6d56d25847a3bde9d338232730f250879d2070bb50af30ea583f74/relaxml-0.1.3.tar.gz",
        "72c8f3809c9b6a3b1b5a772b42fd2f5bb7ed90a734491c4ffec0d0d15e9e9832",
    ),
    (
        "af/92/51b417685abd96b31308b61b9acce7ec50d8e1de8fbc39a7fd4962c60689/simplejson-3.20.1.tar.gz",
        "e64139b4ec4f1f24c142ff7dcafe55a22b811a74d86d66560c8815687143037d",
    ),
    (
        "2d/61/08076519c80041bc0ffa1a8af0cbd3bf3e2b62af10435d269a9d0f40564d/requests-2.27.1-py2.py3-none-any.whl",
        "f22fa1e554c9ddfd16e6e41ac79759e17be9e492b3587efa038054674760e72d",
    ),
    (
        "33/cf/8435d5a7159e2a9c83a95896ed596f68cf798005fe107cc655b5c5c14704/urllib3-1.26.20-py2.py3-none-any.whl",
        "0ed14ccfbf1c30a9072c7ca157e4319b70d65f623e91e7b32fadb2853431016e",
    ),
    (
        "19/c7/fa589626997dd07bd87d9269342ccb74b1720384a4d739a1872bd84fbe68/chardet-4.0.0-py2.py3-none-any.whl",
        "f864054d66fd9118f2e67044ac8981a54775ec5b67aed0441892edb553d21da5",
    ),
    (
        "a2/38/928ddce2273eaa564f6f50de919327bf3a00f091b5baba8dfa9460f3a8a8/idna-2.10-py2.py3-none-any.whl",
        "b97d804b1e9b523befed77c48dacec60e6dcb0b5391d57af6a65a312a90648c0",
    ),
    (
        "37/45/946c02767aabb873146011e665728b680884cd8fe70dde973c640e45b775/certifi-2021.10.8-py2.py3-none-any.whl",
        "d62a0163eb4c2344ac042ab2bdf75399a71a2d8c7d47eac2e2ee91b9d6339569",
    ),
    (
        "05/d2/f94e68be6b17f46d2c353564da56e6fb89ef09faeeff3313a046cb810ca9/mock-3.0.5-py2.py3-none-any.whl",
        "d157e52d4e5b938c550f39eb2fd15610db062441a9c2747d3dbfa9298211d0f8",
    ),
    (
        "d9/5a/e7c31adbe875f2abbb91bd84cf2dc52d792b5a01506781dbcf25c91daf11/six-1.16.0-py2.py3-none-any.whl",
        "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
    ),
    (
        "69/cb/f5be453359271714c01b9bd06126eaf2e368f1fddfff30818754b5ac2328/funcsigs-1.0.2-py2.py3-none-any.whl",
        "330cc27ccbf7f1e992e69fef78261dc7c6569012cf397db8d3de0234e6c937ca",
    ),
]


class Unavailable(Exception):
    """Python 2.7 with the clients cannot be set up here (platform or network)."""


@dataclass(frozen=True)
class Python27:
    home: Path  # the extracted /usr

    @property
    def executable(self) -> Path:
        return self.home / "bin" / "python2.7"

    def env(self, *paths: Path) -> dict[str, str]:
        """The environment to run it in: its own stdlib, its two libraries, ``paths`` to import
        from, and no pip configuration of the host (PIP_* variables name host-only indexes)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
        env["PYTHONHOME"] = str(self.home)
        env["LD_LIBRARY_PATH"] = str(self.home / "lib" / "x86_64-linux-gnu")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PIP_CONFIG_FILE"] = os.devnull
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
        return env


@dataclass(frozen=True)
class Clients:
    python: Python27
    site: Path  # where pip installed the clients and their dependencies

    def run(self, script: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and script
            [str(self.python.executable), str(script), *args],
            env=self.python.env(self.site),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def ensure_clients(cache: Path = CACHE) -> Clients:
    """Python 2.7 with the clients installed under ``cache``, built on first use and again
    whenever the pinned files change."""
    if sys.platform != "linux" or platform.machine() != "x86_64":
        raise Unavailable(
            f"Debian's Python 2.7 packages are for Linux x86_64, not {sys.platform} {platform.machine()}"
        )
    ready = cache / "ready"
    clients = Clients(Python27(cache / "root" / "usr"), cache / "site")
    if ready.exists() and ready.read_text() == _manifest():
        return clients
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the cache and moved into place whole: an interrupted build leaves nothing
    # that looks ready.
    building = Path(tempfile.mkdtemp(prefix="building-", dir=cache.parent))
    try:
        _build(building)
        shutil.rmtree(cache, ignore_errors=True)
        building.rename(cache)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return clients


def _manifest() -> str:
    return "\n".join([*CLIENTS, *(sha for _path, sha in DEBS + DISTRIBUTIONS)]) + "\n"


def _build(into: Path) -> None:
    root = into / "root"
    for path, sha256 in DEBS:
        _extract_deb(_download(DEBIAN + path, sha256), root)
    wheels = into / "wheelhouse"
    wheels.mkdir()
    for path, sha256 in DISTRIBUTIONS:
        (wheels / path.rsplit("/", 1)[1]).write_bytes(_download(PYPI + path, sha256))
    python = Python27(root / "usr")
    pip = wheels / "pip-20.3.4-py2.py3-none-any.whl"
    # A legacy sdist (neither client has a pyproject.toml) is built with the setuptools that
    # pip itself can import: install those first, then the clients with them on the path.
    _pip(python, pip, wheels, into / "tools", "setuptools==44.1.1", "wheel==0.37.1")
    _pip(python, pip, wheels, into / "site", *CLIENTS, path=into / "tools")
    (into / "ready").write_text(_manifest())


def _pip(
    python: Python27, pip: Path, wheels: Path, target: Path, *requirements: str, path: Path | None = None
) -> None:
    command = [
        str(python.executable),
        str(pip / "pip"),
        "install",
        "--isolated",
        "--no-index",
        "--find-links",
        str(wheels),
        "--target",
        str(target),
        "--no-warn-script-location",
        "--disable-pip-version-check",
        *requirements,
    ]
    env = python.env(path) if path else python.env()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(
            f"pip (Python 2.7) failed installing {requirements}:\n{result.stdout}\n{result.stderr}"
        )


def _download(url: str, sha256: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - pinned https/http URLs
            data = response.read()
    except OSError as error:
        raise Unavailable(f"cannot download {url}: {error}") from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        # Not Unavailable: a file that changed under a pinned name is an error to look at.
        raise RuntimeError(f"{url}: SHA-256 {digest}, expected {sha256}")
    return data


def _extract_deb(deb: bytes, root: Path) -> None:
    """Unpack the data part of a Debian package (an ``ar`` archive holding ``data.tar.*``)
    under ``root``, as ``dpkg-deb -x`` would, without needing dpkg on the host."""
    if not deb.startswith(b"!<arch>\n"):
        raise RuntimeError("not a Debian package (no ar header)")
    offset = 8
    while offset < len(deb):
        header = deb[offset : offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = deb[offset + 60 : offset + 60 + size]
        if name.startswith("data.tar"):
            # The "tar" filter (Python 3.11.4+) keeps every member under root.
            safe = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
                archive.extractall(root, **safe)  # noqa: S202 - files pinned by SHA-256
            return
        offset += 60 + size + (size % 2)
    raise RuntimeError("no data.tar member in the Debian package")
