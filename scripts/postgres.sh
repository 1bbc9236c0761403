#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite and print the URL to test against.
# Installs Debian's postgresql package when it is missing (needs root, as on CI).
# Usage: eval "$(bash scripts/postgres.sh)"   → exports DADKHAH_TEST_PG_URL
set -euo pipefail
log() { echo "$*" >&2; }
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "postgres: installing Debian's postgresql package"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main"; then
  pg_createcluster "$ver" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$ver" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -p "$port" && break
  sleep 1
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dadkhah') THEN
    CREATE ROLE dadkhah LOGIN CREATEDB PASSWORD 'dadkhah';
  END IF;
END \$\$;
-- Test teardown drops each test database WITH (FORCE), which must be able to end a backend
-- still attached to it (an autovacuum worker, a reader a test left open).
GRANT pg_signal_backend TO dadkhah;
SQL
echo "export DADKHAH_TEST_PG_URL=postgresql://dadkhah:dadkhah@127.0.0.1:${port}/postgres"
