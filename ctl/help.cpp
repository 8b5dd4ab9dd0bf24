// portal-syncctl --help: the commands come from the control socket's command
// table (daemon/control/commands.hpp), plus portal-syncctl's own report.
#include <sstream>
#include <string_view>

#include "ctl/options.hpp"
#include "daemon/control/commands.hpp"

namespace psd::ctl {
namespace {

constexpr std::string_view kBefore = R"(NAME
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
)";

/// report reads state.db itself: it is portal-syncctl's, not the daemon's.
constexpr control::CommandSpec kReport{
    .name = kReportCommand,
    .summary = "the coverage report, from state.db",
    .usage =
        "report [--state-dir DIR] [--format text|csv|json|html] [--lang en|vi]\n"
        "       [-o FILE|DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
    .help =
        "The coverage report for the administrative-reform report: the\n"
        "summary sentence, coverage by level, by administrative level and by\n"
        "agency (lowest first), services the national portal rejected with its\n"
        "reason, invalid records with the rule they break, orphaned entries,\n"
        "and one row per day of history. Reads state.db read-only (from\n"
        "--state-dir, else state_dir of --config), so it works whether the\n"
        "daemon runs or not, and needs no socket. Figures are the daemon's:\n"
        "the same coverage code and rounding as the status file.\n"
        "--format: text (default), csv, json or html (one self-contained file\n"
        "with charts, for A4). --lang: the language of text, JSON sentences\n"
        "and HTML (default from LC_ALL/LC_MESSAGES/LANG, else en); CSV headers\n"
        "are always the English keys. -o: write to FILE instead of standard\n"
        "output; with csv, a folder (created when missing) with one UTF-8\n"
        "file (with BOM) per table. --from/--to: the period (local dates,\n"
        "inclusive) of the history and of \"pushed in the period\"."};

constexpr std::string_view kAfter = R"(
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

/// Append each line of `text` to `out`, indented by `indent` spaces.
void indented(std::string& out, std::string_view text, std::size_t indent) {
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    out.append(indent, ' ').append(line).push_back('\n');
  }
}

void describe(std::string& out, const control::CommandSpec& command) {
  indented(out, command.usage, 4);
  indented(out, command.help, 8);
}

}  // namespace

std::string help_text() {
  std::string text(kBefore);
  for (const auto& command : control::command_table()) describe(text, command);
  describe(text, kReport);
  text.append(kAfter);
  return text;
}

}  // namespace psd::ctl
