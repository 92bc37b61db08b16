#!/usr/bin/env bash
# Lighthouse (mobile, the default form factor) on the citizen pages `/` and `/lapor/`.
#
# Seeds a throw-away demo database, serves it with gunicorn on a free local port (DEBUG off,
# as in production), signs in the demo citizen by creating a session in a Django shell and
# passes its cookie to Lighthouse, writes the JSON reports to a temp dir and prints the four
# category scores. Needs Node 20 (npx), Chromium at $CHROME_PATH and the project's venv.
#
#   bench/web/lighthouse.sh            # from the repository root
#   LIGHTHOUSE_RUNS=3 bench/web/lighthouse.sh   # median of three runs per page
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
LAMPUNGIN="$ROOT/.venv/bin/lampungin"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LIGHTHOUSE="${LIGHTHOUSE:-lighthouse@12.2.3}"
RUNS="${LIGHTHOUSE_RUNS:-1}"
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"

export LAMPUNGIN_VAR_DIR
LAMPUNGIN_VAR_DIR=$(mktemp -d)
OUT=$(mktemp -d)
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""

stop() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$LAMPUNGIN_VAR_DIR"
}
trap stop EXIT

echo "seeding the demo database in $LAMPUNGIN_VAR_DIR …" >&2
"$LAMPUNGIN" demo --no-serve >/dev/null

"$PY" -m gunicorn lampungin.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
    --log-level warning >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
    curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break
    sleep 0.2
done
curl -fsS -o /dev/null "$BASE/" || { cat "$OUT/server.log" >&2; exit 1; }

# The home page as it looks in use: two announcements and a "Layanan terpopuler" list. Then a
# signed-in session for the demo citizen (what /lapor/ needs), without posting the login form.
SESSION=$("$LAMPUNGIN" shell -v 0 -c '
from datetime import timedelta
from importlib import import_module
from django.utils import timezone
from lampungin.catalog.models import Service
from lampungin.web.models import Announcement
now = timezone.now()
Announcement.objects.create(title="Layanan Samsat keliling pekan ini", starts_at=now - timedelta(days=1),
    body="Samsat keliling hadir di Bandar Lampung, Metro dan Pringsewu. Bawa KTP dan STNK asli.")
Announcement.objects.create(title="Jam layanan selama libur akhir tahun", starts_at=now - timedelta(days=3),
    ends_at=now + timedelta(days=30), body="Kantor layanan tutup 25 Desember; pengaduan daring tetap dibuka.")
for n, service in enumerate(Service.objects.filter(is_published=True).order_by("code")[:6]):
    Service.objects.filter(pk=service.pk).update(view_count=100 - 10 * n)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from lampungin.accounts.models import User
from lampungin.demo.accounts import DOMAIN
user = User.objects.get(email=f"warga@{DOMAIN}")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
')
COOKIE_NAME=$("$LAMPUNGIN" shell -v 0 -c 'from django.conf import settings; print(settings.SESSION_COOKIE_NAME)')

run() {  # run <name> <path> [extra lighthouse args…]
    local name=$1 path=$2
    shift 2
    for i in $(seq "$RUNS"); do
        # Headless Chromium now and then loses the trace of a load (NO_NAVSTART): try again.
        for attempt in 1 2 3; do
            if npx --yes "$LIGHTHOUSE" "$BASE$path" --quiet --output=json --output-path="$OUT/$name-$i.json" \
                --chrome-flags="$CHROME_FLAGS" "$@" 2>"$OUT/$name-$i.log"; then
                break
            fi
            echo "lighthouse $path: attempt $attempt failed: $(tail -1 "$OUT/$name-$i.log")" >&2
            [[ $attempt == 3 ]] && exit 1
        done
    done
}

run home /
run lapor /lapor/ --extra-headers="{\"Cookie\": \"$COOKIE_NAME=$SESSION\"}"

"$PY" - "$OUT" "$RUNS" <<'PY'
import json, statistics, sys
from pathlib import Path

out, runs = Path(sys.argv[1]), int(sys.argv[2])
cats = ["performance", "accessibility", "best-practices", "seo"]
print(f"{'page':<10}" + "".join(f"{c:>16}" for c in cats))
for name, path in (("home", "/"), ("lapor", "/lapor/")):
    reports = [json.loads((out / f"{name}-{i}.json").read_text()) for i in range(1, runs + 1)]
    final = reports[0]["finalDisplayedUrl"]
    if name == "lapor" and "/lapor/" not in final:
        sys.exit(f"/lapor/ was redirected to {final}: the session cookie was not accepted")
    scores = [round(statistics.median(r["categories"][c]["score"] * 100 for r in reports)) for c in cats]
    print(f"{path:<10}" + "".join(f"{s:>16}" for s in scores))
    for c in cats:
        for audit in reports[0]["categories"][c]["auditRefs"]:
            a = reports[0]["audits"][audit["id"]]
            if audit["weight"] and a["score"] is not None and a["score"] < 0.9:
                print(f"    {c}: {a['id']} ({a['score']}) {a.get('displayValue', '')}")
print(f"JSON reports: {out}")
PY
