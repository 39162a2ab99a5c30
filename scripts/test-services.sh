#!/usr/bin/env bash
# Make sure the tests' real services are there: PostgreSQL, Redis, Chromium,
# and the libraries WeasyPrint needs. Start what is installed but stopped;
# install with apt what is missing when running as root; otherwise say what to do.
set -uo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
is_root() { [ "$(id -u)" = "0" ]; }
APT_UPDATED=0
apt_install() {
  if ! is_root; then
    echo "Missing: $*. Install it (e.g. sudo apt-get install $*) and run make test again." >&2
    exit 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }
redis_up() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && head -c5 <&3 | grep -q PONG) 2>/dev/null; }

# --- PostgreSQL ---------------------------------------------------------
if ! pg_up; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if is_root; then
    if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then apt_install postgresql; fi
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    # trust auth on loopback for the test database, as the tests expect
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    grep -q "portal-tests" "$hba" 2>/dev/null || sed -i '1i host all all 127.0.0.1/32 trust # portal-tests\nlocal all all trust # portal-tests' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL is not answering on $PGHOST:$PGPORT. Start it and run make test again." >&2; exit 1; }
fi
# Up is not enough: the tests connect as DATABASE_URL says (by default the
# postgres role without a password, as on a developer machine with trust auth).
db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal}
if [ -x .venv/bin/python ] && ! .venv/bin/python - "$db_url" <<'PY' 2>/tmp/portal-pg-check.log
import sys
import dj_database_url
import psycopg2
cfg = dj_database_url.parse(sys.argv[1])
psycopg2.connect(dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"] or None,
                 host=cfg["HOST"], port=cfg["PORT"] or 5432, connect_timeout=5).close()
PY
then
  echo "PostgreSQL is up but refused the tests' connection ($(grep -v '^[[:space:]]*$' /tmp/portal-pg-check.log | tail -1))." >&2
  echo "Set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/portal for a role that may create databases, and run make test again." >&2
  exit 1
fi
echo "PostgreSQL: up on $PGHOST:$PGPORT"

# --- Redis --------------------------------------------------------------
if ! redis_up; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/portal-redis.log >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { echo "Redis is not answering on 127.0.0.1:$REDIS_PORT. Start it and run make test again." >&2; exit 1; }
fi
echo "Redis: up on 127.0.0.1:$REDIS_PORT"

# --- Chromium, WeasyPrint's libraries, fonts, PDF tools ------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; do
  dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
echo "Chromium: $(chromium --version 2>/dev/null | head -1)"
