#!/usr/bin/env bash
# Make tests/data/state-db/schema-N.db: a small state.db written by the
# portal-syncd whose schema is N, built from git history, not written by hand.
#
#   tests/data/state-db/generate.sh N [COMMIT]
#
# COMMIT defaults to the newest commit on HEAD's first-parent line whose
# StateStore::kSchemaVersion is N (for the current version: HEAD itself). The
# script checks that commit out in a scratch worktree, builds its
# portal-syncd and portal-sim (ccache keeps that short), runs two --once
# cycles against a small simulated province with rejections, invalid
# records, stale and orphaned entries and 503s (max_attempts = 1, so failed
# writes stay in the outbox), and copies the resulting state.db here. The
# MANIFEST beside it records the commit. After adding migration N+1, run it
# for N+1 too once that lands, so every schema on main has a fixture.
set -euo pipefail

version=${1:?usage: generate.sh SCHEMA_VERSION [COMMIT]}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
header=daemon/state/state_store.hpp
# shellcheck source=scripts/sim-lib.sh
. "$repo/scripts/sim-lib.sh"

version_at() {  # the schema version of commit $1
  git -C "$repo" show "$1:$header" | sed -n 's/.*kSchemaVersion = \([0-9]*\);.*/\1/p'
}

commit=${2:-}
if [ -z "$commit" ]; then
  # Each commit that touched the header starts a run of commits with its
  # version; the run ends just before the next (newer) such commit.
  newer=HEAD
  for c in $(git -C "$repo" rev-list --first-parent HEAD -- "$header"); do
    if [ "$(version_at "$c")" = "$version" ]; then
      if [ "$newer" = HEAD ]; then commit=$(git -C "$repo" rev-parse HEAD); else commit=$(git -C "$repo" rev-parse "$newer^1"); fi
      break
    fi
    newer=$c
  done
fi
[ -n "$commit" ] || { echo "generate.sh: no commit on HEAD's line has schema $version" >&2; exit 1; }
[ "$(version_at "$commit")" = "$version" ] || {
  echo "generate.sh: $commit has schema $(version_at "$commit"), not $version" >&2; exit 1; }
echo "schema $version: building portal-syncd at $(git -C "$repo" log -1 --format='%h %s' "$commit")"

# A worktree beside the repository, built in its build/ as `make build`
# does: with ccache's base_dir above both, the compiler sees the same
# relative paths and reuses what building a checkout compiled.
scratch=${PSD_FIXTURE_SCRATCH:-$(dirname "$repo")/psd-schema-fixture-$version}
rm -rf "$scratch"
git -C "$repo" worktree prune
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  git -C "$repo" worktree remove --force "$scratch" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

git -C "$repo" worktree add --detach "$scratch" "$commit" >/dev/null
launcher=$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache || true)
cmake -S "$scratch" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
cmake --build "$scratch/build" -j"${JOBS:-2}" --target portal-syncd portal-sim >/dev/null

run="$scratch/run"
mkdir -p "$run"
"$scratch/build/sim/portal-sim" --port 0 --services 60 --full 30 --integrated 20 --stale 5 \
  --orphans 2 --reject 3 --invalid 2 --suspended 2 --p503 0.2 --seed 7 >"$run/sim.out" 2>&1 &
sim_pid=$!
base=$(portal_sim_url "$run/sim.out" "$sim_pid")
# max_attempts = 1: failed writes stay in the outbox.
write_portal_syncd_config "$run" "$base" 'national.max_requests_per_second = 1000' \
  'retry.initial_backoff = "10ms"' 'retry.max_backoff = "50ms"' 'retry.max_attempts = 1'
for cycle in 1 2; do
  code=0
  "$scratch/build/daemon/portal-syncd" --config "$run/portal-syncd.toml" --once \
    --log-level warn 2>"$run/cycle-$cycle.log" || code=$?
  # 1 (some push failed or was rejected) is what the fixture wants; 2 is not.
  [ "$code" -le 1 ] || [ "$code" -eq 3 ] || { cat "$run/cycle-$cycle.log" >&2; exit 1; }
done
[ ! -e "$run/state/state.db-wal" ] || { echo "generate.sh: the WAL was left behind" >&2; exit 1; }

out="$here/schema-$version.db"
cp "$run/state/state.db" "$out"
manifest="$here/MANIFEST"
touch "$manifest"
grep -v "^schema-$version.db " "$manifest" >"$manifest.new" || true
echo "schema-$version.db $(git -C "$repo" rev-parse "$commit") $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$manifest.new"
sort -V "$manifest.new" >"$manifest"
rm "$manifest.new"
echo "wrote $out ($(stat -c %s "$out") bytes)"
