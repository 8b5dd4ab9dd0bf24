#include "ctl/options.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>

namespace psd::ctl {
namespace {

bool is_command(const std::string& word) {
  const auto& names = command_names();
  return std::find(names.begin(), names.end(), word) != names.end();
}

/// The value of the top-level string `key` in the config file, as a path
/// (a relative one is taken from the config's folder, as the daemon does), or
/// nothing when it is not set. Return the reason when --config was given and
/// cannot be read.
std::variant<std::optional<std::filesystem::path>, std::string> config_path_value(
    const Options& options, const char* key) {
  try {
    const toml::table table = toml::parse_file(options.config.string());
    if (const auto* value = table[key].as_string()) {
      std::filesystem::path path = value->get();
      if (path.is_relative()) path = options.config.parent_path() / path;
      return std::optional<std::filesystem::path>(path);
    }
  } catch (const toml::parse_error& error) {
    if (options.config_given) {
      return options.config.string() + ": " + std::string(error.description());
    }
  }
  return std::optional<std::filesystem::path>();
}

}  // namespace

std::variant<Options, std::string> parse_options(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // Accept "--name value" and "--name=value".
    const auto value_of = [&](const std::string& name, std::string& out) -> bool {
      if (arg.rfind(name + "=", 0) == 0) {
        out = arg.substr(name.size() + 1);
        return true;
      }
      if (arg == name && i + 1 < args.size()) {
        out = args[++i];
        return true;
      }
      return false;
    };
    const auto is = [&](const std::string& name) {
      return arg == name || arg.rfind(name + "=", 0) == 0;
    };
    std::string value;
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      return options;
    }
    if (arg == "--version") {
      options.version = true;
      return options;
    }
    if (is("--socket")) {
      if (!value_of("--socket", value) || value.empty())
        return std::string("--socket needs a PATH");
      options.socket = value;
    } else if (is("--config")) {
      if (!value_of("--config", value) || value.empty())
        return std::string("--config needs a FILE");
      options.config = value;
      options.config_given = true;
    } else if (arg == "--json") {
      options.json = true;
    } else if (options.command.empty()) {
      if (!arg.empty() && arg[0] == '-') return "unknown option '" + arg + "'";
      if (!is_command(arg)) return "unknown command '" + arg + "'";
      options.command = arg;
    } else if (options.command == "resync" && arg == "--full") {
      options.full = true;
    } else if (options.command == "resync" && arg == "--wait") {
      options.wait = true;
    } else if (options.command == "resync" && is("--service")) {
      if (!value_of("--service", value) || value.empty()) {
        return std::string("--service needs a CODE");
      }
      options.services.push_back(value);
    } else if (options.command == "resync" && is("--agency")) {
      if (!value_of("--agency", value) || value.empty())
        return std::string("--agency needs a CODE");
      options.agency = value;
    } else if (options.command == "retry" && arg == "--rejected") {
      options.rejected = true;
    } else if (options.command == "retry" && arg == "--failed") {
      options.failed = true;
    } else if (options.command == "retry" && !arg.empty() && arg[0] != '-') {
      options.codes.push_back(arg);
    } else if (options.command == "history" && (arg == "-n" || is("--limit"))) {
      if (arg == "-n" ? !value_of("-n", value) : !value_of("--limit", value)) {
        return std::string("-n needs a NUMBER");
      }
      int limit = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (error != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 1000) {
        return "-n: '" + value + "' is not a number from 1 to 1000";
      }
      options.limit = limit;
    } else if (options.command == "report") {
      const auto problem = report::parse_report_arg(args, i, options.report);
      if (problem && problem->empty()) return "unknown argument '" + arg + "' for report";
      if (problem) return *problem;
    } else if (options.command == "backup" && options.backup_file.empty() && !arg.empty() &&
               arg[0] != '-') {
      options.backup_file = arg;
    } else if (options.command == "codes" && options.codes_kind.empty() &&
               (arg == "services" || arg == "agencies")) {
      options.codes_kind = arg;
    } else if (options.command == "codes" && !options.codes_kind.empty() &&
               options.codes_prefix.empty() && !arg.empty() && arg[0] != '-') {
      options.codes_prefix = arg;
    } else {
      return "unknown argument '" + arg + "' for " + options.command;
    }
  }
  if (options.command.empty()) return std::string("no command given");
  if (options.command == "report") {
    if (options.json) options.report.format = report::Format::json;
    if (auto problem = report::check_report_options(options.report)) return *problem;
  }
  if (options.command == "backup" && options.backup_file.empty()) {
    return std::string("backup needs a FILE to write");
  }
  if (options.command == "codes" && options.codes_kind.empty()) {
    return std::string("codes needs 'services' or 'agencies'");
  }
  if (!options.codes.empty() && (options.rejected || options.failed)) {
    return std::string("retry takes CODEs or --rejected/--failed, not both");
  }
  return options;
}

std::variant<std::filesystem::path, std::string> socket_path(const Options& options) {
  if (options.socket) return *options.socket;
  auto value = config_path_value(options, "control_socket");
  if (auto* reason = std::get_if<std::string>(&value)) return *reason;
  return std::get<0>(value).value_or(kDefaultSocket);
}

std::variant<std::filesystem::path, std::string> state_db_path(const Options& options) {
  auto value = config_path_value(options, "state_dir");
  if (auto* reason = std::get_if<std::string>(&value)) return *reason;
  return std::get<0>(value).value_or(kDefaultStateDir) / "state.db";
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"status", "resync", "plan",          "retry",
                                                 "pause",  "resume", "history",       "reload",
                                                 "backup", "codes",  "list-commands", "report"};
  return names;
}

std::vector<std::string> command_options(const std::string& command) {
  if (command.empty()) return {"--socket", "--config", "--json", "--help", "--version"};
  if (command == "resync") return {"--full", "--service", "--agency", "--wait"};
  if (command == "retry") return {"--rejected", "--failed"};
  if (command == "history") return {"-n", "--limit"};
  if (command == "report") {
    return {"--state-dir", "--format", "--lang", "-o", "--output", "--from", "--to"};
  }
  return {};
}

std::string help_text() {
  return R"(NAME
    portal-syncctl - control a running portal-syncd

SYNOPSIS
    portal-syncctl [--socket PATH | --config FILE] [--json] COMMAND [ARGS]
    portal-syncctl [--config FILE] report [--state-dir DIR] [--format FORMAT]
                   [--lang en|vi] [-o FILE|DIR] [--from DATE] [--to DATE]
    portal-syncctl --help | --version

DESCRIPTION
    portal-syncctl talks to portal-syncd(8) over its unix control socket:
    it shows the daemon's state and coverage, starts a sync cycle and follows
    it, and pauses or resumes pushing. The daemon allows root, its own user
    and members of the socket's group (the socket is mode 0660).

COMMANDS
    status
        The daemon's state (idle, syncing, backoff, paused, error), coverage
        overall and per level, the queue, the last cycle, and the running
        cycle's progress.
    resync [--full] [--service CODE]... [--agency CODE] [--wait]
        Start a cycle now, or right after the running one. --full ignores the
        catalogue's ETag and re-lists both sides. --service (repeatable) and
        --agency push only those services; the plan and coverage still cover
        the whole catalogue. --wait follows the cycle to its end: on a
        terminal a progress bar (pushes done/total, pushes per second, ETA),
        otherwise a progress line every few seconds; the exit status is then
        the cycle's (see EXIT STATUS).
    plan
        Read both portals and print what the next cycle would do. Sends no
        write and records nothing.
    retry [CODE... | --rejected | --failed]
        Re-queue parked pushes and start a cycle: services the portal
        rejected (they are pushed again although their content did not
        change) and pushes that ran out of attempts. Without arguments, all.
    pause
        Stop pushing: the running cycle starts no new request, and no cycle
        starts until resume. status says "paused".
    resume
        Leave pause and start a cycle now.
    history [-n N]
        The N most recent cycles (default 10, at most 1000), newest first,
        with their result, pushes and coverage.
    reload
        Re-read the configuration and secret files, as SIGHUP does. A bad file
        is refused with its key and line; the running configuration stays.
    backup FILE
        Write a copy of state.db to FILE: consistent while a cycle writes
        (SQLite's VACUUM INTO, one read transaction), checked with PRAGMA
        integrity_check, written under a temporary name in FILE's folder,
        then renamed, mode 0600, owned by whoever runs portal-syncctl. When
        the daemon runs, it makes the copy (it can read state.db) and
        writes it into the file portal-syncctl opened; when it is stopped,
        portal-syncctl reads state_dir/state.db itself (run it as root or
        the daemon's user). To restore: stop the daemon, put the file in
        place as state.db (README "Backup and restore"), start it.
    codes services|agencies [PREFIX]
        Service or agency codes of the last complete catalogue listing that
        start with PREFIX, one a line, at most 1000 (for shell completion).
    list-commands
        The commands the daemon answers and the protocol's result codes.
    report [--state-dir DIR] [--format text|csv|json|html] [--lang en|vi]
           [-o FILE|DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
        The coverage report for the administrative-reform report: the
        summary sentence, coverage by level, by administrative level and by
        agency (lowest first), services the national portal rejected with its
        reason, invalid records with the rule they break, orphaned entries,
        and one row per day of history. Reads state.db read-only (from
        --state-dir, else state_dir of --config), so it works whether the
        daemon runs or not, and needs no socket. Figures are the daemon's:
        the same coverage code and rounding as the status file.
        --format: text (default), csv, json or html (one self-contained file
        with charts, for A4). --lang: the language of text, JSON sentences
        and HTML (default from LC_ALL/LC_MESSAGES/LANG, else en); CSV headers
        are always the English keys. -o: write to FILE instead of standard
        output; with csv, a folder (created when missing) with one UTF-8
        file (with BOM) per table. --from/--to: the period (local dates,
        inclusive) of the history and of "pushed in the period".

OPTIONS
    --socket PATH
        The control socket. Default: control_socket from the configuration
        file, else /run/portal-syncd/control.sock.
    --config FILE
        The daemon's configuration file, read only for control_socket (and
        state_dir, for a backup while the daemon is stopped; for report,
        state_dir and province).
        Default: /etc/portal-syncd/portal-syncd.toml.
    --json
        Print the daemon's answer as JSON (one object) instead of a table.
        With resync --wait, one JSON object per progress event.
    --help
        Show this text.
    --version
        Show the version.

EXIT STATUS
    resync --wait ends with the cycle's code, as portal-syncd --once:
    0   every valid active service is in sync
    1   some valid active service is not in sync (a push failed or was
        rejected)
    2   configuration or fatal error in the daemon
    3   a listing failed or a safety guard refused part of the plan
    Other commands: 0 done, 1 the daemon refused or failed the command (the
    message says why). For every command:
    64  bad command line (report: or a bad configuration file)
    66  report: state.db cannot be read
    69  portal-syncd is not running (no socket, or nobody listens on it)
    70  the daemon's answer was not understood (protocol version mismatch)
    75  the cycle waited for was cancelled (pause, or the daemon stopped)
    73  report: the output file or folder cannot be written
    77  the socket is not accessible to this user (permission, peer check)

EXAMPLES
    portal-syncctl status
    portal-syncctl resync --wait
    portal-syncctl resync --service 1.001612.000.00.00.H43 --wait
    portal-syncctl retry --rejected
    portal-syncctl history -n 20
    portal-syncctl report --lang vi --format html -o report.html
    portal-syncctl report --format csv -o report-csv --from 2024-07-01 --to 2024-09-30
    portal-syncctl backup /var/backups/portal-syncd/state-$(date +%F).db
)";
}

}  // namespace psd::ctl
