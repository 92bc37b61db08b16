"""The ``lampungin`` command: the platform's own verbs plus every Django management command.

lampungin demo      migrate, seed Lampung data and demo accounts, serve on 127.0.0.1:8000
lampungin serve     production web server (gunicorn)
lampungin worker    background task worker (outbox, notifications…)
lampungin scheduler queue the due periodic jobs (SLA, outbox, retries, digest); one per deployment
lampungin sla-tick  run the SLA deadline check once · lampungin sla-recompute  recompute open SLA clocks
lampungin verify-timeline [--case LPG-XXXX-XX]   re-check every case's hash chain
lampungin timeline-digest [--day YYYY-MM-DD]     publish the daily timeline digests
lampungin oidc-client create NAME --redirect-uri URI   register an app for "Masuk dengan Lampung In"
lampungin oidc-rotate-key [--list]                  new ID-token signing key (old one stays published)
lampungin lapor export [--since DATE] [-o FILE] · lampungin lapor import FILE   SP4N-LAPOR! exchange
lampungin migrate | seed | createsuperuser | …   Django management commands
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

DEMO_HOST = "127.0.0.1"
DEMO_PORT = "8000"
# Public command names with a dash; Django commands are named after modules (underscores).
ALIASES = {
    "verify-timeline": "verify_timeline",
    "timeline-digest": "timeline_digest",
    "sla-tick": "sla_tick",
    "sla-recompute": "sla_recompute",
    "oidc-client": "oidc_client",
    "oidc-rotate-key": "oidc_rotate_key",
}


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lampungin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lampungin", *argv])


def demo(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lampungin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lampungin.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
    from lampungin.demo.oidc import DEMO_RP_CLIENT_ID, DEMO_RP_REDIRECT, DEMO_RP_SECRET

    print("Lampung In demo: menyiapkan basis data…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed", demo=True)
    print(f"\nAkun demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.email:<45} {account.description}")
    print("\nAplikasi contoh SSO (examples/relying_party/, lihat README di sana):")
    print(f"  client_id {DEMO_RP_CLIENT_ID}  ·  client_secret {DEMO_RP_SECRET}")
    print(f"  redirect URI {DEMO_RP_REDIRECT}")
    print(f"\nBuka http://{DEMO_HOST}:{DEMO_PORT}/  ·  petugas: /kantor/  ·  admin: /admin/\n", flush=True)
    if "--no-serve" in argv:
        return 0
    env = dict(os.environ)
    children = [
        subprocess.Popen([sys.executable, "-m", "lampungin.cli", "worker"], env=env),
        subprocess.Popen([sys.executable, "-m", "lampungin.cli", "scheduler"], env=env),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lampungin.wsgi",
                "--bind",
                f"{DEMO_HOST}:{DEMO_PORT}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            env=env,
        ),
    ]

    def stop(*_args) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return children[-1].wait()  # the web server
    finally:
        stop()
        for child in children:
            child.wait(timeout=10)


def serve(argv: list[str]) -> int:
    bind = os.environ.get("LAMPUNGIN_BIND", "0.0.0.0:8000")
    workers = os.environ.get("LAMPUNGIN_WEB_WORKERS", "2")
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lampungin.wsgi",
            "--bind",
            bind,
            "--workers",
            workers,
            "--threads",
            "4",
            *argv,
        ],
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    command = argv[0] if argv else "help"
    if command == "demo":
        return demo(argv[1:])
    if command == "serve":
        return serve(argv[1:])
    if command == "worker":
        _django(["db_worker", "--queue-name", "default", *argv[1:]])
        return 0
    if command in ("help", "-h", "--help"):
        print(__doc__)
        _django(["help"])
        return 0
    _django(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
