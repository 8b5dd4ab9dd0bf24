#!/usr/bin/env bash
# Run ctest in a sanitized build: `make check-sanitize` calls it as
#   scripts/check-sanitize.sh BUILD_DIR address|thread [ctest args...]
# Every process the tests start (the tests, portal-sim, portal-syncd) is built
# with the sanitizer and writes any report to BUILD_DIR/sanitizer-logs. A report
# from a child process does not always fail its test (a simulator's report at
# exit, say), so the run also fails when that folder holds any report.
set -uo pipefail
cd "$(dirname "$0")/.."

build_dir=$(cd "$1" && pwd)
kind=$2
shift 2
logs="$build_dir/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"

# Stop at the first report; log_path gives each process its own file (.PID).
common="halt_on_error=1:log_path=$logs/report"
export UBSAN_OPTIONS="$common:print_stacktrace=1"
case "$kind" in
  address) export ASAN_OPTIONS="$common:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1" ;;
  thread) export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan-suppressions.txt" ;;
  *) echo "unknown sanitizer '$kind' (address or thread)" >&2; exit 2 ;;
esac

start=$(date +%s)
(cd "$build_dir" && ctest --output-on-failure "$@")
status=$?
echo "check-sanitize ($kind): ctest took $(($(date +%s) - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"

reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  echo "check-sanitize ($kind): sanitizer reports:"
  for report in $reports; do
    echo "---- $report"
    cat "$report"
  done
  status=1
fi
exit $status
