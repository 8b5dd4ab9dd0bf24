# shellcheck shell=bash
# Sourced, not run: what the scripts that drive portal-syncd against
# portal-sim outside the test harness share (scripts/demo.sh, bench/run.sh,
# bench/profile.sh, tests/data/state-db/generate.sh; tests/systemd/run.sh
# learns its simulators' URLs here too): learning the simulator's URL once
# it listens, and a portal-syncd config for it.

# portal_sim_url OUT PID: wait (up to 60 s) for the "listening on" line that
# portal-sim (process PID, started with --port 0) writes to OUT, and print
# its base URL (http://127.0.0.1:PORT). Fails, showing OUT, when the
# simulator exits or does not come up.
portal_sim_url() {
  local out=$1 pid=$2 url=""
  for _ in $(seq 600); do
    url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out" 2>/dev/null | head -n1)
    if [ -n "$url" ]; then
      printf '%s\n' "$url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "portal-sim did not start:" >&2
  cat "$out" >&2
  return 1
}

# write_portal_syncd_config DIR BASE [SECTION.KEY = VALUE...]: DIR/client_secret
# and DIR/portal-syncd.toml for the simulator at BASE: province H43 with the
# simulator's client, state, status file and control socket in DIR, plain
# HTTP (the simulator speaks it on loopback). Each "SECTION.KEY = VALUE" adds
# `KEY = VALUE` to [SECTION] (a table the config does not have yet, such as
# retry, is added); VALUE is TOML, so strings keep their quotes.
write_portal_syncd_config() {
  local dir=$1 base=$2
  shift 2
  # The keys every config has, by table; then the caller's.
  local nl=$'\n'
  local -A keys=(
    [provincial]="base_url = \"$base/provincial\"$nl"
    [national]="base_url = \"$base/national\"${nl}token_url = \"$base/national/oauth2/token\"$nl"
    [tls]="allow_insecure_http = true$nl"
  )
  keys[national]+="client_id = \"province-h43\"${nl}client_secret_file = \"client_secret\"$nl"
  local -a tables=(provincial national tls)
  local setting table
  for setting in "$@"; do
    table=${setting%%.*}
    [ -n "${keys[$table]+set}" ] || tables+=("$table")
    keys[$table]+="${setting#*.}$nl"
  done
  printf 'sim-secret\n' >"$dir/client_secret"
  chmod 600 "$dir/client_secret"
  {
    printf 'province = "H43"\nstate_dir = "%s/state"\nstatus_file = "%s/status.json"\n' "$dir" "$dir"
    printf 'control_socket = "%s/control.sock"\n' "$dir"
    for table in "${tables[@]}"; do
      printf '\n[%s]\n%s' "$table" "${keys[$table]}"
    done
  } >"$dir/portal-syncd.toml"
}
