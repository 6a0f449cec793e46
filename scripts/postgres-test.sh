#!/usr/bin/env bash
# A local PostgreSQL for the persistence tests: installs Debian's `postgresql` when missing,
# starts a cluster listening only on 127.0.0.1, makes role `chart` (password `chart`) and the
# database `chart_review_test`, and prints one line for the caller to eval:
#
#   export CHART_REVIEW_TEST_POSTGRES_URL=postgresql+psycopg://chart:chart@127.0.0.1:5432/chart_review_test
#
# Everything else goes to stderr. Needs root (apt-get, the postgres user); exits non-zero with
# the reason when it cannot finish, so CI fails loudly instead of skipping the PostgreSQL tests.
# Without root, start a server yourself and set CHART_REVIEW_TEST_POSTGRES_URL, or run
# `make test` alone: the PostgreSQL tests then skip and say why.
set -euo pipefail

ROLE=chart
PASSWORD=chart
DATABASE=chart_review_test
CLUSTER=main

# Only the export line may reach stdout. Everything the tools print goes to stderr (under
# systemd pg_ctlcluster prints "Removed ..." lines), and the server they start must not hold the
# caller's stdout open, or `$(...)` would wait for it forever: fd 3 keeps that stdout, and the
# body (left unindented for its here-documents) runs with fd 3 closed.
exec 3>&1 1>&2

say() { echo "postgres-test: $*" >&2; }
die() { say "$*"; exit 1; }

URL=""
setup() {
[ "$(id -u)" -eq 0 ] || die "needs root to install and start PostgreSQL; or set CHART_REVIEW_TEST_POSTGRES_URL yourself"

newest_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(newest_version)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available"
  say "installing postgresql (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
VERSION="$(newest_version)"
[ -n "$VERSION" ] || die "no PostgreSQL server under /usr/lib/postgresql after installing"

# The cluster Debian's package made, or a new one.
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {found=1} END {exit !found}'; then
  say "creating cluster $VERSION/$CLUSTER"
  pg_createcluster "$VERSION" "$CLUSTER" >/dev/null
fi

# Loopback only: the test server is never reachable from outside the machine. A conf.d file
# (Debian's postgresql.conf includes conf.d last) rather than an edit of the cluster's own file.
CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER/conf.d"
CONF="$CONF_DIR/chart-review-test.conf"
WANTED="listen_addresses = '127.0.0.1'"
changed=0
if [ "$(cat "$CONF" 2>/dev/null || true)" != "$WANTED" ]; then
  mkdir -p "$CONF_DIR"
  echo "$WANTED" >"$CONF"
  changed=1
fi
PORT="$(pg_conftool "$VERSION" "$CLUSTER" show -s port)"

status="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')"
if [ "$status" = "online" ] && [ "$changed" -eq 1 ]; then
  say "restarting cluster $VERSION/$CLUSTER to listen on 127.0.0.1 only"
  pg_ctlcluster "$VERSION" "$CLUSTER" restart
elif [ "$status" != "online" ]; then
  say "starting cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT"
  pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || die "PostgreSQL did not accept connections on 127.0.0.1:$PORT within 30 s"

as_postgres() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

as_postgres -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  ELSE
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL
if [ "$(as_postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  say "creating database $DATABASE"
  as_postgres -d postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
else
  as_postgres -d postgres -c "ALTER DATABASE $DATABASE OWNER TO $ROLE" >/dev/null
fi

# The tests log in with the password over TCP, as the service would.
PGPASSWORD="$PASSWORD" psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc "SELECT 1" >/dev/null \
  || die "cannot log in as $ROLE on 127.0.0.1:$PORT/$DATABASE (check pg_hba.conf allows host password logins)"

say "ready: $DATABASE on 127.0.0.1:$PORT"
URL="postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
}

setup 3>&-
echo "export CHART_REVIEW_TEST_POSTGRES_URL=$URL" >&3
