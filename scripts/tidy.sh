#!/usr/bin/env bash
# `make tidy`: clang-tidy 14, with the checks in .clang-tidy, on the project's
# own translation units in BUILD_DIR/compile_commands.json; any finding fails.
#
#   scripts/tidy.sh BUILD_DIR [BASE]
#
# With BASE (a commit), only the units that changed since BASE: a .cpp that
# changed, or one that includes (directly or through other project headers)
# a header that changed; every unit when .clang-tidy itself changed. Without
# BASE, every unit: about 10 s of CPU each, 20 minutes on 2 cores for the
# whole tree (README.md, "CI").
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: tidy.sh BUILD_DIR [BASE]}
base=${2:-}
tidy=${CLANG_TIDY:-clang-tidy-14}
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "tidy: no $db (configure first: make build)" >&2; exit 2; }

# The units the build compiles that git tracks (nothing generated).
mapfile -t units < <(sed -n 's/^ *"file": "\(.*\)",\?$/\1/p' "$db" | sed "s|^$PWD/||" | sort -u |
  while read -r f; do git ls-files --error-unmatch "$f" >/dev/null 2>&1 && echo "$f"; done)

# A change to the checks themselves holds every unit to them again.
if [ -n "$base" ] && ! git diff --quiet "$base" -- .clang-tidy; then
  echo "tidy: .clang-tidy changed since $base: every unit"
  base=
fi

if [ -n "$base" ]; then
  mapfile -t changed < <(git diff --name-only --diff-filter=AMR "$base" -- '*.cpp' '*.hpp')
  # Headers that changed, then every project file that includes one of them,
  # until nothing new is found.
  declare -A seen=()
  queue=()
  for f in "${changed[@]}"; do
    seen[$f]=1
    [[ $f == *.hpp ]] && queue+=("$f")
  done
  while [ ${#queue[@]} -gt 0 ]; do
    header=${queue[0]}
    queue=("${queue[@]:1}")
    while read -r f; do
      [ -n "$f" ] && [ -z "${seen[$f]:-}" ] || continue
      seen[$f]=1
      [[ $f == *.hpp ]] && queue+=("$f")
    done < <(git grep -l -F "#include \"$header\"" -- '*.cpp' '*.hpp' || true)
  done
  selected=()
  for f in "${units[@]}"; do [ -n "${seen[$f]:-}" ] && selected+=("$f"); done
  echo "tidy: ${#selected[@]} of ${#units[@]} units changed since $base"
else
  selected=("${units[@]}")
  echo "tidy: all ${#selected[@]} units"
fi
[ ${#selected[@]} -gt 0 ] || exit 0

start=$(date +%s)
status=0
printf '%s\0' "${selected[@]}" |
  xargs -0 -n 1 -P "${JOBS:-$(nproc)}" "$tidy" -p "$build" --quiet --warnings-as-errors='*' ||
  status=1
echo "tidy: ${#selected[@]} units in $(($(date +%s) - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ $status -eq 0 ] || echo "tidy: findings above (checks in .clang-tidy); fix them or say why not with NOLINT(check)" >&2
exit $status
