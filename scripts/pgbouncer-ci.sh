#!/usr/bin/env bash
# Starts a pgbouncer in front of 127.0.0.1:5432 for .ci/run: `scripts/pgbouncer-ci.sh start <mode> <port>` prints the
# folder holding its ini, log and pid file; `scripts/pgbouncer-ci.sh stop <folder>` ends it. Test-only settings:
# any client user is accepted and logs in to the server as postgres. PGBOUNCER_BINARY picks another pgbouncer
# (scripts/pgbouncer-build.sh's), MAX_PREPARED_STATEMENTS sets its max_prepared_statements (1.21 or later).
set -euo pipefail
case "$1" in
  start)
    mode=$2 port=$3
    dir=$(mktemp -d /tmp/rg-ci-pgbouncer-XXXXXX)
    chmod 777 "$dir"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432 user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = any
pool_mode = $mode
max_client_conn = 1000
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    if [ -n "${MAX_PREPARED_STATEMENTS:-}" ]; then echo "max_prepared_statements = $MAX_PREPARED_STATEMENTS" >>"$dir/pgbouncer.ini"; fi
    chmod 644 "$dir/pgbouncer.ini"
    binary=${PGBOUNCER_BINARY:-pgbouncer}
    if [ "$(id -u)" = 0 ]; then "$binary" -d -u postgres "$dir/pgbouncer.ini"; else "$binary" -d "$dir/pgbouncer.ini"; fi
    for _ in $(seq 50); do [ -s "$dir/pgbouncer.pid" ] && break; sleep 0.1; done
    echo "$dir"
    ;;
  stop)
    kill "$(cat "$2/pgbouncer.pid")" 2>/dev/null || true
    ;;
esac
