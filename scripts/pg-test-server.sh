#!/usr/bin/env bash
# A throwaway PostgreSQL server for the run store's tests, on 127.0.0.1 in a folder of its own.
#   scripts/pg-test-server.sh start DIR   initdb in a new folder under $TMPDIR (the server's
#                                         account may not reach DIR), start it on a free port,
#                                         write the connection URL to DIR/url
#   scripts/pg-test-server.sh stop DIR    stop it and remove both folders
# With no PostgreSQL server binaries installed, `start` says so and writes no URL (the tests
# then skip); `make test` installs them (scripts/install-deps.sh). PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` account the Debian package creates.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  if [ -x "$d/pg_ctl" ]; then bindir="$d"; fi
done

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ -z "$bindir" ]; then
      echo "pg-test-server: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/pg_ctl); the PostgreSQL store tests will skip" >&2
      exit 0
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "pg-test-server: running as root and there is no 'postgres' account to run the server as" >&2
      exit 1
    fi
    data="$(mktemp -d "${TMPDIR:-/tmp}/valuepact-pg.XXXXXX")"
    echo "$data" >"$dir/datadir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$data"; fi
    as_owner "$bindir/initdb" -D "$data/data" -A trust -U valuepact --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port: try from 55432 up until the server starts.
    for port in $(seq 55432 55532); do
      if as_owner "$bindir/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 30 \
        -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
        echo "postgresql://valuepact@127.0.0.1:$port/postgres" >"$dir/url"
        echo "pg-test-server: PostgreSQL on 127.0.0.1:$port ($data)"
        exit 0
      fi
      if ! grep -q "could not bind\|Address already in use" "$data/server.log" 2>/dev/null; then
        cat "$data/server.log" >&2 || true
        exit 1
      fi
      as_owner truncate -s 0 "$data/server.log"
    done
    echo "pg-test-server: no free port in 55432-55532" >&2
    exit 1
    ;;
  stop)
    data="$(cat "$dir/datadir" 2>/dev/null || true)"
    if [ -n "$bindir" ] && [ -n "$data" ] && [ -f "$data/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$data/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$data" ]; then rm -rf "$data"; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
