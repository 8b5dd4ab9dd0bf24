#include "daemon/runtime/app.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

#include "daemon/runtime/daemon.hpp"
#include "daemon/runtime/logging.hpp"
#include "daemon/runtime/plan_printer.hpp"
#include "daemon/runtime/syncer.hpp"
#include "daemon/state/utc_time.hpp"
#include "psd_version.hpp"

namespace psd::runtime {
namespace {

// --check-config's answer: one line, the files read, and the warnings the
// daemon would log about them.
std::string check_config_report(const config::Config& config) {
  std::string text = "configuration OK: " + config.source.string();
  for (const auto& input : config.inputs) {
    text += ", " + input.path.string() + " (" + input.key + ")";
  }
  // Read and checked by load_config already.
  if (config.provincial.mapping) {
    text += ", " + config.provincial.mapping->source + " (provincial.mapping_file)";
  }
  if (!config.agencies.remap_file.empty()) {
    text += ", " + config.agencies.remap_file.string() + " (agencies.remap_file, " +
            std::to_string(config.agencies.remap.size()) + " rows)";
  }
  text += "\n";
  for (const auto& input : config.inputs) {
    if (!input.secret) continue;
    if (const auto warning = config::secret_file_warning(input.path)) {
      spdlog::warn("{}", *warning);
    }
  }
  return text;
}

/// --dry-run --no-wait: exit 3 when a portal's Retry-After window is closed.
std::optional<int> refuse_to_wait(Syncer& syncer) {
  const auto closed = syncer.closed_portals();
  for (const auto& [portal, until] : closed) {
    const std::string line =
        fmt::format("{} portal: its Retry-After window is closed until {}; not waiting (--no-wait)",
                    state::to_string(portal), state::format_utc(until));
    spdlog::error("{}", line);
    std::fputs((line + "\n").c_str(), stdout);
  }
  if (closed.empty()) return std::nullopt;
  return static_cast<int>(engine::ExitCode::listing_failed);
}

int run_one(Syncer& syncer, const CommandLine& line) {
  const RunMode mode = line.mode;
  if (mode == RunMode::dry_run) {
    if (line.no_wait) {
      if (const auto code = refuse_to_wait(syncer)) return *code;
    }
    const auto& report = syncer.run_cycle(
        {.mode = engine::CycleMode::dry_run, .target = {.cache = engine::CatalogueCache::ignore}});
    std::fputs(format_plan(report, syncer.config().province).c_str(), stdout);
    std::fputs(report.plan ? "\nNo write was sent (--dry-run).\n" : "", stdout);
    return static_cast<int>(report.exit_code);
  }
  const auto& report = syncer.run_cycle(SyncRequest{});
  const DaemonState state =
      report.result == state::CycleResult::failed ? DaemonState::error : DaemonState::idle;
  // A file that cannot be written throws to runtime::run: exit 2, naming it.
  syncer.write_status_file(state);
  syncer.write_metrics_file(state);
  spdlog::info("status file: {}", syncer.config().status_file.string());
  return static_cast<int>(report.exit_code);
}

/// Print the shipped preset `name`; exit 2 naming the presets when there is none.
int print_mapping(const std::string& name) {
  if (const auto preset = config::find_preset(name)) {
    std::fputs(preset->text.c_str(), stdout);
    return 0;
  }
  std::string names;
  for (const auto& known : config::preset_names()) names += (names.empty() ? "" : ", ") + known;
  std::fprintf(stderr, "portal-syncd: --print-mapping: no preset named '%s' (presets: %s)\n",
               name.c_str(), names.c_str());
  return 2;
}

}  // namespace

int run(const CommandLine& line) {
  if (line.mode == RunMode::help) {
    std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (line.mode == RunMode::version) {
    std::printf("portal-syncd %s\n", kVersion);
    return 0;
  }
  if (line.mode == RunMode::print_mapping) return print_mapping(line.mapping_name);
  setup_logging(line.log_level);
  // A peer that closes a connection must be an error to handle, not the end
  // of the process (libcurl and OpenSSL write to sockets), in every mode.
  ::signal(SIGPIPE, SIG_IGN);
  config::Config config;
  try {
    config = config::load_and_check(line.config);
  } catch (const config::ConfigError& error) {
    spdlog::error("configuration error: {}", error.what());
    return 2;
  }
  if (line.mode == RunMode::check_config) {
    std::fputs(check_config_report(config).c_str(), stdout);
    return 0;
  }
  try {
    if (line.mode == RunMode::daemon) {
      Daemon daemon(std::move(config), DaemonOptions{line.stop_timeout});
      return daemon.run();
    }
    Syncer syncer(config);
    return run_one(syncer, line);
  } catch (const std::exception& error) {
    spdlog::error("fatal: {}", error.what());
    return 2;
  }
}

}  // namespace psd::runtime
