#!/usr/bin/env bash
# The sync benchmark (issue 5): portal-syncd --once against portal-sim with a
# latency per request and a concurrency cap, beside curl --parallel pushing
# the same bodies and a naive client sending one request at a time.
#
#   bench/run.sh [BUILD_DIR] [SCENARIO...]
#     scenarios: seed 5k 100k scale idle (default: all)
#
# Environment: REPS (repetitions of seed and 5k, default 3), REPS_100K
# (default 2), BENCH_OUT (default bench-run/), NAIVE_5K=0 skips the naive client on 5k (it takes ~2 minutes),
# SCALE_SIZES (default "1000 10000 100000 1000000"), SCALE_TIMEOUT (seconds
# one run of the scaling table may take, default 900).
# Everything is left in bench-run/ (results.tsv, logs, state.db files).
# Columns are explained in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(seed 5k 100k scale idle)
REPS=${REPS:-3}
REPS_100K=${REPS_100K:-2}
NAIVE_5K=${NAIVE_5K:-1}
SCALE_SIZES=${SCALE_SIZES:-1000 10000 100000 1000000}
SCALE_TIMEOUT=${SCALE_TIMEOUT:-900}

# shellcheck source=scripts/sim-lib.sh
. scripts/sim-lib.sh
sim_bin=$build/sim/portal-sim
daemon_bin=$build/daemon/portal-syncd
bodies_bin=$build/bench/psd-bench-bodies
for b in "$sim_bin" "$daemon_bin" "$bodies_bin"; do
  [ -x "$b" ] || { echo "missing $b: build with -DPSD_BUILD_BENCH=ON (make bench)" >&2; exit 2; }
done
for tool in curl jq /usr/bin/time awk; do
  command -v "$tool" >/dev/null || { echo "missing $tool (make deps)" >&2; exit 2; }
done

out=${BENCH_OUT:-$PWD/bench-run}
rm -rf "$out" && mkdir -p "$out"
results=$out/results.tsv
printf 'scenario\trep\tclient\tservices\tcat_req\tlist_req\ttoken_req\tputs\trequests\twall_s\tbound_s\toverlap_s\tpush_s\tcpu_s\trss_mb\texit\tload1\n' >"$results"
idle=$out/idle.tsv
printf 'scenario\tservices\tidle_rss_mb\tpeak_rss_mb\tload1\n' >"$idle"

machine() {
  printf '%s cores, %s, load average %s' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# --- portal-sim --------------------------------------------------------------
# Its --verbose log ("PUT /national/... -> 201", written after each response)
# is stamped line by line, so the push phase of any client is measured the
# same way, from the server's side.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

sim_pid=
base=
sim_log=
sim_count=0
start_sim() { # LOGDIR ARGS...
  local dir=$1
  shift
  mkdir -p "$dir"
  # Each simulator has files of its own: an old one's stamper may still write.
  sim_count=$((sim_count + 1))
  local sim_out=$dir/sim-$sim_count.out
  sim_log=$dir/sim-$sim_count.log
  "$sim_bin" --port 0 --verbose "$@" >"$sim_out" 2> >(stamp >"$sim_log") &
  sim_pid=$!
  base=$(portal_sim_url "$sim_out" "$sim_pid") || { cat "$sim_log" >&2; exit 1; }
}
stop_sim() {
  [ -n "$sim_pid" ] || return 0
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=
  sleep 0.2 # let the stamper drain the last lines
}
trap stop_sim EXIT
# The ledger; and, once the stamper has written the ledger's own request, the
# log holds every earlier line too.
ledger() {
  curl -fsS "$base/_sim/ledger"
  for _ in $(seq 100); do
    tail -n1 "$sim_log" | grep -q '/_sim/ledger' && return 0
    sleep 0.05
  done
}
reset_ledger() { curl -fsS -d "" "$base/_sim/reset-ledger" >/dev/null; }
counter() { jq -r ".$2" <<<"$1"; }

# Seconds from the first to the last PUT answered, plus one latency (the
# first request was sent one latency before its answer).
push_window() { # SIMLOG LATENCY_MS
  awk -v lat="$2" '/ PUT \/national\// { t = $1 + 0; if (n++ == 0) first = t; last = t }
    END { if (n == 0) print 0; else printf "%.3f\n", last - first + lat / 1000 }' "$1"
}

# The network's bounds; each round trip costs one latency. The catalogue
# takes page 1, then the other pages `cap` at a time; the national listing
# takes its pages in sequence (cursors); the pushes go `cap` at a time.
# serial: catalogue + listing + pushes (one read after the other);
# overlap: max(catalogue, listing) + pushes (both read at once, issue 14).
# Both leave out the token request (one more latency).
bound() { # serial|overlap LATENCY_MS CAP CATALOGUE_REQUESTS LIST_PAGES PUSHES
  awk -v how="$1" -v lat="$2" -v cap="$3" -v cat="$4" -v list="$5" -v w="$6" 'function ceil(x) { return x == int(x) ? x : int(x) + 1 }
    BEGIN { c = (cat > 0 ? 1 : 0) + ceil((cat > 1 ? cat - 1 : 0) / cap)
            reads = how == "serial" ? c + list : (c > list ? c : list)
            printf "%.3f\n", (reads + ceil(w / cap)) * lat / 1000 }'
}

# --- portal-syncd ------------------------------------------------------------
# The simulated portal has no rate limit (only the cap): the default of 20
# per second would measure that setting, not the network.
write_config() { # DIR CAP
  write_portal_syncd_config "$1" "$base" "national.max_concurrency = $2" \
    'national.max_requests_per_second = 10000'
}

# Run portal-syncd --once; append a row to results.tsv. Leaves the ledger in $last_ledger.
last_ledger=
run_daemon() { # SCENARIO REP DIR LATENCY CAP SERVICES
  local scenario=$1 rep=$2 dir=$3 lat=$4 cap=$5 services=$6 code=0
  sed -i "s#http://127.0.0.1:[0-9]*#$base#g" "$dir/portal-syncd.toml"
  reset_ledger
  local before
  before=$(wc -l <"$sim_log")
  # shellcheck disable=SC2086 # RUN_WRAP is words: e.g. "nice -n 10 timeout 900"
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time.$scenario" ${RUN_WRAP:-} \
    "$daemon_bin" --config "$dir/portal-syncd.toml" --once --log-level warn \
    2>"$dir/daemon.$scenario.log" || code=$?
  last_ledger=$(ledger)
  printf '%s\n' "$last_ledger" >"$dir/ledger.$scenario.$rep.json"
  local cat_req list_req tok puts dels
  cat_req=$(jq '.catalogue_pages + .catalogue_not_modified' <<<"$last_ledger")
  list_req=$(counter "$last_ledger" national_list_pages)
  tok=$(counter "$last_ledger" token_requests)
  puts=$(counter "$last_ledger" puts)
  dels=$(counter "$last_ledger" delete_requests)
  local wall user sys rss
  read -r wall user sys rss < <(tail -n1 "$dir/time.$scenario")
  tail -n +"$((before + 1))" "$sim_log" >"$dir/sim.$scenario.$rep.log"
  printf '%s\t%s\tportal-syncd\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$scenario" "$rep" "$services" "$cat_req" "$list_req" "$tok" "$((puts + dels))" \
    "$((cat_req + list_req + tok + puts + dels))" "$wall" \
    "$(bound serial "$lat" "$cap" "$cat_req" "$list_req" "$((puts + dels))")" \
    "$(bound overlap "$lat" "$cap" "$cat_req" "$list_req" "$((puts + dels))")" \
    "$(push_window "$dir/sim.$scenario.$rep.log" "$lat")" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$code" "$(load1)" >>"$results"
}

# --- curl --------------------------------------------------------------------
token() {
  curl -fsS -d grant_type=client_credentials -d client_id=province-h43 \
    -d client_secret=sim-secret "$base/national/oauth2/token" | jq -r .access_token
}

# A curl config with one PUT per manifest line, each with a fresh key.
put_config() { # MANIFEST TOKEN TAG
  awk -F'\t' -v base="$base" -v tok="$2" -v tag="$3" '{
    printf "url = \"%s/national/provinces/H43/services/%s\"\n", base, $1
    printf "request = \"PUT\"\noutput = \"/dev/null\"\n"
    printf "header = \"Authorization: Bearer %s\"\n", tok
    printf "header = \"Idempotency-Key: bench-%s-%d\"\n", tag, NR
    printf "header = \"Content-Type: application/json\"\nheader = \"Accept: application/json\"\n"
    printf "header = \"Expect:\"\ndata-binary = \"@%s\"\nnext\n", $2 }' "$1"
}

# GETs of the catalogue and the national listing, as a client without
# concurrency reads them (the listing's first page repeated, since its
# cursors cannot be known in advance: the same cost).
get_config() { # TOKEN CATALOGUE_PAGES LIST_PAGES
  local p
  for ((p = 1; p <= $2; p++)); do
    printf 'url = "%s/provincial/services?page=%d&page_size=200"\noutput = "/dev/null"\nnext\n' "$base" "$p"
  done
  for ((p = 1; p <= $3; p++)); do
    printf 'url = "%s/national/provinces/H43/services?limit=1000"\noutput = "/dev/null"\n' "$base"
    printf 'header = "Authorization: Bearer %s"\nnext\n' "$1"
  done
}

# CLIENT curl-parallel: curl --parallel --parallel-max CAP pushing the bodies;
# naive: token, catalogue, listing and pushes, one request at a time.
run_curl() { # CLIENT SCENARIO REP DIR LATENCY CAP SERVICES MANIFEST CAT_PAGES LIST_PAGES
  local client=$1
  shift
  local scenario=$1 rep=$2 dir=$3 lat=$4 cap=$5 services=$6 manifest=$7 code=0
  local pushes tok
  pushes=$(wc -l <"$manifest")
  reset_ledger
  local before start end
  before=$(wc -l <"$sim_log")
  start=$EPOCHREALTIME
  tok=$(token)
  if [ "$client" = naive ]; then
    # Every block ends with "next"; the last one must not (an empty transfer).
    { get_config "$tok" "$8" "$9"; put_config "$manifest" "$tok" "$client-$rep"; } |
      sed '$d' >"$dir/$client.curlrc"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.$client" \
      curl -sS -K "$dir/$client.curlrc" 2>"$dir/$client.log" || code=$?
  else
    put_config "$manifest" "$tok" "$client-$rep" | sed '$d' >"$dir/$client.curlrc"
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.$client" \
      curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max "$cap" \
      -K "$dir/$client.curlrc" 2>"$dir/$client.log" || code=$?
  fi
  end=$EPOCHREALTIME
  local l
  l=$(ledger)
  printf '%s\n' "$l" >"$dir/ledger.$client.$rep.json"
  local written
  written=$(jq '.creates + .updates' <<<"$l")
  if [ "$written" != "$pushes" ] || [ "$(jq '.rate_limited + .concurrency_limited' <<<"$l")" != 0 ]; then
    echo "$client on $scenario: $written of $pushes bodies written; ledger: $l" >&2
    code=9
  fi
  local cat_req list_req puts user sys rss wall
  cat_req=$(jq '.catalogue_pages + .catalogue_not_modified' <<<"$l")
  list_req=$(counter "$l" national_list_pages)
  puts=$(counter "$l" puts)
  read -r wall user sys rss < <(tail -n1 "$dir/time.$client")
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  tail -n +"$((before + 1))" "$sim_log" >"$dir/sim.$client.$rep.log"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$scenario" "$rep" "$client" "$services" "$cat_req" "$list_req" \
    "$(counter "$l" token_requests)" "$puts" \
    "$(jq '.catalogue_pages + .catalogue_not_modified + .national_list_pages + .token_requests + .puts' <<<"$l")" \
    "$wall" "$(bound serial "$lat" "$cap" "$cat_req" "$list_req" "$puts")" \
    "$(bound overlap "$lat" "$cap" "$cat_req" "$list_req" "$puts")" \
    "$(push_window "$dir/sim.$client.$rep.log" "$lat")" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$code" "$(load1)" >>"$results"
}

# --- scenarios ---------------------------------------------------------------
# A scenario of new services: the daemon, curl --parallel and the naive
# client, each against a freshly started simulator (the same world).
pushing_scenario() { # NAME LATENCY CAP SERVICES NAIVE SIM_ARGS...
  local name=$1 lat=$2 cap=$3 services=$4 naive=$5
  shift 5
  local dir=$out/$name rep
  echo "== $name: $services services, ${lat} ms latency, cap $cap ($(machine))"
  for ((rep = 1; rep <= REPS; rep++)); do
    start_sim "$dir" --latency-ms "$lat" --max-concurrency "$cap" "$@"
    if [ "$rep" = 1 ]; then
      "$bodies_bin" "$base" "$dir/bodies" >/dev/null
    fi
    rm -rf "$dir/state"
    write_config "$dir" "$cap"
    run_daemon "$name" "$rep" "$dir" "$lat" "$cap" "$services"
    local cat_pages list_pages
    cat_pages=$(counter "$last_ledger" catalogue_pages)
    list_pages=$(counter "$last_ledger" national_list_pages)
    stop_sim

    start_sim "$dir" --latency-ms "$lat" --max-concurrency "$cap" "$@"
    run_curl curl-parallel "$name" "$rep" "$dir" "$lat" "$cap" "$services" "$dir/bodies/manifest.tsv" \
      "$cat_pages" "$list_pages"
    stop_sim

    if [ "$naive" = 1 ] && { [ "$name" = seed ] || [ "$rep" = 1 ]; }; then
      start_sim "$dir" --latency-ms "$lat" --max-concurrency "$cap" "$@"
      run_curl naive "$name" "$rep" "$dir" "$lat" "$cap" "$services" "$dir/bodies/manifest.tsv" \
        "$cat_pages" "$list_pages"
      stop_sim
    fi
  done
}

# 100,000 services in sync: a first run that fills state.db, a second with
# the catalogue unchanged (304), then 1,000 edited services.
scenario_100k() {
  local lat=20 cap=16 dir=$out/100k rep
  local args=(--services 100000 --full 50000 --integrated 100000 --latency-ms "$lat" --max-concurrency "$cap")
  echo "== 100k: 100,000 services, ${lat} ms latency, cap $cap ($(machine))"
  for ((rep = 1; rep <= REPS_100K; rep++)); do
    start_sim "$dir" "${args[@]}"
    rm -rf "$dir/state"
    write_config "$dir" "$cap"
    run_daemon 100k-first "$rep" "$dir" "$lat" "$cap" 100000
    run_daemon 100k-unchanged "$rep" "$dir" "$lat" "$cap" 100000
    curl -fsS -d "" "$base/_sim/edit?count=1000" >/dev/null
    if [ "$rep" = 1 ]; then
      "$bodies_bin" "$base" "$dir/bodies" >/dev/null
    fi
    run_daemon 100k-1pct "$rep" "$dir" "$lat" "$cap" 100000
    stop_sim
  done
  # What the contract asks of these runs, from the simulator's ledgers.
  for ((rep = 1; rep <= REPS_100K; rep++)); do
    jq -r --arg rep "$rep" '"100k-unchanged rep \($rep): catalogue requests \(.catalogue_pages + .catalogue_not_modified) (304s: \(.catalogue_not_modified)), writes \(.puts + .delete_requests)"' \
      "$dir/ledger.100k-unchanged.$rep.json"
    jq -r --arg rep "$rep" '"100k-1pct rep \($rep): PUTs \(.puts): updates \(.updates), creates \(.creates), deletes \(.deletes), wasted \(.wasted_writes), stale \(.stale_writes), off-catalogue \(.off_catalogue_writes), 429s \(.rate_limited + .concurrency_limited)"' \
      "$dir/ledger.100k-1pct.$rep.json"
  done >"$dir/checks.txt"
  cat "$dir/checks.txt"
  # curl --parallel with the same 1,000 bodies, against the same edited world.
  start_sim "$dir" "${args[@]}"
  curl -fsS -d "" "$base/_sim/edit?count=1000" >/dev/null
  run_curl curl-parallel 100k-1pct 1 "$dir" "$lat" "$cap" 100000 "$dir/bodies/manifest.tsv" 0 0
  stop_sim
}

# The scaling table: the same world at each size, in sync (a first run fills
# state.db), then unchanged (304), then 1% of the services edited. Run
# niced and bounded (SCALE_TIMEOUT), since 1M takes minutes on a loaded host.
scenario_scale() {
  local lat=20 cap=16 n
  for n in $SCALE_SIZES; do
    local dir=$out/scale-$n
    echo "== scale $n: ${lat} ms latency, cap $cap ($(machine))"
    start_sim "$dir" --services "$n" --full "$((n / 2))" --integrated "$n" --latency-ms "$lat" \
      --max-concurrency "$cap"
    rm -rf "$dir/state"
    write_config "$dir" "$cap"
    RUN_WRAP="nice -n 10 timeout $SCALE_TIMEOUT" run_daemon "scale-$n-first" 1 "$dir" "$lat" "$cap" "$n"
    RUN_WRAP="nice -n 10 timeout $SCALE_TIMEOUT" run_daemon "scale-$n-unchanged" 1 "$dir" "$lat" "$cap" "$n"
    curl -fsS -d "" "$base/_sim/edit?count=$((n / 100))" >/dev/null
    RUN_WRAP="nice -n 10 timeout $SCALE_TIMEOUT" run_daemon "scale-$n-1pct" 1 "$dir" "$lat" "$cap" "$n"
    stop_sim
  done
}

# Idle memory: portal-syncd in daemon mode, its RSS once the first cycle
# ended (status file's last_cycle.finished_at), for the seed province and 100k.
idle_daemon() { # NAME SERVICES SIM_ARGS...
  local name=$1 services=$2
  shift 2
  local dir=$out/idle-$name
  echo "== idle $name: daemon mode, RSS after the first cycle ($(machine))"
  start_sim "$dir" "$@"
  rm -rf "$dir/state" "$dir/status.json"
  write_config "$dir" 16
  sed -i 's/^province = .*/&\npoll_interval = "1h"/' "$dir/portal-syncd.toml"
  "$daemon_bin" --config "$dir/portal-syncd.toml" --log-level warn 2>"$dir/daemon.log" &
  local pid=$! finished=
  for _ in $(seq 3000); do
    finished=$(jq -r '.last_cycle.finished_at // empty' "$dir/status.json" 2>/dev/null || true)
    [ -n "$finished" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  sleep 2 # let the loop settle after the cycle
  local rss peak
  rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  peak=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  stop_sim
  [ -n "$finished" ] || { echo "idle $name: the first cycle did not finish" >&2; rss=0; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$services" "$rss" "$peak" "$(load1)" >>"$idle"
}

echo "machine: $(machine)"
for s in "${scenarios[@]}"; do
  case $s in
    seed) pushing_scenario seed 50 8 1126 1 --services 1126 --full 582 --integrated 985 ;;
    5k) pushing_scenario 5k 20 16 5000 "$NAIVE_5K" --services 5000 --full 2500 --integrated 0 ;;
    100k) scenario_100k ;;
    scale) scenario_scale ;;
    idle)
      idle_daemon seed 1126 --services 1126 --full 582 --integrated 985 --latency-ms 50 --max-concurrency 8
      idle_daemon 100k 100000 --services 100000 --full 50000 --integrated 100000 --latency-ms 20 \
        --max-concurrency 16
      ;;
    *) echo "unknown scenario $s (seed, 5k, 100k, scale, idle)" >&2; exit 2 ;;
  esac
done
echo "machine at the end: $(machine)"
"$(dirname "$0")/summary.sh" "$results" "$idle"
