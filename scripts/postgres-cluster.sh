#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the tests.
#
#   scripts/postgres-cluster.sh start DIR [PORT]   # initdb + start; prints the env to export
#   scripts/postgres-cluster.sh stop DIR           # stops the server by its own pid file
#
# The superuser is `postgres` with a random password (scram-sha-256 over TCP, so a wrong
# password is refused as in production); `start` writes DIR/env with GATEHOUSE_TEST_POSTGRES
# and PGPASSWORD for it. PostgreSQL refuses to run as root: as root the server runs as the
# `postgres` user (runuser), and DIR is handed to that user.
set -euo pipefail

command=${1:-}
dir=${2:-}
port=${3:-55432}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 64
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "$0: no PostgreSQL server here (looked for /usr/lib/postgresql/*/bin/initdb); install it with: apt-get install -y postgresql" >&2
  exit 1
fi

as_owner() {
  # From / : the server user may not be allowed into the directory this was started from.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$command" in
start)
  if [ -e "$dir/data/postmaster.pid" ]; then
    echo "$0: a server already runs from $dir (stop it first: $0 stop $dir)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" > "$dir/superuser-password"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
  chmod 700 "$dir"
  as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --pwfile="$dir/superuser-password" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  cat > "$dir/env" <<EOF
export GATEHOUSE_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres
export PGPASSWORD=$password
EOF
  chmod 644 "$dir/env"
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir/data); source $dir/env"
  ;;
stop)
  pidfile="$dir/data/postmaster.pid"
  if [ ! -e "$pidfile" ]; then exit 0; fi
  as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 stop >/dev/null 2>&1 || {
    # pg_ctl could not stop it: end the server by the pid it wrote, and only that one.
    pid=$(head -1 "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
  }
  ;;
*)
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 64
  ;;
esac
