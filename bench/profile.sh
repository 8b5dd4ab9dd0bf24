#!/usr/bin/env bash
# One CPU profile of 100k-1pct (and of 100k-unchanged) as instruction counts
# (valgrind --tool=callgrind): load-independent, unlike time on a shared
# host. This machine's perf cannot count instructions (`perf stat -e
# instructions true` says <not supported>), hence callgrind.
#
#   bench/profile.sh [DAEMON_BINARY [SIM_BINARY [OUT_DIR]]]
#
# Leaves callgrind.out.* and their callgrind_annotate summaries in OUT_DIR
# (default bench-run/profile), and prints the total and the top functions.
set -euo pipefail
cd "$(dirname "$0")/.."
daemon_bin=${1:-build/daemon/portal-syncd}
sim_bin=${2:-build/sim/portal-sim}
out=${3:-$PWD/bench-run/profile}
for tool in valgrind callgrind_annotate curl jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install valgrind)" >&2; exit 2; }
done
mkdir -p "$out"
rm -rf "$out/state" "$out"/callgrind.out.*

# shellcheck source=scripts/sim-lib.sh
. scripts/sim-lib.sh
"$sim_bin" --port 0 --services 100000 --full 50000 --integrated 100000 --latency-ms 20 \
  --max-concurrency 16 >"$out/sim.out" 2>"$out/sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true' EXIT
base=$(portal_sim_url "$out/sim.out" "$sim_pid")

# Under valgrind the client is ~50 times slower: give each request time.
write_portal_syncd_config "$out" "$base" 'provincial.timeout = "300s"' \
  'national.max_concurrency = 16' 'national.max_requests_per_second = 10000' \
  'national.timeout = "300s"'

run() { "$daemon_bin" --config "$out/portal-syncd.toml" --once --log-level warn 2>>"$out/daemon.log" || true; }
profile() { # NAME
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.$1" \
    "$daemon_bin" --config "$out/portal-syncd.toml" --once --log-level warn 2>>"$out/valgrind.$1.log" || true
  callgrind_annotate --inclusive=yes "$out/callgrind.out.$1" 2>/dev/null | sed 's/ \[[^]]*\]$//' >"$out/annotate.$1.txt"
  echo "== $1: $(grep -m1 'PROGRAM TOTALS' "$out/annotate.$1.txt")"
  grep -E 'psd::' "$out/annotate.$1.txt" | head -n 25
}

run                      # 100k-first: fills state.db
profile unchanged        # page 1 answers 304
curl -fsS -d "" "$base/_sim/edit?count=1000" >/dev/null
profile 1pct             # 1,000 services changed
