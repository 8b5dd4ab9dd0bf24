#include "ctl/options.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <optional>
#include <system_error>

#include "daemon/control/commands.hpp"

namespace psd::ctl {
namespace {

tl::unexpected<core::Failure> invalid(std::string reason) {
  return core::failure(core::FailureKind::invalid, std::move(reason));
}

bool is_command(const std::string& word) {
  return word == kReportCommand || control::find_command(word) != nullptr;
}

/// The value of the top-level string `key` in the config file, as a path
/// (a relative one is taken from the config's folder, as the daemon does), or
/// nothing when it is not set, or why not when --config was given and cannot
/// be read.
tl::expected<std::optional<std::filesystem::path>, core::Failure> config_path_value(
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
      return invalid(options.config.string() + ": " + std::string(error.description()));
    }
  }
  return std::optional<std::filesystem::path>();
}

}  // namespace

tl::expected<Options, core::Failure> parse_options(const std::vector<std::string>& args) {
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
      if (!value_of("--socket", value) || value.empty()) return invalid("--socket needs a PATH");
      options.socket = value;
    } else if (is("--config")) {
      if (!value_of("--config", value) || value.empty()) return invalid("--config needs a FILE");
      options.config = value;
      options.config_given = true;
    } else if (arg == "--json") {
      options.json = true;
    } else if (options.command.empty()) {
      if (!arg.empty() && arg[0] == '-') return invalid("unknown option '" + arg + "'");
      if (!is_command(arg)) return invalid("unknown command '" + arg + "'");
      options.command = arg;
    } else if (options.command == "resync" && arg == "--full") {
      options.full = true;
    } else if (options.command == "resync" && arg == "--wait") {
      options.wait = true;
    } else if (options.command == "resync" && is("--service")) {
      if (!value_of("--service", value) || value.empty()) {
        return invalid("--service needs a CODE");
      }
      options.services.push_back(value);
    } else if (options.command == "resync" && is("--agency")) {
      if (!value_of("--agency", value) || value.empty()) return invalid("--agency needs a CODE");
      options.agency = value;
    } else if (options.command == "retry" && arg == "--rejected") {
      options.rejected = true;
    } else if (options.command == "retry" && arg == "--failed") {
      options.failed = true;
    } else if (options.command == "retry" && !arg.empty() && arg[0] != '-') {
      options.codes.push_back(arg);
    } else if (options.command == "history" && (arg == "-n" || is("--limit"))) {
      if (arg == "-n" ? !value_of("-n", value) : !value_of("--limit", value)) {
        return invalid("-n needs a NUMBER");
      }
      int limit = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (error != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 1000) {
        return invalid("-n: '" + value + "' is not a number from 1 to 1000");
      }
      options.limit = limit;
    } else if (options.command == "report") {
      if (auto taken = report::parse_report_arg(args, i, options.report); !taken) {
        return tl::unexpected(std::move(taken.error()));
      }
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
      return invalid("unknown argument '" + arg + "' for " + options.command);
    }
  }
  if (options.command.empty()) return invalid("no command given");
  if (options.command == "report") {
    if (options.json) options.report.format = report::Format::json;
    if (auto fits = report::check_report_options(options.report); !fits) {
      return tl::unexpected(std::move(fits.error()));
    }
  }
  if (options.command == "backup" && options.backup_file.empty()) {
    return invalid("backup needs a FILE to write");
  }
  if (options.command == "codes" && options.codes_kind.empty()) {
    return invalid("codes needs 'services' or 'agencies'");
  }
  if (!options.codes.empty() && (options.rejected || options.failed)) {
    return invalid("retry takes CODEs or --rejected/--failed, not both");
  }
  return options;
}

tl::expected<std::filesystem::path, core::Failure> socket_path(const Options& options) {
  if (options.socket) return *options.socket;
  auto value = config_path_value(options, "control_socket");
  if (!value) return tl::unexpected(std::move(value.error()));
  return value->value_or(kDefaultSocket);
}

tl::expected<std::filesystem::path, core::Failure> state_db_path(const Options& options) {
  auto value = config_path_value(options, "state_dir");
  if (!value) return tl::unexpected(std::move(value.error()));
  return value->value_or(kDefaultStateDir) / "state.db";
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& command : control::command_table()) all.emplace_back(command.name);
    all.emplace_back(kReportCommand);
    return all;
  }();
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

}  // namespace psd::ctl
