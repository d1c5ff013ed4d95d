#!/usr/bin/env bash
# CI's bench set: a short run of the scenarios that guard issue 11's targets, with PostgreSQL when its server binaries
# are installed (a throwaway cluster on a free port, removed afterwards). One JSON line per scenario on stdout and in
# out/bench/ci.jsonl. Speed is never asserted here: the lines are recorded for people to read and compare.
#   scripts/bench-ci.sh [--seconds N]     (default 2 seconds per scenario)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=2
if [[ ${1:-} == --seconds ]]; then seconds=$2; shift 2; fi
readonly SQLITE_SET=(issue-es256 issuebatch-grpc-sqlite)
readonly POSTGRES_SET=(issuebatch-grpc-postgres ledger-postgres-nodes)
mkdir -p out/bench
readonly OUT=out/bench/ci.jsonl

scenarios=("${SQLITE_SET[@]}")
cluster=""
stop_cluster() {
  [[ -n $cluster ]] || return 0
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -n $pg_bin && -x $pg_bin/initdb && $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1; then
  cluster=$(mktemp -d /tmp/vaxcert-bench-pg.XXXXXX)
  chown postgres "$cluster"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$pg_bin/initdb" -D "$cluster/data" -A trust -U postgres >/dev/null
  # Production durability (fsync, synchronous_commit on): the figures must mean what a real ledger would do.
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w -t 60 \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  export VAXCERT_BENCH_PG_CONN="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=64"
  scenarios+=("${POSTGRES_SET[@]}")
else
  echo "bench-ci: no PostgreSQL server binaries (or not root): PostgreSQL scenarios not run" >&2
fi

scripts/bench.sh --seconds "$seconds" "${scenarios[@]}" | tee "$OUT"
