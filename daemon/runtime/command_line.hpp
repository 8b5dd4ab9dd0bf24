#pragma once
// portal-syncd's command line (contract section 5).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "daemon/core/failure.hpp"

namespace psd::runtime {

inline constexpr const char* kDefaultConfigPath = "/etc/portal-syncd/portal-syncd.toml";

enum class RunMode { daemon, once, dry_run, check_config, help, version, print_mapping };

struct CommandLine {
  RunMode mode = RunMode::daemon;
  std::filesystem::path config = kDefaultConfigPath;
  std::string log_level = "info";
  std::string mapping_name;  ///< --print-mapping NAME
  /// Daemon mode: after SIGTERM, how long requests in flight may take.
  std::chrono::milliseconds stop_timeout{10000};
  /// --dry-run: when a portal's Retry-After window is closed, exit 3 saying
  /// until when instead of waiting for it.
  bool no_wait = false;
};

/// Parse `args` (without the program name), or return why they are not a
/// valid command line (kind invalid).
tl::expected<CommandLine, core::Failure> parse_command_line(const std::vector<std::string>& args);

/// Return the text of --help.
std::string help_text();

}  // namespace psd::runtime
