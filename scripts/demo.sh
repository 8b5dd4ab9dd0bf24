#!/usr/bin/env bash
# The demo: a simulated province of 1,126 online services (985 integrated, as
# reported: 87.48%), one sync, coverage at its final figure, and the report
# (demo-run/report.html) with its summary sentence in English and Vietnamese.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
run=$PWD/demo-run
rm -rf "$run" && mkdir -p "$run"

# shellcheck source=scripts/sim-lib.sh
. scripts/sim-lib.sh
sim_log=$run/portal-sim.log
"$build/sim/portal-sim" --port 0 --stale 25 >"$sim_log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true; wait $sim_pid 2>/dev/null || true' EXIT
base=$(portal_sim_url "$sim_log" "$sim_pid")
write_portal_syncd_config "$run" "$base"

daemon="$build/daemon/portal-syncd"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "The simulated province: both portals on $base"
say "1. What would a sync do? (portal-syncd --dry-run: reads both sides, writes nothing)"
"$daemon" --config "$run/portal-syncd.toml" --dry-run --log-level warn

say "2. One sync cycle (portal-syncd --once)"
"$daemon" --config "$run/portal-syncd.toml" --once

say "3. A second cycle with nothing changed pushes nothing"
"$daemon" --config "$run/portal-syncd.toml" --once 2>&1 | grep -E 'cycle|coverage' || true

say "4. Coverage in the status file ($run/status.json)"
jq -r '.coverage as $c |
  "  overall : \($c.integrated) of \($c.total) integrated = \($c.percent)%  (\($c.in_sync) in sync)",
  "  full    : \($c.by_level.full.integrated) of \($c.by_level.full.total) = \($c.by_level.full.percent)%",
  "  partial : \($c.by_level.partial.integrated) of \($c.by_level.partial.total) = \($c.by_level.partial.percent)%",
  "  last cycle: \(.last_cycle.result), pushed \(.last_cycle.pushed), failed \(.last_cycle.failed)"' "$run/status.json"

say "5. What the national portal saw (the simulator's ledger)"
curl -fsS "$base/_sim/ledger"; echo

say "6. The coverage report, from state.db (portal-syncctl report)"
ctl="$build/ctl/portal-syncctl"
"$ctl" --config "$run/portal-syncd.toml" report --format html -o "$run/report.html"
"$ctl" --config "$run/portal-syncd.toml" report --format html --lang vi -o "$run/report.vi.html"
for lang in en vi; do
  "$ctl" --config "$run/portal-syncd.toml" report --format json --lang "$lang" |
    jq -r '"  before: \(.period_start.sentence)", "  after:  \(.summary.sentence)"'
done
echo
echo "Status file: $run/status.json"
echo "State:       $run/state/state.db"
echo "Report:      $run/report.html (Vietnamese: $run/report.vi.html)"
