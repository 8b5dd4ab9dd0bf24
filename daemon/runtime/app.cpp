#include "daemon/runtime/app.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>

#include "daemon/runtime/daemon.hpp"
#include "daemon/runtime/logging.hpp"
#include "daemon/runtime/plan_printer.hpp"
#include "daemon/runtime/syncer.hpp"
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
  text += "\n";
  for (const auto& input : config.inputs) {
    if (!input.secret) continue;
    if (const auto warning = config::secret_file_warning(input.path)) {
      spdlog::warn("{}", *warning);
    }
  }
  return text;
}

int run_one(Syncer& syncer, RunMode mode) {
  if (mode == RunMode::dry_run) {
    SyncRequest request;
    request.mode = engine::CycleMode::dry_run;
    request.cache = engine::CatalogueCache::ignore;
    const auto& report = syncer.run_cycle(request);
    std::fputs(format_plan(report, syncer.config().province).c_str(), stdout);
    std::fputs(report.plan ? "\nNo write was sent (--dry-run).\n" : "", stdout);
    return static_cast<int>(report.exit_code);
  }
  const auto& report = syncer.run_cycle(SyncRequest{});
  syncer.write_status(report.result == state::CycleResult::failed ? DaemonState::error
                                                                  : DaemonState::idle);
  spdlog::info("status file: {}", syncer.config().status_file.string());
  return static_cast<int>(report.exit_code);
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
    return run_one(syncer, line.mode);
  } catch (const std::exception& error) {
    spdlog::error("fatal: {}", error.what());
    return 2;
  }
}

}  // namespace psd::runtime
