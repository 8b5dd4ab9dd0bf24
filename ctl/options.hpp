#pragma once
// portal-syncctl's command line.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "ctl/report/options.hpp"
#include "daemon/core/failure.hpp"

namespace psd::ctl {

inline constexpr const char* kDefaultConfig = "/etc/portal-syncd/portal-syncd.toml";
inline constexpr const char* kDefaultSocket = "/run/portal-syncd/control.sock";
inline constexpr const char* kDefaultStateDir = "/var/lib/portal-syncd";
/// portal-syncctl's own command (it reads state.db); every other is the
/// daemon's, from the table in daemon/control/commands.hpp.
inline constexpr std::string_view kReportCommand = "report";

struct Options {
  std::optional<std::filesystem::path> socket;  ///< --socket
  std::filesystem::path config = kDefaultConfig;
  bool config_given = false;
  bool json = false;
  std::string command;  ///< empty with --help / --version
  bool help = false;
  bool version = false;
  // resync
  bool full = false;
  bool wait = false;
  std::vector<std::string> services;
  std::string agency;
  // retry
  std::vector<std::string> codes;
  bool rejected = false;
  bool failed = false;
  // history
  int limit = 10;
  // report (ctl/report/): reads state.db, not the socket
  report::ReportOptions report;
  // backup
  std::filesystem::path backup_file;
  // codes
  std::string codes_kind;  ///< "services" or "agencies"
  std::string codes_prefix;
};

/// The commands portal-syncctl knows, in the order --help lists them: the
/// daemon's command table, then report.
const std::vector<std::string>& command_names();

/// The options `command` takes ("" for the ones every command takes).
std::vector<std::string> command_options(const std::string& command);

/// Parse `args` (without the program name), or return why they are invalid.
tl::expected<Options, core::Failure> parse_options(const std::vector<std::string>& args);

/// Return the text of --help (help.cpp).
std::string help_text();

/// Return the socket to use: --socket, else control_socket from the config
/// file, else the default; or why not when --config was given and cannot be
/// read.
tl::expected<std::filesystem::path, core::Failure> socket_path(const Options& options);

/// Return state.db in state_dir from the config file (default
/// /var/lib/portal-syncd), for a backup while the daemon is stopped; or why
/// not when --config was given and cannot be read.
tl::expected<std::filesystem::path, core::Failure> state_db_path(const Options& options);

}  // namespace psd::ctl
