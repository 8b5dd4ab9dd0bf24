#!/usr/bin/env bash
# Run each libFuzzer target for a bounded time: `make fuzz` calls it as
#   fuzz/run.sh BUILD_DIR SECONDS TARGET...
# Each target starts from a scratch copy of tests/fuzz/corpus/TARGET, so a run
# never grows the repository's corpus. Exit non-zero if any target found
# something, and say where the input that triggered it is.
set -uo pipefail
cd "$(dirname "$0")/.."

build_dir=$1 seconds=$2
shift 2
scratch="$build_dir/fuzz-run"
failed=()
for target in "$@"; do
  binary="$build_dir/fuzz/fuzz_$target"
  work="$scratch/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp tests/fuzz/corpus/"$target"/* "$work/corpus/"
  dict=fuzz/json.dict
  [ "$target" = config ] && dict=fuzz/toml.dict
  echo "== fuzz_$target: ${seconds}s from $(ls "$work/corpus" | wc -l) seeds (log: $work/fuzz.log)"
  # -timeout: one input that takes longer is a finding (a hang), not a stall.
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict="$dict" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" >"$work/fuzz.log" 2>&1
  status=$?
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::new_units_added)' "$work/fuzz.log"
  if [ $status -ne 0 ]; then
    failed+=("$target")
    echo "!! fuzz_$target found a problem (exit $status); the log's end:"
    tail -n 40 "$work/fuzz.log"
    echo "!! input that triggered it:" "$work"/artifacts/*
    echo "!! reproduce: $binary $(ls "$work"/artifacts/* | head -n 1)"
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: findings in: ${failed[*]}"
  exit 1
fi
echo "fuzz: no finding in $# targets"
