#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite (Debian's PostgreSQL 15 binaries).
#   tools/pg-test-cluster.sh start DIR   initdb into DIR, start on a free 127.0.0.1 port (socket in
#                                        DIR), print postgres://postgres@127.0.0.1:PORT/postgres
#   tools/pg-test-cluster.sh stop DIR    stop the cluster and remove DIR
#   tools/pg-test-cluster.sh url DIR     print the URL of a started cluster
# Run as root, the cluster belongs to the `postgres` user (initdb refuses root). It trades
# durability for speed (fsync off): it holds nothing worth keeping.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then bindir=$d; break; fi
  done
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1; }

# as_pg CMD...: runs CMD as the cluster's owner.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ ! -e "$dir/data" ] || { echo "$dir/data exists: stop that cluster first" >&2; exit 1; }
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    # C collation: text sorts byte-wise, as it does on SQLite (ids and names page in one order on both).
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    url="postgres://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  url)
    cat "$dir/url"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR" >&2; exit 2
    ;;
esac
