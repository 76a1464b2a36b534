#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: initdb into a temp folder, pg_ctl start on
# 127.0.0.1 at a free port (never a public address, no Docker), the command with
# PIKOU_TEST_POSTGRES=postgres://pikou@127.0.0.1:PORT/pikou_test in its environment, then the
# cluster stopped and removed, whatever the command did.
#
#   scripts/with-postgres.sh swift test          (what `make test` runs)
#   PIKOU_PG_DURABLE=1 scripts/with-postgres.sh …  keep fsync on (benchmarks); tests turn it off
#
# When no cluster can be started (no PostgreSQL server binaries), the command runs without one and
# the PostgreSQL half of the tests is skipped with a loud message — unless PIKOU_REQUIRE_POSTGRES=1
# (CI), which makes that an error.
set -uo pipefail

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
  done
fi

if [ -z "$bindir" ]; then
  if [ "${PIKOU_REQUIRE_POSTGRES:-}" = 1 ]; then
    echo "with-postgres: no PostgreSQL server binaries (initdb) found, and PIKOU_REQUIRE_POSTGRES=1; install Debian's postgresql" >&2
    exit 1
  fi
  echo "################################################################################" >&2
  echo "# with-postgres: NO PostgreSQL server here (no initdb): the PostgreSQL store's   #" >&2
  echo "# tests are SKIPPED. Install Debian's postgresql (make deps does) to run them.   #" >&2
  echo "################################################################################" >&2
  exec "$@"
fi

folder="$(mktemp -d /tmp/pikou-pg.XXXXXX)"
chmod 0755 "$folder"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root: the cluster belongs to the postgres user (or nobody).
  owner=postgres
  id postgres >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$folder"
  as_owner=(runuser -u "$owner" --)
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop() {
  if [ -n "${PIKOU_PG_SLOW:-}" ] && [ -f "$folder/server.log" ]; then
    echo "with-postgres: statements over ${PIKOU_PG_SLOW} ms:" >&2
    grep -A3 "duration:" "$folder/server.log" | cut -c1-400 >&2 || true
  fi
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT INT TERM

durability=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
[ "${PIKOU_PG_DURABLE:-}" = 1 ] && durability=()
# PIKOU_PG_SLOW=MS: statements slower than MS milliseconds are printed from the server's log at the end.
[ -n "${PIKOU_PG_SLOW:-}" ] && durability+=(-c log_min_duration_statement="$PIKOU_PG_SLOW")
# PIKOU_PG_OPTIONS="-c name=value …": more server settings (e.g. the tuning docs/postgresql.md recommends).
read -r -a extra <<< "${PIKOU_PG_OPTIONS:-}"
durability+=("${extra[@]}")

if ! "${as_owner[@]}" "$bindir/initdb" -D "$folder/data" -U pikou --auth=trust -E UTF8 --locale=C >"$folder/initdb.log" 2>&1; then
  cat "$folder/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 1
fi
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c max_connections=200 ${durability[*]}" start >/dev/null; then
  cat "$folder/server.log" >&2
  echo "with-postgres: the server did not start" >&2
  exit 1
fi
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U pikou pikou_test || { echo "with-postgres: createdb failed" >&2; exit 1; }
export PIKOU_TEST_POSTGRES="postgres://pikou@127.0.0.1:$port/pikou_test?sslmode=disable"
export PIKOU_TEST_POSTGRES_BIN="$bindir"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($folder), stopped at the end" >&2
"$@"
