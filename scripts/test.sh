#!/usr/bin/env bash
# The whole test suite, as README.md gives it and CI runs it.
#
# The PostgreSQL tests need a server: unless GATEHOUSE_TEST_POSTGRES already names one (with
# PGPASSWORD), this starts a throw-away cluster on 127.0.0.1 (scripts/postgres-cluster.sh),
# points the tests at it, and stops it by its own pid file when the suite ends, pass or fail.
# GATEHOUSE_SKIP_POSTGRES=1 skips the PostgreSQL tests on purpose. Arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${GATEHOUSE_TEST_POSTGRES:-}" ] && [ "${GATEHOUSE_SKIP_POSTGRES:-}" != 1 ]; then
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-postgres.XXXXXX")
  trap 'bash scripts/postgres-cluster.sh stop "$cluster"; rm -rf "$cluster"' EXIT
  port=55432
  # A port nothing listens on yet.
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  bash scripts/postgres-cluster.sh start "$cluster" "$port"
  # shellcheck disable=SC1091
  . "$cluster/env"
fi

swift build
swift test "$@"
