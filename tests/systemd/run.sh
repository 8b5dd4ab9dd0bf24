#!/usr/bin/env bash
# The Debian package under a real systemd (ctest label `systemd`, run by
# `make check-systemd`): boot the cached Debian 12 root with systemd-nspawn
# (an overlay keeps the cache clean), install the .deb with apt-get,
# point it at portal-sim on the host's loopback (the container shares the
# host's network) and check what the units promise, case by case.
#
#   tests/systemd/run.sh --deb DEB --sim PORTAL_SIM --rootfs ROOT --work DIR
#
# Exit 0 when every case passed, 1 when one failed, 77 (ctest: skipped) with
# "SKIPPED: reason" when this machine cannot boot a container.
set -uo pipefail

deb="" sim="" rootfs="" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$2; shift 2 ;;
    --sim) sim=$2; shift 2 ;;
    --rootfs) rootfs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: run.sh --deb DEB --sim PORTAL_SIM --rootfs ROOT --work DIR" >&2; exit 64 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/sim-lib.sh
. "$here/../../scripts/sim-lib.sh"

skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to boot a container (systemd-nspawn)"
command -v systemd-nspawn >/dev/null || skip "systemd-nspawn missing (Debian package systemd-container; make check-systemd installs it)"
command -v nsenter >/dev/null || skip "nsenter missing (util-linux)"
[ -x "$rootfs/lib/systemd/systemd" ] || skip "no Debian 12 root at $rootfs (make check-systemd builds it)"
[ -f "$deb" ] || skip "no package $deb (make deb builds it)"
[ -x "$sim" ] || skip "no portal-sim at $sim"

rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: a case passes when COMMAND succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# --- portal-sim on the host's loopback: one for the main unit, one per instance.
sim_pids=()
start_sim() {  # start_sim NAME ARGS...: sets SIM_URL_<NAME>
  local name=$1
  shift
  "$sim" --port 0 "$@" >"$work/sim-$name.out" 2>"$work/sim-$name.err" &
  sim_pids+=($!)
  local url
  url=$(portal_sim_url "$work/sim-$name.out" "$!") ||
    { echo "portal-sim $name did not start: $(cat "$work/sim-$name.err")"; exit 1; }
  printf -v "SIM_URL_$name" '%s' "$url"
}

# --- The container.
nspawn_pid=""
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null  # nspawn powers the container off on SIGTERM
    for _ in $(seq 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn_pid" 2>/dev/null
  fi
  for pid in "${sim_pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

apt_cache=$(dirname "$rootfs")/apt-archives  # kept across runs, beside the root
mkdir -p "$apt_cache/partial" "$work/upper"
# inside COMMAND...: run COMMAND inside the container, as root.
inside() { nsenter -t "$init_pid" -a -- "$@"; }
# container_init NSPAWN_PID: the pid of the container's PID 1, or nothing yet.
# nspawn's first child is a short-lived helper that forks PID 1 and exits, so
# "the first child" can name a process that is about to vanish (a reboot once
# waited 120 s on such a pid): take only the child that is PID 1 in its own
# namespace (the last NSpid field).
container_init() {
  local pid
  for pid in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    [ "$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status" 2>/dev/null)" = 1 ] && { echo "$pid"; return; }
  done
}
# boot: start the container and wait for its systemd (sets nspawn_pid and
# init_pid), or return 1 with boot_error. The root is overlaid with
# $work/upper: the cached root is never changed, and a reboot keeps what the
# test installed.
boot() {
  systemd-nspawn -D "$rootfs" --boot --register=no --keep-unit --quiet \
    --overlay="$rootfs:$work/upper:/" \
    --bind-ro="$(dirname "$(realpath "$deb")")":/srv/deb --bind-ro="$work":/srv/work \
    --bind="$apt_cache":/var/cache/apt/archives \
    </dev/null >>"$work/console.log" 2>&1 &
  nspawn_pid=$!
  init_pid=""
  for _ in $(seq 300); do
    init_pid=$(container_init "$nspawn_pid")
    [ -n "$init_pid" ] && break
    kill -0 "$nspawn_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$init_pid" ]; then
    boot_error="the container did not boot: $(tail -5 "$work/console.log")"
    return 1
  fi
  local state=""
  for _ in $(seq 120); do
    state=$(inside systemctl is-system-running 2>/dev/null)
    case "$state" in running | degraded) break ;; esac
    sleep 1
  done
  case "$state" in
    running | degraded) echo "container: systemd $(inside systemctl --version | head -1 | cut -d' ' -f2) is $state" ;;
    *) boot_error="the container's systemd did not finish booting ($state): $(tail -5 "$work/console.log")"
       return 1 ;;
  esac
}
boot || skip "$boot_error"

# show UNIT PROPERTY: one property's value.
show() { inside systemctl show -P "$2" "$1"; }
# wait_for SECONDS COMMAND...: until COMMAND succeeds.
wait_for() {
  local seconds=$1
  shift
  for _ in $(seq $((seconds * 2))); do
    "$@" && return 0
    sleep 0.5
  done
  return 1
}
is_active() { [ "$(inside systemctl is-active "$1")" = active ]; }
journal_has() { inside journalctl -q -o cat -u "$1" | grep -q -- "$2"; }
main_pid_changed() { local now; now=$(show "$1" MainPID); [ "$now" != 0 ] && [ "$now" != "$2" ]; }

# The config of the main unit or an instance, against a simulator.
write_config() {  # write_config FILE URL PROVINCE [TOP-LEVEL LINES]
  local file=$1 url=$2 province=$3 extra=${4:-}
  inside sh -c "cat > '$file'" <<EOF
province = "$province"
poll_interval = "1h"
$extra
[provincial]
base_url = "$url/provincial"
[national]
base_url = "$url/national"
token_url = "$url/national/oauth2/token"
client_id = "province-$(echo "$province" | tr 'A-Z' 'a-z')"
client_secret_file = "client_secret"
[tls]
allow_insecure_http = true
EOF
}

start_sim main --invalid 2
start_sim A01 --province A01 --client-id province-a01 --services 40 --full 20 --integrated 10
start_sim B02 --province B02 --client-id province-b02 --services 30 --full 10 --integrated 5

# --- Install.
echo "installing $(basename "$deb") (and man-db, to read its pages) with apt-get"
if ! inside sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      /srv/deb/$(basename "$deb") man-db" >"$work/apt-install.log" 2>&1; then
  tail -20 "$work/apt-install.log"
  fail "apt-get install ./$(basename "$deb")"
  exit 1
fi
pass "apt-get install resolves the package's dependencies"
check "install starts no daemon (the example config names example URLs)" \
  test "$(inside systemctl is-active portal-syncd)" = inactive
check "install enables nothing" test "$(inside systemctl is-enabled portal-syncd)" = disabled
check "the user comes from sysusers.d" inside getent passwd portal-syncd
check "the config is a conffile" \
  inside sh -c "dpkg-query -W -f='\${Conffiles}' portal-syncd | grep -q /etc/portal-syncd/portal-syncd.toml"
check "the units are in /lib/systemd/system" inside test -f /lib/systemd/system/portal-syncd@.service
for page in portal-syncd portal-syncctl portal-syncd.toml; do
  check "man $page works" sh -c "nsenter -t $init_pid -a -- env MANWIDTH=80 man -P cat $page 2>&1 | grep -q '^NAME'"
done

# Test-only drop-in: restart after 1 s (not 30 s) and a 10 s watchdog.
inside mkdir -p /etc/systemd/system/portal-syncd.service.d
inside sh -c 'printf "[Service]\nRestartSec=1s\nWatchdogSec=10s\n" > /etc/systemd/system/portal-syncd.service.d/test.conf'
inside systemctl daemon-reload
write_config /etc/portal-syncd/portal-syncd.toml "$SIM_URL_main" H43
inside sh -c 'umask 077; echo sim-secret > /etc/portal-syncd/client_secret'

# --- enable + start: active, STATUS=, a full cycle under the hardening.
check "systemctl enable --now portal-syncd" inside systemctl enable --now portal-syncd
check "active after start" is_active portal-syncd
check "is-enabled says enabled" test "$(inside systemctl is-enabled portal-syncd)" = enabled
check "a boot starts it: multi-user.target wants it" \
  sh -c "nsenter -t $init_pid -a -- systemctl show -P Wants multi-user.target | grep -qw portal-syncd.service"
check "STATUS= reaches systemd" wait_for 60 sh -c "[ -n \"\$(nsenter -t $init_pid -a -- systemctl show -P StatusText portal-syncd)\" ]"
echo "  StatusText: $(show portal-syncd StatusText)"
check "a full cycle under the hardening: resync --wait exits 0" inside portal-syncctl resync --wait
check "coverage is 100% after the cycle" sh -c "curl -fsS '$SIM_URL_main/_sim/coverage' | grep -Eq '\"integrated\": ?1126'"

# --- reload: good config applied, bad config refused and the old one kept.
pid=$(show portal-syncd MainPID)
inside sed -i 's/^poll_interval = "1h"/poll_interval = "2h"/' /etc/portal-syncd/portal-syncd.toml
check "systemctl reload with a good config succeeds" inside systemctl reload portal-syncd
check "the good config is applied" journal_has portal-syncd "configuration reloaded"
inside sed -i 's/^poll_interval = "2h"/poll_interval = "soon"/' /etc/portal-syncd/portal-syncd.toml
check "systemctl reload with a bad config fails" bash -c "! nsenter -t $init_pid -a -- systemctl reload portal-syncd 2>/dev/null"
check "the daemon keeps running after the refused reload" \
  sh -c "[ \"\$(nsenter -t $init_pid -a -- systemctl is-active portal-syncd)\" = active ] && [ \"\$(nsenter -t $init_pid -a -- systemctl show -P MainPID portal-syncd)\" = $pid ]"
check "the refusal names the key" journal_has portal-syncd "reload refused.*poll_interval"
check "and it still syncs with the old config" inside portal-syncctl resync --wait
inside sed -i 's/^poll_interval = "soon"/poll_interval = "1h"/' /etc/portal-syncd/portal-syncd.toml

# --- kill -9: restarted (Restart=on-failure).
pid=$(show portal-syncd MainPID)
restarts=$(show portal-syncd NRestarts)
inside systemctl kill -s KILL portal-syncd
check "kill -9: restarted" wait_for 60 sh -c "[ \"\$(nsenter -t $init_pid -a -- systemctl show -P NRestarts portal-syncd)\" -gt $restarts ]"
check "kill -9: active again with a new process" wait_for 60 sh -c \
  "[ \"\$(nsenter -t $init_pid -a -- systemctl is-active portal-syncd)\" = active ] && [ \"\$(nsenter -t $init_pid -a -- systemctl show -P MainPID portal-syncd)\" != $pid ]"

# --- SIGSTOP: the watchdog (10 s in the drop-in) kills and restarts it.
pid=$(show portal-syncd MainPID)
restarts=$(show portal-syncd NRestarts)
inside systemctl kill -s STOP portal-syncd
check "SIGSTOP: the watchdog restarts it" wait_for 90 sh -c \
  "[ \"\$(nsenter -t $init_pid -a -- systemctl show -P NRestarts portal-syncd)\" -gt $restarts ] && [ \"\$(nsenter -t $init_pid -a -- systemctl is-active portal-syncd)\" = active ]"
check "SIGSTOP: the journal says watchdog" journal_has portal-syncd "Watchdog timeout"

# --- journalctl -p warning: the sim serves two invalid records.
check "journalctl -u portal-syncd -p warning shows the warnings" \
  sh -c "nsenter -t $init_pid -a -- journalctl -q -o cat -u portal-syncd -p warning | grep -q 'invalid catalogue record'"

# --- portal-syncctl: allowed for the group, refused for another user.
inside useradd -m -G portal-syncd alice
inside useradd -m bob
check "portal-syncctl works for a member of the portal-syncd group" \
  inside runuser -u alice -- portal-syncctl status
code=0
inside runuser -u bob -- portal-syncctl status >/dev/null 2>&1 || code=$?
check "portal-syncctl is refused for another user (exit 77, got $code)" test "$code" = 77

# --- Upgrade (the same package, version bumped): one restart, state kept.
pid=$(show portal-syncd MainPID)
cycles=$(inside portal-syncctl history -n 1000 | wc -l)
bumped="$work/upgrade"
mkdir -p "$bumped"
dpkg-deb -R "$deb" "$bumped/pkg"
version=$(sed -n 's/^Version: //p' "$bumped/pkg/DEBIAN/control")
sed -i "s/^Version: .*/Version: $version+test1/" "$bumped/pkg/DEBIAN/control"
dpkg-deb -b --root-owner-group "$bumped/pkg" "$work/upgrade.deb" >/dev/null
cursor=$(inside journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
if inside sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /srv/work/upgrade.deb" >"$work/apt-upgrade.log" 2>&1; then
  pass "upgrade to $version+test1 installs"
else
  tail -20 "$work/apt-upgrade.log"
  fail "upgrade to $version+test1 installs"
fi
starts=$(inside journalctl -q -o cat -u portal-syncd --after-cursor="$cursor" | grep -c '^Started portal-syncd.service')
check "the upgrade restarts the daemon once (started $starts times)" test "$starts" = 1
check "after the upgrade: active with a new process" main_pid_changed portal-syncd "$pid"
check "after the upgrade: still enabled" test "$(inside systemctl is-enabled portal-syncd)" = enabled
check "after the upgrade: the state is kept (history has the earlier cycles)" \
  test "$(inside portal-syncctl history -n 1000 | wc -l)" -ge "$cycles"

# --- A bad config at start: exit 2, not restarted.
inside systemctl stop portal-syncd
inside sh -c 'cp /etc/portal-syncd/portal-syncd.toml /root/good.toml; echo "no_such_key = 1" >> /etc/portal-syncd/portal-syncd.toml'
check "a bad config fails the start" bash -c "! nsenter -t $init_pid -a -- systemctl start portal-syncd 2>/dev/null"
restarts=$(show portal-syncd NRestarts)
sleep 4  # 4 RestartSec
check "exit status 2 (got $(show portal-syncd ExecMainStatus))" test "$(show portal-syncd ExecMainStatus)" = 2
check "a bad config is not restarted" sh -c \
  "[ \"\$(nsenter -t $init_pid -a -- systemctl show -P NRestarts portal-syncd)\" = $restarts ] && [ \"\$(nsenter -t $init_pid -a -- systemctl is-active portal-syncd)\" = failed ]"
check "the journal names the key" journal_has portal-syncd "no_such_key"
inside sh -c 'cp /root/good.toml /etc/portal-syncd/portal-syncd.toml'
inside systemctl reset-failed portal-syncd
inside systemctl stop portal-syncd  # README: do not run the main unit beside instances

# --- Two instances of the template side by side.
for name in A01 B02; do
  url_var="SIM_URL_$name"
  write_config "/etc/portal-syncd/$name.toml" "${!url_var}" "$name" \
    "state_dir = \"/var/lib/portal-syncd/$name\"
status_file = \"/run/portal-syncd/$name.status.json\"
control_socket = \"/run/portal-syncd/$name.sock\""
  inside sh -c "umask 077; echo sim-secret > /etc/portal-syncd/$name.client_secret"
done
check "systemctl enable --now portal-syncd@A01 portal-syncd@B02" \
  inside systemctl enable --now portal-syncd@A01 portal-syncd@B02
check "the template instance is enabled" test "$(inside systemctl is-enabled portal-syncd@A01)" = enabled
for name in A01 B02; do
  check "portal-syncd@$name is active" is_active "portal-syncd@$name"
  check "portal-syncd@$name syncs through its own socket" \
    inside portal-syncctl --socket "/run/portal-syncd/$name.sock" resync --wait
  check "portal-syncd@$name has its own state" inside test -f "/var/lib/portal-syncd/$name/state.db"
done
check "the instances are two processes" \
  test "$(show portal-syncd@A01 MainPID)" != "$(show portal-syncd@B02 MainPID)"

# --- A reboot of the container: the enabled units start at boot.
inside systemctl start portal-syncd
inside systemctl reboot
for _ in $(seq 300); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$nspawn_pid" 2>/dev/null || ! boot; then
  fail "the container reboots: ${boot_error:-nspawn did not exit on reboot}"
  exit 1
fi
for unit in portal-syncd portal-syncd@A01 portal-syncd@B02; do
  check "after a reboot $unit is enabled and active" wait_for 60 sh -c \
    "[ \"\$(nsenter -t $init_pid -a -- systemctl is-enabled $unit)\" = enabled ] && [ \"\$(nsenter -t $init_pid -a -- systemctl is-active $unit)\" = active ]"
done

# --- apt remove stops the service and the instances (all three run).
if inside sh -c "DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq portal-syncd" >"$work/apt-remove.log" 2>&1; then
  pass "apt-get remove portal-syncd"
else
  tail -20 "$work/apt-remove.log"
  fail "apt-get remove portal-syncd"
fi
for unit in portal-syncd portal-syncd@A01 portal-syncd@B02; do
  check "apt remove stops $unit" sh -c "! nsenter -t $init_pid -a -- systemctl is-active -q $unit"
done
check "no portal-syncd process is left" bash -c "! nsenter -t $init_pid -a -- sh -c 'ls /proc/*/comm | xargs cat 2>/dev/null' | grep -qx portal-syncd"
check "apt remove keeps the state" inside test -f /var/lib/portal-syncd/A01/state.db
inside sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq portal-syncd" >/dev/null 2>&1
check "apt purge removes the state" bash -c "! nsenter -t $init_pid -a -- test -e /var/lib/portal-syncd"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
