#include "daemon/runtime/command_line.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "config/config.hpp"

namespace psd::runtime {
namespace {

constexpr std::array<std::string_view, 6> kLogLevels = {"trace", "debug", "info",
                                                        "warn",  "error", "off"};

tl::unexpected<core::Failure> invalid(std::string reason) {
  return core::failure(core::FailureKind::invalid, std::move(reason));
}

}  // namespace

tl::expected<CommandLine, core::Failure> parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  bool once = false;
  bool dry_run = false;
  bool check_config = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string value;
    const auto take_value = [&](std::string_view name) -> bool {
      const std::string prefix = std::string(name) + "=";
      if (arg.rfind(prefix, 0) == 0) {
        value = arg.substr(prefix.size());
        return true;
      }
      if (arg != name) return false;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      line.mode = RunMode::help;
      return line;
    }
    if (arg == "--version") {
      line.mode = RunMode::version;
      return line;
    }
    if (arg == "--once") {
      once = true;
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else if (arg == "--no-wait") {
      line.no_wait = true;
    } else if (arg == "--check-config") {
      check_config = true;
    } else if (arg == "--config" || arg.rfind("--config=", 0) == 0) {
      if (!take_value("--config") || value.empty()) return invalid("--config needs a FILE");
      line.config = value;
    } else if (arg == "--print-mapping" || arg.rfind("--print-mapping=", 0) == 0) {
      if (!take_value("--print-mapping") || value.empty()) {
        return invalid("--print-mapping needs a preset NAME");
      }
      line.mode = RunMode::print_mapping;
      line.mapping_name = value;
      return line;
    } else if (arg == "--log-level" || arg.rfind("--log-level=", 0) == 0) {
      if (!take_value("--log-level")) return invalid("--log-level needs a LEVEL");
      if (std::find(kLogLevels.begin(), kLogLevels.end(), value) == kLogLevels.end()) {
        return invalid("--log-level: '" + value +
                       "' is not one of trace, debug, info, warn, error, off");
      }
      line.log_level = value;
    } else if (arg == "--stop-timeout" || arg.rfind("--stop-timeout=", 0) == 0) {
      if (!take_value("--stop-timeout")) return invalid("--stop-timeout needs a DURATION");
      const auto timeout = config::parse_duration(value);
      if (!timeout) return invalid("--stop-timeout: " + timeout.error().message);
      line.stop_timeout = *timeout;
    } else {
      return invalid("unknown argument '" + arg + "'");
    }
  }
  if (line.no_wait && !dry_run) return invalid("--no-wait goes with --dry-run");
  if (check_config) {
    if (once || dry_run) return invalid("--check-config runs no cycle: drop --once/--dry-run");
    line.mode = RunMode::check_config;
  } else if (dry_run) {
    line.mode = RunMode::dry_run;  // --dry-run implies one cycle
  } else if (once) {
    line.mode = RunMode::once;
  }
  return line;
}

std::string help_text() {
  return R"(NAME
    portal-syncd - keep a province's online public services integrated with
    the national public service portal

SYNOPSIS
    portal-syncd [--config FILE] [--once | --dry-run [--no-wait]]
                 [--log-level LEVEL] [--stop-timeout DURATION]
    portal-syncd --check-config [--config FILE]
    portal-syncd --print-mapping NAME
    portal-syncd --help | --version

DESCRIPTION
    portal-syncd reads the provincial catalogue of online public services,
    compares it with what the national portal holds for the province, and
    pushes the services that are missing or changed, until every valid active
    service is integrated and in sync. It records its state in state.db under
    state_dir and reports coverage (overall, per level, per agency) in the
    status file.

    Without --once or --dry-run it runs as a daemon in the foreground: a cycle
    at start, then one every poll_interval (with 5% jitter), and a full resync
    (catalogue ETag ignored, both sides re-listed) every full_resync_interval;
    one cycle at a time. A failed cycle is retried sooner, backing off from
    retry.initial_backoff. Logs go to standard error. It speaks systemd's
    notify protocol (Type=notify): READY=1 once the configuration is valid
    and state.db is open, STATUS= lines, WATCHDOG=1 at half of WatchdogSec,
    RELOADING=1 around a reload, STOPPING=1.

    The control socket (control_socket, mode 0660; root, the daemon's user and
    the socket's group may connect) takes commands from portal-syncctl(8):
    status, resync, plan, retry, pause, resume, history, reload, backup,
    codes. The status file is rewritten after every cycle and every 2
    seconds during one, with the cycle's progress.

SIGNALS
    SIGTERM, SIGINT
        Stop: no new request is started, requests in flight get
        --stop-timeout to finish (then they are abandoned; they are in the
        outbox and are resent with the same Idempotency-Key after a restart),
        the outcomes are recorded, exit 0. A second signal abandons at once.
    SIGHUP
        Re-read the configuration file and the secret files. The new
        configuration is used only when it is valid; otherwise one log line
        names the key and line at fault and the running configuration stays.
        A cycle that is running finishes with the old one.

OPTIONS
    --config FILE
        The configuration file (TOML). Default: /etc/portal-syncd/portal-syncd.toml.
        An annotated example is installed as
        share/doc/portal-syncd/examples/portal-syncd.toml.
    --once
        Run one sync cycle, write the status file, and exit.
    --dry-run
        Read both portals, print the plan (counts, then the first services of
        each class) and exit. Sends no write to the national portal and
        records nothing in state.db (which is created if it does not exist)
        but a Retry-After window a portal asks for. Like every mode, it sends
        a portal nothing before the end of its Retry-After window, kept in
        state.db across restarts: it waits for it.
    --no-wait
        With --dry-run: when a portal's Retry-After window is still closed,
        exit 3 at once, saying which portal and until when (UTC).
    --check-config
        Check the configuration as the daemon does at start and on SIGHUP
        (every key, the URL schemes, and that the secret and TLS files it
        names can be read), print "configuration OK" and the files read, and
        exit 0; or print the problem (file, key, line) and exit 2. Opens no
        network connection and writes nothing. systemctl reload can run it
        first (ExecReload=).
    --log-level LEVEL
        trace, debug, info (default), warn, error or off.
    --stop-timeout DURATION
        Daemon mode: after SIGTERM, how long requests in flight may take to
        finish before they are abandoned, e.g. 500ms, 10s (default 10s).
        Keep it below systemd's TimeoutStopSec.
    --print-mapping NAME
        Print the shipped mapping preset NAME (e.g. opencps) and exit: a
        starting point for provincial.mapping_file when the catalogue is not
        in the contract's shape (README.md, "Connecting a real provincial
        catalogue"). Presets are installed in
        share/portal-syncd/mappings/.
    --help
        Show this text.
    --version
        Show the version.

EXIT STATUS
    0   every valid active service is in sync (invalid catalogue records are
        reported but do not change the code)
    1   some valid active service is not in sync after the cycle: a push
        failed, or the portal rejected it (now or in an earlier cycle)
    2   configuration or fatal error: the message names the file, key and line;
        also a state.db written by a newer portal-syncd (upgrade, or restore
        a backup: portal-syncctl backup)
    3   a listing failed or a safety guard refused part of the plan; the
        status file's last_cycle.error says which

FILES
    /etc/portal-syncd/portal-syncd.toml   configuration
    STATE_DIR/state.db                    sync state (SQLite)
    STATUS_FILE                           JSON status for monitoring
    CONTROL_SOCKET                        portal-syncctl's way in

ENVIRONMENT
    NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID
        Set by systemd for Type=notify and WatchdogSec=; see sd_notify(3).
    CREDENTIALS_DIRECTORY
        Where relative secret file names (national.client_secret_file,
        provincial.token_file, TLS files) are looked up first; systemd's
        LoadCredential= sets it.
)";
}

}  // namespace psd::runtime
