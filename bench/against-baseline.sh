#!/usr/bin/env bash
# The write targets of issue 12 (PUT of an existing relation and DELETE at >= 2x the baseline's req/s) judged on
# one machine in one sitting: the baseline's server (3c976f6, the code before issue 12's optimizations) and this
# checkout's are loaded alternately by this checkout's bench harness, so both answer the same requests while the
# machine's neighbours are the same. A baseline measured on another day or VM is no yardstick on a shared host.
#
# Usage: npm run bench:baseline [-- PAIRS [SHAPES]]   (default 3 pairs of putExisting,delete; about 5 min a pair)
# The baseline is cloned from this repository into $TMPDIR/relation-gateway-baseline (BENCH_BASELINE_DIR; npm ci
# there on first use, about a minute; outside the tree, so no test runner or linter finds its files)
# with a database of its own (its migrations are older), BENCH_BASELINE_DATABASE_URL, default
# relation_gateway_bench_base on the local PostgreSQL. Each run's report is kept in bench/results/against-baseline/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pairs=${1:-3}
shapes=${2:-putExisting,delete}
commit=3c976f6
base=${BENCH_BASELINE_DIR:-${TMPDIR:-/tmp}/relation-gateway-baseline}
base_url=${BENCH_BASELINE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/relation_gateway_bench_base}
out=$root/bench/results/against-baseline
flags=(--shapes "$shapes" --no-pglite --no-scale --no-deep --no-events --no-topology --rounds 3)

if [ ! -d "$base/node_modules" ]; then
  rm -rf "$base"
  git clone -q "$root" "$base"
  git -C "$base" checkout -q "$commit"
  (cd "$base" && npm ci --no-audit --no-fund >/dev/null)
fi
# This harness over the baseline's tree: its imports from src/ resolve to the baseline's code, which builds the
# data on the baseline's own migrations. Only the example query its footprint probe imports is newer.
rm -rf "$base/bench"
mkdir -p "$base/bench/peers" "$out"
cp "$root"/bench/*.ts "$base/bench/"
cp "$root"/bench/peers/*.ts "$root"/bench/peers/package*.json "$base/bench/peers/"
sed -n '/^export const EXAMPLE_QUERY = `/,/`;$/p' "$root/src/graphql/graphiql.ts" >"$base/src/graphql/graphiql.ts"

(cd "$root" && npm run build >/dev/null)
stamp=$(date -u +%Y-%m-%dT%H%M)
for i in $(seq 1 "$pairs"); do
  for side in baseline current; do
    echo "pair $i, $side: $(date -u +%T)"
    if [ "$side" = baseline ]; then
      (cd "$base" && BENCH_DATABASE_URL=$base_url npx tsx bench/run.ts "${flags[@]}" >/dev/null)
      cp "$base/bench/results/latest.json" "$out/$stamp-$i-$side.json"
    else
      (cd "$root" && npx tsx bench/run.ts "${flags[@]}" >/dev/null)
      cp "$root/bench/results/latest.json" "$out/$stamp-$i-$side.json"
    fi
  done
done
npx tsx "$root/bench/against-baseline.ts" "$out" "$stamp"
