#!/usr/bin/env bash
# Sourced by scripts/test.sh: when Debian's PostgreSQL is installed, starts its cluster and points
# Backstage's TestDatabases at it, so the database tests run on PostgreSQL as well as SQLite.
# With CLICKSTREAM_REQUIRE_POSTGRES=1 (as .ci/run sets) a missing PostgreSQL is an error.

# No container engine here: never let TestDatabases try one.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

start_test_postgres() {
  if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
    return 0 # given by the caller
  fi
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "[postgres] Debian's postgresql is not installed: database tests run on SQLite only" >&2
    return 1
  fi
  local cluster
  cluster="$(pg_lsclusters --no-header 2>/dev/null | head -n1)"
  if [ -z "$cluster" ]; then
    local major
    major="$(ls /usr/lib/postgresql | sort -n | tail -n1)"
    pg_createcluster "$major" main >/dev/null
    cluster="$(pg_lsclusters --no-header | head -n1)"
  fi
  local version name port status
  read -r version name port status _ <<<"$cluster"
  if [ "$status" != "online" ]; then
    pg_ctlcluster "$version" "$name" start || return 1
  fi
  # A password for TCP connections from the tests (the cluster only listens on localhost).
  runuser -u postgres -- psql -p "$port" -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null || return 1
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:postgres@127.0.0.1:$port"
  echo "[postgres] PostgreSQL $version on port $port" >&2
}

if ! start_test_postgres && [ "${CLICKSTREAM_REQUIRE_POSTGRES:-}" = "1" ]; then
  echo "[postgres] PostgreSQL is required (CLICKSTREAM_REQUIRE_POSTGRES=1) but could not be started" >&2
  return 1 2>/dev/null || exit 1
fi
